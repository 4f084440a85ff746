import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * A stand-in for Electron's IPC: ipcMain and ipcRenderer share one emitter, and a port the page
 * posts arrives in the main process wrapped as a MessagePortMain (its messages as `{data}`). The
 * ports themselves are Node's MessageChannel, so frames really cross an asynchronous pipe.
 */
const electron = vi.hoisted(() => ({
  ipcMain: null as unknown as EventEmitter,
  page: { url: 'app://trajdbg/index.html', senderId: 7 },
  exposed: new Map<string, unknown>(),
}));
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  electron.ipcMain ??= new EventEmitter();
  return {
    ipcMain: electron.ipcMain,
    ipcRenderer: {
      postMessage(channel: string, _message: unknown, transfer: MessagePort[] = []) {
        const event = { ports: transfer.map(asMainPort), sender: { id: electron.page.senderId }, senderFrame: { url: electron.page.url } };
        electron.ipcMain.emit(channel, event);
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void electron.exposed.set(key, api) },
    webUtils: { getPathForFile: () => '' },
  };
});

/** Electron's MessagePortMain over a Node port: 'message' gives `{data}`, 'close' when either end closes. */
function asMainPort(port: MessagePort) {
  const main = new EventEmitter();
  const node = port as unknown as EventEmitter & MessagePort;
  node.on('message', (data: unknown) => main.emit('message', { data, ports: [] }));
  node.on('close', () => main.emit('close'));
  return Object.assign(main, { postMessage: (data: unknown) => port.postMessage(data), start: () => port.start(), close: () => port.close() });
}

import type { BrowserWindow } from 'electron';
import { API_METHOD_NAMES, type ApiHandlers, type OpenedFile } from '#shared/api/contract.js';
import type { TrajdbgBridge } from '#shared/api/bridge.js';
import { RPC_CHANNEL } from '#shared/api/wire.js';
import { ApiError } from '#shared/rpc/errors.js';
import { MAX_FRAME_BYTES } from '#shared/rpc/frames.js';
import type { RunEvent } from '#shared/run/events.js';
import type { ApiService } from '../engine/service/api-service.js';
import { createIpcClient } from '../../renderer/src/api/ipc-client.js';
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

const fakeWindow = { webContents: { id: WINDOW_ID } } as unknown as BrowserWindow;

/** Every MessageChannel a loaded preload made, to close a page's end as a navigation does. */
const channels: MessageChannel[] = [];
class RecordedChannel extends MessageChannel {
  constructor() {
    super();
    channels.push(this);
  }
}

/** Loads the real preload as a new page does; the frames it delivers to the page are recorded. */
async function loadPage(page: { url?: string; senderId?: number } = {}) {
  electron.page = { url: page.url ?? 'app://trajdbg/index.html', senderId: page.senderId ?? WINDOW_ID };
  electron.exposed.clear();
  vi.resetModules();
  await import('../preload/preload.js');
  const bridge = electron.exposed.get('trajdbg') as TrajdbgBridge;
  const channel = channels.at(-1)!;
  const received: unknown[] = [];
  bridge.onFrame((frame) => received.push(JSON.parse(frame)));
  return { bridge, received, close: () => channel.port1.close() };
}

/** Waits until `check` passes (frames cross the port asynchronously). */
async function until(check: () => void): Promise<void> {
  await vi.waitFor(check, { timeout: 2000, interval: 5 });
}

/** Lets a few rounds of port messages go by, for asserting that something did not arrive. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

const disposers: Array<() => void> = [];
beforeEach(() => {
  vi.stubGlobal('MessageChannel', RecordedChannel);
  electron.ipcMain?.removeAllListeners();
});
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose();
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
  vi.unstubAllGlobals();
});

function serve(service: ApiService): void {
  disposers.push(registerApi(service, fakeWindow));
}

describe('the IPC pipe (preload port, main-process server, renderer client)', () => {
  it('round-trips calls by id, the params validated with defaults applied and the result checked', async () => {
    const { service, handlers } = fakeService();
    handlers['run.events']!.mockImplementation(async () => new Promise((resolve) => setTimeout(() => resolve({ events: [], complete: true }), 20)));
    handlers['run.list']!.mockResolvedValue({ runs: [] });
    serve(service);
    const { bridge, received } = await loadPage();
    const client = createIpcClient(bridge);
    const [events, list] = await Promise.all([client.call('run.events', { runId: 'r1' }), client.call('run.list', {})]);
    expect(events).toEqual({ events: [], complete: true });
    expect(list).toEqual({ runs: [] });
    expect(handlers['run.events']).toHaveBeenCalledExactlyOnceWith({ runId: 'r1', fromSeq: 0, limit: 5000 });
    // The faster call's reply came first, matched by its id.
    expect(received).toEqual([
      { id: 2, result: { runs: [] } },
      { id: 1, result: { events: [], complete: true } },
    ]);
  });

  it('rejects with the typed code and the engine’s own message, nothing of the original error crossing', async () => {
    const { service, handlers } = fakeService();
    handlers['run.branch']!.mockRejectedValue(new ApiError('needs_endpoint', 'run "rec" has no model: choose a model endpoint for the branch', 'run.branch'));
    handlers['run.control']!.mockRejectedValue(Object.assign(new Error('no run with id r9', { cause: new Error('/home/me/secret') }), { code: 'ENOENT', path: '/home/me' }));
    serve(service);
    const { bridge, received } = await loadPage();
    const client = createIpcClient(bridge);
    await expect(client.call('run.branch', { runId: 'r', change: { kind: 'resample', turn: 1 } })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'needs_endpoint',
      method: 'run.branch',
      message: 'run "rec" has no model: choose a model endpoint for the branch',
    });
    await expect(client.call('run.control', { runId: 'r9', action: 'stop' })).rejects.toMatchObject({ code: 'internal', message: 'no run with id r9', method: 'run.control' });
    expect(received.at(-1)).toEqual({ id: 2, error: { code: 'internal', message: 'no run with id r9', method: 'run.control' } });
  });

  it('answers bad params and unknown methods with typed errors, without calling the service', async () => {
    const { service, handlers } = fakeService();
    serve(service);
    const { bridge, received } = await loadPage();
    const client = createIpcClient(bridge);
    await expect(client.call('run.control', { runId: 'r1', action: 'jump' } as never)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/^run\.control: action: /) });
    bridge.send(JSON.stringify({ id: 40, method: 'fs.readFile', params: {} }));
    await until(() => expect(received.at(-1)).toEqual({ id: 40, error: { code: 'unknown_method', method: 'fs.readFile', message: "unknown API method 'fs.readFile'" } }));
    expect(handlers['run.control']).not.toHaveBeenCalled();
  });

  it('refuses a frame that is not JSON, or over MAX_FRAME_BYTES, with a typed error and keeps serving', async () => {
    const { service, handlers } = fakeService();
    serve(service);
    const { bridge, received } = await loadPage();
    handlers['run.list']!.mockResolvedValue({ runs: [] });
    bridge.send('{not json');
    bridge.send(`{"id":1,"method":"run.list","params":"${'x'.repeat(MAX_FRAME_BYTES)}"}`);
    await until(() => expect(received).toHaveLength(2));
    expect(received[0]).toMatchObject({ error: { code: 'bad_message', message: expect.stringMatching(/^not JSON/) } });
    // Too large to read, yet answered by its id, so the call that sent it fails instead of waiting.
    expect(received[1]).toEqual({ id: 1, error: { code: 'too_large', method: 'run.list', message: 'run.list: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request' } });
    expect(handlers['run.list']).not.toHaveBeenCalled();
    // The page's own client refuses such a request before sending it.
    const client = createIpcClient(bridge);
    await expect(client.call('run.start', { note: 'x'.repeat(MAX_FRAME_BYTES) } as never)).rejects.toMatchObject({ code: 'too_large', method: 'run.start' });
    await expect(client.call('run.list', {})).resolves.toEqual({ runs: [] });
  });

  it('cancels: the call rejects at once and the engine drops its reply', async () => {
    const { service, handlers } = fakeService();
    let finish!: (value: unknown) => void;
    handlers['run.list']!.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    serve(service);
    const { bridge, received } = await loadPage();
    const client = createIpcClient(bridge);
    const abort = new AbortController();
    const call = client.call('run.list', {}, abort.signal);
    await until(() => expect(handlers['run.list']).toHaveBeenCalled());
    abort.abort();
    await expect(call).rejects.toMatchObject({ code: 'cancelled', method: 'run.list' });
    await settle(); // the cancel reaches the engine
    finish({ runs: [] });
    await settle();
    expect(received).toEqual([]);
  });

  it('pushes run events in numbered batches, one per tick, and file statuses', async () => {
    const fake = fakeService();
    serve(fake.service);
    const { bridge, received } = await loadPage();
    const client = createIpcClient(bridge);
    const seen: number[] = [];
    client.onEvent((event) => seen.push(event.seq));
    const files: unknown[] = [];
    client.onFile((file) => files.push(file.fileId));
    const event = (seq: number) => ({ type: 'turn_started', turn: 1, runId: 'r', seq, time: 0 }) as RunEvent;
    fake.emit(event(1));
    fake.emit(event(2));
    await new Promise((resolve) => setImmediate(resolve));
    fake.emit(event(3));
    const status = { fileId: 'f', path: '/d/a.jsonl', name: 'a.jsonl', size: 10, format: null, state: 'indexing', bytesRead: 0, trajectories: 0, problems: [], problemCount: 0, error: null, elapsedMs: 0, focusIndex: null };
    fake.emitFile(status as unknown as OpenedFile);
    await until(() => expect(seen).toEqual([1, 2, 3]));
    await until(() => expect(files).toEqual(['f']));
    expect(received.filter((m) => 'seq' in (m as object))).toEqual([
      { seq: 1, events: [event(1), event(2)] },
      { seq: 2, events: [event(3)] },
    ]);
  });

  it('gives each page load its own connection: a reloaded page never gets the replies meant for the one before', async () => {
    const { service, handlers } = fakeService();
    let finishOld!: (value: unknown) => void;
    handlers['run.events']!.mockImplementationOnce(() => new Promise((resolve) => (finishOld = resolve))).mockResolvedValue({ events: [], complete: true });
    serve(service);
    const first = await loadPage();
    void createIpcClient(first.bridge)
      .call('run.events', { runId: 'old' })
      .catch(() => undefined);
    await until(() => expect(handlers['run.events']).toHaveBeenCalledOnce());
    first.close(); // the page navigates away: its port closes
    const second = await loadPage();
    const client = createIpcClient(second.bridge);
    await settle();
    const call = client.call('run.events', { runId: 'new' }); // id 1, as the old page's call was
    finishOld({ events: [], complete: false });
    await expect(call).resolves.toEqual({ events: [], complete: true });
    await settle();
    expect(second.received).toEqual([{ id: 1, result: { events: [], complete: true } }]);
  });

  it.each([
    ['a page of another origin', { url: 'https://evil.example/index.html' }],
    ['a file: page', { url: 'file:///tmp/index.html' }],
    ['another app:// host', { url: 'app://other/index.html' }],
    ['another web contents on the app origin', { senderId: WINDOW_ID + 1 }],
  ])('refuses the port of %s before reading anything from it', async (_what, page) => {
    const { service, handlers } = fakeService();
    serve(service);
    const { bridge, received } = await loadPage(page);
    bridge.send(JSON.stringify({ id: 1, method: 'run.control', params: { runId: 'r1', action: 'stop' } }));
    await settle();
    expect(handlers['run.control']).not.toHaveBeenCalled();
    expect(received).toEqual([]);
  });
});

describe('registerApi', () => {
  function portEvent(event: Record<string, unknown>) {
    const channel = new MessageChannel();
    channels.push(channel);
    const closed = new Promise<void>((resolve) => (channel.port1 as unknown as EventEmitter).once('close', () => resolve()));
    // Copied property by property: the disposed frame's getter must throw when the host reads it.
    return { event: Object.defineProperties({ ports: [asMainPort(channel.port2)] }, Object.getOwnPropertyDescriptors(event)), closed };
  }

  it.each([
    ['a frame that is gone', { sender: { id: WINDOW_ID }, senderFrame: null }],
    [
      'a frame disposed mid-call',
      {
        sender: { id: WINDOW_ID },
        get senderFrame() {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      },
    ],
  ])('closes the port of %s at once', async (_what, event) => {
    serve(fakeService().service);
    const { event: withPort, closed } = portEvent(event);
    electron.ipcMain.emit(RPC_CHANNEL, withPort);
    await closed;
  });

  it('listens on one channel only, and removes it all when disposed so a new window can register', async () => {
    const fake = fakeService();
    const dispose = registerApi(fake.service, fakeWindow);
    expect(electron.ipcMain.eventNames()).toEqual([RPC_CHANNEL]);
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(1);
    const page = await loadPage();
    const pageClosed = new Promise<void>((resolve) => (channels.at(-1)!.port1 as unknown as EventEmitter).once('close', () => resolve()));
    expect(fake.listeners.size).toBe(1);
    expect(page.bridge).toBeDefined();
    dispose();
    await pageClosed;
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(0);
    expect(fake.listeners.size).toBe(0);
    expect(fake.fileListeners.size).toBe(0);
    serve(fake.service);
    expect(electron.ipcMain.listenerCount(RPC_CHANNEL)).toBe(1);
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
