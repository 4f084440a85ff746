import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type * as NodeFs from 'node:fs';
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';

/** A scripted Electron: the app's lifecycle events, one window class, the session and IPC. */
function fakeElectron(options: { gotLock: boolean }) {
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    ready: null as null | (() => void),
    requestSingleInstanceLock: vi.fn(() => options.gotLock),
    enableSandbox: vi.fn(() => void calls.push('enableSandbox')),
    whenReady: vi.fn(() => new Promise<void>((resolve) => (app.ready = resolve))),
    getPath: vi.fn((name: string) => `/home/u/.config/trajdbg-${name}`),
    getAppPath: vi.fn(() => '/opt/trajdbg/resources/app.asar'),
    getVersion: vi.fn(() => '0.1.0'),
    quit: vi.fn(() => void calls.push('quit')),
    exit: vi.fn(),
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    webContents = { id: windows.length + 1, send: vi.fn(), isDestroyed: () => false };
    loadURL = vi.fn(async (url: string) => void calls.push(`loadURL ${url}`));
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isDestroyed = () => false;
    constructor(public options: { webPreferences: { preload: string } }) {
      super();
      windows.push(this);
      calls.push('new BrowserWindow');
    }
    static getAllWindows = () => windows;
  }
  const defaultSession = {
    protocol: { handle: vi.fn((scheme: string) => void calls.push(`protocol.handle ${scheme}`)) },
    setPermissionRequestHandler: vi.fn(() => void calls.push('setPermissionRequestHandler')),
    setPermissionCheckHandler: vi.fn(() => void calls.push('setPermissionCheckHandler')),
    setDevicePermissionHandler: vi.fn(),
  };
  return {
    calls,
    windows,
    module: {
      app,
      BrowserWindow: FakeWindow,
      session: { defaultSession },
      protocol: { registerSchemesAsPrivileged: vi.fn(() => void calls.push('registerSchemesAsPrivileged')) },
      ipcMain: { on: vi.fn((channel: string) => void calls.push(`ipcMain.on ${channel}`)), removeListener: vi.fn() },
      safeStorage: {
        isAsyncEncryptionAvailable: vi.fn(async () => true),
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptStringAsync: vi.fn(),
        decryptStringAsync: vi.fn(),
      },
      Menu: { setApplicationMenu: vi.fn(() => void calls.push('setApplicationMenu')), buildFromTemplate: vi.fn((t: unknown) => t) },
      dialog: { showErrorBox: vi.fn() },
      shell: { openExternal: vi.fn() },
    },
  };
}

const mocks = vi.hoisted(() => ({
  electron: null as unknown as ReturnType<typeof fakeElectron>,
  service: { handlers: {}, onEvent: () => () => {}, onFile: () => () => {}, close: async () => {} },
  createApiService: null as unknown as Mock<(deps: unknown) => unknown>,
}));
// The factory runs once per file: each export reads the current test's fake.
vi.mock('electron', () =>
  Object.fromEntries(
    ['app', 'BrowserWindow', 'session', 'protocol', 'ipcMain', 'safeStorage', 'Menu', 'dialog', 'shell'].map((name) => [
      name,
      new Proxy(function () {}, {
        get(_target, key) {
          const real = mocks.electron.module[name as keyof typeof mocks.electron.module];
          const value: unknown = Reflect.get(real, key);
          return typeof value === 'function' ? value.bind(real) : value;
        },
        construct: (_target, args) => Reflect.construct(mocks.electron.module[name as 'BrowserWindow'], args),
      }),
    ]),
  ),
);
vi.mock('../engine/service/api-service.js', () => ({ createApiService: (deps: unknown) => mocks.createApiService(deps) }));
// No file system: the stores are opened but never touched in these tests.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>();
  return { ...fs, existsSync: () => false };
});

async function startApp(options = { gotLock: true }) {
  mocks.electron = fakeElectron(options);
  mocks.service = { handlers: {}, onEvent: () => () => {}, onFile: () => () => {}, close: vi.fn(async () => {}) };
  mocks.createApiService = vi.fn((_deps: unknown) => mocks.service);
  vi.resetModules();
  await import('./main.js');
  return mocks.electron;
}

async function becomeReady(electron: ReturnType<typeof fakeElectron>): Promise<void> {
  electron.module.app.ready!();
  await vi.waitFor(() => expect(electron.calls.some((c) => c.startsWith('loadURL'))).toBe(true));
}

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('main', () => {
  it('before ready: registers the app:// scheme, enables the sandbox and guards every web contents', async () => {
    const electron = await startApp();
    expect(electron.calls).toEqual(['registerSchemesAsPrivileged', 'enableSandbox']);
    expect(electron.module.app.listenerCount('web-contents-created')).toBe(1);
    expect(electron.module.app.listenerCount('second-instance')).toBe(1);
    expect(electron.windows).toHaveLength(0);
  });

  it('quits at once when another instance holds the lock', async () => {
    const electron = await startApp({ gotLock: false });
    expect(electron.module.app.quit).toHaveBeenCalled();
    expect(electron.module.app.whenReady).not.toHaveBeenCalled();
  });

  it('when ready: denies permissions, serves out/renderer, builds the desktop service and opens the window', async () => {
    const electron = await startApp();
    await becomeReady(electron);

    expect(mocks.createApiService).toHaveBeenCalledExactlyOnceWith({
      mode: 'desktop',
      version: '0.1.0',
      settings: expect.objectContaining({ load: expect.any(Function), save: expect.any(Function) }),
      secrets: expect.objectContaining({ kind: 'os-keychain' }),
      runsDir: join('/home/u/.config/trajdbg-userData', 'runs'),
      recentFiles: expect.objectContaining({ list: expect.any(Function), add: expect.any(Function) }),
      pickFile: expect.any(Function),
      notices: [],
    });
    expect(electron.windows).toHaveLength(1);
    expect(electron.windows[0]!.options.webPreferences.preload).toBe(join('/opt/trajdbg/resources/app.asar', 'out', 'preload', 'preload.cjs'));

    const order = electron.calls;
    const at = (call: string) => order.findIndex((c) => c.startsWith(call));
    expect(at('setPermissionRequestHandler')).toBeLessThan(at('new BrowserWindow'));
    expect(at('protocol.handle app')).toBeLessThan(at('new BrowserWindow'));
    // The API listens before the page loads (its preload connects at once).
    expect(at('ipcMain.on api:rpc')).toBeGreaterThanOrEqual(0);
    expect(at('ipcMain.on api:rpc')).toBeLessThan(at('loadURL'));
    expect(order.at(-1)).toBe('loadURL app://trajdbg/index.html');
  });

  it('stops the runs before quitting', async () => {
    const electron = await startApp();
    await becomeReady(electron);
    const event = { preventDefault: vi.fn() };
    electron.module.app.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(electron.module.app.quit).toHaveBeenCalled());
    expect(mocks.service.close).toHaveBeenCalledOnce();

    const again = { preventDefault: vi.fn() };
    electron.module.app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });
});
