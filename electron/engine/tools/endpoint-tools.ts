import type { ToolSchema } from '#shared/model/chat.js';
import { pyJsonDumps } from '#shared/python/json.js';
import { escapeLoneSurrogates } from '#shared/python/str.js';
import type { PyValue } from '#shared/python/value.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';

/** Options of createEndpointTools: where to POST, what to advertise, how long to wait. */
export interface EndpointToolsOptions {
  url: string;
  schemas: ToolSchema[];
  /** Per call, request and body included; 5 minutes by default (sandbox commands can be slow). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Default per-call timeout of an endpoint tool call. */
export const DEFAULT_ENDPOINT_TIMEOUT_MS = 300_000;

const UTF8_KEEPING_BOM = new TextDecoder('utf-8', { ignoreBOM: true });

/** How much of an error response body goes into the rejection message (in characters). */
const ERROR_BODY_CHARS = 500;

/**
 * The reference's `tool_handler` hook as HTTP: each call is `POST url` with
 * `{"tool_name","arguments","task_id"}`; a 2xx body is the tool result as is, anything else rejects.
 */
export function createEndpointTools(options: EndpointToolsOptions): ToolProvider {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ENDPOINT_TIMEOUT_MS;
  return {
    name: `tool endpoint ${options.url}`,
    schemas: [...options.schemas],
    call: (name, args, context) => postToolCall(doFetch, options.url, timeoutMs, endpointBody(name, args, context.taskId), context),
  };
}

/** The exact request body for one call: compact JSON, key order and int/float forms kept. */
export function endpointBody(name: string, args: PyValue, taskId: string): string {
  const body = new Map<string, PyValue>([['tool_name', name], ['arguments', args], ['task_id', taskId]]);
  // A lone surrogate cannot travel as UTF-8 (fetch would send U+FFFD): it goes escaped, as
  // Python's json.dumps writes it (`\ud800`). Pairs and every other character stay as they are.
  return escapeLoneSurrogates(pyJsonDumps(body, { ensureAscii: false, separators: [',', ':'] }));
}

async function postToolCall(doFetch: typeof fetch, url: string, timeoutMs: number, body: string, context: ToolCallContext): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([context.signal, timeout]);
  let status: number;
  let text: string;
  try {
    const response = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
    status = response.status;
    // Decoded by hand: Response.text() drops a leading BOM, which the reference keeps (and which
    // then makes the reply not JSON, so never a tool error).
    text = UTF8_KEEPING_BOM.decode(await response.arrayBuffer());
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    if (timeout.aborted) throw new Error(`tool endpoint ${url} did not answer within ${timeoutMs / 1000} s`);
    throw new Error(`tool endpoint ${url} unreachable: ${describeNetworkError(error)}`, { cause: error });
  }
  if (status < 200 || status > 299) throw new Error(`HTTP ${status} from ${url}: ${firstChars(text, ERROR_BODY_CHARS)}`);
  return text;
}

/** `fetch failed` hides the reason in `cause`: surface its code and message. */
function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    parts.push(typeof code === 'string' && !current.message.includes(code) ? `${code} ${current.message}` : current.message);
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

/** The first `count` code points of `text` (never half a surrogate pair). */
function firstChars(text: string, count: number): string {
  if (text.length <= count) return text;
  return Array.from(text).slice(0, count).join('');
}
