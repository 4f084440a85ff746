import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { API_METHOD_NAMES, EVENT_CHANNEL, FILE_CHANNEL } from '../../shared/api/contract.js';
import type { TrajdbgBridge } from '../../shared/api/bridge.js';

/** A stand-in for Electron's ipcRenderer and contextBridge, shared by the source and the bundle. */
function fakeElectron() {
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn<(channel: string, params: unknown) => Promise<unknown>>() });
  const exposed = new Map<string, unknown>();
  const contextBridge = { exposeInMainWorld: vi.fn((key: string, api: unknown) => void exposed.set(key, api)) };
  const webUtils = { getPathForFile: vi.fn((file: { name: string }) => `/dropped/${file.name}`) };
  return { ipcRenderer, contextBridge, webUtils, exposed };
}

const electron = vi.hoisted(() => ({ current: null as unknown as ReturnType<typeof fakeElectron> }));
vi.mock('electron', () => ({
  get ipcRenderer() {
    return electron.current.ipcRenderer;
  },
  get contextBridge() {
    return electron.current.contextBridge;
  },
  get webUtils() {
    return electron.current.webUtils;
  },
}));

async function loadPreload(): Promise<{ fake: ReturnType<typeof fakeElectron>; bridge: TrajdbgBridge }> {
  electron.current = fakeElectron();
  vi.resetModules();
  await import('./preload.js');
  return { fake: electron.current, bridge: electron.current.exposed.get('trajdbg') as TrajdbgBridge };
}

/**
 * Checks a loaded bridge (from the TypeScript source, or the built bundle): the same behaviour
 * must hold for both.
 */
function bridgeContract(load: () => Promise<{ fake: ReturnType<typeof fakeElectron>; bridge: TrajdbgBridge }>) {
  let fake: ReturnType<typeof fakeElectron>;
  let bridge: TrajdbgBridge;
  beforeEach(async () => {
    ({ fake, bridge } = await load());
  });

  it('exposes only window.trajdbg: invoke, the two push channels and a dropped file’s path, nothing else', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect([...fake.exposed.keys()]).toEqual(['trajdbg']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent', 'onFile', 'pathForFile']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  it('passes the page only the file status on the file channel, and a dropped file’s path', () => {
    const listener = vi.fn();
    const off = bridge.onFile(listener);
    const status = { fileId: 'f1' };
    fake.ipcRenderer.emit(FILE_CHANNEL, { sender: fake.ipcRenderer }, status);
    expect(listener.mock.calls).toEqual([[status]]);
    off();
    expect(fake.ipcRenderer.listenerCount(FILE_CHANNEL)).toBe(0);
    expect(bridge.pathForFile({ name: 'a.jsonl' } as File)).toBe('/dropped/a.jsonl');
  });

  it('invokes each API method on its channel', async () => {
    fake.ipcRenderer.invoke.mockResolvedValue({ runs: [] });
    for (const method of API_METHOD_NAMES) {
      await bridge.invoke(method, { x: 1 });
      expect(fake.ipcRenderer.invoke).toHaveBeenLastCalledWith(`api:${method}`, { x: 1 });
    }
    await expect(bridge.invoke('run.list', {})).resolves.toEqual({ runs: [] });
  });

  it.each(['run.delete', 'api:run.list', '__proto__', 'toString', 'constructor', '', 42, null])('refuses the unknown method %s without touching IPC', async (method) => {
    await expect(bridge.invoke(method as string, {})).rejects.toThrow(/unknown API method/);
    expect(fake.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it("rejects with the engine's message, without Electron's remote-method prefix", async () => {
    fake.ipcRenderer.invoke.mockRejectedValue(new Error("Error invoking remote method 'api:run.control': Error: run.control: action: Invalid option"));
    await expect(bridge.invoke('run.control', {})).rejects.toThrow(/^run\.control: action: Invalid option$/);
  });

  it('passes the page only the run event, never the IpcRendererEvent', () => {
    const listener = vi.fn();
    bridge.onEvent(listener);
    const runEvent = { type: 'run.paused', runId: 'r1', seq: 1 };
    const ipcEvent = { sender: fake.ipcRenderer, senderFrame: {}, ports: [] };
    fake.ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, runEvent);
    expect(listener).toHaveBeenCalledOnce();
    expect(listener.mock.calls[0]).toEqual([runEvent]);
    expect(listener.mock.calls[0]![0]).toBe(runEvent);
  });

  it('unsubscribes', () => {
    const listener = vi.fn();
    const off = bridge.onEvent(listener);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(1);
    off();
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    fake.ipcRenderer.emit(EVENT_CHANNEL, {}, { type: 'run.paused' });
    expect(listener).not.toHaveBeenCalled();
  });

  it('refuses a listener that is not a function', () => {
    expect(() => bridge.onEvent('nope' as never)).toThrow(TypeError);
    expect(fake.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
}

describe('the preload (source)', () => {
  bridgeContract(loadPreload);
});

const BUNDLE = new URL('../../out/preload/preload.cjs', import.meta.url);

describe('the preload bundle (out/preload/preload.cjs)', () => {
  if (!existsSync(BUNDLE)) {
    it.skip('is not built: run `npm run build:preload` to test the bundle', () => {});
    return;
  }

  /**
   * Runs the bundle as a sandboxed preload runs: a CommonJS script whose `require` knows
   * 'electron' only (no fs, no path, no other file).
   */
  async function loadBundle() {
    const fake = fakeElectron();
    const required: string[] = [];
    const require = (id: string) => {
      required.push(id);
      if (id === 'electron') return { ipcRenderer: fake.ipcRenderer, contextBridge: fake.contextBridge, webUtils: fake.webUtils };
      throw new Error(`a sandboxed preload cannot require '${id}'`);
    };
    const module = { exports: {} };
    runInNewContext(readFileSync(BUNDLE, 'utf8'), { require, module, exports: module.exports, Error, TypeError, Promise, Object, JSON, String });
    expect(required).toEqual(['electron']);
    return { fake, bridge: fake.exposed.get('trajdbg') as TrajdbgBridge };
  }

  it('is one CommonJS script: no import statements, no dynamic import', () => {
    const code = readFileSync(BUNDLE, 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code).not.toMatch(/\bimport\(/);
    expect(code).not.toMatch(/^\s*export\s/m);
  });

  bridgeContract(loadBundle);
});
