import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_SCRIPT } from '../engine/demo/demo-script.js';
import { loadScript, startScriptedServer, type ScriptedServer } from './scripted-server.js';
import { useScriptedServers } from '../testing/scripted-servers.js';

const serve = useScriptedServers();

function post(server: ScriptedServer, body: unknown): Promise<Response> {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

type Chunk = { choices: Array<{ index: number; delta: Record<string, unknown>; finish_reason: string | null }>; usage?: unknown };

async function events(response: Response): Promise<{ chunks: Chunk[]; done: boolean }> {
  const text = await response.text();
  const data = text.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, ''));
  const done = data.at(-1) === '[DONE]';
  return { chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d) as Chunk), done };
}

const REQUEST = { model: 'm', messages: [{ role: 'user', content: 'hi' }], n: 1, temperature: 1 };

describe('startScriptedServer', () => {
  it('listens on 127.0.0.1 with a /v1 base URL and lists one model', async () => {
    const server = await serve([]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(['scripted']);
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  it('answers a chat completion as JSON and records the request', async () => {
    const message = { content: 'hello', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }], reasoning_content: 'r' };
    const server = await serve([{ message }]);
    const response = await post(server, REQUEST);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'tool_calls' }],
    });
    expect(body.usage).toMatchObject({ prompt_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    expect(server.requests).toEqual([REQUEST]);
  });

  it('streams content, reasoning and tool calls in fragments, then finish_reason, usage and [DONE]', async () => {
    const args = JSON.stringify({ command: 'ls -la /tmp' });
    const server = await serve([
      {
        message: {
          content: 'Some content here',
          reasoning: 'because',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'terminal', arguments: args } },
            { id: 'call_2', type: 'function', function: { name: 'noop', arguments: '{}' } },
          ],
        },
      },
    ]);
    const response = await post(server, { ...REQUEST, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const { chunks, done } = await events(response);
    expect(done).toBe(true);
    const deltas = chunks.flatMap((c) => c.choices.map((ch) => ch.delta));
    expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
    const content = deltas.filter((d) => typeof d.content === 'string' && d.content);
    expect(content.length).toBeGreaterThan(2);
    expect(content.map((d) => d.content).join('')).toBe('Some content here');
    expect(deltas.filter((d) => d.reasoning).map((d) => d.reasoning).join('')).toBe('because');
    for (const index of [0, 1]) {
      const fragments = deltas.flatMap((d) => (d.tool_calls as Array<Record<string, unknown>> | undefined) ?? []).filter((f) => f.index === index);
      expect(fragments[0]).toMatchObject({ index, id: `call_${index + 1}`, type: 'function', function: { name: index ? 'noop' : 'terminal' } });
      const pieces = fragments.slice(1).map((f) => (f.function as { arguments: string }).arguments);
      expect(pieces.length).toBeGreaterThanOrEqual(2);
      expect(pieces.join('')).toBe(index ? '{}' : args);
      expect(fragments.slice(1).every((f) => !('id' in f))).toBe(true);
    }
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]!.choices[0]!.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toBeTruthy();
  });

  it('sends no usage chunk unless asked, and streams an empty reply as usage only', async () => {
    const server = await serve([{ message: { content: 'x' } }, { empty: true }, { empty: true }]);
    const plain = await events(await post(server, { ...REQUEST, stream: true }));
    expect(plain.chunks.every((c) => c.choices.length === 1)).toBe(true);
    const empty = await events(await post(server, { ...REQUEST, stream: true, stream_options: { include_usage: true } }));
    expect(empty.chunks).toHaveLength(1);
    expect(empty.chunks[0]!.choices).toEqual([]);
    const json = (await (await post(server, REQUEST)).json()) as { choices: unknown[] };
    expect(json.choices).toEqual([]);
  });

  it('streams reasoning_details items with an index in pieces and others whole', async () => {
    const details = [{ type: 'reasoning.text', text: 'abcdefghij', index: 0 }, { type: 'reasoning.text', text: 'whole' }];
    const server = await serve([{ message: { content: null, reasoning_details: details } }]);
    const { chunks } = await events(await post(server, { ...REQUEST, stream: true }));
    const items = chunks.flatMap((c) => c.choices.flatMap((ch) => (ch.delta.reasoning_details as unknown[] | undefined) ?? []));
    expect(items.length).toBeGreaterThan(2);
    expect(items.at(-1)).toEqual(details[1]);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: null });
  });

  it('answers http_error with an OpenAI-style error, a custom body and Retry-After', async () => {
    const server = await serve([{ http_error: 400 }, { http_error: 429, retry_after: 2, body: 'slow down' }]);
    const first = await post(server, REQUEST);
    expect(first.status).toBe(400);
    expect(((await first.json()) as { error: { message: string } }).error.message).toBe('scripted error 400');
    const second = await post(server, REQUEST);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');
    expect(await second.text()).toBe('slow down');
  });

  it('answers 500 with a clear message once the script is exhausted', async () => {
    const server = await serve([{ message: { content: 'only one' } }]);
    await (await post(server, REQUEST)).json();
    const response = await post(server, REQUEST);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe('scripted server: no reply left for request 2');
    expect(server.requests).toHaveLength(2);
  });

  it('delays, cuts, breaks and stalls replies on request', async () => {
    const server = await serve([
      { message: { content: 'x' }, delay_ms: 200 },
      { message: { content: 'abcdefghijkl' }, cut_after_chunks: 2 },
      { message: { content: 'abcdefghijkl' }, invalid_chunk_after: 1 },
    ]);
    const started = Date.now();
    await (await post(server, REQUEST)).json();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const cut = await post(server, { ...REQUEST, stream: true });
    await expect(cut.text()).rejects.toThrow();
    const invalid = await (await post(server, { ...REQUEST, stream: true })).text();
    expect(invalid).toMatch(/^data: \{"id".*\n\ndata: \{not json\n\n$/s);
  });

  it('stalls a JSON body halfway, leaving the response open', async () => {
    const server = await serve([{ message: { content: 'abcdefghijkl' }, stall_after_chunks: 0 }]);
    const response = await post(server, REQUEST);
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = await reader.read();
    const half = new TextDecoder().decode(first.value);
    expect(half).toMatch(/^\{"id":"chatcmpl-scripted-1"/);
    expect(() => JSON.parse(half)).toThrow();
    // Nothing more comes: the next read only ends when the server goes away, as an error.
    const next = reader.read().then(
      (r) => (r.done ? 'ended' : 'more data'),
      () => 'closed',
    );
    await server.close();
    expect(await next).toBe('closed');
  });

  it('leaves closing an idle connection to the client, announcing no keep-alive timeout', async () => {
    const server = await serve([{ message: { content: 'one' } }, { message: { content: 'two' } }]);
    const first = await post(server, REQUEST);
    expect(first.headers.get('connection')).toBe('keep-alive');
    // Node's default would be "timeout=5", and a timer that closes the connection after 5 s idle.
    expect(first.headers.get('keep-alive')).toBeNull();
    await first.json();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await post(server, REQUEST)).status).toBe(200);
    expect(server.connections).toBe(1);
  });

  it('closes even with a request left hanging', async () => {
    const server = await startScriptedServer({ script: [{ message: { content: 'x' }, hang: true }] });
    const pending = post(server, REQUEST).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it('rejects a body that is not JSON without using a reply', async () => {
    const server = await serve([{ message: { content: 'x' } }]);
    const bad = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
    expect(server.requests).toEqual([]);
    expect((await post(server, REQUEST)).status).toBe(200);
  });
});

describe('loadScript', () => {
  it('accepts a list of replies, a conformance case and the demo script', () => {
    const replies = [{ message: { content: 'a' } }, { http_error: 500 }, { empty: true }];
    expect(loadScript(replies)).toEqual(replies);
    expect(loadScript({ model: replies, messages: [] })).toEqual(replies);
    expect(loadScript(DEMO_SCRIPT)).toHaveLength(DEMO_SCRIPT.length);
    const dir = fileURLToPath(new URL('../../../shared/conformance/cases/', import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { model: unknown[] };
      expect(loadScript(data)).toEqual(data.model);
    }
  });

  it.each([
    [{}, 'script: expected an array of replies or an object with a "model" array'],
    [[null], 'script[0]: expected an object with one of "message", "http_error", "empty"'],
    [[{ message: {} }, {}], 'script[1]: expected exactly one of "message", "http_error", "empty", got none'],
    [[{ message: {}, empty: true }], 'script[0]: expected exactly one of "message", "http_error", "empty", got "message" and "empty"'],
    [{ model: [{ message: { content: 'a' } }, { message: { content: 3 } }] }, 'script.model[1].message.content: '],
    [[{ message: { tool_calls: [{ function: { name: 'f' } }] } }], 'script[0].message.tool_calls.0.function.arguments: '],
    [[{ http_error: '500' }], 'script[0].http_error: '],
    [[{ http_error: 200 }], 'script[0].http_error: '],
    [[{ empty: false }], 'script[0].empty: '],
    [[{ message: {}, cut_after_chunk: 2 }], 'script[0]: Unrecognized key: "cut_after_chunk"'],
  ])('names the index and field of an invalid script (%j)', (script, message) => {
    expect(() => loadScript(script)).toThrow(message);
  });
});
