/**
 * When a failed model call is retried: the SDK's own rule (openai@6.49), the per-attempt timeout,
 * and the cap this client puts on a server's Retry-After.
 */

/**
 * The default per-attempt timeout: under the 300 s after which Node's fetch itself gives up on
 * headers or a silent body, so that a stalled server is reported as the timeout it is (and as
 * the policy says), not as a cut stream.
 */
export const DEFAULT_TIMEOUT_MS = 240_000;
/** The SDK's default number of retries. */
export const SDK_DEFAULT_MAX_RETRIES = 2;
/** A Retry-After longer than this fails the call instead of sleeping (the SDK has no cap). */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** Describes, truthfully for openai@6.49, when and how a failed call is retried. */
export function describeRetryPolicy(options: { maxRetries?: number; timeoutMs?: number } = {}): string {
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

/** The wait a response asks for, in seconds (`retry-after-ms`, or `Retry-After` in seconds or as a date). */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && !Number.isNaN(parseFloat(ms)) && parseFloat(ms) > 0) return parseFloat(ms) / 1000;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : (date - Date.now()) / 1000;
}

/**
 * Refuses the SDK's retry when the server asks to wait longer than {@link MAX_RETRY_AFTER_SECONDS}
 * (by setting `x-should-retry: false` on `headers`); returns the refused wait, if any.
 */
export function refuseLongRetryAfter(headers: Headers): number | undefined {
  const wait = retryAfterSeconds(headers);
  if (wait !== undefined && wait > MAX_RETRY_AFTER_SECONDS && headers.get('x-should-retry') !== 'false') {
    headers.set('x-should-retry', 'false');
    return wait;
  }
  return undefined;
}
