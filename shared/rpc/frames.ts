import { ApiError } from './errors.js';
import type { RpcClientMessage } from './protocol.js';

/**
 * How RPC messages travel on either pipe: one JSON text per message (a WebSocket text frame in
 * serve mode, one string on the desktop's IPC port), so both transports carry the same bytes and
 * the engine refuses the same things on both.
 */

/**
 * The largest frame the engine accepts from the UI (the serve host closes a larger WebSocket frame
 * with 1009 before reading it). Most requests are small, but some carry a whole trajectory or
 * prompt: `run.replay` its messages, `run.askOnce`, `run.editModelCall` and an `asked_once`
 * branch a turn's edited prompt (every message up to that turn when no budget truncates it), an
 * edited reply or tool result may quote a long tool output, and a new run its prompt and tool
 * schemas. The cap bounds what one frame makes the engine buffer and parse (a frame is held as
 * text, then parsed: several times its size in memory), so it stays far below the sizes an
 * attacker would pick: 16 MiB takes a 5,000-turn trajectory in one `run.replay` (12.7 MiB for the
 * bench's generated one) and an edited prompt of as many turns. The page never sends a file: it
 * opens files by path, so a longer trajectory reaches the engine from disk, not as a frame.
 * Replies and pushed events are not capped.
 */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** UTF-8 length of `text`, up to `limit + 1` (counting stops once it is over). */
function utf8LengthUpTo(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 bytes: the length alone settles most frames.
  if (text.length > limit) return limit + 1;
  if (text.length * 3 <= limit) return text.length;
  return utf8Length(text, limit);
}

/** The UTF-8 length of `text` (as a WebSocket or a file would carry it), counting up to `stopAfter + 1`. */
export function utf8Length(text: string, stopAfter = Infinity): number {
  // One byte per UTF-16 unit, plus what each non-ASCII unit adds: the regex skips ASCII runs
  // natively, several times faster than a loop over every unit on the mostly ASCII text of a trajectory.
  let bytes = text.length;
  const nonAscii = /[\u0080-\uffff]+/g;
  for (let run = nonAscii.exec(text); run && bytes <= stopAfter; run = nonAscii.exec(text)) {
    const units = run[0];
    for (let i = 0; i < units.length; i++) {
      const unit = units.charCodeAt(i);
      if (unit < 0x800) bytes += 1; // 2 bytes
      else if (unit >= 0xd800 && unit < 0xdc00 && (units.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 2; // a surrogate pair: 4 bytes for 2 units
        i++;
      } else bytes += 2; // 3 bytes (a lone surrogate too: it is sent as U+FFFD)
    }
  }
  return bytes;
}

/** A size for people: `12.7 MiB`, `64 MiB`, `900 KiB`, rounded up (so a request just over a limit never reads as the limit). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.ceil(bytes / 1024))} KiB`;
  return `${(Math.ceil((bytes / 1024 / 1024) * 10) / 10).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/** What a refused request says: its method, its size and the engine's limit. */
export function tooLargeMessage(method: string, bytes: number, limit = MAX_FRAME_BYTES): string {
  return `${method || 'request'}: the request is ${formatBytes(bytes)}, over the ${formatBytes(limit)} the engine accepts in one request`;
}

/**
 * The frame for a client message. One the engine would refuse unread (over
 * {@link MAX_FRAME_BYTES}) throws `too_large` instead of going out, naming the method, the
 * request's size and the limit, so the caller gets a typed error and the connection stays up.
 */
export function encodeClientFrame(message: RpcClientMessage): string {
  const text = JSON.stringify(message);
  if (utf8LengthUpTo(text, MAX_FRAME_BYTES) > MAX_FRAME_BYTES) {
    const method = 'method' in message ? message.method : '';
    throw new ApiError('too_large', tooLargeMessage(method, utf8Length(text)), method);
  }
  return text;
}

/** A decoded frame, or why it was refused (`code` is the error to answer with; `id` and `method` when the frame names them). */
export type DecodedFrame = { ok: true; message: unknown } | { ok: false; code: 'bad_message' | 'too_large'; reason: string; id?: number; method?: string };

// A client's frame starts `{"id":N,"method":"NAME"` (encodeClientFrame writes them first).
const REQUEST_HEAD = /^\s*\{\s*"id"\s*:\s*(\d{1,15})\s*,\s*"method"\s*:\s*"([^"\\]{1,200})"/;

/**
 * Decodes one received frame: it must be a JSON text, and at most `maxBytes` long when given
 * (the engine's side passes {@link MAX_FRAME_BYTES}; the UI reads whatever the engine sends).
 * A frame over the limit is not parsed; its id and method are read from its first characters,
 * so the refusal can answer the call that sent it.
 */
export function decodeFrame(frame: unknown, maxBytes?: number): DecodedFrame {
  if (typeof frame !== 'string') return { ok: false, code: 'bad_message', reason: `expected a JSON text frame, got ${frame === null ? 'null' : typeof frame}` };
  if (maxBytes !== undefined && utf8LengthUpTo(frame, maxBytes) > maxBytes) {
    const head = REQUEST_HEAD.exec(frame.slice(0, 300));
    const method = head?.[2] ?? '';
    return { ok: false, code: 'too_large', reason: tooLargeMessage(method, utf8Length(frame), maxBytes), ...(head ? { id: Number(head[1]), method } : {}) };
  }
  try {
    return { ok: true, message: JSON.parse(frame) };
  } catch (error) {
    return { ok: false, code: 'bad_message', reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
