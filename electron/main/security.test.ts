import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ shell: { openExternal: vi.fn(() => Promise.resolve()) } }));
vi.mock('electron', () => electron);

import type { HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';
import { denyAllPermissions, guardWebContents, openExternalLink } from './security.js';

type Listener = (event: { url?: string; preventDefault: () => void }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  const contents = {
    on(name: string, listener: Listener) {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler: typeof openHandler) {
      openHandler = handler;
    },
  };
  guardWebContents(contents as unknown as WebContents);
  return {
    /** Emits `name` with a navigation to `url`; true when a guard prevented it. */
    emit(name: string, url?: string): boolean {
      let prevented = false;
      const event = { url, preventDefault: () => void (prevented = true) };
      for (const listener of listeners.get(name) ?? []) listener(event);
      return prevented;
    },
    listenerCount: (name: string) => listeners.get(name)?.length ?? 0,
    open: (url: string) => openHandler!({ url } as HandlerDetails),
  };
}

beforeEach(() => vi.clearAllMocks());

describe('guardWebContents', () => {
  it('lets navigations and redirects stay on app://trajdbg/', () => {
    const contents = fakeContents();
    expect(contents.emit('will-navigate', 'app://trajdbg/index.html#/runs/1')).toBe(false);
    expect(contents.emit('will-redirect', 'app://trajdbg/index.html')).toBe(false);
  });

  it.each(['https://example.com/', 'http://127.0.0.1:8000/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'about:blank'])(
    'prevents navigating or redirecting to %s, without opening it',
    (url) => {
      const contents = fakeContents();
      expect(contents.emit('will-navigate', url)).toBe(true);
      expect(contents.emit('will-redirect', url)).toBe(true);
      expect(electron.shell.openExternal).not.toHaveBeenCalled();
    },
  );

  it('denies every new window and opens http(s) links in the system browser', () => {
    const contents = fakeContents();
    expect(contents.open('https://platform.openai.com/docs')).toEqual({ action: 'deny' });
    expect(contents.open('http://127.0.0.1:8000/v1/models')).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://platform.openai.com/docs'], ['http://127.0.0.1:8000/v1/models']]);
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'app://trajdbg/index.html', 'about:blank'])(
    'denies a window for %s and opens nothing',
    (url) => {
      expect(fakeContents().open(url)).toEqual({ action: 'deny' });
      expect(electron.shell.openExternal).not.toHaveBeenCalled();
    },
  );

  it('prevents attaching any <webview>', () => {
    const contents = fakeContents();
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    expect(contents.emit('will-attach-webview')).toBe(true);
  });

  it('reports a failed openExternal instead of throwing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    electron.shell.openExternal.mockImplementationOnce(() => Promise.reject(new Error('no browser')));
    openExternalLink('https://example.com/');
    await vi.waitFor(() => expect(error).toHaveBeenCalledWith(expect.stringContaining('no browser')));
    error.mockRestore();
  });
});

describe('denyAllPermissions', () => {
  it('answers every permission request and check with no', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    denyAllPermissions(session as unknown as Session);

    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (c: unknown, p: string, origin: string) => boolean;
    expect(check({}, 'clipboard-sanitized-write', 'app://trajdbg')).toBe(false);
    expect(check(null, 'hid', 'https://example.com')).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as (details: unknown) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://trajdbg' })).toBe(false);
  });
});
