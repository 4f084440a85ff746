import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

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

/** The run id of an event line, read without parsing the whole (possibly large) line. */
function runIdOf(line: string): string | null {
  const match = /"runId":"([^"\\]*)"/.exec(line);
  return match ? match[1]! : null;
}

/**
 * How a run file's runs ended, from the few lines that say so: only `run_started`,
 * `turn_finished` and `run_finished` lines are looked at (by their type, not parsed), so a run
 * file of thousands of turns is scanned at the speed of reading it.
 */
async function scanRunFile(path: string, liveRunIds: ReadonlySet<string>): Promise<{ unfinished: number; turns: number } | null> {
  const started = new Set<string>();
  const finished = new Set<string>();
  const turns = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    // Inside a JSON string these quotes would be escaped, so this matches the event's own type.
    const type = /"type":"(run_started|turn_finished|run_finished)"/.exec(line)?.[1];
    if (!type) continue;
    const runId = runIdOf(line);
    if (runId === null) continue;
    if (type === 'run_started') started.add(runId);
    else if (type === 'run_finished') finished.add(runId);
    else turns.set(runId, (turns.get(runId) ?? 0) + 1);
  }
  if (started.size === 0) return null;
  const unfinished = [...started].filter((id) => !finished.has(id) && !liveRunIds.has(id));
  return { unfinished: unfinished.length, turns: unfinished.reduce((n, id) => n + (turns.get(id) ?? 0), 0) };
}

/**
 * The run files in `runsDir` that hold a run without an end, most recent first, except runs in
 * `liveRunIds` (still going in this process). Only the most recent files are read; a file that
 * cannot be read is skipped (reopening it would say why).
 */
export async function findInterruptedRuns(runsDir: string, liveRunIds: ReadonlySet<string> = new Set()): Promise<InterruptedRunFile[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir)).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const files: Array<{ path: string; modifiedAt: number }> = [];
  for (const name of names) {
    const path = join(runsDir, name);
    try {
      files.push({ path, modifiedAt: (await stat(path)).mtimeMs });
    } catch {
      // Gone since it was listed.
    }
  }
  files.sort((a, b) => b.modifiedAt - a.modifiedAt);
  const found: InterruptedRunFile[] = [];
  for (const file of files.slice(0, INTERRUPTED_SCAN_LIMIT)) {
    let scanned;
    try {
      scanned = await scanRunFile(file.path, liveRunIds);
    } catch {
      continue;
    }
    if (scanned && scanned.unfinished > 0) found.push({ ...file, unfinishedRuns: scanned.unfinished, completedTurns: scanned.turns });
  }
  return found;
}
