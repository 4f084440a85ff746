import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import {
  API_METHOD_NAMES,
  EVENT_CHANNEL,
  FILE_CHANNEL,
  ipcChannel,
  parseApiParams,
  type ApiHandlers,
  type ApiMethod,
  type ApiResult,
} from '../../shared/api/contract.js';
import type { ApiService } from '../engine/service/api-service.js';
import { isAppUrl } from './app-origin.js';

/**
 * The one place the main process listens to the renderer. Every API method gets one handler;
 * each handler refuses callers other than the app window's own pages before it reads anything.
 */

function isAppWindow(event: IpcMainInvokeEvent, windowContentsId: number): boolean {
  try {
    const frame = event.senderFrame;
    return frame !== null && isAppUrl(frame.url) && event.sender.id === windowContentsId;
  } catch {
    // A frame disposed mid-call throws on access: it is not a caller we can vouch for.
    return false;
  }
}

function call<M extends ApiMethod>(handlers: ApiHandlers, method: M, params: unknown): Promise<ApiResult<M>> {
  const handler: ApiHandlers[M] = handlers[method];
  return handler(parseApiParams(method, params));
}

/**
 * Serves `service` to `window`: one `ipcMain.handle` per API method (sender checked, params
 * validated) and the service's run events sent on {@link EVENT_CHANNEL}. Errors reach the
 * renderer as their message only. Returns a function that removes it all.
 */
export function registerApi(service: ApiService, window: BrowserWindow): () => void {
  const contents = window.webContents;
  const windowContentsId = contents.id;

  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, params: unknown) => {
      if (!isAppWindow(event, windowContentsId)) throw new Error('refused: not the app window');
      try {
        return await call(service.handlers, method, params);
      } catch (error) {
        // A fresh Error: no stack, cause or extra fields cross into the renderer.
        throw new Error(error instanceof Error ? error.message : String(error));
      }
    });
  }

  const unsubscribe = service.onEvent((runEvent) => {
    if (window.isDestroyed() || contents.isDestroyed()) return;
    contents.send(EVENT_CHANNEL, runEvent);
  });

  const unsubscribeFiles = service.onFile((file) => {
    if (window.isDestroyed() || contents.isDestroyed()) return;
    contents.send(FILE_CHANNEL, file);
  });

  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
    unsubscribe();
    unsubscribeFiles();
  };
}
