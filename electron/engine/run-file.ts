import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { runEventSchema, type RunEvent } from '../../shared/run/events.js';
import { RunState } from '../../shared/run/run-state.js';
import type { RunSink } from './engine.js';

/** A run file being written: one JSON event per line, each written before `append` returns. */
export interface RunFileWriter extends RunSink {
  readonly path: string;
  close(): void;
}

/**
 * Opens a run file for appending. Each event is written with one `write` call as soon as it
 * happens, so a crash loses at most the event being written; nothing is buffered in memory.
 * The file must not exist yet: a run file is never overwritten.
 */
export function createRunFile(path: string): RunFileWriter {
  const fd = openSync(path, 'wx');
  let open = true;
  return {
    path,
    append(event: RunEvent) {
      if (!open) throw new Error(`run file ${path} is closed`);
      writeSync(fd, `${JSON.stringify(event)}\n`);
    },
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** A problem found while reading a run file; the events before it are kept. */
export interface RunFileProblem {
  line: number;
  message: string;
}

/** A run file read back: its events, the state they add up to, and what could not be read. */
export interface RunFileContents {
  events: RunEvent[];
  state: RunState;
  problems: RunFileProblem[];
}

/**
 * Reads a run file. A last line cut short (the app was killed mid-write) is reported and
 * skipped; every complete event before it is kept. Any other bad line stops the read there,
 * with its line number and the first field that is wrong.
 */
export function parseRunFile(text: string, path: string): RunFileContents {
  const state = new RunState();
  const events: RunEvent[] = [];
  const problems: RunFileProblem[] = [];
  const lines = text.split('\n');
  let lastLine = lines.length - 1;
  while (lastLine >= 0 && lines[lastLine]!.trim() === '') lastLine--;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const isLast = i === lastLine;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      const why = isLast ? 'the last line is incomplete (the run was interrupted while writing it)' : (error as Error).message;
      problems.push({ line: lineNo, message: `${path}:${lineNo}: ${why}` });
      if (isLast) break;
      return { events, state, problems };
    }
    const parsed = runEventSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      problems.push({ line: lineNo, message: `${path}:${lineNo}: field ${issue.path.join('.') || '(event)'}: ${issue.message}` });
      return { events, state, problems };
    }
    try {
      state.apply(parsed.data);
    } catch (error) {
      problems.push({ line: lineNo, message: `${path}:${lineNo}: ${(error as Error).message}` });
      return { events, state, problems };
    }
    events.push(parsed.data);
  }
  if (!state.started) problems.push({ line: 1, message: `${path}: not a run file (no run_started event)` });
  return { events, state, problems };
}

/** Reads a run file from disk; see {@link parseRunFile}. */
export function readRunFile(path: string): RunFileContents {
  return parseRunFile(readFileSync(path, 'utf8'), path);
}
