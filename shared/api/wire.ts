/**
 * The transports under shared/rpc/protocol.ts, both carrying JSON text frames (shared/rpc/frames.ts).
 * Serve mode: a WebSocket at {@link WIRE_PATH}. Desktop: a MessagePort each page load hands the
 * main process on {@link RPC_CHANNEL}. This file holds constants only: the preload bundles it and
 * nothing heavier.
 */

/** The path the WebSocket endpoint listens on, below the served page's origin. */
export const WIRE_PATH = '/api';

/** The one IPC channel: a page's preload posts its end of the RPC port on it, once per load (desktop). */
export const RPC_CHANNEL = 'api:rpc';

/**
 * Where the page uploads a file dropped on it (POST, body = the file's bytes, its name in
 * {@link UPLOAD_NAME_HEADER}); the reply is `{path}` on the server, to open with `file.open`.
 * Files go over HTTP, streamed to disk, never over the WebSocket (whose frames are capped at MAX_FRAME_BYTES).
 */
export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_NAME_HEADER = 'x-trajdbg-file-name';

/** A message the host pushes or replies with (see shared/rpc/protocol.ts). */
export type { RpcServerMessage as WireServerMessage } from '../rpc/protocol.js';
