import { isAbsolute, resolve } from 'node:path';
import type { ApiHandlers, OpenedFile } from '#shared/api/contract.js';
import { eachTrajectoryRunEvent } from '#shared/formats/trajectory-events.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import type { RunHandle } from '../loop/run-handle.js';
import { exportTrajectories, type ExportSource } from '../persistence/export-file.js';
import type { OpenedFileStatus, TrajectoryLibrary } from '../library/trajectory-library.js';
import { playRecordedRun, recordedRunInSlices } from '../loop/recorded-run.js';
import type { RecentFiles } from '../persistence/recent-files.js';

/** A native file dialog (the desktop app's); absent in serve mode. */
export type PickFile = (purpose: 'open' | 'save', defaultPath?: string) => Promise<string | null>;

/** What the file methods of the API are built from. */
export interface FileHandlerDeps {
  library: TrajectoryLibrary;
  recent: RecentFiles;
  pickFile?: PickFile;
  /**
   * Registers a run made elsewhere (an opened trajectory played as a run) with the service;
   * `quiet` keeps its events from being pushed (a page fetches them with `run.events`).
   */
  adoptRun(handle: RunHandle, title: string, options?: { quiet?: boolean }): string;
  /** Whether the service still holds a run (ended unfiled runs are forgotten after a while). */
  hasRun(runId: string): boolean;
  /** The trajectory of a run of the service, for exports (of a run still being built, all of it once built). */
  runTrajectory(runId: string): Promise<Trajectory>;
}

type FileMethods = 'file.open' | 'file.list' | 'file.rows' | 'file.search' | 'file.cancel' | 'file.close' | 'file.view' | 'file.recordedPrompt' | 'file.recent' | 'file.pick' | 'export.write';

/** How many opened trajectories are kept parsed for their recorded prompts. */
const TRAJECTORY_CACHE = 8;

/**
 * The API methods on trajectory files: open and index them (in a worker), list their rows, show
 * one as a run, export them. Paths are on the engine's machine; only absolute paths are taken.
 */
export function createFileHandlers(deps: FileHandlerDeps): { handlers: Pick<ApiHandlers, FileMethods>; statusOf(status: OpenedFileStatus): OpenedFile } {
  const focus = new Map<string, number>();
  const cache = new Map<string, Trajectory>();
  /** The ended run already showing a trajectory, by `fileId#index#budget`: another view (a new page) reuses it. */
  const shownRuns = new Map<string, string>();

  const statusOf = (status: OpenedFileStatus): OpenedFile => ({ ...status, focusIndex: focus.get(status.fileId) ?? null });

  async function trajectory(fileId: string, index: number): Promise<Trajectory> {
    const key = `${fileId}#${index}`;
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const t = await deps.library.trajectory(fileId, index);
    cache.set(key, t);
    if (cache.size > TRAJECTORY_CACHE) cache.delete(cache.keys().next().value!);
    return t;
  }

  function absolute(path: string, what: string): string {
    if (!isAbsolute(path)) throw new Error(`${what} must be an absolute path on the machine the engine runs on, got '${path}'`);
    return resolve(path);
  }

  const handlers: Pick<ApiHandlers, FileMethods> = {
    async 'file.open'({ path, index }) {
      const status = deps.library.open(absolute(path, 'The file'));
      if (index !== undefined) focus.set(status.fileId, index);
      deps.recent.add(status.path);
      return statusOf(status);
    },
    async 'file.list'() {
      return { files: deps.library.list().map(statusOf) };
    },
    async 'file.rows'({ fileId, from, limit }) {
      return { rows: deps.library.rows(fileId, from, limit) };
    },
    async 'file.search'({ fileId, text }) {
      return { indices: await deps.library.search(fileId, text) };
    },
    async 'file.cancel'({ fileId }) {
      deps.library.cancel(fileId);
      return {};
    },
    async 'file.close'({ fileId }) {
      deps.library.close(fileId);
      focus.delete(fileId);
      for (const key of [...cache.keys()]) if (key.startsWith(`${fileId}#`)) cache.delete(key);
      for (const key of [...shownRuns.keys()]) if (key.startsWith(`${fileId}#`)) shownRuns.delete(key);
      return {};
    },
    async 'file.view'({ fileId, index, startPaused, maxContextTokens, breakpoints }) {
      const status = deps.library.status(fileId);
      const key = `${fileId}#${index}#${maxContextTokens}`;
      const shown = shownRuns.get(key);
      if (!startPaused && shown !== undefined && deps.hasRun(shown)) return { runId: shown };
      const t = await trajectory(fileId, index);
      const options = { origin: { fileId, path: status.path }, maxContextTokens };
      const title = `${status.name} #${index}: ${t.id}`;
      // Stepping through it is a run to watch; otherwise the page fetches the run as data, its
      // first turns while the rest are still being built.
      if (startPaused) return { runId: deps.adoptRun(playRecordedRun(eachTrajectoryRunEvent(t, options), { startPaused, ...(breakpoints ? { breakpoints } : {}) }), title) };
      const runId = deps.adoptRun(recordedRunInSlices(eachTrajectoryRunEvent(t, options)), title, { quiet: true });
      shownRuns.set(key, runId);
      return { runId };
    },
    async 'file.recordedPrompt'({ fileId, index, turn }) {
      const t = await trajectory(fileId, index);
      return { messages: t.promptViews?.[turn - 1] ?? null };
    },
    async 'file.recent'() {
      return { files: deps.recent.list() };
    },
    async 'file.pick'({ purpose, defaultPath }) {
      if (!deps.pickFile) throw new Error('There is no file dialog in the browser: type the path of the file on the machine the server runs on');
      return { path: await deps.pickFile(purpose, defaultPath) };
    },
    async 'export.write'({ source, format, path }) {
      const out = absolute(path, 'The export path');
      let from: ExportSource;
      if ('runId' in source) from = { trajectories: [await deps.runTrajectory(source.runId)] };
      else if (source.index !== undefined) from = { trajectories: [await trajectory(source.fileId, source.index)] };
      else from = { path: deps.library.status(source.fileId).path };
      const written = await exportTrajectories(from, format, out);
      return { path: out, ...written };
    },
  };
  return { handlers, statusOf };
}
