import type { RunEvent } from '../run/events.js';

/**
 * What the desktop preload exposes on `window.trajdbg` through contextBridge: the API contract's
 * invoke and event channel, nothing else (no Node, no ipcRenderer).
 */
export interface TrajdbgBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (event: RunEvent) => void): () => void;
}
