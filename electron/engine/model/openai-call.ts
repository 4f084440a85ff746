/**
 * A ModelClient for any OpenAI-compatible chat server, built on the official `openai` SDK: one
 * request per turn, retried by the SDK's rule (retry-policy.ts), its body watched for silence
 * (idle-watchdog.ts), a stream accumulated from raw chunks (stream-accumulator.ts). Every failure
 * rejects with a ModelCallError (model-errors.ts) whose message never holds the API key.
 */
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { APIUserAbortError } from 'openai';
import type { ChatRequest, ModelCallOptions, ModelClient, ModelDelta, ModelResponse } from './model-client.js';
import { restoreExactInts } from '#shared/model/exact-json.js';
import { watchBody } from './idle-watchdog.js';
import { classifyModelError, ERROR_BODY_CHARS, isTransportError, ModelCallError, type CallFacts, type CallTarget } from './model-errors.js';
import { oneLine, redactURL, scrub } from './redact-key.js';
import { DEFAULT_TIMEOUT_MS, refuseLongRetryAfter, SDK_DEFAULT_MAX_RETRIES } from './retry-policy.js';
import { describeProgress, StreamAccumulator, type StreamProgress } from './stream-accumulator.js';

/** Options of createOpenAIModelClient: the server, the model and how to call it. */
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

/**
 * Lets the event loop handle what it missed while this process was busy, before a request picks
 * a kept-alive connection: timers come due (fetch's own idle-connection expiry, or a server's
 * keep-alive timeout when the server runs in this process) and a close the server sent (read in
 * the poll phase, after timers, before setImmediate callbacks).
 *
 * Building, recording and encoding a request with a large prompt blocks the event loop for
 * seconds on a busy machine; a server that closed the idle connection meanwhile (after 5 s in
 * Node and uvicorn) would otherwise get the request on a dead connection, which fetch does not
 * retry for a POST: the call would fail as "closed before the reply was complete", or cost a
 * retry and a second upload.
 */
async function catchUpWithConnections(): Promise<void> {
  await delay(0);
  await new Promise((resolve) => setImmediate(resolve));
}

interface CallState extends CallFacts {
  sawDone: boolean;
}

/** A ModelClient that calls `POST {baseURL}/chat/completions`, streaming by default. */
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
  const target: CallTarget = { url: parsedURL, shownURL, timeoutMs, scrub: scrubbed };

  function makeSdk(state: CallState): OpenAI {
    const watchedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      state.attempts += 1;
      // Integers beyond 2^53 in the messages go out digit for digit (shared/model/exact-json.ts).
      const sent = typeof init?.body === 'string' ? { ...init, body: restoreExactInts(init.body) } : init;
      await catchUpWithConnections();
      const response = await baseFetch(input, sent);
      if (!response.body) return response;
      const body = watchBody(response.body, state, timeoutMs);
      const headers = new Headers(response.headers);
      if (!response.ok) {
        const text = await new Response(body).text();
        state.lastErrorBody = text;
        const refused = refuseLongRetryAfter(headers);
        if (refused !== undefined) state.refusedRetryAfter = refused;
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
        if (!(acc.finished && isTransportError(err) && !signal?.aborted)) throw err;
      }
      if (signal?.aborted) throw new APIUserAbortError();
      if (acc.hasChoices && !acc.finished && !state.sawDone) {
        throw new ModelCallError(scrubbed(`stream ended mid-reply ${describeProgress(progress)}`), { code: 'stream_cut' });
      }
      return acc.result();
    } catch (err) {
      throw classifyModelError(err, state, target, signal, progress);
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
