import type { RunEvent } from '../run/events.js';
import type { ApiErrorData, ApiMethod } from './contract.js';

/**
 * The API over a WebSocket (serve mode): JSON text frames. The client sends requests with its own
 * ids; the server answers each once and pushes every run event.
 */
export type WireRequest = { id: number; method: ApiMethod; params: unknown };
export type WireReply = { id: number; result: unknown } | { id: number; error: ApiErrorData };
export type WirePush = { event: RunEvent };
export type WireServerMessage = WireReply | WirePush;

/** The path the WebSocket endpoint listens on, below the served page's origin. */
export const WIRE_PATH = '/api';
