import type { ApiHandlers, OpenedFile } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { agentResultOf, placedInterventions } from '#shared/run/run-state.js';
import { markInterventions } from '#shared/run/intervention.js';
import type { SecretStore, SettingsStore } from '../persistence/settings.js';
import { createFileHandlers, type PickFile } from './file-handlers.js';
import { TrajectoryLibrary } from '../library/trajectory-library.js';
import { memoryRecentFiles, type RecentFiles } from '../persistence/recent-files.js';
import { createRunRegistry, type RunRegistry } from './run-registry.js';
import { createRunHandlers } from './run-handlers.js';
import { createInterveneHandlers } from './intervene-handlers.js';
import { createSettingsHandlers } from './settings-handlers.js';
import { createSetHandlers } from '../rollout-set/set-handlers.js';

/** What the API service is built from; the desktop app and serve mode differ only here. */
export interface ApiServiceDeps {
  mode: 'desktop' | 'serve';
  version: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Where each run's file is written (created if missing). */
  runsDir: string;
  /** Files opened before; default: kept in memory only. */
  recentFiles?: RecentFiles;
  /** The desktop app's native file dialog (none in serve mode). */
  pickFile?: PickFile;
  /** The file index (tests may give one that indexes in-process). */
  library?: TrajectoryLibrary;
  /** Lines the user must see (a settings or recent-files file set aside as corrupt); read live. */
  notices?: readonly string[];
  /** The runs in memory (tests may give one to watch what it holds). */
  runs?: RunRegistry;
  /** Rollout sets: where their indexes are kept and how often they are looked at for growth. */
  rolloutSets?: { cacheDir?: string; pollMs?: number };
}

/** The engine behind the API contract, shared by the IPC registration and the WebSocket host. */
export interface ApiService {
  handlers: ApiHandlers;
  /** Every event of every run, live. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Progress and state of every opened file, live (throttled). */
  onFile(listener: (file: OpenedFile) => void): () => void;
  /** Stops every run and releases its model server, tools and files. */
  close(): Promise<void>;
}

/** Builds the API service: runs started from the UI, their events, opened files and the remembered settings. */
export function createApiService(deps: ApiServiceDeps): ApiService {
  const runs = deps.runs ?? createRunRegistry();
  const library = deps.library ?? new TrajectoryLibrary();
  // The index threads load while the window opens: the first file opened indexes at once.
  if (!deps.library) void library.warm();
  const runHandlers = createRunHandlers({ registry: runs, settings: deps.settings, secrets: deps.secrets, runsDir: deps.runsDir });
  const recent = deps.recentFiles ?? memoryRecentFiles();
  const files = createFileHandlers({
    library,
    recent,
    ...(deps.pickFile ? { pickFile: deps.pickFile } : {}),
    adoptRun: (handle, title, options) => runs.add(handle, { title, parentRunId: null, origin: null, quiet: options?.quiet ?? false }, { path: null }, async () => {}),
    hasRun(runId) {
      try {
        runs.find(runId);
        return true;
      } catch {
        return false;
      }
    },
    async runTrajectory(runId) {
      const run = await runs.findBuilt(runId);
      const s = runs.stateOf(run);
      const { messages: _messages, ...recorded } = agentResultOf(s);
      // Tool calls the user changed at a breakpoint are marked in every export (see INTERVENTION_MARK_KEY).
      const messages = markInterventions(s.messages, placedInterventions(s));
      return { id: run.title, model: typeof s.source.model === 'string' ? s.source.model : null, messages, reward: null, recorded, source: { format: 'agent-result', index: 0 }, tools: s.tools };
    },
  });

  const sets = createSetHandlers({
    adoptRun: (handle, title) => runs.add(handle, { title, parentRunId: null, origin: null }, { path: null }, async () => {}),
    ...(deps.rolloutSets?.pollMs !== undefined ? { pollMs: deps.rolloutSets.pollMs } : {}),
    ...(deps.rolloutSets?.cacheDir ? { setOptions: { cacheDir: deps.rolloutSets.cacheDir } } : {}),
  });

  return {
    handlers: { ...files.handlers, ...sets.handlers, ...createSettingsHandlers(deps), ...runHandlers, ...createInterveneHandlers({ registry: runs, secrets: deps.secrets }) },
    onEvent: (listener) => runs.onEvent(listener),
    onFile: (listener) => library.onChange((status) => listener(files.statusOf(status))),
    async close() {
      await runs.close();
      await recent.saved();
      await library.dispose();
      await sets.close();
    },
  };
}

/** A path to open, as `trajdbg open`, `serve --open` or the desktop's Open file ask for it. */
export interface OpenRequest {
  path: string;
  /** The trajectory of a file to show (a file, then, never a set). */
  index?: number;
  /** Open it as a rollout set, whatever it looks like. */
  set?: boolean;
}

/**
 * Opens a path: a folder, a glob, or a Parquet or compressed shard as a rollout set (any path
 * when `set` asks for one), anything else as a trajectory file. Says which it became.
 */
export async function openPath(service: ApiService, request: OpenRequest): Promise<'set' | 'file'> {
  if (request.set || request.index === undefined) {
    const { set } = await service.handlers['set.open']({ sources: [request.path], onlyIfSet: !request.set });
    if (set) return 'set';
  }
  await service.handlers['file.open']({ path: request.path, ...(request.index !== undefined ? { index: request.index } : {}) });
  return 'file';
}
