import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, test as base, type Page } from '@playwright/test';
import type * as StartCommand from '../electron/cli/start-command.js';
import type * as Settings from '../electron/engine/persistence/settings.js';
import type * as ScriptedServerModule from '../electron/scripted-server/scripted-server.js';
import type * as ServeApp from '../electron/host/serve-app.js';
import { AppPage } from './pages/app-page.js';

// The specs drive the built app (npm test builds it first).
const root = resolve(import.meta.dirname, '..');
const { serveApp } = (await import(join(root, 'out/electron/host/serve-app.js'))) as typeof ServeApp;
const { memorySecretStore } = (await import(join(root, 'out/electron/engine/persistence/settings.js'))) as typeof Settings;
const { desktopAvailability } = (await import(join(root, 'out/electron/cli/start-command.js'))) as typeof StartCommand;
const { startScriptedServer, loadScript } = (await import(join(root, 'out/electron/scripted-server/scripted-server.js'))) as typeof ScriptedServerModule;

type ScriptedServer = Awaited<ReturnType<typeof startScriptedServer>>;

interface Fixtures {
  /** Files the app opens at start, as `trajdbg open FILE#N` does (serve mode). */
  openFiles: Array<{ path: string; index?: number }>;
  /** Files already in the runs folder when the app starts (run files of an earlier session), by name. */
  earlierRunFiles: Record<string, string>;
  /** The folder the served app writes its run files to. */
  runsDir: string;
  /** The app, opened the way a user opens it: the served page in Chromium, or the desktop window. */
  app: AppPage;
  /** Starts an OpenAI-compatible scripted model server for this test. */
  scriptedServer: (script: unknown) => Promise<ScriptedServer>;
}

/** A file of the shared corpus of real trajectory files (never copied into the repository). */
export function corpusFile(name: string): string {
  return resolve(root, '..', 'shared', 'corpus', name);
}

export const test = base.extend<Fixtures>({
  openFiles: [[], { option: true }],
  earlierRunFiles: [{}, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  runsDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-runs-'));
    await use(dir);
    // The app that used it has closed by now.
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ page, openFiles, earlierRunFiles, runsDir }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      const desktop = desktopAvailability();
      testInfo.skip('why' in desktop, 'why' in desktop ? `desktop app: ${desktop.why}; the same specs ran against the web UI` : '');
      if ('why' in desktop) return;
      const electronApp = await _electron.launch({ executablePath: desktop.executable, args: [root], env: { ...process.env, TRAJDBG_USER_DATA: mkdtempSync(join(tmpdir(), 'trajdbg-e2e-user-')) } });
      const window: Page = await electronApp.firstWindow();
      await use(new AppPage(window));
      await electronApp.close();
      return;
    }
    for (const [name, text] of Object.entries(earlierRunFiles)) writeFileSync(join(runsDir, name), text);
    // What the host logged and the page printed, kept for a failing test's report.
    const log: string[] = [];
    const stamp = () => new Date().toISOString().slice(11, 23);
    page.on('console', (message) => log.push(`${stamp()} page ${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`${stamp()} page error: ${error.message}`));
    const served = await serveApp({
      log: (line) => log.push(`${stamp()} ${line}`),
      version: 'e2e',
      rendererDir: join(root, 'out/renderer'),
      runsDir,
      settings: { load: () => null, save: () => {} },
      secrets: memorySecretStore(),
      openFiles,
    });
    await page.goto(served.url);
    await use(new AppPage(page));
    await served.close();
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('host and page log', { body: log.join('\n') || '(nothing was logged)', contentType: 'text/plain' });
  },
  // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  scriptedServer: async ({}, use) => {
    const servers: ScriptedServer[] = [];
    await use(async (script) => {
      const server = await startScriptedServer({ script: loadScript(script) });
      servers.push(server);
      return server;
    });
    await Promise.all(servers.map((s) => s.close()));
  },
});

export { expect } from '@playwright/test';
