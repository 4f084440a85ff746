import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, params: unknown) => Promise<unknown>>();
  return {
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: (event: unknown, params: unknown) => Promise<unknown>) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

import type { BrowserWindow } from 'electron';
import { API_METHOD_NAMES, EVENT_CHANNEL, FILE_CHANNEL, ipcChannel, type ApiHandlers, type OpenedFile } from '../../shared/api/contract.js';
import type { RunEvent } from '../../shared/run/events.js';
import type { ApiService } from '../engine/service/api-service.js';
import { registerApi } from './ipc.js';

const WINDOW_ID = 7;

function fakeService() {
  const listeners = new Set<(event: RunEvent) => void>();
  const fileListeners = new Set<(file: OpenedFile) => void>();
  const handlers = Object.fromEntries(API_METHOD_NAMES.map((name) => [name, vi.fn(async (_params: unknown): Promise<unknown> => ({}))]));
  const service: ApiService = {
    handlers: handlers as unknown as ApiHandlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onFile(listener) {
      fileListeners.add(listener);
      return () => fileListeners.delete(listener);
    },
    close: async () => {},
  };
  return {
    service,
    handlers,
    listeners,
    fileListeners,
    emit: (event: RunEvent) => listeners.forEach((l) => l(event)),
    emitFile: (file: OpenedFile) => fileListeners.forEach((l) => l(file)),
  };
}

function fakeWindow() {
  const state = { destroyed: false };
  const webContents = { id: WINDOW_ID, send: vi.fn(), isDestroyed: () => state.destroyed };
  const window = { webContents, isDestroyed: () => state.destroyed };
  return { window: window as unknown as BrowserWindow, webContents, state };
}

function appEvent(overrides: { url?: string; senderId?: number; noFrame?: boolean } = {}) {
  return {
    sender: { id: overrides.senderId ?? WINDOW_ID },
    senderFrame: overrides.noFrame ? null : { url: overrides.url ?? 'app://trajdbg/index.html' },
  };
}

function invoke(method: string, params: unknown, event: unknown = appEvent()): Promise<unknown> {
  const handler = electron.handlers.get(`api:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler(event, params);
}

beforeEach(() => {
  electron.handlers.clear();
  vi.clearAllMocks();
});

describe('registerApi', () => {
  it('registers exactly one handler per API method, on its contract channel', () => {
    registerApi(fakeService().service, fakeWindow().window);
    expect(electron.ipcMain.handle).toHaveBeenCalledTimes(API_METHOD_NAMES.length);
    expect([...electron.handlers.keys()].sort()).toEqual(API_METHOD_NAMES.map(ipcChannel).sort());
  });

  it('calls the service with the validated params, defaults applied, and returns its result', async () => {
    const { service, handlers } = fakeService();
    handlers['run.events']!.mockResolvedValueOnce({ events: [] });
    registerApi(service, fakeWindow().window);
    await expect(invoke('run.events', { runId: 'r1' })).resolves.toEqual({ events: [] });
    expect(handlers['run.events']).toHaveBeenCalledExactlyOnceWith({ runId: 'r1', fromSeq: 0, limit: 5000 });
    await invoke('run.list', undefined);
    expect(handlers['run.list']).toHaveBeenCalledExactlyOnceWith({});
  });

  it.each([
    ['a page of another origin', appEvent({ url: 'https://evil.example/index.html' })],
    ['a file: page', appEvent({ url: 'file:///tmp/index.html' })],
    ['another app:// host', appEvent({ url: 'app://other/index.html' })],
    ['a frame that is gone', appEvent({ noFrame: true })],
    ['another web contents on the app origin', appEvent({ senderId: WINDOW_ID + 1 })],
    [
      'a frame disposed mid-call',
      {
        sender: { id: WINDOW_ID },
        get senderFrame() {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      },
    ],
  ])('refuses %s before reading the params', async (_what, event) => {
    const { service, handlers } = fakeService();
    registerApi(service, fakeWindow().window);
    await expect(invoke('run.control', { runId: 'r1', action: 'stop' }, event)).rejects.toThrow('refused: not the app window');
    await expect(invoke('run.control', 'not even params', event)).rejects.toThrow('refused: not the app window');
    expect(handlers['run.control']).not.toHaveBeenCalled();
  });

  it('rejects bad params with an error naming the field, without calling the service', async () => {
    const { service, handlers } = fakeService();
    registerApi(service, fakeWindow().window);
    await expect(invoke('run.control', { runId: 'r1', action: 'jump' })).rejects.toThrow(/^run\.control: action: /);
    await expect(invoke('run.events', { runId: 'r1', fromSeq: -1 })).rejects.toThrow(/^run\.events: fromSeq: /);
    await expect(invoke('run.start', { settings: { endpoint: {} } })).rejects.toThrow(/^run\.start: settings\.endpoint\.baseURL: /);
    expect(handlers['run.control']).not.toHaveBeenCalled();
    expect(handlers['run.start']).not.toHaveBeenCalled();
  });

  it('passes a service error on as a plain Error: its message, no stack, cause or fields', async () => {
    const { service, handlers } = fakeService();
    const original = Object.assign(new Error('no run with id r9', { cause: new Error('/home/me/secret/path') }), { code: 'ENOENT', path: '/home/me' });
    handlers['run.control']!.mockRejectedValueOnce(original);
    registerApi(service, fakeWindow().window);
    const error = await invoke('run.control', { runId: 'r9', action: 'stop' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBe(original);
    expect((error as Error).message).toBe('no run with id r9');
    expect(Object.keys(error as object)).toEqual([]);
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).stack).not.toContain(original.stack);
  });

  it('forwards run events to the window on the event channel, and not once it is destroyed', () => {
    const service = fakeService();
    const { window, webContents, state } = fakeWindow();
    registerApi(service.service, window);
    const event = { type: 'run.paused', runId: 'r1', seq: 3 } as unknown as RunEvent;
    service.emit(event);
    expect(webContents.send).toHaveBeenCalledExactlyOnceWith(EVENT_CHANNEL, event);
    state.destroyed = true;
    service.emit(event);
    expect(webContents.send).toHaveBeenCalledTimes(1);
  });

  it('forwards opened files’ progress on the file channel', () => {
    const service = fakeService();
    const { window, webContents } = fakeWindow();
    registerApi(service.service, window);
    const file = { fileId: 'f1', state: 'indexing' } as unknown as OpenedFile;
    service.emitFile(file);
    expect(webContents.send).toHaveBeenCalledExactlyOnceWith(FILE_CHANNEL, file);
  });

  it('removes every handler and the event subscription when disposed, so a new window can register', () => {
    const service = fakeService();
    const dispose = registerApi(service.service, fakeWindow().window);
    expect(service.listeners.size).toBe(1);
    dispose();
    expect(electron.handlers.size).toBe(0);
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledTimes(API_METHOD_NAMES.length);
    expect(service.listeners.size).toBe(0);
    expect(service.fileListeners.size).toBe(0);
    expect(() => registerApi(service.service, fakeWindow().window)).not.toThrow();
  });
});

describe('the IPC boundary', () => {
  it('is registered in ipc.ts alone: no other file of the shell imports ipcMain', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('.', import.meta.url);
    const users = readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => /\bipcMain\b/.test(readFileSync(new URL(file, dir), 'utf8')));
    expect(users).toEqual(['ipc.ts']);
  });
});
