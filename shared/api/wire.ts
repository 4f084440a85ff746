import type { RunEvent } from '../run/events.js';
import type { ApiErrorData, ApiMethod, OpenedFile } from './contract.js';

/**
 * The API over a WebSocket (serve mode): JSON text frames. The client sends requests with its own
 * ids; the server answers each once and pushes every run event, in order, batched: the events
 * that happened since the last push go in one frame, so a fast run costs one frame per tick
 * rather than one per event.
 */
export type WireRequest = { id: number; method: ApiMethod; params: unknown };
export type WireReply = { id: number; result: unknown } | { id: number; error: ApiErrorData };
export type WirePush = { events: RunEvent[] } | { files: OpenedFile[] };
export type WireServerMessage = WireReply | WirePush;

/** The path the WebSocket endpoint listens on, below the served page's origin. */
export const WIRE_PATH = '/api';

/**
 * Where the page uploads a file dropped on it (POST, body = the file's bytes, its name in
 * {@link UPLOAD_NAME_HEADER}); the reply is `{path}` on the server, to open with `file.open`.
 */
export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_NAME_HEADER = 'x-trajdbg-file-name';
