import type { ApiMethod, ApiResult } from '#shared/api/contract.js';
import { CALL_PATH, FETCHED_METHODS, UPLOAD_NAME_HEADER, UPLOAD_PATH, WIRE_PATH } from '#shared/api/wire.js';
import { decodeFrame, encodeClientFrame } from '#shared/rpc/frames.js';
import { DISCONNECTED, rpcReplySchema } from '#shared/rpc/protocol.js';
import { ApiError, fromErrorData } from '#shared/rpc/errors.js';
import { createEngineRpc, Listeners, parseApiResult, type ConnectionState, type EngineClient } from './engine-client.js';

export { DISCONNECTED };

/** The engine's WebSocket URL for a page served by the serve host: same origin, `ws`/`wss`. */
export function wireUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WIRE_PATH}`;
}

/** The close code a WebSocket server sends when a frame is over its size limit (RFC 6455). */
const MESSAGE_TOO_BIG = 1009;

/** How long to wait before each reconnection attempt; after the last, the client gives up. */
export const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];

/**
 * The API over a WebSocket (serve mode): shared/rpc/protocol.ts in JSON text frames (shared/rpc/frames.ts),
 * the calls with large replies ({@link FETCHED_METHODS}) over HTTP, one POST each. The serve
 * host authenticates the socket by the cookie it set with the page, so the browser's same-origin
 * handshake is all that is needed. A lost connection is retried (the host closes a socket that
 * falls behind; a laptop sleeps); calls pending when it dropped fail, and the store catches up on
 * what was missed.
 */
export function createWsClient(url: string, Socket: typeof WebSocket = WebSocket, retryDelaysMs: readonly number[] = RECONNECT_DELAYS_MS): EngineClient {
  const connectionChanges = new Listeners<ConnectionState>();
  // Frames of calls made while connecting, sent once the socket opens.
  const unsent: string[] = [];
  let connection: ConnectionState = 'connecting';
  let failures = 0;
  let socket: WebSocket;

  const rpc = createEngineRpc((frame) => {
    if (connection === 'open') socket.send(frame);
    else unsent.push(frame);
  });

  function setConnection(state: ConnectionState): void {
    if (connection === state) return;
    connection = state;
    connectionChanges.emit(state);
  }

  function onMessage(message: MessageEvent): void {
    rpc.receiveFrame(message.data);
  }

  function onClose(event: CloseEvent): void {
    // Nothing is sent again: the frames of pending calls are dropped and the calls fail.
    unsent.length = 0;
    rpc.disconnected(event.code === MESSAGE_TOO_BIG ? 'frame_too_large' : undefined);
    const delay = retryDelaysMs[failures];
    if (delay === undefined) {
      setConnection('closed');
      return;
    }
    failures++;
    setConnection('connecting');
    setTimeout(connect, delay);
  }

  function connect(): void {
    socket = new Socket(url);
    socket.addEventListener('open', () => {
      failures = 0;
      setConnection('open');
      for (const frame of unsent.splice(0)) socket.send(frame);
    });
    socket.addEventListener('close', onClose);
    socket.addEventListener('message', onMessage);
  }

  connect();
  const callUrl = new URL(CALL_PATH, url.replace(/^ws/, 'http'));
  return {
    get connection() {
      return connection;
    },
    onConnectionChange: (listener) => connectionChanges.add(listener),
    onEvent: (listener) => rpc.events.add(listener),
    onFile: (listener) => rpc.files.add(listener),
    async fileRef(file) {
      // The browser gives no paths: the file is streamed to the server over HTTP (never as a
      // WebSocket frame, which the host caps), and the server opens its copy.
      const response = await fetch(new URL(UPLOAD_PATH, callUrl), {
        method: 'POST',
        headers: { [UPLOAD_NAME_HEADER]: encodeURIComponent(file.name), 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Could not upload ${file.name}: ${text.trim() || response.statusText}`);
      return (JSON.parse(text) as { path: string }).path;
    },
    call(method, params, signal) {
      if (connection === 'closed') return Promise.reject(new ApiError('disconnected', DISCONNECTED, method));
      if (FETCHED_METHODS.has(method)) return fetchCall(callUrl, method, params, signal);
      return rpc.call(method, params, signal);
    },
  };
}

/**
 * One call over HTTP ({@link CALL_PATH}): a reply that can be megabytes reaches the page several
 * times faster than as a WebSocket message. The request and the reply are the frames the socket
 * would carry, checked the same way; an abort cancels the call.
 */
async function fetchCall<M extends ApiMethod>(callUrl: URL, method: M, params: unknown, signal?: AbortSignal): Promise<ApiResult<M>> {
  const frame = encodeClientFrame({ id: 0, method, params });
  let text: string;
  try {
    const response = await fetch(callUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: frame, signal });
    text = await response.text();
    if (!response.ok) throw new ApiError('internal', `${method}: the engine answered HTTP ${response.status}: ${text.trim().slice(0, 300) || response.statusText}`, method);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (signal?.aborted) throw new ApiError('cancelled', `${method}: cancelled`, method);
    throw new ApiError('disconnected', DISCONNECTED, method);
  }
  const decoded = decodeFrame(text);
  const reply = decoded.ok ? rpcReplySchema.safeParse(decoded.message) : null;
  if (!reply?.success) throw new ApiError('internal', `${method}: the engine's reply is not a reply message`, method);
  if ('error' in reply.data) throw fromErrorData(reply.data.error);
  return parseApiResult(method, reply.data.result);
}
