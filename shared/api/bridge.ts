import type { RunEvent } from '../run/events.js';
import type { OpenedFile } from './contract.js';

/**
 * What the desktop preload exposes on `window.trajdbg` through contextBridge: the API contract's
 * invoke and event channel, nothing else (no Node, no ipcRenderer).
 */
export interface TrajdbgBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  onEvent(listener: (event: RunEvent) => void): () => void;
  onFile(listener: (file: OpenedFile) => void): () => void;
  /** The path of a file dropped on the page (Electron's webUtils.getPathForFile); '' if it has none. */
  pathForFile(file: File): string;
}
