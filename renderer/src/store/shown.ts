import type { FileView } from './files-slice.js';
import type { RunView } from './runs-slice.js';

/** The trajectory of a file on show, and the run that shows it. */
export interface ShownTrajectory {
  fileId: string;
  index: number;
  runId: string;
}

/** Where a run shows a file's trajectory from. */
export interface RunOrigin {
  fileId: string;
  index: number;
}

/** What the derivations below read from the store. */
interface SelectionState {
  selectedRunId: string | null;
  runs: Record<string, RunView>;
  runOrigins: Record<string, RunOrigin>;
  files: Record<string, FileView>;
  activeFileId: string | null;
}

/** Which file trajectory a run shows: known when this UI asked for it, else read from the run's own source. */
export function originOf(s: Pick<SelectionState, 'runs' | 'runOrigins'>, runId: string): RunOrigin | null {
  const known = s.runOrigins[runId];
  if (known) return known;
  const imported = s.runs[runId]?.feed.snapshot?.source.imported as { fileId?: unknown; index?: unknown } | undefined;
  return typeof imported?.fileId === 'string' && typeof imported.index === 'number' ? { fileId: imported.fileId, index: imported.index } : null;
}

/**
 * The file trajectory the selected run shows, or null when it shows none. Derived from the one
 * selection (the run), so the Run selector, the collection, Replay and the header always agree.
 */
export function shownTrajectory(s: SelectionState): ShownTrajectory | null {
  const runId = s.selectedRunId;
  if (!runId) return null;
  const origin = originOf(s, runId);
  return origin ? { ...origin, runId } : null;
}

/** The file the collection panel shows: the selected run's file when it is open, else the file picked or opened last. */
export function activeFileOf(s: SelectionState): string | null {
  const shown = shownTrajectory(s);
  if (shown && s.files[shown.fileId]) return shown.fileId;
  return s.activeFileId && s.files[s.activeFileId] ? s.activeFileId : null;
}
