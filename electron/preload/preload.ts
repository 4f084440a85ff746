import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { TrajdbgBridge } from '../../shared/api/bridge.js';
import { EVENT_CHANNEL, FILE_CHANNEL, ipcChannel, isApiMethod, type OpenedFile } from '../../shared/api/contract.js';
import type { RunEvent } from '../../shared/run/events.js';

/**
 * The only thing the page gets from the preload: `window.trajdbg`, the API contract's invoke and
 * event channel. No ipcRenderer, no Node, no event objects cross the bridge. Bundled to one
 * CommonJS file (out/preload/preload.cjs): a sandboxed preload cannot load ESM or other files.
 */

// Electron prefixes a rejected invoke with the channel; the page should see the engine's message.
const REMOTE_ERROR_PREFIX = /^Error invoking remote method '[^']*': (?:Error: )?/;

const bridge: TrajdbgBridge = {
  invoke(method: string, params: unknown): Promise<unknown> {
    if (!isApiMethod(method)) return Promise.reject(new Error(`unknown API method '${String(method)}'`));
    return ipcRenderer.invoke(ipcChannel(method), params).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(message.replace(REMOTE_ERROR_PREFIX, ''));
    });
  },
  onEvent(listener: (event: RunEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a listener function');
    const forward = (_event: IpcRendererEvent, runEvent: RunEvent): void => listener(runEvent);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  onFile(listener: (file: OpenedFile) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onFile needs a listener function');
    const forward = (_event: IpcRendererEvent, file: OpenedFile): void => listener(file);
    ipcRenderer.on(FILE_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(FILE_CHANNEL, forward);
    };
  },
  pathForFile(file: File): string {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('trajdbg', bridge);
