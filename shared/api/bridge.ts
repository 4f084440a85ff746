/**
 * What the desktop preload exposes on `window.trajdbg` through contextBridge: a pipe of RPC frames
 * (JSON text, see shared/rpc/frames.ts) to the engine and back, and a dropped file's path. Nothing
 * else crosses: no Node, no ipcRenderer, no Electron event or port object.
 */
export interface TrajdbgBridge {
  /** Sends one frame to the engine. */
  send(frame: string): void;
  /** Calls `listener` with every frame from the engine. Returns an unsubscribe function. */
  onFrame(listener: (frame: string) => void): () => void;
  /** The path of a file dropped on the page (Electron's webUtils.getPathForFile); '' if it has none. */
  pathForFile(file: File): string;
}
