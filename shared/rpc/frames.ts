import { ApiError } from './errors.js';
import type { RpcClientMessage } from './protocol.js';

/**
 * How RPC messages travel on either pipe: one JSON text per message (a WebSocket text frame in
 * serve mode, one string on the desktop's IPC port), so both transports carry the same bytes and
 * the engine refuses the same things on both.
 */

/**
 * The largest frame the engine accepts from the UI (the serve host closes a larger WebSocket frame
 * with 1009 before reading it). A request is small: the largest the page sends are a run's
 * settings (with its tool schemas) and a branch's edited message, which may quote a long tool
 * output. Files never travel as frames. Replies and pushed events are not capped.
 */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** UTF-8 length of `text`, up to `limit + 1` (counting stops once it is over). */
function utf8LengthUpTo(text: string, limit: number): number {
  // Each UTF-16 unit is 1 to 3 bytes: the length alone settles most frames.
  if (text.length > limit) return limit + 1;
  if (text.length * 3 <= limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < text.length) {
      bytes += 4; // a surrogate pair: one code point above U+FFFF
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
}

/**
 * The frame for a client message. One the engine would refuse unread (over
 * {@link MAX_FRAME_BYTES}) throws `too_large` instead of going out, so the caller gets a typed
 * error and the connection stays up.
 */
export function encodeClientFrame(message: RpcClientMessage): string {
  const text = JSON.stringify(message);
  const bytes = utf8LengthUpTo(text, MAX_FRAME_BYTES);
  if (bytes > MAX_FRAME_BYTES) {
    const method = 'method' in message ? message.method : '';
    const size = text.length > MAX_FRAME_BYTES ? `${mib(text.length)} or more` : `over ${mib(MAX_FRAME_BYTES)}`;
    throw new ApiError('too_large', `${method || 'request'}: the request is ${size}; the engine accepts up to ${mib(MAX_FRAME_BYTES)} per request`, method);
  }
  return text;
}

/** A decoded frame, or why it was refused (`code` is the error to answer with). */
export type DecodedFrame = { ok: true; message: unknown } | { ok: false; code: 'bad_message' | 'too_large'; reason: string };

/**
 * Decodes one received frame: it must be a JSON text, and at most `maxBytes` long when given
 * (the engine's side passes {@link MAX_FRAME_BYTES}; the UI reads whatever the engine sends).
 */
export function decodeFrame(frame: unknown, maxBytes?: number): DecodedFrame {
  if (typeof frame !== 'string') return { ok: false, code: 'bad_message', reason: `expected a JSON text frame, got ${frame === null ? 'null' : typeof frame}` };
  if (maxBytes !== undefined && utf8LengthUpTo(frame, maxBytes) > maxBytes) {
    return { ok: false, code: 'too_large', reason: `the frame is over the ${mib(maxBytes)} the engine accepts` };
  }
  try {
    return { ok: true, message: JSON.parse(frame) };
  } catch (error) {
    return { ok: false, code: 'bad_message', reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
