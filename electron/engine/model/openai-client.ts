/**
 * A ModelClient for any OpenAI-compatible chat server, built on the official `openai` SDK.
 *
 * Streaming replies are accumulated here from the raw chunks (not with the SDK's `.stream()`
 * helper, which keeps only the last fragment of fields it does not know): content, tool-call
 * fragments by index, and the non-standard reasoning fields `reasoning_content`, `reasoning` and
 * `reasoning_details`. Every failure rejects with a ModelCallError carrying a `code` and a
 * one-line message; the API key never appears in it.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { AssistantReply, ReplyToolCall, TokenUsage } from '../../../shared/model/chat.js';
import type { ChatRequest, ModelCallOptions, ModelClient, ModelDelta, ModelResponse } from './model-client.js';

export interface OpenAIClientOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8000/v1`. */
  baseURL: string;
  /** Sent as `Authorization: Bearer ...`; `not-needed` when absent. */
  apiKey?: string;
  model: string;
  /** Default true. */
  stream?: boolean;
  /** Extra request body keys (e.g. `top_p`, `chat_template_kwargs`), spread last. */
  extraBody?: Record<string, unknown>;
  /**
   * Per attempt: how long to wait for the response headers (the SDK's `timeout`) and, once they
   * arrived, the longest silence allowed while reading the body. Default {@link DEFAULT_TIMEOUT_MS}.
   */
  timeoutMs?: number;
  /** Default 2 (the SDK's). */
  maxRetries?: number;
  /** Default true: `stream_options.include_usage` on streaming requests. */
  includeUsage?: boolean;
  fetch?: typeof fetch;
}

/** What went wrong, for the UI and for tests. */
export type ModelCallErrorCode =
  | 'http'
  | 'connection_refused'
  | 'connection_reset'
  | 'dns'
  | 'unreachable'
  | 'tls'
  | 'bad_port'
  | 'connection'
  | 'timeout'
  | 'aborted'
  | 'stream_cut'
  | 'stream_error'
  | 'invalid_chunk'
  | 'invalid_response'
  | 'invalid_url'
  | 'unknown';

/** A failed model call. `message` is one line, meant for a researcher; it never holds the API key. */
export class ModelCallError extends Error {
  override name = 'ModelCallError';
  readonly status?: number;
  readonly code?: ModelCallErrorCode;

  constructor(message: string, init: { status?: number; code?: ModelCallErrorCode } = {}) {
    super(message);
    if (init.status !== undefined) this.status = init.status;
    if (init.code !== undefined) this.code = init.code;
  }
}

/**
 * The default per-attempt timeout: under the 300 s after which Node's fetch itself gives up on
 * headers or a silent body, so that a stalled server is reported as the timeout it is (and as
 * the policy says), not as a cut stream.
 */
export const DEFAULT_TIMEOUT_MS = 240_000;
const SDK_DEFAULT_MAX_RETRIES = 2;
/** A Retry-After longer than this fails the call instead of sleeping (the SDK has no cap). */
export const MAX_RETRY_AFTER_SECONDS = 60;
const ERROR_BODY_CHARS = 300;

/** Describes, truthfully for openai@6.49, when and how a failed call is retried. */
export function describeRetryPolicy(options: Pick<OpenAIClientOptions, 'maxRetries' | 'timeoutMs'> = {}): string {
  const retries = options.maxRetries ?? SDK_DEFAULT_MAX_RETRIES;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wait = `each attempt waits up to ${timeout} ms for the response headers, and a reply that falls silent for as long fails`;
  if (retries <= 0) {
    return `No retries (maxRetries 0): the first failure ends the model call; ${wait}.`;
  }
  const backoff = [];
  for (let k = 0; k < Math.min(retries, 6); k += 1) backoff.push(`${Math.min(0.5 * 2 ** k, 8)} s`);
  return (
    `Up to ${retries} ${retries === 1 ? 'retry' : 'retries'} (${retries + 1} attempts in all) on HTTP 408, 409, 429 and ` +
    `any status >= 500, on connection errors (refused, reset, DNS) and on timeouts (${wait}); other statuses ` +
    `(400, 401, 403, 404, 422, ...) fail at once. A response header x-should-retry: true/false overrides the ` +
    `status rule. Delay before each retry: the server's retry-after-ms (milliseconds) or Retry-After ` +
    `(seconds or an HTTP date) when present, taken as given; a Retry-After above ${MAX_RETRY_AFTER_SECONDS} s ` +
    `is not waited for and the call fails with that status instead. Otherwise exponential backoff: ` +
    `0.5 s x 2^(retry-1), capped at 8 s (${backoff.join(', ')}${retries > 6 ? ', ...' : ''}), shortened by ` +
    `a random jitter of up to 25%. A stream that already started (status 200) is never retried: a cut ` +
    `or stalled stream fails the call.`
  );
}

// ---------------------------------------------------------------------------------------------

interface CallState {
  attempts: number;
  /** Raw body text of the last non-2xx response. */
  lastErrorBody?: string;
  /** Seconds the server asked to wait when that was over the cap (the retry was refused). */
  refusedRetryAfter?: number;
  sawDone: boolean;
  bodyTimedOut: boolean;
}

class BodyIdleTimeoutError extends Error {
  override name = 'BodyIdleTimeoutError';
}

/** Where a stream was when it ended, for messages. */
interface StreamProgress {
  chunks: number;
  where: string;
}

interface ChoiceAccumulator {
  content: string | null;
  toolCalls: Map<number, { id: unknown; type: string | null; name: string | null; arguments: string }>;
  reasoningContent?: string;
  reasoning?: string;
  reasoningDetails?: Array<Record<string, unknown>>;
  finishReason: string | null;
}

const CONCATENATED_DETAIL_KEYS = new Set(['text', 'summary']);

export function createOpenAIModelClient(options: OpenAIClientOptions): ModelClient {
  const apiKey = options.apiKey ?? 'not-needed';
  const baseURL = options.baseURL.replace(/\/+$/, '');
  let parsedURL: URL;
  try {
    parsedURL = new URL(baseURL);
    if (parsedURL.protocol !== 'http:' && parsedURL.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new ModelCallError(
      scrub(`invalid model server URL "${baseURL}": expected http://host:port/v1 or https://...`, options.apiKey),
      { code: 'invalid_url' },
    );
  }
  const shownURL = redactURL(parsedURL);
  const stream = options.stream ?? true;
  const includeUsage = options.includeUsage ?? true;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const baseFetch = options.fetch ?? globalThis.fetch;

  const scrubbed = (message: string) => scrub(message, options.apiKey);

  function makeSdk(state: CallState): OpenAI {
    const watchedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      state.attempts += 1;
      const response = await baseFetch(input, init);
      if (!response.body) return response;
      const body = watchBody(response.body, state, timeoutMs);
      const headers = new Headers(response.headers);
      if (!response.ok) {
        const text = await new Response(body).text();
        state.lastErrorBody = text;
        const wait = retryAfterSeconds(headers);
        if (wait !== undefined && wait > MAX_RETRY_AFTER_SECONDS && headers.get('x-should-retry') !== 'false') {
          state.refusedRetryAfter = wait;
          headers.set('x-should-retry', 'false');
        }
        return new Response(text, { status: response.status, statusText: response.statusText, headers });
      }
      return new Response(body, { status: response.status, statusText: response.statusText, headers });
    };
    return new OpenAI({
      baseURL,
      apiKey,
      maxRetries: options.maxRetries ?? SDK_DEFAULT_MAX_RETRIES,
      ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
      fetch: watchedFetch,
      // Errors are reported by ModelCallError; the SDK would print unparsable chunks to the console.
      logLevel: 'off',
      // Do not forward OPENAI_ORG_ID / OPENAI_PROJECT_ID from the environment to arbitrary servers.
      organization: null,
      project: null,
    });
  }

  function buildBody(request: ChatRequest): Record<string, unknown> {
    return {
      ...request,
      // A model chosen for one call (at a breakpoint, or asking once) wins over the client's.
      model: request.model ?? options.model,
      stream,
      ...(stream && includeUsage ? { stream_options: { include_usage: true } } : {}),
      ...options.extraBody,
    };
  }

  function toError(err: unknown, state: CallState, signal: AbortSignal | undefined, progress: StreamProgress | null): ModelCallError {
    if (err instanceof ModelCallError) return err;
    const tries = state.attempts > 1 ? ` (${state.attempts} attempts)` : '';
    const at = progress ? describeProgress(progress) : '';
    if (signal?.aborted || err instanceof APIUserAbortError) {
      return new ModelCallError(scrubbed(`model call aborted${progress ? ` ${at}` : ''}`), { code: 'aborted' });
    }
    if (state.bodyTimedOut) {
      return new ModelCallError(
        scrubbed(`no data from ${shownURL} for ${timeoutMs} ms while reading the reply${progress ? ` ${at}` : ''}`),
        { code: 'timeout' },
      );
    }
    if (err instanceof APIConnectionTimeoutError) {
      return new ModelCallError(
        scrubbed(`no response from ${shownURL} within ${timeoutMs} ms${tries}`),
        { code: 'timeout' },
      );
    }
    if (err instanceof APIConnectionError) {
      const { code, message } = describeConnectionError(err, parsedURL, shownURL);
      return new ModelCallError(scrubbed(message + tries), { code });
    }
    if (err instanceof APIError && typeof err.status === 'number') {
      const raw = state.lastErrorBody ?? err.message;
      // Scrub before cutting: a key cut in half at the limit would no longer be recognised.
      const text = scrubbed(oneLine(raw)).slice(0, ERROR_BODY_CHARS) || '(empty body)';
      const refused =
        state.refusedRetryAfter !== undefined
          ? ` [not retried: the server asked to wait ${state.refusedRetryAfter} s, more than ${MAX_RETRY_AFTER_SECONDS} s]`
          : '';
      return new ModelCallError(scrubbed(`HTTP ${err.status} from ${shownURL}${tries}: ${text}${refused}`), {
        status: err.status,
        code: 'http',
      });
    }
    if (err instanceof APIError) {
      // An `error` object sent inside the stream.
      const detail = err.error !== undefined ? JSON.stringify(err.error) : err.message;
      return new ModelCallError(
        scrubbed(`server sent an error mid-stream${progress ? ` ${at}` : ''}: ${scrubbed(oneLine(detail)).slice(0, ERROR_BODY_CHARS)}`),
        { code: 'stream_error' },
      );
    }
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof SyntaxError) {
      return progress
        ? new ModelCallError(scrubbed(`server sent a chunk that is not JSON ${at}: ${oneLine(message)}`), { code: 'invalid_chunk' })
        : new ModelCallError(scrubbed(`reply from ${shownURL} is not JSON: ${oneLine(message)}`), { code: 'invalid_response' });
    }
    if (progress) {
      return new ModelCallError(scrubbed(`stream ended mid-reply ${at}: ${oneLine(causeMessage(err))}`), { code: 'stream_cut' });
    }
    if (errorChain(err).some((e) => typeof e.code === 'string')) {
      // E.g. the connection closed while a non-streaming body was being read.
      const { code, message: text } = describeConnectionError(err, parsedURL, shownURL);
      return new ModelCallError(scrubbed(`${text} (${oneLine(causeMessage(err))})`), { code });
    }
    return new ModelCallError(scrubbed(`model call to ${shownURL} failed: ${oneLine(causeMessage(err))}`), { code: 'unknown' });
  }

  async function run(request: ChatRequest, state: CallState, signal: AbortSignal | undefined, onDelta: ((d: ModelDelta) => void) | undefined): Promise<ModelResponse> {
    const sdk = makeSdk(state);
    const body = buildBody(request);
    let progress: StreamProgress | null = null;
    try {
      if (!stream) {
        const completion: unknown = await sdk.chat.completions.create(
          body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming,
          { signal },
        );
        if (signal?.aborted) throw new APIUserAbortError();
        return checkCompletion(completion);
      }
      const chunks = await sdk.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal });
      progress = { chunks: 0, where: 'before any content' };
      const acc = new StreamAccumulator(progress, onDelta);
      try {
        for await (const chunk of chunks) acc.add(chunk);
      } catch (err) {
        // A connection lost or stalled after every choice finished loses only the usage chunk.
        const transport = !(err instanceof SyntaxError) && !(err instanceof APIError) && !(err instanceof ModelCallError);
        if (!(acc.finished && transport && !signal?.aborted)) throw err;
      }
      if (signal?.aborted) throw new APIUserAbortError();
      if (acc.hasChoices && !acc.finished && !state.sawDone) {
        throw new ModelCallError(scrubbed(`stream ended mid-reply ${describeProgress(progress)}`), { code: 'stream_cut' });
      }
      return acc.result();
    } catch (err) {
      throw toError(err, state, signal, progress);
    }
  }

  function checkCompletion(completion: unknown): ModelResponse {
    if (completion === null || typeof completion !== 'object' || !Array.isArray((completion as { choices?: unknown }).choices)) {
      const shown = typeof completion === 'string' ? completion : JSON.stringify(completion);
      throw new ModelCallError(
        scrubbed(`reply from ${shownURL} is not a chat completion: ${scrubbed(oneLine(String(shown))).slice(0, ERROR_BODY_CHARS)}`),
        { code: 'invalid_response' },
      );
    }
    return completion as ModelResponse;
  }

  return {
    async chatCompletion(request: ChatRequest, callOptions: ModelCallOptions = {}): Promise<ModelResponse | null> {
      const { signal, onDelta } = callOptions;
      if (signal?.aborted) throw new ModelCallError('model call aborted', { code: 'aborted' });
      const state: CallState = { attempts: 0, sawDone: false, bodyTimedOut: false };
      if (!signal) return run(request, state, undefined, onDelta);
      // The SDK adds an abort listener per attempt and never removes it: give it a signal of its
      // own per call, so that a run-long signal does not collect listeners.
      const inner = new AbortController();
      const work = run(request, state, inner.signal, onDelta);
      work.catch(() => undefined);
      return new Promise<ModelResponse>((resolve, reject) => {
        const onAbort = () => {
          inner.abort();
          // Reject at once, even while the SDK sleeps between retries.
          reject(new ModelCallError('model call aborted', { code: 'aborted' }));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Streaming accumulation

type RawChunk = {
  model?: unknown;
  usage?: unknown;
  choices?: Array<{ index?: unknown; delta?: Record<string, unknown> | null; finish_reason?: unknown }>;
};

class StreamAccumulator {
  private readonly choices = new Map<number, ChoiceAccumulator>();
  private usage: TokenUsage | null = null;
  private model: string | undefined;

  constructor(
    private readonly progress: StreamProgress,
    private readonly onDelta: ((d: ModelDelta) => void) | undefined,
  ) {}

  private emit(delta: ModelDelta): void {
    if (!this.onDelta) return;
    try {
      this.onDelta(delta);
    } catch {
      // A live view's failure never fails the model call.
    }
  }

  /** True when at least one choice arrived and every choice has its finish_reason. */
  get finished(): boolean {
    return this.choices.size > 0 && [...this.choices.values()].every((c) => c.finishReason !== null);
  }

  get hasChoices(): boolean {
    return this.choices.size > 0;
  }

  add(raw: unknown): void {
    const progress = this.progress;
    progress.chunks += 1;
    const chunk = (raw ?? {}) as RawChunk;
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = chunk.usage as TokenUsage;
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let acc = this.choices.get(index);
      if (!acc) {
        acc = { content: null, toolCalls: new Map(), finishReason: null };
        this.choices.set(index, acc);
      }
      const delta = choice.delta ?? {};
      let reasoningShown = false;
      if (typeof delta.reasoning_content === 'string') {
        acc.reasoningContent = (acc.reasoningContent ?? '') + delta.reasoning_content;
        this.emit({ kind: 'reasoning', text: delta.reasoning_content });
        reasoningShown = true;
        progress.where = 'inside reasoning';
      }
      if (typeof delta.reasoning === 'string') {
        acc.reasoning = (acc.reasoning ?? '') + delta.reasoning;
        // Servers that send both fields send the same text twice: show it once.
        if (!reasoningShown) this.emit({ kind: 'reasoning', text: delta.reasoning });
        reasoningShown = true;
        progress.where = 'inside reasoning';
      }
      if (Array.isArray(delta.reasoning_details)) {
        acc.reasoningDetails ??= [];
        for (const item of delta.reasoning_details as unknown[]) {
          mergeReasoningDetail(acc.reasoningDetails, item);
          const text = item && typeof item === 'object' ? (item as { text?: unknown }).text : undefined;
          if (!reasoningShown && typeof text === 'string' && text) this.emit({ kind: 'reasoning', text });
        }
        progress.where = 'inside reasoning';
      }
      if (typeof delta.content === 'string') {
        acc.content = (acc.content ?? '') + delta.content;
        if (delta.content) {
          this.emit({ kind: 'content', text: delta.content });
          progress.where = 'inside content';
        }
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const rawFragment of delta.tool_calls as unknown[]) {
          if (!rawFragment || typeof rawFragment !== 'object') continue;
          const fragment = rawFragment as { index?: unknown; id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } | null };
          const callIndex = typeof fragment.index === 'number' ? fragment.index : acc.toolCalls.size;
          let call = acc.toolCalls.get(callIndex);
          if (!call) {
            call = { id: null, type: null, name: null, arguments: '' };
            acc.toolCalls.set(callIndex, call);
          }
          // Any id is kept as sent (the reference stores `tc.id` whatever it is); an empty one
          // gives way to a later non-empty one.
          const id = fragment.id === undefined || fragment.id === null ? undefined : fragment.id;
          const name = typeof fragment.function?.name === 'string' && fragment.function.name ? fragment.function.name : undefined;
          const args = typeof fragment.function?.arguments === 'string' ? fragment.function.arguments : undefined;
          if (id !== undefined && (call.id === null || (call.id === '' && id !== ''))) call.id = id;
          if (typeof fragment.type === 'string' && call.type === null) call.type = fragment.type;
          if (name !== undefined && call.name === null) call.name = name;
          if (args !== undefined) call.arguments += args;
          const report: ModelDelta = { kind: 'tool_call', index: callIndex };
          if (typeof id === 'string' && id) report.id = id;
          if (name !== undefined) report.name = name;
          if (args !== undefined) report.arguments = args;
          this.emit(report);
          progress.where = `inside tool call ${callIndex}`;
        }
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
        acc.finishReason = choice.finish_reason;
        progress.where = 'after finish_reason';
      }
    }
  }

  result(): ModelResponse {
    const result: ModelResponse = {
      choices: [...this.choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, acc]) => ({ message: toMessage(acc), finish_reason: acc.finishReason })),
    };
    if (this.usage) result.usage = this.usage;
    if (this.model !== undefined) result.model = this.model;
    return result;
  }
}

function toMessage(acc: ChoiceAccumulator): AssistantReply {
  const toolCalls: ReplyToolCall[] = [...acc.toolCalls.entries()]
    .sort(([a], [b]) => a - b)
    // A call whose name never came stays nameless (null), as a non-streamed reply would have it.
    .map(([, call]) => ({ id: call.id as string | null, type: 'function', function: { name: call.name as string, arguments: call.arguments } }));
  const message: AssistantReply = { role: 'assistant', content: acc.content, tool_calls: toolCalls.length ? toolCalls : null };
  if (acc.reasoningContent !== undefined) message.reasoning_content = acc.reasoningContent;
  if (acc.reasoning !== undefined) message.reasoning = acc.reasoning;
  if (acc.reasoningDetails !== undefined) message.reasoning_details = acc.reasoningDetails;
  return message;
}

/**
 * Items that carry an `index` already seen are fragments of that item: their `text`/`summary`
 * is appended and their other non-null fields fill in or replace the earlier ones. Others are new.
 */
function mergeReasoningDetail(list: Array<Record<string, unknown>>, item: unknown): void {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    list.push(item as Record<string, unknown>);
    return;
  }
  const fragment = item as Record<string, unknown>;
  const existing = typeof fragment.index === 'number' ? list.find((x) => x && x.index === fragment.index) : undefined;
  if (!existing) {
    list.push({ ...fragment });
    return;
  }
  for (const [key, value] of Object.entries(fragment)) {
    if (key === 'index' || value === undefined || value === null) continue;
    const before = existing[key];
    if (CONCATENATED_DETAIL_KEYS.has(key) && typeof value === 'string' && typeof before === 'string') {
      existing[key] = before + value;
    } else {
      existing[key] = value;
    }
  }
}

function describeProgress(progress: StreamProgress): string {
  if (progress.chunks === 0) return '(before the first chunk)';
  return `(after ${progress.chunks} chunk${progress.chunks === 1 ? '' : 's'}, ${progress.where})`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Wraps a response body: notes `data: [DONE]` and fails after `idleMs` without data. */
function watchBody(source: ReadableStream<Uint8Array>, state: CallState, idleMs: number | undefined): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let tail = '';
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const read = reader.read();
        const result =
          idleMs === undefined
            ? await read
            : await Promise.race([
                read,
                new Promise<never>((_, reject) => {
                  timer = setTimeout(() => reject(new BodyIdleTimeoutError(`no data for ${idleMs} ms`)), idleMs);
                }),
              ]);
        if (result.done) {
          controller.close();
          return;
        }
        const text = tail + decoder.decode(result.value, { stream: true });
        if (/(^|\n)data: ?\[DONE\]/.test(text)) state.sawDone = true;
        tail = text.slice(-16);
        controller.enqueue(result.value);
      } catch (err) {
        if (err instanceof BodyIdleTimeoutError) {
          state.bodyTimedOut = true;
          reader.cancel(err).catch(() => undefined);
        }
        controller.error(err);
      } finally {
        if (timer) clearTimeout(timer);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function retryAfterSeconds(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && !Number.isNaN(parseFloat(ms)) && parseFloat(ms) > 0) return parseFloat(ms) / 1000;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : (date - Date.now()) / 1000;
}

function errorChain(err: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const queue: unknown[] = [err];
  while (queue.length && out.length < 16) {
    const e = queue.shift();
    if (!e || typeof e !== 'object') continue;
    const rec = e as Record<string, unknown>;
    out.push(rec);
    if ('cause' in rec) queue.push(rec.cause);
    if (Array.isArray(rec.errors)) queue.push(...(rec.errors as unknown[]));
  }
  return out;
}

function causeMessage(err: unknown): string {
  const chain = errorChain(err);
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean);
  const unique = [...new Set(messages)];
  return unique.length ? unique.join(': ') : String(err);
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

function describeConnectionError(err: unknown, url: URL, shown: string): { code: ModelCallErrorCode; message: string } {
  const chain = errorChain(err);
  const codes = chain.map((e) => (typeof e.code === 'string' ? e.code : '')).filter(Boolean);
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : ''));
  const has = (...names: string[]) => codes.some((c) => names.includes(c));
  if (has('ECONNREFUSED')) return { code: 'connection_refused', message: `connection refused at ${shown}` };
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return { code: 'dns', message: `could not resolve host ${url.hostname}` };
  }
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) {
    return { code: 'connection_reset', message: `connection to ${shown} closed before the reply was complete` };
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT')) {
    return { code: 'timeout', message: `connecting to ${shown} timed out` };
  }
  if (has('EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN')) {
    return { code: 'unreachable', message: `host unreachable: ${shown}` };
  }
  if (codes.some((c) => TLS_CODE.test(c))) {
    return { code: 'tls', message: `TLS error connecting to ${shown}: ${codes.find((c) => TLS_CODE.test(c))}` };
  }
  if (messages.includes('bad port')) {
    return { code: 'bad_port', message: `fetch refuses port ${url.port} (a blocked port in the Fetch standard): ${shown}` };
  }
  return { code: 'connection', message: `could not connect to ${shown}: ${oneLine(causeMessage(err))}` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function redactURL(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username) copy.username = '***';
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/+$/, '');
}

/** Removes the API key (and any Bearer token) from a message and keeps it on one line. */
function scrub(message: string, apiKey: string | undefined): string {
  let out = oneLine(message);
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('***');
  return out.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1***');
}
