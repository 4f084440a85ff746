import type { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrajdbgBridge } from '#shared/api/bridge.js';
import { RPC_CHANNEL } from '#shared/api/wire.js';

/** A stand-in for Electron's ipcRenderer and contextBridge, shared by the source and the bundle. */
function fakeElectron() {
  const ipcRenderer = { postMessage: vi.fn<(channel: string, message: unknown, transfer?: MessagePort[]) => void>() };
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

type Loaded = { fake: ReturnType<typeof fakeElectron>; bridge: TrajdbgBridge };

async function loadPreload(): Promise<Loaded> {
  electron.current = fakeElectron();
  vi.resetModules();
  await import('./preload.js');
  return { fake: electron.current, bridge: electron.current.exposed.get('trajdbg') as TrajdbgBridge };
}

/** The port the preload handed to the main process (Node's MessagePort, as an emitter). */
function enginePort(fake: ReturnType<typeof fakeElectron>): MessagePort & EventEmitter {
  return fake.ipcRenderer.postMessage.mock.calls[0]![2]![0] as MessagePort & EventEmitter;
}

function nextMessage(port: EventEmitter): Promise<unknown> {
  return new Promise((resolve) => port.once('message', resolve));
}

/**
 * Checks a loaded bridge (from the TypeScript source, or the built bundle): the same behaviour
 * must hold for both.
 */
function bridgeContract(load: () => Promise<Loaded>) {
  let fake: ReturnType<typeof fakeElectron>;
  let bridge: TrajdbgBridge;
  let port: MessagePort & EventEmitter;
  beforeEach(async () => {
    ({ fake, bridge } = await load());
    port = enginePort(fake);
  });
  afterEach(() => port.close());

  it('exposes only window.trajdbg: a frame pipe and a dropped file’s path, nothing else', () => {
    expect(fake.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect([...fake.exposed.keys()]).toEqual(['trajdbg']);
    expect(Object.keys(bridge).sort()).toEqual(['onFrame', 'pathForFile', 'send']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(bridge.pathForFile({ name: 'a.jsonl' } as File)).toBe('/dropped/a.jsonl');
  });

  it('hands the main process one port on the RPC channel as it loads, with no other payload', () => {
    expect(fake.ipcRenderer.postMessage).toHaveBeenCalledOnce();
    const [channel, message, transfer] = fake.ipcRenderer.postMessage.mock.calls[0]!;
    expect(channel).toBe(RPC_CHANNEL);
    expect(message).toBeNull();
    expect(transfer).toHaveLength(1);
  });

  it('carries the page’s frames to the engine’s port, as they are', async () => {
    const arrived = nextMessage(port);
    bridge.send('{"id":1,"method":"run.list","params":{}}');
    expect(await arrived).toBe('{"id":1,"method":"run.list","params":{}}');
  });

  it('passes the page only the frame text from the engine, to every listener until it unsubscribes', async () => {
    const first = vi.fn();
    const second = vi.fn();
    const off = bridge.onFrame(first);
    bridge.onFrame(second);
    port.postMessage({ not: 'a frame' });
    port.postMessage('{"seq":1,"events":[]}');
    await vi.waitFor(() => expect(second).toHaveBeenCalledOnce());
    expect(first.mock.calls).toEqual([['{"seq":1,"events":[]}']]);
    off();
    port.postMessage('{"seq":2,"events":[]}');
    await vi.waitFor(() => expect(second).toHaveBeenCalledTimes(2));
    expect(first).toHaveBeenCalledOnce();
  });

  it('refuses a frame that is not text and a listener that is not a function', () => {
    expect(() => bridge.send({ id: 1 } as never)).toThrow(TypeError);
    expect(() => bridge.onFrame('nope' as never)).toThrow(TypeError);
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
    runInNewContext(readFileSync(BUNDLE, 'utf8'), { require, module, exports: module.exports, Error, TypeError, Promise, Object, JSON, String, Set, MessageChannel });
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
