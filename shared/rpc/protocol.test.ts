import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { encodeClientFrame, MAX_FRAME_BYTES } from './frames.js';
import { createEventBatcher, createRpcClient, serveRpc, type RpcClientMessage, type RpcServerMessage } from './protocol.js';

/** A client and a server joined by an in-memory pipe; `hold` keeps client messages until `flush`. */
function pair(call: (method: string, params: unknown) => Promise<unknown>) {
  const events: unknown[] = [];
  const gaps: Array<[number, number]> = [];
  const link: { server?: ReturnType<typeof serveRpc> } = {};
  const client = createRpcClient({ send: (message: RpcClientMessage) => link.server!.receive(message), onEvents: (batch) => events.push(...batch), onFiles: () => undefined, onGap: (a, b) => gaps.push([a, b]) });
  const server = serveRpc(call, (message) => client.receive(JSON.parse(JSON.stringify(message))));
  link.server = server;
  return { client, server, events, gaps };
}

describe('rpc protocol', () => {
  it('matches replies to their calls by id, whatever the order they come back in', async () => {
    const { client } = pair(async (method) => (method === 'slow' ? new Promise((ok) => setTimeout(() => ok('s'), 20)) : 'f'));
    const slow = client.call('slow', {});
    const fast = client.call('fast', {});
    expect(await Promise.all([slow, fast])).toEqual(['s', 'f']);
  });

  it('turns a thrown ApiError into the same code on the caller, anything else into internal', async () => {
    const { client } = pair(async (method) => {
      if (method === 'a') throw new ApiError('needs_endpoint', 'choose one', 'a');
      throw new Error('boom');
    });
    await expect(client.call('a', {})).rejects.toMatchObject({ code: 'needs_endpoint', message: 'choose one', method: 'a' });
    await expect(client.call('b', {})).rejects.toMatchObject({ code: 'internal', message: 'boom', method: 'b' });
  });

  it('rejects a cancelled call at once and never delivers its reply', async () => {
    let finish!: (value: unknown) => void;
    const { client } = pair(() => new Promise((ok) => (finish = ok)));
    const abort = new AbortController();
    const call = client.call('m', {}, abort.signal);
    abort.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled' });
    finish('late');
  });

  it('fails pending calls on a disconnection and accepts a new batch count after it', async () => {
    const { client, events, gaps } = pair(() => new Promise(() => undefined));
    const pending = client.call('m', {});
    client.receive({ seq: 1, events: ['a'] });
    client.receive({ seq: 1, events: ['a'] }); // a duplicate is dropped
    client.receive({ seq: 3, events: ['c'] });
    expect(gaps).toEqual([[2, 3]]);
    client.disconnected();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    client.receive({ seq: 7, events: ['after reconnect'] });
    expect(events).toEqual(['a', 'c', 'after reconnect']);
    expect(gaps).toEqual([[2, 3]]);
  });

  it('batches pushed items per tick, in order, numbered from 1', () => {
    const ticks: Array<() => void> = [];
    const batches: unknown[] = [];
    const batcher = createEventBatcher<number>((batch) => batches.push(batch), (run) => ticks.push(run));
    batcher.push(1);
    batcher.push(2);
    ticks.shift()!();
    batcher.push(3);
    ticks.shift()!();
    expect(batches).toEqual([{ seq: 1, events: [1, 2] }, { seq: 2, events: [3] }]);
  });

  it('refuses frames that are not JSON text, or over the cap, with a typed error and keeps serving', async () => {
    const replies: RpcServerMessage[] = [];
    const server = serveRpc(async () => 'ok', (message) => replies.push(message));
    server.receiveFrame('{broken');
    server.receiveFrame(new Uint8Array([1]));
    server.receiveFrame(`{"id":1,"method":"m","params":"${'x'.repeat(MAX_FRAME_BYTES)}"}`);
    server.receiveFrame('{"id":2,"method":"m"}');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(replies.map((r) => ('error' in r ? r.error.code : 'result' in r ? r.result : null))).toEqual(['bad_message', 'bad_message', 'too_large', 'ok']);
    expect(replies[2]).toEqual({ id: 1, error: { code: 'too_large', method: 'm', message: 'm: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request' } });
  });

  it('fails a call whose request the pipe refuses to send, and only that call', async () => {
    const sent: string[] = [];
    const client = createRpcClient({ send: (message) => void sent.push(encodeClientFrame(message)), onEvents: () => undefined, onFiles: () => undefined });
    const huge = client.call('run.start', { text: 'x'.repeat(MAX_FRAME_BYTES) });
    await expect(huge).rejects.toMatchObject({ code: 'too_large', method: 'run.start' });
    const small = client.call('run.list', {});
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([{ id: 2, method: 'run.list', params: {} }]);
    client.receiveFrame('{"id":2,"result":[]}');
    await expect(small).resolves.toEqual([]);
  });

  it('fails the call whose frame the engine refused as too large, rather than leaving it waiting', async () => {
    // A client that sends whatever it is given (as one built with a higher limit would).
    const link: { server?: ReturnType<typeof serveRpc> } = {};
    const client = createRpcClient({ send: (message) => link.server!.receiveFrame(JSON.stringify(message)), onEvents: () => undefined, onFiles: () => undefined });
    link.server = serveRpc(async () => 'ok', (message) => client.receive(JSON.parse(JSON.stringify(message))));
    const huge = client.call('run.replay', { messages: [{ role: 'user', content: 'x'.repeat(MAX_FRAME_BYTES) }] });
    await expect(huge).rejects.toMatchObject({ code: 'too_large', method: 'run.replay', message: 'run.replay: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request' });
    await expect(client.call('run.list', {})).resolves.toBe('ok');
  });

  it('blames a connection closed for an oversized frame on the largest pending request, naming its size', async () => {
    const sizes: Record<string, number> = { small: 120, big: 70 * 1024 * 1024 + 1 };
    const client = createRpcClient({ send: (message) => ('method' in message ? sizes[message.method] : undefined), onEvents: () => undefined, onFiles: () => undefined });
    const small = client.call('small', {});
    const big = client.call('big', {});
    client.disconnected('frame_too_large');
    await expect(big).rejects.toMatchObject({ code: 'too_large', method: 'big', message: expect.stringMatching(/^big: the engine closed the connection on this 70\.1 MiB request, as larger than it accepts \(this page sends up to 16 MiB per request/) });
    await expect(small).rejects.toMatchObject({ code: 'disconnected' });
  });
});
