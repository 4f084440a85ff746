import type { TrajdbgBridge } from '#shared/api/bridge.js';

declare global {
  interface Window {
    /** The desktop app's preload bridge; absent in a browser (serve mode). */
    trajdbg?: TrajdbgBridge;
  }
}
