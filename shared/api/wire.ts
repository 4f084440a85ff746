import type { RunEvent } from '../run/events.js';
import type { ApiErrorData, ApiMethod } from './contract.js';

/**
 * The API over a WebSocket (serve mode): JSON text frames. The client sends requests with its own
 * ids; the server answers each once and pushes every run event, in order, batched: the events
 * that happened since the last push go in one frame, so a fast run costs one frame per tick
 * rather than one per event.
 */
export type WireRequest = { id: number; method: ApiMethod; params: unknown };
export type WireReply = { id: number; result: unknown } | { id: number; error: ApiErrorData };
export type WirePush = { events: RunEvent[] };
export type WireServerMessage = WireReply | WirePush;

/** The path the WebSocket endpoint listens on, below the served page's origin. */
export const WIRE_PATH = '/api';
