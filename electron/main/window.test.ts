import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const created: Array<{ options: Record<string, unknown>; window: Record<string, ReturnType<typeof vi.fn>> }> = [];
  class BrowserWindow {
    loadURL = vi.fn(() => Promise.resolve());
    once = vi.fn();
    show = vi.fn();
    isDestroyed = vi.fn(() => false);
    constructor(options: Record<string, unknown>) {
      created.push({ options, window: this as unknown as Record<string, ReturnType<typeof vi.fn>> });
    }
  }
  return { BrowserWindow, created };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow }));

import type { BrowserWindow } from 'electron';
import { createMainWindow, loadApp } from './window.js';

beforeEach(() => {
  electron.created.length = 0;
});

describe('createMainWindow', () => {
  it('creates the window with every security preference set, and nothing else in webPreferences', () => {
    createMainWindow('/app/out/preload/preload.cjs');
    expect(electron.created).toHaveLength(1);
    expect(electron.created[0]!.options['webPreferences']).toStrictEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      preload: '/app/out/preload/preload.cjs',
    });
  });

  it('writes webPreferences as a literal, which security scanners can read', () => {
    const source = readFileSync(new URL('./window.ts', import.meta.url), 'utf8');
    const literal = /webPreferences: \{([^}]*)\}/.exec(source)?.[1];
    expect(literal).toBeDefined();
    expect(literal).not.toContain('...');
    expect(literal).toContain('contextIsolation: true');
    expect(literal).toContain('sandbox: true');
  });

  it('shows the window once it is ready, not before', () => {
    createMainWindow('/p.cjs');
    const { options, window } = electron.created[0]!;
    expect(options['show']).toBe(false);
    expect(window['once']).toHaveBeenCalledWith('ready-to-show', expect.any(Function));
  });
});

describe('loadApp', () => {
  it('loads app://trajdbg/index.html', async () => {
    const window = createMainWindow('/p.cjs');
    await loadApp(window);
    expect(electron.created[0]!.window['loadURL']).toHaveBeenCalledWith('app://trajdbg/index.html');
  });

  it('reports a failed load and shows the window rather than leaving it hidden', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const window = createMainWindow('/p.cjs') as BrowserWindow & { loadURL: ReturnType<typeof vi.fn>; show: ReturnType<typeof vi.fn> };
    window.loadURL.mockRejectedValueOnce(new Error('ERR_FILE_NOT_FOUND'));
    await loadApp(window);
    expect(error).toHaveBeenCalledWith(expect.stringContaining('ERR_FILE_NOT_FOUND'));
    expect(window.show).toHaveBeenCalled();
    error.mockRestore();
  });
});
