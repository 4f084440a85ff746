import { apiMethods, openedFileSchema, type ApiClient, type ApiMethod, type ApiResult, type OpenedFile } from '../../../shared/api/contract.js';
import { runEventSchema, type RunEvent } from '../../../shared/run/events.js';

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
