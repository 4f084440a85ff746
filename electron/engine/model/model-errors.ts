/**
 * What a failed model call reports: a ModelCallError with a `code` and a one-line message for a
 * researcher, classified from whatever the SDK, fetch or the stream threw. The API key never
 * appears in it.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { oneLine } from './redact-key.js';
import { MAX_RETRY_AFTER_SECONDS } from './retry-policy.js';
import { describeProgress, type StreamProgress } from './stream-accumulator.js';

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

/** How much of an error body goes into a message, in characters. */
export const ERROR_BODY_CHARS = 300;

/** What one model call went through, as far as its failure message needs it. */
export interface CallFacts {
  attempts: number;
  /** Raw body text of the last non-2xx response. */
  lastErrorBody?: string;
  /** Seconds the server asked to wait when that was over the cap (the retry was refused). */
  refusedRetryAfter?: number;
  bodyTimedOut: boolean;
}

/** Where the call went and how its messages are cleaned. */
export interface CallTarget {
  url: URL;
  /** The URL as shown in messages (credentials redacted). */
  shownURL: string;
  timeoutMs: number;
  /** Removes the key and keeps a message on one line. */
  scrub: (message: string) => string;
}

/** Turns whatever a model call threw into a ModelCallError with its code and message. */
export function classifyModelError(
  err: unknown,
  facts: CallFacts,
  target: CallTarget,
  signal: AbortSignal | undefined,
  progress: StreamProgress | null,
): ModelCallError {
  if (err instanceof ModelCallError) return err;
  const { shownURL, timeoutMs, scrub: scrubbed } = target;
  const tries = facts.attempts > 1 ? ` (${facts.attempts} attempts)` : '';
  const at = progress ? describeProgress(progress) : '';
  if (signal?.aborted || err instanceof APIUserAbortError) {
    return new ModelCallError(scrubbed(`model call aborted${progress ? ` ${at}` : ''}`), { code: 'aborted' });
  }
  if (facts.bodyTimedOut) {
    return new ModelCallError(
      scrubbed(`no data from ${shownURL} for ${timeoutMs} ms while reading the reply${progress ? ` ${at}` : ''}`),
      { code: 'timeout' },
    );
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelCallError(scrubbed(`no response from ${shownURL} within ${timeoutMs} ms${tries}`), { code: 'timeout' });
  }
  if (err instanceof APIConnectionError) {
    const { code, message } = describeConnectionError(err, target.url, shownURL);
    return new ModelCallError(scrubbed(message + tries), { code });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const raw = facts.lastErrorBody ?? err.message;
    // Scrub before cutting: a key cut in half at the limit would no longer be recognised.
    const text = scrubbed(oneLine(raw)).slice(0, ERROR_BODY_CHARS) || '(empty body)';
    const refused =
      facts.refusedRetryAfter !== undefined
        ? ` [not retried: the server asked to wait ${facts.refusedRetryAfter} s, more than ${MAX_RETRY_AFTER_SECONDS} s]`
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
    const { code, message: text } = describeConnectionError(err, target.url, shownURL);
    return new ModelCallError(scrubbed(`${text} (${oneLine(causeMessage(err))})`), { code });
  }
  return new ModelCallError(scrubbed(`model call to ${shownURL} failed: ${oneLine(causeMessage(err))}`), { code: 'unknown' });
}

/** True for an error that is the transport's (a lost or stalled connection), not the server's words. */
export function isTransportError(err: unknown): boolean {
  return !(err instanceof SyntaxError) && !(err instanceof APIError) && !(err instanceof ModelCallError);
}

/** The error, its causes and its aggregated errors, breadth first (at most 16). */
export function errorChain(err: unknown): Array<Record<string, unknown>> {
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

/** The distinct messages along the error chain, joined. */
export function causeMessage(err: unknown): string {
  const chain = errorChain(err);
  const messages = chain.map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean);
  const unique = [...new Set(messages)];
  return unique.length ? unique.join(': ') : String(err);
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/** Names a connection failure from the codes along its error chain. */
export function describeConnectionError(err: unknown, url: URL, shown: string): { code: ModelCallErrorCode; message: string } {
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
