/**
 * A scripted OpenAI-compatible chat server for tests and demos: each `POST /v1/chat/completions`
 * answers the next reply of a script, as JSON or as an SSE stream (when the request says
 * `stream: true`), over real HTTP. Fault options on a reply (delays, cut or stalled streams,
 * invalid chunks, hangs, Retry-After) exercise a client's error paths.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { isJson } from '#shared/formats/import-common.js';
import { parseJsonExact } from '#shared/model/exact-json.js';
import { replyToolCallSchema, type ReplyToolCall } from '#shared/model/chat.js';

// ---------------------------------------------------------------------------------------------
// Script validation

const count = z.number().int().nonnegative();
const replyOptionsShape = {
  /** Wait this long before answering (before the status line). */
  delay_ms: z.number().nonnegative().optional(),
  /** Never answer (the request stays open until the client gives up or the server closes). */
  hang: z.boolean().optional(),
  /** Destroy the socket after N SSE chunks (non-streaming: after half of the JSON body). */
  cut_after_chunks: count.optional(),
  /** Send a `data: {not json` line after N SSE chunks (non-streaming: an invalid JSON body). */
  invalid_chunk_after: count.optional(),
  /**
   * Send N SSE chunks, then keep the connection open without sending anything more
   * (non-streaming: half of the JSON body, then nothing).
   */
  stall_after_chunks: count.optional(),
  /** Send N SSE chunks, then end the response cleanly (no finish_reason, no `[DONE]`). */
  end_after_chunks: count.optional(),
  /** Pause between SSE chunks. */
  chunk_delay_ms: z.number().nonnegative().optional(),
  /** Size of the streamed pieces of content and reasoning text (default 4). */
  chunk_size: z.number().int().positive().optional(),
  /** Split text by code points (default; never splits a character) or by UTF-16 code units. */
  split: z.enum(['code_points', 'code_units']).optional(),
  /** Order in which tool-call fragments are streamed (default sequential, by index). */
  tool_call_order: z.enum(['sequential', 'interleaved', 'reversed']).optional(),
  /** `finish_reason` to report (default `tool_calls` when there are tool calls, else `stop`). */
  finish_reason: z.string().optional(),
  /** `usage` to report (default: rough counts from the request and reply sizes). */
  usage: z.record(z.string(), z.unknown()).optional(),
  /** `model` to report (default: the request's `model`, else `scripted`). */
  model: z.string().optional(),
};

// Ids of any kind and a missing name are served as scripted: the reference keeps them.
const messageSchema = z.looseObject({
  role: z.string().optional(),
  content: z.string().nullable().optional(),
  tool_calls: z.array(replyToolCallSchema).nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
  reasoning: z.string().nullable().optional(),
  /** Items with a numeric `index` and a string `text` are streamed in pieces; others whole. */
  reasoning_details: z.array(z.record(z.string(), z.unknown())).nullable().optional(),
});
/** The assistant message a scripted reply returns. Unknown fields are passed through. */
export type ScriptedMessage = z.infer<typeof messageSchema>;
/** A tool call as a script gives it (the shape a server returns on an assistant message). */
export type ScriptedToolCall = ReplyToolCall;

/** Options that shape or break the answer to one request. */
export type ReplyOptions = z.infer<z.ZodObject<typeof replyOptionsShape>>;

const replySchemas = {
  message: z.strictObject({ message: messageSchema, ...replyOptionsShape }),
  http_error: z.strictObject({
    http_error: z.number().int().min(400).max(599),
    body: z.string().optional(),
    retry_after: z.number().nonnegative().optional(),
    ...replyOptionsShape,
  }),
  empty: z.strictObject({ empty: z.literal(true), ...replyOptionsShape }),
};
/** One scripted answer: a message, an HTTP error, or a completion without choices. */
export type ScriptedReply = z.infer<(typeof replySchemas)[keyof typeof replySchemas]>;

export interface ScriptedServer {
  /** Base URL ending in `/v1`. */
  url: string;
  /** Parsed JSON bodies of the chat requests, in order (retries included). */
  requests: unknown[];
  /** Headers of the chat requests, in the same order. */
  requestHeaders: http.IncomingHttpHeaders[];
  /** TCP connections accepted so far (a client that keeps its connection alive opens one). */
  readonly connections: number;
  /**
   * Closes every connection that is waiting for its next request, as a server does when a
   * keep-alive connection has been idle for its timeout (5 s in Node and uvicorn).
   */
  closeIdleConnections(): void;
  close(): Promise<void>;
}

export interface ScriptedServerOptions {
  script: ScriptedReply[];
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const replyKinds = Object.keys(replySchemas) as Array<keyof typeof replySchemas>;

/**
 * Validates a script: an array of replies, or an object with a `model` array (so a conformance
 * case file works as a script). Throws an Error naming the reply index and field.
 */
export function loadScript(json: unknown): ScriptedReply[] {
  let replies: unknown;
  let where = 'script';
  if (Array.isArray(json)) {
    replies = json;
  } else if (json !== null && typeof json === 'object' && Array.isArray((json as { model?: unknown }).model)) {
    replies = (json as { model: unknown[] }).model;
    where = 'script.model';
  } else {
    throw new Error('script: expected an array of replies or an object with a "model" array');
  }
  return (replies as unknown[]).map((reply, i) => {
    const at = `${where}[${i}]`;
    if (reply === null || typeof reply !== 'object' || Array.isArray(reply)) {
      throw new Error(`${at}: expected an object with one of "message", "http_error", "empty"`);
    }
    const kinds = replyKinds.filter((k) => k in reply);
    if (kinds.length !== 1) {
      throw new Error(
        `${at}: expected exactly one of "message", "http_error", "empty", got ${kinds.length ? kinds.map((k) => `"${k}"`).join(' and ') : 'none'}`,
      );
    }
    const parsed = replySchemas[kinds[0]!].safeParse(reply);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? `.${issue.path.map(String).join('.')}` : '';
      throw new Error(`${at}${field}: ${issue.message}`);
    }
    return parsed.data;
  });
}

// ---------------------------------------------------------------------------------------------
// Server

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function splitText(text: string, size: number, mode: 'code_points' | 'code_units'): string[] {
  const units = mode === 'code_units' ? text.split('') : Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < units.length; i += size) pieces.push(units.slice(i, i + size).join(''));
  return pieces;
}

/** Splits tool-call arguments into at least two pieces when they have two or more characters. */
function splitArguments(args: string, size: number, mode: 'code_points' | 'code_units'): string[] {
  const units = mode === 'code_units' ? args.split('') : Array.from(args);
  if (units.length < 2) return units.length ? [args] : [];
  return splitText(args, Math.min(size, Math.ceil(units.length / 2)), mode);
}

function errorBody(message: string, status: number): string {
  return JSON.stringify({ error: { message, type: 'scripted_error', param: null, code: status } });
}

function roughTokens(value: unknown): number {
  return value === undefined ? 0 : Math.ceil(JSON.stringify(value).length / 4);
}

export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const script = [...options.script];
  const host = options.host ?? '127.0.0.1';
  const requests: unknown[] = [];
  const requestHeaders: http.IncomingHttpHeaders[] = [];
  let next = 0;
  let serial = 0;
  let connections = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(errorBody(`scripted server: ${String(err)}`, 500));
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: 'scripted', object: 'model', created: 0, owned_by: 'scripted-server' }] });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(errorBody(`scripted server: no route for ${req.method} ${path}`, 404));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      // Integers beyond 2^53 are recorded exact, as the client sent them.
      const parsed: unknown = parseJsonExact(Buffer.concat(chunks).toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch (err) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(errorBody(`scripted server: request body is not a JSON object (${String(err)})`, 400));
      return;
    }
    requests.push(body);
    requestHeaders.push(req.headers);
    const number = requests.length;
    const reply = script[next];
    if (!reply) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(errorBody(`scripted server: no reply left for request ${number}`, 500));
      return;
    }
    next += 1;
    let gone = false;
    res.on('close', () => {
      gone = true;
    });
    if (reply.hang) return;
    if (reply.delay_ms) await sleep(reply.delay_ms);
    if (gone) return;

    if ('http_error' in reply) {
      const headers: http.OutgoingHttpHeaders = {};
      const text = reply.body ?? errorBody(`scripted error ${reply.http_error}`, reply.http_error);
      headers['content-type'] = isJson(text) ? 'application/json' : 'text/plain; charset=utf-8';
      if (reply.retry_after !== undefined) headers['retry-after'] = String(reply.retry_after);
      res.writeHead(reply.http_error, headers);
      res.end(text);
      return;
    }

    serial += 1;
    const id = `chatcmpl-scripted-${serial}`;
    const created = Math.floor(Date.now() / 1000);
    const model = reply.model ?? (typeof body.model === 'string' ? body.model : 'scripted');
    const message = 'message' in reply ? reply.message : undefined;
    const usage = reply.usage ?? defaultUsage(body, message);
    const finishReason = reply.finish_reason ?? (message?.tool_calls?.length ? 'tool_calls' : 'stop');

    if (body.stream !== true) {
      const completion = {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: message ? [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finishReason }] : [],
        usage,
      };
      let text = JSON.stringify(completion);
      if (reply.invalid_chunk_after !== undefined) text = '{not json';
      res.writeHead(200, { 'content-type': 'application/json' });
      if (reply.stall_after_chunks !== undefined) {
        res.flushHeaders();
        await write(res, Buffer.from(text.slice(0, Math.floor(text.length / 2))));
        return;
      }
      if (reply.cut_after_chunks !== undefined) {
        res.flushHeaders();
        await write(res, Buffer.from(text.slice(0, Math.floor(text.length / 2))));
        res.socket?.destroy();
        return;
      }
      res.end(text);
      return;
    }

    // Streaming.
    const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
    const includeUsage = streamOptions?.include_usage === true;
    const base = { id, object: 'chat.completion.chunk', created, model };
    const events: unknown[] = [];
    if (message) {
      const size = reply.chunk_size ?? 4;
      const mode = reply.split ?? 'code_points';
      const delta = (d: Record<string, unknown>, finish: string | null = null) => ({
        ...base,
        choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }],
      });
      const { role: _role, content, tool_calls, reasoning_content, reasoning, reasoning_details, ...other } = message;
      const first: Record<string, unknown> = { role: 'assistant', content: typeof content === 'string' ? '' : null };
      for (const [k, v] of Object.entries(other)) if (v !== undefined && v !== null) first[k] = v;
      events.push(delta(first));
      if (typeof reasoning_content === 'string') {
        for (const piece of splitText(reasoning_content, size, mode)) events.push(delta({ reasoning_content: piece }));
      }
      if (typeof reasoning === 'string') {
        for (const piece of splitText(reasoning, size, mode)) events.push(delta({ reasoning: piece }));
      }
      for (const item of reasoning_details ?? []) {
        const text = item.text;
        if (typeof item.index === 'number' && typeof text === 'string' && text.length >= 2) {
          const pieces = splitText(text, Math.min(size, Math.ceil(text.length / 2)), mode);
          events.push(delta({ reasoning_details: [{ ...item, text: pieces[0] }] }));
          for (const piece of pieces.slice(1)) {
            events.push(delta({ reasoning_details: [{ index: item.index, type: item.type, text: piece }] }));
          }
        } else {
          events.push(delta({ reasoning_details: [item] }));
        }
      }
      if (typeof content === 'string') {
        for (const piece of splitText(content, size, mode)) events.push(delta({ content: piece }));
      }
      const perCall = (tool_calls ?? []).map((call, index) => {
        const head: Record<string, unknown> = { index };
        if (call.id !== undefined && call.id !== null) head.id = call.id;
        head.type = call.type ?? 'function';
        head.function = { name: call.function.name, arguments: '' };
        const fragments = [head];
        for (const piece of splitArguments(call.function.arguments, size, mode)) {
          fragments.push({ index, function: { arguments: piece } });
        }
        return fragments;
      });
      const order = reply.tool_call_order ?? 'sequential';
      if (order === 'interleaved') {
        const longest = Math.max(0, ...perCall.map((f) => f.length));
        for (let step = 0; step < longest; step += 1) {
          for (let index = perCall.length - 1; index >= 0; index -= 1) {
            const fragment = perCall[index]![step];
            if (fragment) events.push(delta({ tool_calls: [fragment] }));
          }
        }
      } else {
        const calls = order === 'reversed' ? [...perCall].reverse() : perCall;
        for (const fragments of calls) for (const f of fragments) events.push(delta({ tool_calls: [f] }));
      }
      events.push(delta({}, finishReason));
    }
    if (includeUsage) events.push({ ...base, choices: [], usage });

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    for (let sent = 0; sent <= events.length; sent += 1) {
      if (gone) return;
      if (reply.cut_after_chunks === sent) {
        res.socket?.destroy();
        return;
      }
      if (reply.stall_after_chunks === sent) return;
      if (reply.end_after_chunks === sent) {
        res.end();
        return;
      }
      if (reply.invalid_chunk_after === sent) {
        await write(res, Buffer.from('data: {not json\n\n'));
        res.end();
        return;
      }
      if (sent === events.length) break;
      if (reply.chunk_delay_ms && sent > 0) await sleep(reply.chunk_delay_ms);
      await writeSplit(res, Buffer.from(`data: ${JSON.stringify(events[sent])}\n\n`, 'utf8'));
    }
    if (gone) return;
    await write(res, Buffer.from('data: [DONE]\n\n'));
    res.end();
  }

  // No keep-alive timeout: the client closes idle connections (fetch after 4 s). In tests and
  // demos the server shares its process with the client, and a client that blocks the event loop
  // after sending a request (encoding a 50 MB body takes seconds on a busy machine) would let a
  // keep-alive timer come due before this server could read the request: it would close a
  // connection with a request on it, which a server in its own process would have read.
  server.keepAliveTimeout = 0;
  server.on('connection', () => {
    connections += 1;
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${hostPart}:${port}/v1`,
    requests,
    requestHeaders,
    get connections() {
      return connections;
    },
    closeIdleConnections: () => server.closeIdleConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function defaultUsage(body: Record<string, unknown>, message: ScriptedMessage | undefined): Record<string, number> {
  const prompt = roughTokens(body.messages);
  const completion = message
    ? roughTokens(message.content ?? '') + roughTokens(message.tool_calls ?? []) +
      roughTokens(message.reasoning_content ?? message.reasoning ?? message.reasoning_details ?? '')
    : 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function write(res: http.ServerResponse, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve();
      return;
    }
    res.write(data, () => resolve());
  });
}

/**
 * Writes one SSE event in two socket writes, split inside a multi-byte UTF-8 character when the
 * event has one, so that clients must decode across network reads.
 */
async function writeSplit(res: http.ServerResponse, data: Buffer): Promise<void> {
  let at = data.findIndex((byte) => byte >= 0x80 && byte < 0xc0);
  if (at <= 0) at = Math.floor(data.length / 2);
  await write(res, data.subarray(0, at));
  await write(res, data.subarray(at));
}
