import type { ApiMethod, ApiParams, ApiResult, OpenedFile } from '../../../shared/api/contract.js';
import type { TrajdbgBridge } from '../../../shared/api/bridge.js';
import type { RunEvent } from '../../../shared/run/events.js';
import { Listeners, parseApiResult, parseOpenedFile, parseRunEvent, type EngineClient } from './engine-client.js';

/** Electron prefixes errors thrown in a main-process handler; the user only needs the message. */
function cleanIpcError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(message.replace(/^Error invoking remote method '[^']*': /, '').replace(/^Error: /, ''));
}

/** The API over the desktop preload bridge (`window.trajdbg`). IPC never disconnects. */
export function createIpcClient(bridge: TrajdbgBridge): EngineClient {
  const events = new Listeners<RunEvent>();
  bridge.onEvent((raw) => {
    const event = parseRunEvent(raw);
    if (event) events.emit(event);
  });
  const files = new Listeners<OpenedFile>();
  bridge.onFile((raw) => {
    const file = parseOpenedFile(raw);
    if (file) files.emit(file);
  });
  return {
    connection: 'open',
    onConnectionChange: () => () => undefined,
    onEvent: (listener) => events.add(listener),
    onFile: (listener) => files.add(listener),
    async fileRef(file) {
      const path = bridge.pathForFile(file);
      if (!path) throw new Error(`${file.name}: this file has no path on disk (was it dragged from another app?)`);
      return path;
    },
    async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
      let result: unknown;
      try {
        result = await bridge.invoke(method, params);
      } catch (error) {
        throw cleanIpcError(error);
      }
      return parseApiResult(method, result);
    },
  };
}
