import type { ApiMethod, ApiParams, ApiResult, OpenedFile } from '../../../shared/api/contract.js';
import { UPLOAD_NAME_HEADER, UPLOAD_PATH, WIRE_PATH, type WireRequest, type WireServerMessage } from '../../../shared/api/wire.js';
import type { RunEvent } from '../../../shared/run/events.js';
import { Listeners, parseApiResult, parseOpenedFile, parseRunEvent, type ConnectionState, type EngineClient } from './engine-client.js';

/** The engine's WebSocket URL for a page served by the serve host: same origin, `ws`/`wss`. */
export function wireUrlFor(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${WIRE_PATH}`;
}

/** The error every call gets once the socket is gone (there is no reconnect). */
export const DISCONNECTED = 'Disconnected from the engine';

interface Pending {
  method: ApiMethod;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** How long to wait before each reconnection attempt; after the last, the client gives up. */
export const RECONNECT_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000];

/**
 * The API over a WebSocket (serve mode, shared/api/wire.ts): each request carries its own id and
 * is answered once; run events are pushed in batches. The serve host authenticates the socket by
 * the cookie it set with the page, so the browser's same-origin handshake is all that is needed.
 * A lost connection is retried (the host closes a socket that falls behind; a laptop sleeps);
 * calls pending when it dropped fail, and the store catches up on what was missed.
 */
export function createWsClient(url: string, Socket: typeof WebSocket = WebSocket, retryDelaysMs: readonly number[] = RECONNECT_DELAYS_MS): EngineClient {
  const events = new Listeners<RunEvent>();
  const files = new Listeners<OpenedFile>();
  const connectionChanges = new Listeners<ConnectionState>();
  const pending = new Map<number, Pending>();
  const unsent: string[] = [];
  let nextId = 1;
  let connection: ConnectionState = 'connecting';
  let failures = 0;
  let socket: WebSocket;

  function setConnection(state: ConnectionState): void {
    if (connection === state) return;
    connection = state;
    connectionChanges.emit(state);
  }

  function onMessage(message: MessageEvent): void {
    let data: WireServerMessage;
    try {
      data = JSON.parse(String(message.data)) as WireServerMessage;
    } catch {
      console.error('dropped a frame that is not JSON');
      return;
    }
    if ('events' in data) {
      for (const pushed of data.events) {
        const event = parseRunEvent(pushed);
        if (event) events.emit(event);
      }
      return;
    }
    if ('files' in data) {
      for (const pushed of data.files) {
        const file = parseOpenedFile(pushed);
        if (file) files.emit(file);
      }
      return;
    }
    const call = pending.get(data.id);
    if (!call) return;
    pending.delete(data.id);
    if ('error' in data) call.reject(new Error(data.error.message));
    else {
      try {
        call.resolve(parseApiResult(call.method, data.result));
      } catch (error) {
        call.reject(error as Error);
      }
    }
  }

  function onClose(): void {
    for (const call of pending.values()) call.reject(new Error(DISCONNECTED));
    pending.clear();
    unsent.length = 0;
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
  return {
    get connection() {
      return connection;
    },
    onConnectionChange: (listener) => connectionChanges.add(listener),
    onEvent: (listener) => events.add(listener),
    onFile: (listener) => files.add(listener),
    async fileRef(file) {
      // The browser gives no paths: the file goes to the server, which opens its copy.
      const response = await fetch(new URL(UPLOAD_PATH, url.replace(/^ws/, 'http')), {
        method: 'POST',
        headers: { [UPLOAD_NAME_HEADER]: encodeURIComponent(file.name), 'Content-Type': 'application/octet-stream' },
        body: file,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Could not upload ${file.name}: ${text.trim() || response.statusText}`);
      return (JSON.parse(text) as { path: string }).path;
    },
    call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      if (connection === 'closed') return Promise.reject(new Error(DISCONNECTED));
      const id = nextId++;
      const request: WireRequest = { id, method, params };
      return new Promise((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
        const frame = JSON.stringify(request);
        if (connection === 'open') socket.send(frame);
        else unsent.push(frame);
      });
    },
  };
}
