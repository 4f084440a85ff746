import { describe, expect, it } from 'vitest';
import { ModelCallError } from './model-errors.js';
import { client, failure, freePort, request } from '../../testing/model-client-kit.js';

describe('createOpenAIModelClient connection errors', () => {
  it('reports a refused connection', async () => {
    const port = await freePort();
    const error = await failure(client(`http://127.0.0.1:${port}/v1`).chatCompletion(request()));
    expect(error.code).toBe('connection_refused');
    expect(error.message).toBe(`connection refused at http://127.0.0.1:${port}/v1`);
  });

  it('reports a port that fetch refuses to use', async () => {
    const error = await failure(client('http://127.0.0.1:9/v1').chatCompletion(request()));
    expect(error.code).toBe('bad_port');
  });

  it('reports an unknown host', async () => {
    const error = await failure(client('http://nohost.invalid/v1').chatCompletion(request()));
    expect(error.code).toBe('dns');
    expect(error.message).toBe('could not resolve host nohost.invalid');
  });

  it('rejects an invalid base URL at once', () => {
    expect(() => client('localhost:8000/v1')).toThrow(ModelCallError);
    expect(() => client('not a url')).toThrow(/invalid model server URL "not a url"/);
  });
});
