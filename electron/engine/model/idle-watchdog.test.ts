import { describe, expect, it } from 'vitest';
import { client, failure, request } from '../../testing/model-client-kit.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

const serve = useScriptedServers();

describe('createOpenAIModelClient idle watchdog', () => {
  it('times out a stream that stalls mid-reply', async () => {
    const server = await serve([{ message: { content: 'abcdefghijkl' }, stall_after_chunks: 2 }]);
    const error = await failure(client(server, { timeoutMs: 300 }).chatCompletion(request()));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`no data from ${server.url} for 300 ms while reading the reply (after 2 chunks, inside content)`);
  });
});
