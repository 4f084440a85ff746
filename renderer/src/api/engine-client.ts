import { apiMethods, openedFileSchema, type ApiClient, type ApiMethod, type ApiResult, type OpenedFile } from '#shared/api/contract.js';
import { encodeClientFrame, utf8Length } from '#shared/rpc/frames.js';
import { createRpcClient } from '#shared/rpc/protocol.js';
import { runEventSchema, type RunEvent } from '#shared/run/events.js';

/** Whether the engine can be reached: the WebSocket's life, or always `open` over IPC. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The API client the UI uses: the contract's {@link ApiClient} plus the connection's state. */
export interface EngineClient extends ApiClient {
  readonly connection: ConnectionState;
  /** Calls `listener` on every change of {@link connection}. Returns an unsubscribe function. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /**
   * A path the engine can open for a file dropped on the page: its own path in the desktop app,
   * or, in the browser, the path of an upload to the server.
   */
  fileRef(file: File): Promise<string>;
}

/** Checks a method's result against the contract (every message crossing a boundary is validated). */
export function parseApiResult<M extends ApiMethod>(method: M, value: unknown): ApiResult<M> {
  const parsed = apiMethods[method].result.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${method}: the engine's reply is malformed at ${issue.path.join('.') || 'result'}: ${issue.message}`);
  }
  return parsed.data as ApiResult<M>;
}

/** Checks a pushed run event against the contract; null (and a console error) when it is malformed. */
export function parseRunEvent(value: unknown): RunEvent | null {
  const parsed = runEventSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  console.error('dropped a malformed run event', parsed.error.issues[0]);
  return null;
}

/** Checks a pushed file status against the contract; null (and a console error) when it is malformed. */
export function parseOpenedFile(value: unknown): OpenedFile | null {
  const parsed = openedFileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  console.error('dropped a malformed file status', parsed.error.issues[0]);
  return null;
}

/** A set of listeners, for the clients' event and connection callbacks. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/** The RPC client both transports share, with its results, events and files checked against the contract. */
export interface EngineRpc {
  call: ApiClient['call'];
  /** A JSON text frame from the engine (both transports carry frames). */
  receiveFrame(frame: unknown): void;
  /** The pipe dropped (see RpcClient.disconnected; `frame_too_large` when the engine hung up on an oversized request). */
  disconnected(cause?: 'frame_too_large'): void;
  events: Listeners<RunEvent>;
  files: Listeners<OpenedFile>;
}

/**
 * An {@link EngineRpc} whose frames go out through `send` (the transport's pipe). A request too
 * large for the engine fails with `too_large` without being sent.
 */
export function createEngineRpc(send: (frame: string) => void): EngineRpc {
  const events = new Listeners<RunEvent>();
  const files = new Listeners<OpenedFile>();
  const rpc = createRpcClient({
    send(message) {
      const frame = encodeClientFrame(message);
      send(frame);
      // Its size tells which call a connection closed for an oversized frame was about; only a
      // large frame is worth counting in bytes (the UTF-16 length of a small one is near enough).
      return frame.length > 65_536 ? utf8Length(frame) : frame.length;
    },
    onEvents(batch) {
      for (const raw of batch) {
        const event = parseRunEvent(raw);
        if (event) events.emit(event);
      }
    },
    onFiles(batch) {
      for (const raw of batch) {
        const file = parseOpenedFile(raw);
        if (file) files.emit(file);
      }
    },
    // A lost batch is caught up like a reconnection: the store reads run.events from its last seq.
    onGap: (expected, got) => console.error(`missed pushed event batches ${expected} to ${got - 1}`),
    onMalformed: (message) => console.error(message),
  });
  return {
    async call<M extends ApiMethod>(method: M, params: unknown, signal?: AbortSignal): Promise<ApiResult<M>> {
      return parseApiResult(method, await rpc.call(method, params, signal));
    },
    receiveFrame: rpc.receiveFrame,
    disconnected: rpc.disconnected,
    events,
    files,
  };
}
