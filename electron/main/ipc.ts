import { ipcMain, type BrowserWindow, type IpcMainEvent, type MessagePortMain } from 'electron';
import { apiCall, type OpenedFile } from '#shared/api/contract.js';
import { RPC_CHANNEL } from '#shared/api/wire.js';
import { createEventBatcher, serveRpc, type RpcServerConnection, type RpcServerMessage } from '#shared/rpc/protocol.js';
import type { RunEvent } from '#shared/run/events.js';
import type { ApiService } from '../engine/service/api-service.js';
import { isAppUrl } from './app-origin.js';

/**
 * The one place the main process listens to the renderer. Each page load of the app window
 * hands over one end of a MessageChannel on {@link RPC_CHANNEL}; that port then carries
 * shared/rpc/protocol.ts in JSON text frames, as the serve host's WebSocket does: the same ids,
 * replies, typed errors, numbered event batches and cancellation, written once in shared/rpc.
 */

function isAppWindow(event: IpcMainEvent, windowContentsId: number): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && isAppUrl(frame.url) && event.sender.id === windowContentsId;
  } catch {
    // A frame disposed mid-call throws on access: it is not a caller we can vouch for.
    return false;
  }
}

/**
 * Serves `service` to `window`: a port handed over by the app window's own pages (the sender
 * checked before anything is read) gets the API, every request validated against the contract,
 * and the service's run events and file statuses pushed. Returns a function that removes it all.
 */
export function registerApi(service: ApiService, window: BrowserWindow): () => void {
  const windowContentsId = window.webContents.id;
  const call = apiCall(service.handlers);
  const connections = new Map<MessagePortMain, RpcServerConnection>();

  function post(port: MessagePortMain, text: string): void {
    try {
      port.postMessage(text);
    } catch (error) {
      // Never let a transport problem reach the engine that emitted the event.
      console.error(`ipc: could not reach the page: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function disconnect(port: MessagePortMain): void {
    connections.get(port)?.close();
    connections.delete(port);
  }

  function connect(event: IpcMainEvent): void {
    const [port, ...extra] = event.ports;
    if (!port || extra.length > 0 || !isAppWindow(event, windowContentsId)) {
      for (const refused of event.ports) refused.close();
      return;
    }
    const connection = serveRpc(call, (message) => post(port, JSON.stringify(message)));
    connections.set(port, connection);
    port.on('message', (message) => connection.receiveFrame(message.data));
    port.on('close', () => disconnect(port));
    port.start();
  }

  function broadcast(message: RpcServerMessage): void {
    if (connections.size === 0) return;
    const text = JSON.stringify(message);
    for (const port of connections.keys()) post(port, text);
  }

  // Events go out once per tick, numbered: a fast run (a replay) emits thousands per second.
  const batcher = createEventBatcher<RunEvent>(broadcast, setImmediate);
  const unsubscribe = service.onEvent((runEvent) => {
    if (connections.size > 0) batcher.push(runEvent);
  });
  const unsubscribeFiles = service.onFile((file: OpenedFile) => broadcast({ files: [file] }));
  ipcMain.on(RPC_CHANNEL, connect);

  return () => {
    ipcMain.removeListener(RPC_CHANNEL, connect);
    for (const port of [...connections.keys()]) {
      disconnect(port);
      port.close();
    }
    unsubscribe();
    unsubscribeFiles();
  };
}
