import type { FileView } from './files-slice.js';
import type { RunView } from './runs-slice.js';
import { activeFileOf, originOf, type RunOrigin } from './shown.js';

/** Something on its way to the screen: a file being indexed or a run whose events are still arriving. */
export interface Loading {
  /** What is loading, as the status line names it ("Loading NAME"). */
  name: string;
  /** How far it got, 0 to 1, or null when that is not known. */
  progress: number | null;
  /** Words on how far it got (bytes and trajectories read), or null. */
  detail: string | null;
  /** What Cancel stops: indexing the file, playing the recording, or both. */
  cancel: { fileId: string | null; runId: string | null };
}

interface LoadingState {
  selectedRunId: string | null;
  runs: Record<string, RunView>;
  runOrigins: Record<string, RunOrigin>;
  files: Record<string, FileView>;
  activeFileId: string | null;
  viewing: RunOrigin | null;
  runList: ReadonlyArray<{ runId: string; title: string }>;
}

/**
 * Whether a run is loading rather than running: its earlier events are still being fetched, or it
 * plays a recording straight through (opened from a file, never paused, not yet at its end). Only
 * a run that executes something, or a recording being stepped through, is running. This reads the
 * run's events, however they reach the page. A load the user cancelled is not loading.
 */
export function runIsLoading(s: Pick<LoadingState, 'runs' | 'runOrigins'>, runId: string): boolean {
  const view = s.runs[runId];
  if (!view) return true;
  const { feed } = view;
  if (feed.catchUp === 'cancelled') return false;
  if (feed.catchUp !== 'done' || !feed.snapshot) return true;
  if (feed.snapshot.end) return false;
  return originOf(s, runId) !== null && !feed.pausedOnce;
}

function fileName(s: LoadingState, origin: RunOrigin | null, runId: string | null): string {
  if (origin) {
    const file = s.files[origin.fileId];
    if (file) return file.status.name;
  }
  const imported = runId ? (s.runs[runId]?.feed.snapshot?.source.imported as { path?: unknown } | undefined) : undefined;
  if (typeof imported?.path === 'string') return imported.path.split(/[\\/]/).pop()!;
  return s.runList.find((r) => r.runId === runId)?.title ?? 'run';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/**
 * What the page is loading for the current selection, or null when nothing is: the file of the
 * collection while it is indexed (or while its first trajectory is asked for), and the selected
 * run while it loads. One status names both, with one Cancel that stops both.
 */
export function loadingOf(s: LoadingState): Loading | null {
  const runId = s.selectedRunId;
  const runLoading = runId !== null && runIsLoading(s, runId);
  const origin = runId ? originOf(s, runId) : null;
  const fileId = activeFileOf(s);
  const file = fileId ? s.files[fileId] : undefined;
  const status = file?.status;
  // The file's load counts while it indexes, and before any run of it is on show (unless the user
  // cancelled it: its trajectory then waits to be opened from its row).
  const fileLoading =
    status !== undefined &&
    (status.state === 'indexing' || (runId === null && !file?.loadCancelled && (s.viewing?.fileId === status.fileId || (status.state === 'done' && status.trajectories > 0)))) &&
    (runId === null || origin?.fileId === status.fileId || runLoading);
  if (fileLoading && status) {
    const indexing = status.state === 'indexing';
    return {
      name: status.name,
      progress: indexing && status.size > 0 ? Math.min(1, status.bytesRead / status.size) : null,
      detail: indexing ? `${megabytes(status.bytesRead)} of ${megabytes(status.size)}, ${status.trajectories.toLocaleString('en-US')} ${status.trajectories === 1 ? 'trajectory' : 'trajectories'}` : null,
      // Cancel stops the index, and the opening of its first trajectory that follows it.
      cancel: { fileId: status.fileId, runId: runLoading ? runId : null },
    };
  }
  if (!runLoading) return null;
  const snapshot = s.runs[runId]?.feed.snapshot;
  const total = origin ? s.files[origin.fileId]?.rows[origin.index]?.turns : undefined;
  const done = snapshot?.turns.length ?? 0;
  return {
    name: fileName(s, origin, runId),
    progress: total ? Math.min(1, done / total) : null,
    detail: total ? `turn ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}` : null,
    cancel: { fileId: null, runId },
  };
}
