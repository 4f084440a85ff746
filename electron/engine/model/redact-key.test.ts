import { describe, expect, it } from 'vitest';
import { client, failure, freePort, KEY, request } from '../../testing/model-client-kit.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

const serve = useScriptedServers();

describe('createOpenAIModelClient key redaction', () => {
  it('never puts the API key in an error message', async () => {
    const server = await serve([
      { http_error: 401, body: `{"error": {"message": "Incorrect API key provided: ${KEY}. Header was Authorization: Bearer ${KEY}"}}` },
      { http_error: 403, body: `forbidden for key ${KEY}` },
      { message: { content: 'abcdefgh' }, cut_after_chunks: 2 },
      { message: { content: 'abcdefgh' }, invalid_chunk_after: 1 },
      { message: { content: 'x' }, hang: true },
    ]);
    const model = client(server, { timeoutMs: 200 });
    const messages: string[] = [];
    for (let i = 0; i < 5; i += 1) messages.push((await failure(model.chatCompletion(request()))).message);
    messages.push((await failure(client(`http://127.0.0.1:${await freePort()}/v1`).chatCompletion(request()))).message);
    messages.push((await failure(client(`http://user:${KEY}@nohost.invalid/v1`).chatCompletion(request()))).message);
    for (const text of messages) expect(text).not.toContain(KEY);
    expect(messages[0]).toContain('Incorrect API key provided: ***');
    expect(server.requestHeaders.every((h) => h.authorization === `Bearer ${KEY}`)).toBe(true);
  });
});
