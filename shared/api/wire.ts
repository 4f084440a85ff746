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

/**
 * Where the page calls, in serve mode, the methods whose replies can be megabytes
 * ({@link FETCHED_METHODS}): POST, body = the request frame, reply = the message the WebSocket
 * would carry. Chromium hands the page a large WebSocket message at about 25 MB/s (a 2.5 MB page
 * of run events took 70-150 ms from the host's send to the page's handler, the host and the page
 * both idle meanwhile) and a fetched body at 150-270 MB/s, so a long run's events come this way.
 */
export const CALL_PATH = '/api/call';

/** The methods called over {@link CALL_PATH} in serve mode; the host answers no other there. */
export const FETCHED_METHODS: ReadonlySet<string> = new Set(['run.events']);

/** A message the host pushes or replies with (see shared/rpc/protocol.ts). */
export type { RpcServerMessage as WireServerMessage } from '../rpc/protocol.js';
