import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OpenedFile as ListedFile } from '#shared/api/contract.js';
import { FORMAT_DESCRIPTIONS, FormatError } from '#shared/formats/import.js';
import { looksLikeZip } from '#shared/formats/import-zip.js';
import { summarizeTrajectory, type TrajectorySummary } from '#shared/formats/summary.js';
import type { FormatId, Trajectory } from '#shared/formats/trajectory.js';
import { IndexWorkerPool, isFinalMessage, type IndexerHandle } from './index-worker-pool.js';
import { runIndexer, trajectoryContains, type IndexerMessage, type IndexerRequest } from './indexer.js';
import { fileDisplayName, readTrajectoryAt, rereadable } from './trajectory-stream.js';

/**
 * An opened trajectory file as the UI lists it: how far indexing got and what went wrong (at most
 * {@link MAX_PROBLEMS_KEPT} problems). The API adds which trajectory to show first.
 */
export type OpenedFileStatus = Omit<ListedFile, 'focusIndex'>;

export type { IndexerHandle } from './index-worker-pool.js';

/** Starts an indexer for a request (the library's seam: worker threads in the app, in-process in tests). */
export type SpawnIndexer = (request: IndexerRequest) => IndexerHandle;

/** How many problems a status carries; the rest are counted only. */
export const MAX_PROBLEMS_KEPT = 100;
/** Change notifications while indexing are at most this often (ms); state changes go out at once. */
export const CHANGE_INTERVAL_MS = 100;
/** About how many times larger JSON is than its deflated bytes in an `.eval` (only to decide how many parts read it). */
const DEFLATED_JSON_RATIO = 4;
/** A cancelled indexer that has not stopped after this long (a long line being parsed) is terminated. */
const CANCEL_GRACE_MS = 1000;

/** Whether a regular file starts as a zip does (an Inspect `.eval`); false when it cannot be read. */
function startsLikeZip(path: string): boolean {
  const signature = Buffer.alloc(2);
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    return readSync(fd, signature, 0, 2, 0) === 2 && looksLikeZip(signature);
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Runs an indexer on this thread (tests, and hosts without worker threads). Messages are cloned
 * and delivered on later turns of the event loop, as a worker's would be.
 */
export function spawnInProcessIndexer(request: IndexerRequest): IndexerHandle {
  const controller = new AbortController();
  let listener: ((message: IndexerMessage) => void) | null = null;
  const queue: IndexerMessage[] = [];
  let stopped = false;
  const drain = (): void => {
    if (!listener) return;
    for (const message of queue.splice(0)) if (!stopped) listener(message);
  };
  void runIndexer(
    request,
    (message) => {
      queue.push(structuredClone(message));
      setImmediate(drain);
    },
    controller.signal,
  );
  return {
    onMessage(next) {
      listener = next;
      setImmediate(drain);
    },
    cancel() {
      controller.abort();
    },
    async terminate() {
      stopped = true;
      controller.abort();
    },
  };
}

/** The first row at or after line `line` (rows are in line order; a line may hold several). */
function firstRowOf(lines: readonly number[], line: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (lines[mid]! < line) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One indexer working on a part of a file, and the batches it sent before their turn. */
interface Part {
  handle: IndexerHandle | null;
  state: 'indexing' | 'done' | 'failed' | 'cancelled';
  bytesRead: number;
  /** Batches waiting for the parts before this one to finish (rows are kept in file order). */
  waiting: Array<Extract<IndexerMessage, { type: 'batch' }>>;
}

/** One open file: its status fields, its rows, and the indexers still working on it. */
interface OpenedFile {
  status: Omit<OpenedFileStatus, 'elapsedMs' | 'trajectories'>;
  startedAt: number;
  endedAt: number | null;
  summaries: TrajectorySummary[];
  /** Byte range and line of each row, parallel to `summaries` (plain number arrays stay compact). */
  starts: number[];
  ends: number[];
  lines: number[];
  /** The trajectories of a single-document file (no byte range to reread); null for line formats. */
  documents: Trajectory[] | null;
  /** The file's modification time when it was opened (null when it could not be read). */
  modifiedAt: number | null;
  parts: Part[];
  /** Whether the parts after the first were started (once part 0 told the format). */
  partsStarted: boolean;
  /** The part whose rows are being added; the parts after it wait. */
  turn: number;
  cancelTimer: NodeJS.Timeout | null;
  searches: Set<{ handle: IndexerHandle; reject: (error: Error) => void }>;
  /** Resolves when indexing ends, however it ends. */
  settled: Promise<void>;
  settle: () => void;
  notifyTimer: NodeJS.Timeout | null;
  lastNotify: number;
}

/** Options of a {@link TrajectoryLibrary}. */
export interface TrajectoryLibraryOptions {
  /** Starts indexers: a pool of worker threads by default; tests run them in-process. */
  spawnIndexer?: SpawnIndexer;
  /** Files open at once at most (default 32). */
  maxOpenFiles?: number;
  /** Indexers one JSONL file (or `.eval` log) is split across at most (default: the CPUs, up to 4). */
  parallelism?: number;
  /** A file is split only into parts of at least this many bytes to read (default 32 MiB). */
  minPartBytes?: number;
}

/**
 * The trajectory files a user has open: indexes each in the background (worker threads; a large
 * JSONL file in parts side by side), serves pages of rows, rereads one trajectory by its byte
 * range, and searches a file's content. Used by the API service; knows nothing about IPC or windows.
 */
export class TrajectoryLibrary {
  private readonly files = new Map<string, OpenedFile>();
  private readonly byPath = new Map<string, string>();
  private readonly listeners = new Set<(status: OpenedFileStatus) => void>();
  private readonly spawnIndexer: SpawnIndexer;
  private readonly pool: IndexWorkerPool | null = null;
  private readonly maxOpenFiles: number;
  private readonly parallelism: number;
  private readonly minPartBytes: number;
  /** Models and tool names repeat on every row: one string each keeps 20,000 rows small. */
  private readonly strings = new Map<string, string>();

  /**
   * `spawnIndexer` defaults to a pool of worker threads; when this module runs from its TypeScript
   * source (under Vitest) there is no compiled worker beside it, so indexers run in-process there.
   */
  constructor(options: TrajectoryLibraryOptions = {}) {
    const fromSource = import.meta.url.endsWith('.ts');
    this.parallelism = Math.max(1, Math.floor(options.parallelism ?? Math.min(4, availableParallelism())));
    this.minPartBytes = Math.max(1, options.minPartBytes ?? 32 * 2 ** 20);
    if (!options.spawnIndexer && !fromSource) this.pool = new IndexWorkerPool({ keepIdle: this.parallelism });
    this.spawnIndexer = options.spawnIndexer ?? this.pool?.spawn.bind(this.pool) ?? spawnInProcessIndexer;
    this.maxOpenFiles = options.maxOpenFiles ?? 32;
  }

  /**
   * Starts the index threads a file is split across and resolves once they are ready, so the next
   * open starts indexing at once instead of loading the importers first (no-op in-process).
   */
  async warm(): Promise<void> {
    await this.pool?.warm(this.parallelism);
  }

  /**
   * Opens a file (absolute path) and starts indexing it; returns at once. A path already open
   * returns its existing status (close it first to index it again).
   */
  open(path: string): OpenedFileStatus {
    if (!isAbsolute(path)) throw new Error(`open needs an absolute path, got '${path}'`);
    const absolute = resolve(path);
    const existing = this.byPath.get(absolute);
    if (existing !== undefined) return this.status(existing);
    if (this.files.size >= this.maxOpenFiles) throw new Error(`cannot open ${absolute}: ${this.maxOpenFiles} files are open already; close one first`);
    const fileId = randomUUID();
    let settle = (): void => {};
    const settled = new Promise<void>((done) => (settle = done));
    // The size decides the parts; a file that cannot be read fails in its indexer, which says why.
    let size = 0;
    let modifiedAt: number | null = null;
    let zipped = false;
    try {
      const info = statSync(absolute, { throwIfNoEntry: false });
      size = info?.size ?? 0;
      modifiedAt = info?.mtimeMs ?? null;
      zipped = info?.isFile() === true && startsLikeZip(absolute);
    } catch {
      size = 0;
    }
    // An .eval's samples are deflated: what is read and parsed is what they inflate to.
    const work = zipped ? size * DEFLATED_JSON_RATIO : size;
    const of = Math.max(1, Math.min(this.parallelism, Math.floor(work / this.minPartBytes)));
    const file: OpenedFile = {
      status: { fileId, path: absolute, name: fileDisplayName(absolute), size, format: null, state: 'indexing', bytesRead: 0, problems: [], problemCount: 0, error: null },
      startedAt: performance.now(),
      endedAt: null,
      summaries: [],
      starts: [],
      ends: [],
      lines: [],
      documents: null,
      modifiedAt,
      parts: Array.from({ length: of }, () => ({ handle: null, state: 'indexing' as const, bytesRead: 0, waiting: [] })),
      partsStarted: of === 1,
      turn: 0,
      cancelTimer: null,
      searches: new Set(),
      settled,
      settle,
      notifyTimer: null,
      lastNotify: 0,
    };
    this.files.set(fileId, file);
    this.byPath.set(absolute, fileId);
    // Part 0 tells the format from the first record; the other parts start once it has, so the
    // first record (which may be hundreds of MB) is read once.
    this.startPart(file, 0);
    return this.snapshot(file);
  }

  private startPart(file: OpenedFile, index: number, format?: FormatId): void {
    const of = file.parts.length;
    const part = file.parts[index]!;
    const handle = this.spawnIndexer(of > 1 ? { task: 'index', path: file.status.path, part: { index, of }, ...(format ? { format } : {}) } : { task: 'index', path: file.status.path });
    part.handle = handle;
    handle.onMessage((message) => this.receive(file, part, message));
  }

  /** Once part 0 told the format: the other parts read their lines or samples, or have none (a single document). */
  private startOtherParts(file: OpenedFile, format: FormatId | null): void {
    if (file.partsStarted || file.status.state !== 'indexing') return;
    file.partsStarted = true;
    for (let index = 1; index < file.parts.length; index++) {
      if (rereadable(format)) this.startPart(file, index, format!);
      else file.parts[index]!.state = 'done';
    }
    this.advance(file);
  }

  /** The status of an open file; throws for an id that is not open. */
  status(fileId: string): OpenedFileStatus {
    return this.snapshot(this.file(fileId));
  }

  /** Every open file, in the order they were opened. */
  list(): OpenedFileStatus[] {
    return [...this.files.values()].map((file) => this.snapshot(file));
  }

  /** Up to `limit` rows from row `from` (fewer near the end, or while indexing). */
  rows(fileId: string, from: number, limit: number): TrajectorySummary[] {
    const file = this.file(fileId);
    if (!Number.isInteger(from) || from < 0 || !Number.isInteger(limit) || limit < 0) throw new RangeError(`rows of ${file.status.name}: from and limit must be whole numbers >= 0 (got ${from}, ${limit})`);
    return file.summaries.slice(from, from + limit);
  }

  /** Trajectory `index` of a file: reread from its line's bytes, or the kept document trajectory. */
  async trajectory(fileId: string, index: number): Promise<Trajectory> {
    const file = this.file(fileId);
    const count = file.summaries.length;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      const still = file.status.state === 'indexing' ? ' so far (still indexing)' : '';
      throw new RangeError(`${file.status.name} has no trajectory ${index}: it has ${count}${still} (numbered from 0)`);
    }
    if (file.documents) return file.documents[index]!;
    const line = file.lines[index]!;
    const { path } = file.status;
    let read: Trajectory;
    try {
      read = await readTrajectoryAt(path, file.status.format!, file.starts[index]!, file.ends[index]!, line, index, firstRowOf(file.lines, line));
    } catch (error) {
      // What a rewritten file holds at the old offsets is no fault of the file: say what happened.
      const changed = changeSinceOpened(file);
      throw changed ? new FormatError(`${path}: the file ${changed} since it was opened, so row ${index} cannot be read back; close it and open it again`) : error;
    }
    // A file rewritten in place may hold another trajectory at the same bytes: it is not shown as this row.
    const listed = file.summaries[index]!;
    const now = summarizeTrajectory(read, index);
    if (now.id !== listed.id || now.turns !== listed.turns || now.preview !== listed.preview) {
      const shown = (t: TrajectorySummary): string => `${t.id}, "${t.preview.slice(0, 60)}"`;
      throw new FormatError(`${path}: the file ${changeSinceOpened(file) ?? 'changed'} since it was opened: line ${line} no longer holds row ${index} (${shown(listed)}) but ${shown(now)}; close it and open it again`);
    }
    return read;
  }

  /**
   * Indices of the trajectories whose messages (content, reasoning, tool call names and arguments)
   * contain `text`, ignoring case. Waits for indexing to end first. JSONL files are scanned line by
   * line in an indexer (lines that cannot match are not parsed), `.eval` logs sample by sample;
   * nothing is kept.
   */
  async search(fileId: string, text: string): Promise<number[]> {
    const file = this.file(fileId);
    await file.settled;
    if (this.files.get(fileId) !== file) throw new Error(`${file.status.name} was closed`);
    if (file.documents) return file.documents.flatMap((t, i) => (trajectoryContains(t, text) ? [i] : []));
    if (file.summaries.length === 0) return [];
    const handle = this.spawnIndexer({ task: 'search', path: file.status.path, format: file.status.format!, text });
    const found: number[] = [];
    try {
      await new Promise<void>((done, fail) => {
        const entry = { handle, reject: fail };
        file.searches.add(entry);
        handle.onMessage((message) => {
          if (message.type === 'matches') {
            for (let i = 0; i < message.matches.length; i += 2) {
              const row = this.rowOf(file, message.matches[i]!, message.matches[i + 1]!);
              if (row !== null) found.push(row);
            }
          } else if (isFinalMessage(message)) {
            file.searches.delete(entry);
            if (message.type === 'done') done();
            else fail(new Error(message.type === 'failed' ? message.error : `search of ${file.status.name} was cancelled`));
          }
        });
      });
    } finally {
      void handle.terminate();
    }
    return found;
  }

  /** Stops indexing a file; the rows indexed so far stay. */
  cancel(fileId: string): void {
    const file = this.file(fileId);
    if (file.status.state !== 'indexing') return;
    for (const part of file.parts) if (part.state === 'indexing') part.handle?.cancel();
    this.finish(file, 'cancelled');
    // Rows already on their way are still taken; an indexer stuck in one long line is stopped.
    file.cancelTimer = setTimeout(() => this.stopParts(file), CANCEL_GRACE_MS);
    file.cancelTimer.unref();
  }

  /** Closes a file: stops its indexers and searches and forgets its rows. */
  close(fileId: string): void {
    const file = this.file(fileId);
    this.files.delete(fileId);
    this.byPath.delete(file.status.path);
    void this.teardown(file);
  }

  /** Calls `listener` with a file's status as indexing goes (throttled) and when its state changes; returns the unsubscribe. */
  onChange(listener: (status: OpenedFileStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Closes every file and ends every worker thread. */
  async dispose(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    this.byPath.clear();
    this.listeners.clear();
    await Promise.all(files.map((file) => this.teardown(file)));
    await this.pool?.dispose();
  }

  private file(fileId: string): OpenedFile {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`no open file with id '${fileId}'`);
    return file;
  }

  private snapshot(file: OpenedFile): OpenedFileStatus {
    const end = file.endedAt ?? performance.now();
    return { ...file.status, problems: [...file.status.problems], trajectories: file.summaries.length, elapsedMs: Math.round(end - file.startedAt) };
  }

  private intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < 10_000) this.strings.set(value, value);
    return value;
  }

  private receive(file: OpenedFile, part: Part, message: IndexerMessage): void {
    if (this.files.get(file.status.fileId) !== file) return;
    const status = file.status;
    switch (message.type) {
      case 'opened':
        // Part 0 has the last word: it alone reads a single document, whose import may name a better format.
        if (part !== file.parts[0]) return;
        status.format = message.format;
        status.size = message.size;
        this.notify(file, false);
        this.startOtherParts(file, message.format);
        return;
      case 'batch':
        part.bytesRead = message.progress.bytesRead;
        if (status.state === 'indexing') status.bytesRead = file.parts.reduce((sum, p) => sum + p.bytesRead, 0);
        part.waiting.push(message);
        this.advance(file);
        return;
      case 'done':
        part.state = 'done';
        part.bytesRead = message.progress.bytesRead;
        this.release(part);
        this.advance(file);
        return;
      case 'failed':
        part.state = 'failed';
        this.release(part);
        if (status.state === 'indexing') status.error = message.error;
        this.finish(file, 'failed');
        this.stopParts(file);
        return;
      case 'cancelled':
        part.state = 'cancelled';
        this.release(part);
        this.finish(file, 'cancelled');
        return;
      default:
        return;
    }
  }

  /** Adds the rows of the part whose turn it is, moving on while parts are done; ends the file after the last. */
  private advance(file: OpenedFile): void {
    let added = false;
    const hadRows = file.summaries.length > 0;
    while (file.turn < file.parts.length) {
      const part = file.parts[file.turn]!;
      for (const batch of part.waiting.splice(0)) {
        this.add(file, batch);
        added = true;
      }
      if (part.state !== 'done') break;
      file.turn += 1;
    }
    if (file.turn === file.parts.length && file.status.state === 'indexing') {
      this.complete(file);
      return;
    }
    if (added) this.notify(file, !hadRows && file.summaries.length > 0);
  }

  private add(file: OpenedFile, batch: Extract<IndexerMessage, { type: 'batch' }>): void {
    for (const row of batch.rows) {
      const summary = row.summary;
      // Parts number their rows from 0; a row's index is its place in the whole file.
      summary.index = file.summaries.length;
      if (summary.model !== null) summary.model = this.intern(summary.model);
      summary.toolNames = summary.toolNames.map((name) => this.intern(name));
      file.summaries.push(summary);
      file.starts.push(row.start);
      file.ends.push(row.end);
      file.lines.push(row.line);
    }
    if (batch.documents.length > 0) (file.documents ??= []).push(...batch.documents);
    const problems = file.status.problems;
    for (const problem of batch.problems) if (problems.length < MAX_PROBLEMS_KEPT) problems.push(problem);
    file.status.problemCount += batch.problemCount;
  }

  /** Every part is done: the file is indexed, unless no line of a JSONL file (no sample of an `.eval`) could be imported. */
  private complete(file: OpenedFile): void {
    const status = file.status;
    status.bytesRead = status.size;
    if (file.summaries.length === 0 && rereadable(status.format)) {
      // As importing the whole file says it, so the table and `convert` tell the same story.
      const first = status.problems[0] === undefined ? '' : `; first: ${status.problems[0]}`;
      const what = status.format === 'inspect-eval' ? 'sample could be read' : 'line could be imported';
      status.error = `${status.path} (looked like ${FORMAT_DESCRIPTIONS[status.format!]}): no ${what}${first}`;
      this.finish(file, 'failed');
      return;
    }
    this.finish(file, 'done');
  }

  /** Sets the final state (once) and tells listeners at once. */
  private finish(file: OpenedFile, state: 'done' | 'failed' | 'cancelled'): void {
    if (file.status.state !== 'indexing') return;
    file.status.state = state;
    file.endedAt = performance.now();
    file.settle();
    this.notify(file, true);
  }

  /** Lets go of a part's indexer once it has ended. */
  private release(part: Part): void {
    const handle = part.handle;
    part.handle = null;
    if (handle) void handle.terminate();
  }

  /** Stops every part still running (after a failure, or a cancel that was not heard). */
  private stopParts(file: OpenedFile): Array<Promise<void>> {
    if (file.cancelTimer) clearTimeout(file.cancelTimer);
    file.cancelTimer = null;
    const stopping: Array<Promise<void>> = [];
    for (const part of file.parts) {
      if (part.handle) stopping.push(part.handle.terminate());
      part.handle = null;
      part.waiting = [];
    }
    return stopping;
  }

  private async teardown(file: OpenedFile): Promise<void> {
    if (file.notifyTimer) clearTimeout(file.notifyTimer);
    file.notifyTimer = null;
    if (file.status.state === 'indexing') {
      file.status.state = 'cancelled';
      file.endedAt = performance.now();
    }
    file.settle();
    const stopping = this.stopParts(file);
    for (const search of file.searches) {
      search.reject(new Error(`${file.status.name} was closed`));
      stopping.push(search.handle.terminate());
    }
    file.searches.clear();
    await Promise.all(stopping);
  }

  /** The row of the `k`-th trajectory of line `line`, or null when that line has no row (indexing was cancelled). */
  private rowOf(file: OpenedFile, line: number, k: number): number | null {
    const row = firstRowOf(file.lines, line) + k;
    return row < file.lines.length && file.lines[row] === line ? row : null;
  }

  private notify(file: OpenedFile, urgent: boolean): void {
    if (urgent) {
      this.emit(file);
      return;
    }
    if (file.notifyTimer) return;
    const wait = Math.max(0, file.lastNotify + CHANGE_INTERVAL_MS - performance.now());
    file.notifyTimer = setTimeout(() => this.emit(file), wait);
    file.notifyTimer.unref();
  }

  private emit(file: OpenedFile): void {
    if (file.notifyTimer) clearTimeout(file.notifyTimer);
    file.notifyTimer = null;
    file.lastNotify = performance.now();
    if (this.files.get(file.status.fileId) !== file) return;
    const status = this.snapshot(file);
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        // One failing listener must not stop the others or the indexer's message handler.
        process.emitWarning(`a trajectory library listener threw: ${(error as Error).message}`);
      }
    }
  }
}

/** How the file differs from when it was opened ("was written to", "was removed"), or null when it does not. */
function changeSinceOpened(file: OpenedFile): string | null {
  try {
    const info = statSync(file.status.path, { throwIfNoEntry: false });
    if (!info) return 'was removed';
    if (info.size !== file.status.size || info.mtimeMs !== file.modifiedAt) return 'was written to';
    return null;
  } catch {
    return null;
  }
}
