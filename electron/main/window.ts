import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-origin.js';

/**
 * Creates the app window on the bundled preload and loads the UI from app://trajdbg/. The
 * webPreferences stay a literal object: security scanners (electronegativity) misread spreads
 * and variables, and a reviewer should see every setting in one place.
 */
export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Trajectory Debugger',
    width: 1440,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
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
      preload: preloadPath,
    },
  });
  // Shown once painted, so the window never flashes white.
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Loads the UI; a failure is reported rather than left as a blank window. */
export async function loadApp(window: BrowserWindow): Promise<void> {
  try {
    await window.loadURL(APP_ENTRY_URL);
  } catch (error) {
    console.error(`could not load ${APP_ENTRY_URL}: ${error instanceof Error ? error.message : String(error)}`);
    if (!window.isDestroyed()) window.show();
  }
}
