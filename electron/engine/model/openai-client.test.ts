import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import type { ScriptedReply } from '../../scripted-server/scripted-server.js';
import type { ModelDelta } from './model-client.js';
import { client, failure, KEY, message, request } from '../../testing/model-client-kit.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

const serve = useScriptedServers();

const TOOLS: ToolSchema[] = [
  { type: 'function', function: { name: 'terminal', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'string' } } } } },
];

const UNICODE = 'é漢字 𝔘😀 mixed 😀😀 text 𝔘 end';

describe.each([true, false])('createOpenAIModelClient (stream: %s)', (stream) => {
  it('reassembles content and tool calls exactly, unicode and astral characters included', async () => {
    const args = JSON.stringify({ command: `echo ${UNICODE}`, n: 1 });
    const server = await serve([
      { message: { content: UNICODE, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'terminal', arguments: args } }] } },
      // Code-unit pieces of 1 and 3 split surrogate pairs across chunks.
      { message: { content: UNICODE }, split: 'code_units', chunk_size: 1 },
      { message: { content: `x${UNICODE}`, tool_calls: [{ id: 'c2', type: 'function', function: { name: 't', arguments: `"${UNICODE}"` } }] }, split: 'code_units', chunk_size: 3 },
    ]);
    const deltas: ModelDelta[] = [];
    const model = client(server, { stream });
    const first = message(await model.chatCompletion(request(), { onDelta: (d) => deltas.push(d) }));
    expect(first.content).toBe(UNICODE);
    expect(first.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'terminal', arguments: args } }]);
    if (stream) {
      const content = deltas.filter((d) => d.kind === 'content');
      expect(content.length).toBeGreaterThan(3);
      expect(content.map((d) => (d as { text: string }).text).join('')).toBe(UNICODE);
      const calls = deltas.filter((d) => d.kind === 'tool_call');
      expect(calls[0]).toEqual({ kind: 'tool_call', index: 0, id: 'call_1', name: 'terminal', arguments: '' });
      expect(calls.filter((d) => d.kind === 'tool_call' && d.arguments).length).toBeGreaterThanOrEqual(2);
      expect(calls.map((d) => (d as { arguments?: string }).arguments ?? '').join('')).toBe(args);
    } else {
      expect(deltas).toEqual([]);
    }
    expect(message(await model.chatCompletion(request())).content).toBe(UNICODE);
    const third = message(await model.chatCompletion(request()));
    expect(third.content).toBe(`x${UNICODE}`);
    expect(third.tool_calls).toEqual([{ id: 'c2', type: 'function', function: { name: 't', arguments: `"${UNICODE}"` } }]);
  });

  it('accumulates each reasoning field', async () => {
    const details = [
      { type: 'reasoning.text', text: 'First detail, long enough to split.', index: 0, format: 'x' },
      { type: 'reasoning.text', text: 'Second ✓ detail 𝔘.', index: 1, signature: 'sig' },
      { type: 'reasoning.encrypted', data: 'opaque' },
    ];
    const server = await serve([
      { message: { content: 'a', reasoning_content: 'Thinking 𝔘 about it, step by step.' } },
      { message: { content: null, reasoning: 'OpenRouter style reasoning text.', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] } },
      { message: { content: 'b', reasoning_details: details } },
      { message: { content: 'no reasoning' } },
    ]);
    const model = client(server, { stream });
    const reasoned: string[] = [];
    const onDelta = (d: ModelDelta) => {
      if (d.kind === 'reasoning') reasoned.push(d.text);
    };
    const one = message(await model.chatCompletion(request(), { onDelta }));
    expect(one.reasoning_content).toBe('Thinking 𝔘 about it, step by step.');
    expect(one).not.toHaveProperty('reasoning');
    const two = message(await model.chatCompletion(request(), { onDelta }));
    expect(two.reasoning).toBe('OpenRouter style reasoning text.');
    expect(two.content).toBeNull();
    const three = message(await model.chatCompletion(request(), { onDelta }));
    expect(three.reasoning_details).toEqual(details);
    const four = message(await model.chatCompletion(request()));
    expect(four).not.toHaveProperty('reasoning_content');
    expect(four).not.toHaveProperty('reasoning');
    expect(four).not.toHaveProperty('reasoning_details');
    if (stream) {
      expect(reasoned.join('')).toBe('Thinking 𝔘 about it, step by step.OpenRouter style reasoning text.First detail, long enough to split.Second ✓ detail 𝔘.');
      expect(reasoned.length).toBeGreaterThan(6);
    }
  });

  it('keeps parallel tool calls in index order', async () => {
    const calls = [0, 1, 2, 3].map((i) => ({ id: `call_${i}`, type: 'function', function: { name: `tool_${i}`, arguments: JSON.stringify({ i, pad: 'x'.repeat(i * 5) }) } }));
    const server = await serve([
      { message: { content: null, tool_calls: calls } },
      { message: { content: null, tool_calls: calls }, tool_call_order: 'interleaved' },
      { message: { content: null, tool_calls: calls }, tool_call_order: 'reversed' },
    ]);
    const model = client(server, { stream });
    for (let i = 0; i < 3; i += 1) {
      const response = await model.chatCompletion(request());
      expect(message(response).tool_calls).toEqual(calls);
      expect(response!.choices[0]!.finish_reason).toBe('tool_calls');
    }
  });

  it('captures usage and model', async () => {
    const usage = { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 };
    const server = await serve([{ message: { content: 'ok' }, usage, model: 'served-model' }]);
    const response = await client(server, { stream }).chatCompletion(request());
    expect(response?.usage).toEqual(usage);
    expect(response?.model).toBe('served-model');
    expect(response?.choices[0]?.finish_reason).toBe('stop');
  });

  it('sends the request fields exactly as given, plus model, stream and extraBody', async () => {
    const server = await serve([{ message: { content: 'ok' } }, { message: { content: 'ok' } }]);
    const extraBody = { top_p: 0.9, chat_template_kwargs: { enable_thinking: false }, seed: 7 };
    const model = client(server, { stream, extraBody });
    const full = request({ temperature: 0.25, max_tokens: 123, tools: TOOLS });
    await model.chatCompletion(full);
    await model.chatCompletion(request({ temperature: 0 }));
    expect(server.requests[0]).toEqual({
      ...full,
      model: 'test-model',
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
      ...extraBody,
    });
    const second = server.requests[1] as Record<string, unknown>;
    expect(second.temperature).toBe(0);
    expect(second).not.toHaveProperty('tools');
    expect(second).not.toHaveProperty('max_tokens');
    expect(second.n).toBe(1);
    expect(server.requestHeaders[0]?.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([400, 401, 500])('rejects HTTP %i with the status and the body text', async (status) => {
    const body = JSON.stringify({ error: { message: `scripted failure ${status}: model "x" is not loaded`, type: 'invalid_request_error' } });
    const server = await serve([{ http_error: status, body }]);
    const error = await failure(client(server, { stream }).chatCompletion(request()));
    expect(error.status).toBe(status);
    expect(error.code).toBe('http');
    expect(error.message).toBe(`HTTP ${status} from ${server.url}: ${body}`);
    expect(server.requests).toHaveLength(1);
  });

  it('keeps the body of errors the SDK cannot read (no "error" key, plain text) and cuts it at 300 characters', async () => {
    const vllm = JSON.stringify({ object: 'error', message: 'This model\'s maximum context length is 4096 tokens.', type: 'BadRequestError', code: 400 });
    const server = await serve([
      { http_error: 400, body: vllm },
      { http_error: 502, body: `Bad gateway\n<html>${'z'.repeat(500)}</html>` },
      { http_error: 503, body: '' },
    ]);
    const model = client(server, { stream });
    expect((await failure(model.chatCompletion(request()))).message).toBe(`HTTP 400 from ${server.url}: ${vllm}`);
    const long = await failure(model.chatCompletion(request()));
    expect(long.message.startsWith(`HTTP 502 from ${server.url}: Bad gateway <html>zzz`)).toBe(true);
    expect(long.message.length).toBe(`HTTP 502 from ${server.url}: `.length + 300);
    expect((await failure(model.chatCompletion(request()))).message).toBe(`HTTP 503 from ${server.url}: (empty body)`);
  });

  it('retries a 429 with Retry-After and then succeeds', async () => {
    const server = await serve([{ http_error: 429, retry_after: 0 }, { message: { content: 'after retry' } }]);
    const response = await client(server, { stream, maxRetries: 1 }).chatCompletion(request());
    expect(message(response).content).toBe('after retry');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]).toEqual(server.requests[0]);
  });

  it('returns no choices for an empty completion', async () => {
    const server = await serve([{ empty: true }]);
    const response = await client(server, { stream }).chatCompletion(request());
    expect(response?.choices).toEqual([]);
  });

  it('does not send a call on a kept-alive connection the server closed while the app was busy', async () => {
    const server = await serve([{ message: { content: 'one' } }, { message: { content: 'two' } }, { message: { content: 'three' } }]);
    const model = client(server, { stream });
    // The connection goes back to the pool once the reply is complete, in a later turn of the
    // event loop; an app does other work between two calls.
    const otherWork = () => new Promise((resolve) => setImmediate(resolve));
    expect(message(await model.chatCompletion(request())).content).toBe('one');
    await otherWork();
    expect(message(await model.chatCompletion(request())).content).toBe('two');
    await otherWork();
    // Both calls went over one kept-alive connection.
    expect(server.connections).toBe(1);
    // The server drops the idle connection while the app is busy (building a large request, writing
    // the run file): the app has not yet read the close when it makes its next call, in the same tick.
    server.closeIdleConnections();
    expect(message(await model.chatCompletion(request())).content).toBe('three');
    expect(server.connections).toBe(2);
    expect(server.requests).toHaveLength(3);
  });

  it('does not send a call on a kept-alive connection whose server timed it out while the app was busy', async () => {
    const server = await serve([{ message: { content: 'one' } }, { message: { content: 'two' } }]);
    const model = client(server, { stream });
    expect(message(await model.chatCompletion(request())).content).toBe('one');
    await new Promise((resolve) => setImmediate(resolve));
    // The app goes on from I/O (a tool's output, a file read): in the poll phase, after this turn's timers.
    await stat('.');
    // The server's keep-alive timer comes due while the app blocks its event loop (as building and
    // recording a 50 MB request does for seconds); the app then makes its call in the same tick.
    setTimeout(() => server.closeIdleConnections(), 1);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    expect(message(await model.chatCompletion(request())).content).toBe('two');
    expect(server.connections).toBe(2);
  });

  it('reports a connection closed mid-reply', async () => {
    const server = await serve([{ message: { content: 'ab', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a": 1}' } }] }, cut_after_chunks: 4 }]);
    const error = await failure(client(server, { stream }).chatCompletion(request()));
    if (stream) {
      expect(error.code).toBe('stream_cut');
      expect(error.message).toMatch(/^stream ended mid-reply \(after 4 chunks, inside tool call 0\)/);
    } else {
      expect(error.code).toBe('connection_reset');
      expect(error.message).toMatch(new RegExp(`^connection to ${server.url} closed before the reply was complete`));
    }
  });

  it('rejects an invalid chunk or body', async () => {
    const server = await serve([{ message: { content: 'abcdefgh' }, invalid_chunk_after: 2 }]);
    const error = await failure(client(server, { stream }).chatCompletion(request()));
    if (stream) {
      expect(error.code).toBe('invalid_chunk');
      expect(error.message).toMatch(/^server sent a chunk that is not JSON \(after 2 chunks, inside content\): /);
    } else {
      expect(error.code).toBe('invalid_response');
      expect(error.message).toMatch(new RegExp(`^reply from ${server.url} is not JSON: `));
    }
  });

  it('times out a server that never answers', async () => {
    const server = await serve([{ message: { content: 'never' }, hang: true }]);
    const started = Date.now();
    const error = await failure(client(server, { stream, timeoutMs: 300 }).chatCompletion(request()));
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`no response from ${server.url} within 300 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('aborts through the signal, before and during the call', async () => {
    const server = await serve([{ message: { content: 'never' }, hang: true }]);
    const model = client(server, { stream });
    const controller = new AbortController();
    const call = failure(model.chatCompletion(request(), { signal: controller.signal }));
    // During the call: the server holds the request and never answers.
    await expect.poll(() => server.requests.length).toBe(1);
    const aborted = Date.now();
    controller.abort();
    const error = await call;
    expect(error.code).toBe('aborted');
    expect(Date.now() - aborted).toBeLessThan(3000);
    const again = await failure(model.chatCompletion(request(), { signal: controller.signal }));
    expect(again.code).toBe('aborted');
    expect(server.requests).toHaveLength(1);
  });

  it('passes unknown message fields through and survives a throwing onDelta', async () => {
    const server = await serve([{ message: { content: 'hello there', refusal: null } }]);
    const response = await client(server, { stream }).chatCompletion(request(), {
      onDelta: () => {
        throw new Error('view broke');
      },
    });
    expect(message(response).content).toBe('hello there');
    if (!stream) expect(message(response)).toHaveProperty('refusal', null);
  });
});

describe('createOpenAIModelClient with one signal for many calls', () => {
  it('does not leave listeners on the caller signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const script: ScriptedReply[] = Array.from({ length: 15 }, () => ({ message: { content: 'ok' } }));
      const server = await serve(script);
      const model = client(server);
      const controller = new AbortController();
      for (let i = 0; i < 15; i += 1) await model.chatCompletion(request(), { signal: controller.signal });
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /listener/i.test(w))).toEqual([]);
  });
});
