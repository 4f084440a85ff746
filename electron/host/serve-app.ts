import { createApiService, openPath, type OpenRequest } from '../engine/service/api-service.js';
import type { RecentFiles } from '../engine/persistence/recent-files.js';
import type { SecretStore, SettingsStore } from '../engine/persistence/settings.js';
import { startServeHost } from './serve-host.js';

export interface ServeAppOptions {
  version: string;
  /** The built renderer served to the browser. */
  rendererDir: string;
  /** Where each run's file is written. */
  runsDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** What `app.info` reports; default 'serve'. */
  mode?: 'desktop' | 'serve';
  host?: string;
  port?: number;
  token?: string;
  log?: (line: string) => void;
  recentFiles?: RecentFiles;
  /** Lines the page must show from the start (see `ApiServiceDeps.notices`). */
  notices?: readonly string[];
  /** Files to open at once (`trajdbg open FILE#N`): absolute paths, and the trajectory to show first. */
  openFiles?: OpenRequest[];
}

export interface ServeApp {
  /** The URL to open, token included. */
  url: string;
  origin: string;
  token: string;
  /** Stops the host, then every run. */
  close(): Promise<void>;
}

/** The API service behind the WebSocket host: `trajdbg serve` and any launcher that wants a browser UI. */
export async function serveApp(options: ServeAppOptions): Promise<ServeApp> {
  const service = createApiService({
    mode: options.mode ?? 'serve',
    version: options.version,
    settings: options.settings,
    secrets: options.secrets,
    runsDir: options.runsDir,
    ...(options.recentFiles ? { recentFiles: options.recentFiles } : {}),
    ...(options.notices ? { notices: options.notices } : {}),
  });
  for (const file of options.openFiles ?? []) await openPath(service, file);
  let host;
  try {
    host = await startServeHost({ service, rendererDir: options.rendererDir, host: options.host, port: options.port, token: options.token, log: options.log });
  } catch (error) {
    await service.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: host.url,
    origin: host.origin,
    token: host.token,
    close: () =>
      (closing ??= (async () => {
        try {
          await host.close();
        } finally {
          await service.close();
        }
      })()),
  };
}
