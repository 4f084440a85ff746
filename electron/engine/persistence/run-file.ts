import { constants, closeSync, fstatSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { parseRunFileText, type RunFileProblem, type RunFileRun } from '#shared/formats/import-run-file.js';
import { stringifyJsonExact } from '#shared/model/exact-json.js';
import type { RunEvent } from '#shared/run/events.js';
import { RunState } from '#shared/run/run-state.js';
import type { RunSink } from '../loop/run-handle.js';

/** A run file being written: one JSON event per line, each written before `append` returns. */
export interface RunFileWriter extends RunSink {
  readonly path: string;
  /** The first write that failed (naming the file and why), or null while every event is on disk. */
  readonly error: Error | null;
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
  return writerOn(path, openSync(path, constants.O_RDWR | constants.O_APPEND));
}

export type { RunFileProblem, RunFileRun };

/** True when the file at `fd` is not empty and its last byte is not a newline (a line cut short). */
function endsMidLine(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

function writerOn(path: string, fd: number): RunFileWriter {
  let open = true;
  let error: Error | null = null;
  // A line cut short (a failed or interrupted write) is ended first, so the next event starts a
  // line of its own and is not joined to the fragment.
  let midLine = endsMidLine(fd);
  return {
    path,
    get error() {
      return error;
    },
    append(event: RunEvent) {
      if (!open) throw new Error(`run file ${path} is closed`);
      const bytes = Buffer.from(`${midLine ? '\n' : ''}${stringifyJsonExact(event)}\n`);
      let offset = 0;
      try {
        // A write may take fewer bytes than given (a full disk): write the rest or fail.
        while (offset < bytes.length) {
          const n = writeSync(fd, bytes, offset, bytes.length - offset);
          if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          offset += n;
        }
        midLine = false;
      } catch (cause) {
        if (offset > 0) midLine = bytes[offset - 1] !== 0x0a;
        // Only the first failure is thrown: it ends the run with its reason, and the run's end
        // event that follows still reaches its listeners (and the file, if there is room again).
        if (error) return;
        const e = cause as NodeJS.ErrnoException;
        const why = e.code === 'ENOSPC' ? 'ENOSPC: no space left on device' : (e.message ?? String(cause));
        error = Object.assign(new Error(`could not write the run file ${path} (${why}); events from here on are not in it`), { code: e.code });
        throw error;
      }
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
 * line cut short (the app was killed or the disk filled mid-write) is reported and skipped; every
 * complete event before and after it is kept. Any other bad line stops the read there, with its
 * line number and the first field that is wrong.
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
