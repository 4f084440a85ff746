import { describe, expect, it } from 'vitest';
import { describeRetryPolicy } from './retry-policy.js';
import { client, failure, freePort, message, request } from '../../testing/model-client-kit.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

const serve = useScriptedServers();

describe('describeRetryPolicy', () => {
  it('describes the SDK rule for the default and for a custom retry count', () => {
    const text = describeRetryPolicy({});
    expect(text).toMatch(/^Up to 2 retries \(3 attempts in all\) on HTTP 408, 409, 429 and any status >= 500/);
    expect(text).toContain('240000 ms');
    expect(text).toContain('Retry-After');
    expect(text).toContain('0.5 s, 1 s');
    expect(describeRetryPolicy({ maxRetries: 5, timeoutMs: 30_000 })).toContain('0.5 s, 1 s, 2 s, 4 s, 8 s');
    expect(describeRetryPolicy({ maxRetries: 1, timeoutMs: 30_000 })).toMatch(/^Up to 1 retry \(2 attempts in all\).*30000 ms/);
    expect(describeRetryPolicy({ maxRetries: 0 })).toMatch(/^No retries/);
  });
});

describe('createOpenAIModelClient retries', () => {
  it('counts attempts when connection errors were retried', async () => {
    const port = await freePort();
    const error = await failure(client(`http://127.0.0.1:${port}/v1`, { maxRetries: 1 }).chatCompletion(request()));
    expect(error.message).toBe(`connection refused at http://127.0.0.1:${port}/v1 (2 attempts)`);
  });

  it('honours a Retry-After of one second', async () => {
    const server = await serve([{ http_error: 429, retry_after: 1 }, { message: { content: 'ok' } }]);
    const started = Date.now();
    const response = await client(server, { maxRetries: 1 }).chatCompletion(request());
    expect(message(response).content).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not sleep through a Retry-After longer than a minute', async () => {
    const server = await serve([{ http_error: 429, retry_after: 3600 }, { message: { content: 'ok' } }]);
    const error = await failure(client(server, { maxRetries: 2 }).chatCompletion(request()));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/\[not retried: the server asked to wait 3600 s, more than 60 s\]$/);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries on 500 and says how many attempts were made', async () => {
    const server = await serve([{ http_error: 500 }, { http_error: 500 }, { message: { content: 'too late' } }]);
    const error = await failure(client(server, { maxRetries: 1 }).chatCompletion(request()));
    expect(error.status).toBe(500);
    expect(error.message).toMatch(new RegExp(`^HTTP 500 from ${server.url} \\(2 attempts\\): `));
    expect(server.requests).toHaveLength(2);
  });

  it('answers "no reply left" once the script is exhausted', async () => {
    const server = await serve([]);
    const error = await failure(client(server).chatCompletion(request()));
    expect(error.message).toContain('scripted server: no reply left for request 1');
  });
});
