import { join } from 'node:path';
import { app, BrowserWindow, dialog, safeStorage, session } from 'electron';
import { removeDemoWorkspaces } from '../engine/demo/demo-run.js';
import { createApiService, openPath, type ApiService } from '../engine/service/api-service.js';
import { registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { fileSettingsStore } from '../engine/persistence/settings-file.js';
import { fileRecentFiles } from '../engine/persistence/recent-files.js';
import { openArgument } from './open-argument.js';
import { registerApi } from './ipc.js';
import { installApplicationMenu } from './menu.js';
import { openSecretStore, type DesktopSecretStore } from './secret-store.js';
import { denyAllPermissions, guardWebContents } from './security.js';
import { createMainWindow, loadApp } from './window.js';
import { messageOf } from '#shared/rpc/errors.js';

/**
 * The desktop app's entry: one instance, one window on app://trajdbg/, the engine's API served to
 * it over IPC. Everything the window may do is decided here and in the modules it wires up.
 */

/** How long quitting waits for runs to stop and the key to be written. */
const SHUTDOWN_TIMEOUT_MS = 5_000;

let service: ApiService | null = null;
let secrets: DesktopSecretStore | null = null;
let mainWindow: BrowserWindow | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

/** Files of the packaged app, from its root (the project folder, or app.asar once packed). */
function appFile(...parts: string[]): string {
  return join(app.getAppPath(), ...parts);
}

function openWindow(api: ApiService): void {
  const window = createMainWindow(appFile('out', 'preload', 'preload.cjs'));
  // Handlers are in place before the page can call them.
  const disposeApi = registerApi(api, window);
  window.on('closed', () => {
    disposeApi();
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
  void loadApp(window);
}

async function onReady(): Promise<void> {
  const userData = app.getPath('userData');
  denyAllPermissions(session.defaultSession);
  serveAppProtocol(session.defaultSession, appFile('out', 'renderer'));
  secrets = await openSecretStore({ dir: userData, safeStorage });
  // A corrupt settings or recent-files file is set aside and reported (in the window too), never silently reset.
  const notices: string[] = [];
  const warn = (line: string): void => {
    console.error(line);
    notices.push(line);
  };
  const settings = fileSettingsStore(join(userData, 'settings.json'), { warn });
  settings.load();
  const api = createApiService({
    mode: 'desktop',
    version: app.getVersion(),
    settings,
    notices,
    secrets,
    runsDir: join(userData, 'runs'),
    recentFiles: fileRecentFiles(join(userData, 'recent-files.json'), { warn }),
    pickFile,
  });
  service = api;
  installApplicationMenu(process.platform, { openFile: () => void openFromDialog(api) });
  openWindow(api);
  await openFromArgv(api, process.argv);
}

/** The native Open or Save dialog, on top of the window. */
async function pickFile(purpose: 'open' | 'save', defaultPath?: string): Promise<string | null> {
  const options = { title: purpose === 'open' ? 'Open trajectory file' : 'Export to', ...(defaultPath ? { defaultPath } : {}) };
  if (purpose === 'open') {
    const chosen = mainWindow ? await dialog.showOpenDialog(mainWindow, { ...options, properties: ['openFile'] }) : await dialog.showOpenDialog({ ...options, properties: ['openFile'] });
    return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
  }
  const chosen = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  return chosen.canceled ? null : (chosen.filePath ?? null);
}

/** File > Open: the chosen file opens in the engine; the page learns of it from its progress. */
async function openFromDialog(api: ApiService): Promise<void> {
  const path = await pickFile('open');
  if (path) await openReporting(api, path);
}

/** `--open=FILE[#N]` (from `trajdbg open`, or a second launch). */
async function openFromArgv(api: ApiService, argv: readonly string[]): Promise<void> {
  const spec = openArgument(argv);
  if (spec) await openReporting(api, spec.path, spec.index);
}

async function openReporting(api: ApiService, path: string, index?: number): Promise<void> {
  try {
    await openPath(api, { path, ...(index !== undefined ? { index } : {}) });
  } catch (error) {
    dialog.showErrorBox('Could not open the file', messageOf(error));
  }
}

/** Stops the runs (model servers, MCP processes) and finishes writing the key before exiting. */
async function closeService(): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_TIMEOUT_MS).unref());
  const results = await Promise.race([
    Promise.allSettled([service?.close().then(removeDemoWorkspaces), secrets?.flush()]),
    timeout.then(() => [{ status: 'rejected' as const, reason: new Error(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms`) }]),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') console.error(`while quitting: ${messageOf(result.reason)}`);
  }
}

function start(): void {
  app.on('second-instance', (_event, argv) => {
    if (service) void openFromArgv(service, argv);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (service && BrowserWindow.getAllWindows().length === 0) openWindow(service);
  });
  app.on('will-quit', (event) => {
    if (shutdown === 'closed') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void closeService().finally(() => {
      shutdown = 'closed';
      app.quit();
    });
  });
  app.whenReady().then(onReady).catch((error: unknown) => {
    console.error(error);
    dialog.showErrorBox('Trajectory Debugger could not start', messageOf(error));
    app.exit(1);
  });
}

// Before `ready`: the scheme's privileges, the renderer sandbox and the guards on every web
// contents (the window's included) must be in place before anything is created.
registerAppScheme();
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => guardWebContents(contents));

if (app.requestSingleInstanceLock()) {
  start();
} else {
  app.quit();
}
