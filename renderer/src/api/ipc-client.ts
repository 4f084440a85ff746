import type { TrajdbgBridge } from '#shared/api/bridge.js';
import { createEngineRpc, type EngineClient } from './engine-client.js';

/**
 * The API over the desktop preload bridge (`window.trajdbg`): shared/rpc/protocol.ts in JSON text
 * frames, as over the WebSocket. The IPC port lives as long as the page, so it never disconnects.
 */
export function createIpcClient(bridge: TrajdbgBridge): EngineClient {
  const rpc = createEngineRpc((frame) => bridge.send(frame));
  bridge.onFrame((frame) => rpc.receiveFrame(frame));
  return {
    connection: 'open',
    onConnectionChange: () => () => undefined,
    onEvent: (listener) => rpc.events.add(listener),
    onFile: (listener) => rpc.files.add(listener),
    async fileRef(file) {
      const path = bridge.pathForFile(file);
      if (!path) throw new Error(`${file.name}: this file has no path on disk (was it dragged from another app?)`);
      return path;
    },
    call: rpc.call,
  };
}
