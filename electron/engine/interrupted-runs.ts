import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRunFile } from './run-file.js';

/** A run file whose runs did not all reach their end: the app (or serve mode) stopped mid-run. */
export interface InterruptedRunFile {
  path: string;
  /** When the file was last written. */
  modifiedAt: number;
  /** Runs in the file without a `run_finished` event. */
  unfinishedRuns: number;
  /** Turns that were completed in those runs, kept in the file. */
  completedTurns: number;
}

/** How many of the most recent run files are checked (older ones are not offered again). */
export const INTERRUPTED_SCAN_LIMIT = 50;

/**
 * The run files in `runsDir` that hold a run without an end, most recent first, except runs in
 * `liveRunIds` (still going in this process). Only the most recent files are read; a file that
 * cannot be read at all is skipped (reopening it would say why).
 */
export function findInterruptedRuns(runsDir: string, liveRunIds: ReadonlySet<string> = new Set()): InterruptedRunFile[] {
  let names: string[];
  try {
    names = readdirSync(runsDir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const files = names
    .map((name) => {
      const path = join(runsDir, name);
      try {
        return { path, modifiedAt: statSync(path).mtimeMs };
      } catch {
        return null;
      }
    })
    .filter((f): f is { path: string; modifiedAt: number } => f !== null)
    .sort((a, b) => b.modifiedAt - a.modifiedAt)
    .slice(0, INTERRUPTED_SCAN_LIMIT);
  const found: InterruptedRunFile[] = [];
  for (const file of files) {
    let contents;
    try {
      contents = readRunFile(file.path);
    } catch {
      continue;
    }
    const unfinished = contents.runs.filter((run) => !liveRunIds.has(run.runId) && run.state.started && run.state.current.end === null);
    if (unfinished.length === 0) continue;
    const completedTurns = unfinished.reduce((n, run) => n + run.state.current.turns.filter((t) => t.finished).length, 0);
    found.push({ ...file, unfinishedRuns: unfinished.length, completedTurns });
  }
  return found;
}
