import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { TrajdbgBridge } from '#shared/api/bridge.js';
import { RPC_CHANNEL } from '#shared/api/wire.js';

/**
 * The only thing the page gets from the preload: `window.trajdbg`, a pipe of RPC frames to the
 * engine (shared/rpc does the requests, replies, errors and events on both ends) and a dropped
 * file's path. No ipcRenderer, port, Node or event object crosses the bridge. Bundled to one
 * CommonJS file (out/preload/preload.cjs): a sandboxed preload cannot load ESM or other files.
 */

// Each page load hands the main process one end of a fresh channel: replies still in flight for
// an earlier page (before a reload) go to its closed port, never to this one.
const { port1: port, port2: enginePort } = new MessageChannel();
ipcRenderer.postMessage(RPC_CHANNEL, null, [enginePort]);

const listeners = new Set<(frame: string) => void>();
port.addEventListener('message', (event) => {
  // A MessageEvent (the preload is type-checked without the DOM's types).
  const { data } = event as Event & { data?: unknown };
  if (typeof data !== 'string') return;
  for (const listener of listeners) listener(data);
});
port.start();

const bridge: TrajdbgBridge = {
  send(frame: string): void {
    if (typeof frame !== 'string') throw new TypeError('send needs a JSON text frame');
    port.postMessage(frame);
  },
  onFrame(listener: (frame: string) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onFrame needs a listener function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('trajdbg', bridge);
