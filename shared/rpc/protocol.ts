import { z } from 'zod';
import { ApiError, fromErrorData, rpcErrorDataSchema, toErrorData, type RpcErrorCode, type RpcErrorData } from './errors.js';
import { decodeFrame, formatBytes, MAX_FRAME_BYTES, type DecodedFrame } from './frames.js';

/**
 * Request/reply and pushed events between the UI and the engine, written once over any message
 * pipe (Electron IPC in the desktop app, a WebSocket in serve mode). The client numbers its
 * requests; the server answers each id once (a result or a typed error), drops the reply of a
 * call the client cancelled, and pushes events in batches numbered from 1 so the client sees
 * their order and any gap. Every message is checked with the schemas below on arrival.
 */

const requestId = z.number().int().nonnegative();

/** A call: `{id, method, params}`. */
export const rpcRequestSchema = z.object({ id: requestId, method: z.string(), params: z.unknown().optional() });
/** The caller gave up on request `cancel`: its reply is not sent. */
export const rpcCancelSchema = z.object({ cancel: requestId });
/** What a client sends. */
export const rpcClientMessageSchema = z.union([rpcRequestSchema, rpcCancelSchema]);
export type RpcClientMessage = z.infer<typeof rpcClientMessageSchema>;

/** A reply: the result, or an error (with no id when the request was too broken to carry one). */
export const rpcReplySchema = z.union([z.object({ id: requestId.optional(), error: rpcErrorDataSchema }), z.object({ id: requestId, result: z.unknown() })]);
/** Pushed events, `seq` counting the batches from 1 (each pusher numbers its own). */
export const rpcEventsSchema = z.object({ seq: z.number().int().positive(), events: z.array(z.unknown()) });
/** Pushed file statuses. */
export const rpcFilesSchema = z.object({ files: z.array(z.unknown()) });
/** What a server sends. */
export const rpcServerMessageSchema = z.union([rpcEventsSchema, rpcFilesSchema, rpcReplySchema]);
export type RpcServerMessage = z.infer<typeof rpcServerMessageSchema>;

/** Serves one call: throws an {@link ApiError} (or any error, sent as `internal`). */
export type RpcCall = (method: string, params: unknown) => Promise<unknown>;

/** One client's connection as the server sees it. */
export interface RpcServerConnection {
  /** A message from the client (already decoded from its frame). */
  receive(message: unknown): void;
  /** A frame from the client, decoded here (JSON text up to MAX_FRAME_BYTES) or refused with a typed error. */
  receiveFrame(frame: unknown): void;
  /** Answers a frame the transport could not decode (binary, not JSON) with an error (`bad_message` unless told). */
  refuse(message: string, code?: RpcErrorCode): void;
  /** Stops answering: replies still in flight are dropped. */
  close(): void;
}

/** Serves `call` to one client; `send` is the pipe back to it. */
export function serveRpc(call: RpcCall, send: (message: RpcServerMessage) => void): RpcServerConnection {
  const inFlight = new Set<number>();
  let closed = false;

  function reply(message: RpcServerMessage): void {
    if (!closed) send(message);
  }

  async function serve(id: number, method: string, params: unknown): Promise<void> {
    inFlight.add(id);
    const message = await answer(call, id, method, params);
    // Deleted by a cancel: the caller has stopped waiting.
    if (inFlight.delete(id)) reply(message);
  }

  function receive(raw: unknown): void {
    const parsed = rpcClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      reply(badMessage(raw));
      return;
    }
    const message = parsed.data;
    if ('cancel' in message) inFlight.delete(message.cancel);
    else void serve(message.id, message.method, message.params);
  }

  function refuse(message: string, code: RpcErrorCode = 'bad_message'): void {
    reply({ error: { code, message, method: '' } });
  }

  return {
    receive,
    receiveFrame(frame) {
      const decoded = decodeFrame(frame, MAX_FRAME_BYTES);
      if (decoded.ok) receive(decoded.message);
      else reply(refusedFrame(decoded));
    },
    refuse,
    close() {
      closed = true;
      inFlight.clear();
    },
  };
}

/**
 * The reply to one request frame, for a pipe that carries one request per exchange (an HTTP POST
 * in serve mode): what {@link serveRpc} answers it with. A cancel has nothing to cancel there: it
 * is answered as a message that is not a request.
 */
export async function answerFrame(call: RpcCall, frame: unknown): Promise<RpcServerMessage> {
  const decoded = decodeFrame(frame, MAX_FRAME_BYTES);
  if (!decoded.ok) return refusedFrame(decoded);
  const request = rpcRequestSchema.safeParse(decoded.message);
  if (!request.success) return badMessage(decoded.message);
  return answer(call, request.data.id, request.data.method, request.data.params);
}

/** The reply to call `id`: its result, or the error it threw. */
async function answer(call: RpcCall, id: number, method: string, params: unknown): Promise<RpcServerMessage> {
  try {
    return { id, result: await call(method, params) };
  } catch (error) {
    return { id, error: toErrorData(error, method) };
  }
}

/** The reply to a frame that could not be read. One too large to read still names its call when it can: that call fails rather than waits. */
function refusedFrame(decoded: Extract<DecodedFrame, { ok: false }>): RpcServerMessage {
  const error = { code: decoded.code, message: decoded.reason, method: decoded.method ?? '' };
  return decoded.id !== undefined ? { id: decoded.id, error } : { error };
}

/** The error for a message that is not a request: it keeps the id and method when they are usable. */
function badMessage(raw: unknown): RpcServerMessage {
  const fields = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  const method = typeof fields?.method === 'string' ? fields.method.slice(0, 200) : '';
  const id = requestId.safeParse(fields?.id);
  let message = 'expected a request object {id, method, params}';
  if (fields && !id.success) message = 'id: expected a non-negative integer';
  else if (fields && typeof fields.method !== 'string') message = 'method: expected a method name';
  return id.success ? { id: id.data, error: { code: 'bad_message', message, method } } : { error: { code: 'bad_message', message, method } };
}

/** Collects pushed items and sends them once per tick as one numbered batch. */
export interface EventBatcher<T> {
  push(item: T): void;
}

/** Batches `push`ed items: `flush` gets `{seq, events}` once per `schedule` tick, `seq` counting from 1. */
export function createEventBatcher<T>(flush: (batch: { seq: number; events: T[] }) => void, schedule: (run: () => void) => void = (run) => setTimeout(run, 0)): EventBatcher<T> {
  let queued: T[] = [];
  let seq = 0;
  return {
    push(item) {
      if (queued.length === 0) {
        schedule(() => {
          const events = queued;
          queued = [];
          seq++;
          flush({ seq, events });
        });
      }
      queued.push(item);
    },
  };
}

/** The message every pending call gets when the connection drops. */
export const DISCONNECTED = 'Disconnected from the engine';

/** The client side of {@link serveRpc}. */
export interface RpcClient {
  /** Calls `method`; an `AbortSignal` cancels it (the call rejects with `cancelled`, the server drops the reply). */
  call(method: string, params: unknown, signal?: AbortSignal): Promise<unknown>;
  /** A message from the server (already decoded from its frame). */
  receive(message: unknown): void;
  /** A frame from the server (a JSON text), decoded here; one that is not JSON is dropped as malformed. */
  receiveFrame(frame: unknown): void;
  /**
   * The pipe dropped: pending calls fail with `disconnected`; the next batch may start a new count.
   * `frame_too_large`: the engine hung up because a frame was over its limit (a WebSocket closed
   * with 1009, which is all the engine can say when it refuses a frame unread): the pending call
   * with the largest request fails with `too_large`, naming its size, the others with `disconnected`.
   */
  disconnected(cause?: 'frame_too_large'): void;
}

export interface RpcClientOptions {
  /**
   * Sends a message, returning the size of its frame in bytes when the pipe knows it; throwing
   * (e.g. an {@link ApiError} `too_large` from encodeClientFrame) fails that call only.
   */
  send(message: RpcClientMessage): number | void;
  onEvents(events: unknown[]): void;
  onFiles(files: unknown[]): void;
  /** Batches were lost between `expected` and `got` (the listener catches up by other means). */
  onGap?(expected: number, got: number): void;
  /** A message that is not one the server sends. */
  onMalformed?(message: string): void;
}

interface Pending {
  method: string;
  /** The request's frame size, when the pipe told it. */
  bytes: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Numbers calls, matches replies to them, and hands pushed batches over in order. */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let lastSeq: number | null = null;

  function settle(id: number | undefined, outcome: { result: unknown } | { error: RpcErrorData }): void {
    const call = id === undefined ? undefined : pending.get(id);
    if (!call) {
      if ('error' in outcome) options.onMalformed?.(`the engine refused a message: ${outcome.error.message}`);
      return;
    }
    pending.delete(id!);
    if ('error' in outcome) call.reject(fromErrorData(outcome.error));
    else call.resolve(outcome.result);
  }

  function receive(raw: unknown): void {
    const parsed = rpcServerMessageSchema.safeParse(raw);
    if (!parsed.success) {
      options.onMalformed?.('dropped a message from the engine that is not a reply or a push');
      return;
    }
    const message = parsed.data;
    if ('seq' in message) {
      if (lastSeq !== null && message.seq <= lastSeq) return; // Already delivered.
      if (lastSeq !== null && message.seq !== lastSeq + 1) options.onGap?.(lastSeq + 1, message.seq);
      lastSeq = message.seq;
      options.onEvents(message.events);
    } else if ('files' in message) options.onFiles(message.files);
    else settle(message.id, 'error' in message ? { error: message.error } : { result: message.result });
  }

  return {
    call(method, params, signal) {
      if (signal?.aborted) return Promise.reject(new ApiError('cancelled', `${method}: cancelled`, method));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const call: Pending = { method, bytes: 0, resolve, reject };
        pending.set(id, call);
        signal?.addEventListener(
          'abort',
          () => {
            if (!pending.delete(id)) return;
            reject(new ApiError('cancelled', `${method}: cancelled`, method));
            options.send({ cancel: id });
          },
          { once: true },
        );
        try {
          call.bytes = options.send({ id, method, params }) ?? 0;
        } catch (error) {
          pending.delete(id);
          reject(error instanceof ApiError ? error : new ApiError('internal', `${method}: ${error instanceof Error ? error.message : String(error)}`, method));
        }
      });
    },
    receive,
    receiveFrame(frame) {
      const decoded = decodeFrame(frame);
      if (decoded.ok) receive(decoded.message);
      else options.onMalformed?.(`dropped a frame from the engine: ${decoded.reason}`);
    },
    disconnected(cause) {
      const refused = cause === 'frame_too_large' ? largest(pending) : undefined;
      if (refused) {
        pending.delete(refused.id);
        refused.call.reject(new ApiError('too_large', refusedAsTooLarge(refused.call), refused.call.method));
      }
      for (const call of pending.values()) call.reject(new ApiError('disconnected', DISCONNECTED, call.method));
      pending.clear();
      lastSeq = null;
    },
  };
}

/** The pending call with the largest request (the one a pipe closed for size must have sent). */
function largest(pending: Map<number, Pending>): { id: number; call: Pending } | undefined {
  let found: { id: number; call: Pending } | undefined;
  for (const [id, call] of pending) if (call.bytes > 0 && (!found || call.bytes > found.call.bytes)) found = { id, call };
  return found;
}

/** Why a call failed when the engine hung up on its request for being too large. */
function refusedAsTooLarge(call: Pending): string {
  return `${call.method}: the engine closed the connection on this ${formatBytes(call.bytes)} request, as larger than it accepts (this page sends up to ${formatBytes(MAX_FRAME_BYTES)} per request; reload the page if the engine was updated)`;
}
