import { constants, closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseRunFileText, type RunFileProblem, type RunFileRun } from '../../../shared/formats/import-run-file.js';
import type { RunEvent } from '../../../shared/run/events.js';
import { RunState } from '../../../shared/run/run-state.js';
import type { RunSink } from '../loop/run-handle.js';

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
  return writerOn(path, openSync(path, 'wx'));
}

/**
 * Opens an existing run file to append another run's events to it (a branch goes to the file of
 * its root run). Nothing already in the file is touched; the file must exist.
 */
export function appendToRunFile(path: string): RunFileWriter {
  return writerOn(path, openSync(path, constants.O_WRONLY | constants.O_APPEND));
}

export type { RunFileProblem, RunFileRun };

function writerOn(path: string, fd: number): RunFileWriter {
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

/** A run file read back: its first run's events and state, every run in it, and what could not be read. */
export interface RunFileContents {
  /** The events of the file's first run (its root run). */
  events: RunEvent[];
  /** The state of the file's first run (not started when none could be read). */
  state: RunState;
  /** Every run of the file (the root run, then its branches), each with its own events and state. */
  runs: RunFileRun[];
  problems: RunFileProblem[];
}

/**
 * Reads a run file: a root run and the branches made from it, their events grouped by run. A
 * last line cut short (the app was killed mid-write) is reported and skipped; every complete
 * event before it is kept. Any other bad line stops the read there, with its line number and the
 * first field that is wrong.
 */
export function parseRunFile(text: string, path: string): RunFileContents {
  const { runs, problems } = parseRunFileText(text, path);
  const first = runs[0];
  return { events: first?.events ?? [], state: first?.state ?? new RunState(), runs, problems };
}

/** Reads a run file from disk; see {@link parseRunFile}. */
export function readRunFile(path: string): RunFileContents {
  return parseRunFile(readFileSync(path, 'utf8'), path);
}
