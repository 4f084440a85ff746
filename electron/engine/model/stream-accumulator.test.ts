import { describe, expect, it } from 'vitest';
import type { ModelDelta } from './model-client.js';
import { client, failure, message, request } from '../../testing/model-client-kit.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

const serve = useScriptedServers();

describe('createOpenAIModelClient streaming specifics', () => {
  it('merges reasoning_details fragments by index and appends items without one', async () => {
    const server = await serve([]);
    const chunks = [
      { reasoning_details: [{ type: 'reasoning.text', text: 'Hel', index: 0, format: 'f' }] },
      { reasoning_details: [{ type: 'reasoning.text', text: 'lo', index: 0 }] },
      { reasoning_details: [{ type: 'reasoning.summary', summary: 'S1', index: 1 }, { type: 'reasoning.text', text: ' world', index: 0, signature: 'sig' }] },
      { reasoning_details: [{ type: 'reasoning.encrypted', data: 'abc' }] },
      { reasoning_details: [{ type: 'reasoning.summary', summary: '+S2', index: 1 }] },
      { reasoning_details: [{ type: 'reasoning.encrypted', data: 'def' }] },
    ];
    const sse = [
      ...chunks.map((delta) => ({ choices: [{ index: 0, delta }] })),
      { choices: [{ index: 0, delta: { content: 'done' }, finish_reason: 'stop' }] },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
    const fakeFetch = (async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
    const response = await client(server, { fetch: fakeFetch }).chatCompletion(request());
    expect(message(response).reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'Hello world', index: 0, format: 'f', signature: 'sig' },
      { type: 'reasoning.summary', summary: 'S1+S2', index: 1 },
      { type: 'reasoning.encrypted', data: 'abc' },
      { type: 'reasoning.encrypted', data: 'def' },
    ]);
  });

  it('shows reasoning sent in two fields at once only once, but keeps both fields', async () => {
    const server = await serve([]);
    const sse = [
      { choices: [{ index: 0, delta: { reasoning: 'ab', reasoning_content: 'ab', reasoning_details: [{ type: 'reasoning.text', text: 'ab', index: 0 }] } }] },
      { choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }] },
    ].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n';
    const fakeFetch = (async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
    const deltas: ModelDelta[] = [];
    const reply = message(await client(server, { fetch: fakeFetch }).chatCompletion(request(), { onDelta: (d) => deltas.push(d) }));
    expect(deltas.filter((d) => d.kind === 'reasoning')).toEqual([{ kind: 'reasoning', text: 'ab' }]);
    expect(reply.reasoning).toBe('ab');
    expect(reply.reasoning_content).toBe('ab');
    expect(reply.reasoning_details).toEqual([{ type: 'reasoning.text', text: 'ab', index: 0 }]);
  });

  it('does not ask for usage when includeUsage is false', async () => {
    const server = await serve([{ message: { content: 'ok' } }]);
    const response = await client(server, { includeUsage: false }).chatCompletion(request());
    expect(server.requests[0]).not.toHaveProperty('stream_options');
    expect(response?.usage).toBeUndefined();
    expect(message(response).content).toBe('ok');
  });

  it('lets extraBody override stream_options', async () => {
    const server = await serve([{ message: { content: 'ok' } }]);
    await client(server, { extraBody: { stream_options: { include_usage: false } } }).chatCompletion(request());
    expect((server.requests[0] as Record<string, unknown>).stream_options).toEqual({ include_usage: false });
  });

  it('treats a stream that ends cleanly without finish_reason or [DONE] as cut', async () => {
    const server = await serve([{ message: { content: 'abcdefghijkl' }, end_after_chunks: 3 }]);
    const error = await failure(client(server).chatCompletion(request()));
    expect(error.code).toBe('stream_cut');
    expect(error.message).toBe('stream ended mid-reply (after 3 chunks, inside content)');
  });

  it('accepts a reply whose connection closes after finish_reason (only usage is lost)', async () => {
    // role, 3 content pieces, finish chunk, then the usage chunk that never comes.
    const server = await serve([{ message: { content: 'abcdefghijkl' }, cut_after_chunks: 5 }]);
    const response = await client(server).chatCompletion(request());
    expect(message(response).content).toBe('abcdefghijkl');
    expect(response?.choices[0]?.finish_reason).toBe('stop');
    expect(response?.usage).toBeUndefined();
  });

  it('reports a cut before the first chunk', async () => {
    const server = await serve([{ message: { content: 'abc' }, cut_after_chunks: 0 }]);
    const error = await failure(client(server).chatCompletion(request()));
    expect(error.code).toBe('stream_cut');
    expect(error.message).toMatch(/^stream ended mid-reply \(before the first chunk\)/);
  });

  it('returns no choices when the stream holds only usage, or nothing', async () => {
    const server = await serve([{ empty: true }, { empty: true }]);
    const withUsage = await client(server).chatCompletion(request());
    expect(withUsage?.choices).toEqual([]);
    expect(withUsage?.usage).toBeTruthy();
    const bare = await client(server, { includeUsage: false }).chatCompletion(request());
    expect(bare).toEqual({ choices: [] });
  });


  it('aborts a stream mid-reply instead of returning the partial reply', async () => {
    const server = await serve([{ message: { content: 'abcdefghijkl' }, stall_after_chunks: 2 }]);
    const controller = new AbortController();
    const deltas: ModelDelta[] = [];
    const pending = client(server).chatCompletion(request(), {
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        controller.abort();
      },
    });
    const error = await failure(pending);
    expect(error.code).toBe('aborted');
    expect(deltas.length).toBeGreaterThan(0);
  });

  it('reports a server error object sent inside the stream', async () => {
    const server = await serve([]);
    const sse = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' } }] })}\n\ndata: ${JSON.stringify({ error: { message: 'overloaded', code: 'server_error' } })}\n\n`;
    const fakeFetch = (async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } })) as typeof fetch;
    const error = await failure(client(server, { fetch: fakeFetch }).chatCompletion(request()));
    expect(error.code).toBe('stream_error');
    expect(error.message).toBe('server sent an error mid-stream (after 1 chunk, inside content): {"message":"overloaded","code":"server_error"}');
  });
});
