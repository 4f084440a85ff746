import { performance } from 'node:perf_hooks';
import { importLine } from '#shared/formats/import.js';
import { summarizeTrajectory, type TrajectorySummary } from '#shared/formats/summary.js';
import type { FormatId, Trajectory } from '#shared/formats/trajectory.js';
import { lineText, openTrajectoryStream, readLines, rereadable } from './trajectory-stream.js';

/**
 * The indexing work of one opened file, written once and run either in a worker thread
 * (index-worker.ts, in the app) or in-process (tests): stream the file, summarize each trajectory,
 * post rows in batches. Everything posted is structured-clone safe.
 */

/** What an indexer is asked to do: index a file, or find the trajectories of a JSONL file containing a text. */
export type IndexerRequest =
  | {
      task: 'index';
      path: string;
      /** Part `index` of `of` of a JSONL file (indexed side by side; rows numbered from 0 in each part). */
      part?: { index: number; of: number };
      /** The file's line format, as part 0 told it: the other parts then never read the first record. */
      format?: FormatId;
      /** Read chunk size (bytes), for tests. */
      chunkBytes?: number;
    }
  | { task: 'search'; path: string; format: FormatId; text: string; chunkBytes?: number };

/** One row of an index: the collection-table summary and where its line is in the file. */
export interface IndexedRow {
  summary: TrajectorySummary;
  /** Byte range `[start, end)` of the JSONL line (the whole file for single-document formats). */
  start: number;
  end: number;
  /** Line number from 1. */
  line: number;
}

/** How far an indexer got. */
export interface IndexProgress {
  /** Bytes of its share of the file read (its part, when it reads a part). */
  bytesRead: number;
  size: number;
  trajectories: number;
}

/** A message from an indexer. `done`, `failed` and `cancelled` are the last one it sends. */
export type IndexerMessage =
  /** The format from the first bytes (null: none known); sent again if importing a document tells better. */
  | { type: 'opened'; format: FormatId | null; size: number }
  | {
      type: 'batch';
      rows: IndexedRow[];
      /** The parsed trajectories of a single-document file, in row order. */
      documents: Trajectory[];
      /** Problem texts, only while fewer than {@link MAX_PROBLEM_TEXTS} were sent; `problemCount` counts them all. */
      problems: string[];
      problemCount: number;
      progress: IndexProgress;
    }
  | { type: 'matches'; /** flat pairs: line number, then position of the trajectory within its line */ matches: number[]; progress: IndexProgress }
  | { type: 'done'; progress: IndexProgress }
  | { type: 'failed'; error: string }
  | { type: 'cancelled'; progress: IndexProgress };

/** What a pooled index worker is told: run a request (one at a time), or cancel the one it runs. */
export type WorkerCommand = { type: 'run'; id: number; request: IndexerRequest } | { type: 'cancel'; id: number };

/** What a pooled index worker answers: a message of request `id`, or (id 0, no message) that it has loaded. */
export interface WorkerReply {
  id: number;
  message: IndexerMessage | null;
}

/** Rows (or matches) per message at most: small enough that the first rows show at once. */
export const BATCH_ROWS = 256;
/** A batch is posted at least this often (ms) while anything is pending, so progress moves. */
export const BATCH_INTERVAL_MS = 50;
/** Problem texts sent per file at most (a file of a million bad lines is counted, not copied). */
export const MAX_PROBLEM_TEXTS = 100;

/**
 * A summary with the Python-semantics JSON parser's thrown "not JSON" errors made cheap: tool
 * results are parsed to classify them, most are plain text, and capturing a stack trace for each
 * throw was about a sixth of indexing time. The errors are caught inside; none escapes.
 */
function summarize(trajectory: Trajectory, index: number): TrajectorySummary {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return summarizeTrajectory(trajectory, index);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Collects rows and problems and posts them in batches (see {@link BATCH_ROWS}, {@link BATCH_INTERVAL_MS}). */
class Batcher {
  private rows: IndexedRow[] = [];
  private documents: Trajectory[] = [];
  private problems: string[] = [];
  private problemCount = 0;
  private problemTexts = 0;
  private lastPost = performance.now();
  private posted = false;
  readonly progress: IndexProgress;

  constructor(
    private readonly post: (message: IndexerMessage) => void,
    size: number,
  ) {
    this.progress = { bytesRead: 0, size, trajectories: 0 };
  }

  addRow(row: IndexedRow, document?: Trajectory): void {
    this.rows.push(row);
    if (document) this.documents.push(document);
    this.progress.trajectories += 1;
    // The first row goes out alone, so the table fills before the first batch is full.
    if (!this.posted || this.rows.length >= BATCH_ROWS) this.flush();
    else this.flushIfDue();
  }

  addProblem(problem: string): void {
    this.problemCount += 1;
    if (this.problemTexts < MAX_PROBLEM_TEXTS) {
      this.problemTexts += 1;
      this.problems.push(problem);
    }
    if (this.problemCount >= BATCH_ROWS) this.flush();
    else this.flushIfDue();
  }

  bytes(bytesRead: number): void {
    this.progress.bytesRead = bytesRead;
    this.flushIfDue();
  }

  flushIfDue(): void {
    if (performance.now() - this.lastPost >= BATCH_INTERVAL_MS) this.flush();
  }

  flush(): void {
    this.post({ type: 'batch', rows: this.rows, documents: this.documents, problems: this.problems, problemCount: this.problemCount, progress: { ...this.progress } });
    this.rows = [];
    this.documents = [];
    this.problems = [];
    this.problemCount = 0;
    this.posted = true;
    this.lastPost = performance.now();
  }
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error as Error | null)?.name === 'AbortError';
}

async function runIndex(request: Extract<IndexerRequest, { task: 'index' }>, post: (message: IndexerMessage) => void, signal: AbortSignal): Promise<void> {
  const { path, part } = request;
  let batcher: Batcher | null = null;
  let rangeStart = 0;
  try {
    const stream = await openTrajectoryStream(path, { signal, part, ...(request.format ? { format: request.format } : {}), chunkBytes: request.chunkBytes, onBytes: (offset) => batcher?.bytes(offset - rangeStart) });
    rangeStart = stream.range?.start ?? 0;
    const share = stream.range ? stream.range.end - stream.range.start : part && part.index > 0 ? 0 : stream.size;
    const reported = stream.format;
    post({ type: 'opened', format: reported, size: stream.size });
    batcher = new Batcher(post, stream.size);
    // JSONL lines and .eval samples are read again from their range; a single document has none, so it is kept.
    const keepDocuments = !rereadable(stream.format);
    let index = 0;
    for await (const item of stream.items) {
      if (signal.aborted) break;
      if (item.kind === 'problem') {
        batcher.addProblem(item.problem);
        continue;
      }
      // A document's format is only sure once it is imported (some tell what they are in their last key).
      if (keepDocuments && index === 0 && item.trajectory.source.format !== reported) post({ type: 'opened', format: item.trajectory.source.format, size: stream.size });
      const summary = summarize(item.trajectory, index);
      index += 1;
      batcher.addRow({ summary, start: item.start, end: item.end, line: item.line }, keepDocuments ? item.trajectory : undefined);
    }
    batcher.flush();
    if (signal.aborted) post({ type: 'cancelled', progress: batcher.progress });
    else post({ type: 'done', progress: { ...batcher.progress, bytesRead: share } });
  } catch (error) {
    if (isAbort(error, signal)) post({ type: 'cancelled', progress: batcher?.progress ?? { bytesRead: 0, size: 0, trajectories: 0 } });
    else post({ type: 'failed', error: (error as Error).message ?? String(error) });
  }
}

/**
 * True when a needle could be spelled differently in the raw line: it holds a character JSON may
 * write escaped, or JSON punctuation (object arguments are searched re-serialized compactly, and
 * the file may space its tokens differently). Such needles are checked on every parsed line.
 */
function mayBeSpelledDifferently(needle: string): boolean {
  if (/["\\/{}[\]:,]/.test(needle)) return true;
  for (let i = 0; i < needle.length; i++) if (needle.charCodeAt(i) < 0x20) return true;
  return false;
}

/** The text of a trajectory that search looks in: message contents, reasoning, tool call names and arguments. */
export function trajectoryContains(trajectory: Trajectory, needle: string): boolean {
  const lower = needle.toLowerCase();
  const has = (value: unknown): boolean => {
    if (value === undefined || value === null) return false;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.toLowerCase().includes(lower);
  };
  for (const message of trajectory.messages) {
    if (has(message.content) || has(message.reasoning_content)) return true;
    for (const call of message.tool_calls ?? []) if (has(call.function.name) || has(call.function.arguments)) return true;
  }
  return false;
}

type SearchRequest = Extract<IndexerRequest, { task: 'search' }>;

/** Per line of a JSONL file: (line, position in line) of each trajectory on it that holds the text. */
async function* lineMatches({ path, format, text, chunkBytes }: SearchRequest, progress: IndexProgress, signal: AbortSignal): AsyncGenerator<number[]> {
  const lower = text.toLowerCase();
  // A line that cannot contain the needle, even escaped, is skipped without being parsed.
  const prefilter = !mayBeSpelledDifferently(text);
  for await (const raw of readLines(path, { signal, chunkBytes, onBytes: (bytesRead) => (progress.bytesRead = bytesRead) })) {
    const line = raw.bytes === null ? null : lineText(raw.bytes, raw.line);
    if (line === null || (prefilter && !line.includes('\\u') && !line.includes('\\/') && !line.toLowerCase().includes(lower))) {
      yield [];
      continue;
    }
    const imported = importLine(format, line, path, raw.line, 0);
    yield 'problem' in imported ? [] : imported.trajectories.flatMap((trajectory, k) => (trajectoryContains(trajectory, text) ? [raw.line, k] : []));
  }
}

/** Per sample of an `.eval` log (compressed, so each is read): (sample number, 0) when it holds the text. */
async function* sampleMatches({ path, text }: SearchRequest, progress: IndexProgress, signal: AbortSignal): AsyncGenerator<number[]> {
  const { items } = await openTrajectoryStream(path, { signal, onBytes: (bytesRead) => (progress.bytesRead = bytesRead) });
  for await (const item of items) yield item.kind === 'trajectory' && trajectoryContains(item.trajectory, text) ? [item.line, 0] : [];
}

async function runSearch(request: SearchRequest, post: (message: IndexerMessage) => void, signal: AbortSignal): Promise<void> {
  const progress: IndexProgress = { bytesRead: 0, size: 0, trajectories: 0 };
  let matches: number[] = [];
  let lastPost = performance.now();
  const flush = (): void => {
    post({ type: 'matches', matches, progress: { ...progress } });
    matches = [];
    lastPost = performance.now();
  };
  try {
    // Matches are (line, position in line): the index maps them to row numbers.
    for await (const found of request.format === 'inspect-eval' ? sampleMatches(request, progress, signal) : lineMatches(request, progress, signal)) {
      if (signal.aborted) break;
      matches.push(...found);
      if (matches.length >= 2 * BATCH_ROWS || performance.now() - lastPost >= BATCH_INTERVAL_MS) flush();
    }
    flush();
    post(signal.aborted ? { type: 'cancelled', progress } : { type: 'done', progress });
  } catch (error) {
    if (isAbort(error, signal)) post({ type: 'cancelled', progress });
    else post({ type: 'failed', error: (error as Error).message ?? String(error) });
  }
}

/**
 * Runs one indexer request to its end, posting messages as it goes; never throws (a failure is a
 * `failed` message). Aborting `signal` stops the read and ends with `cancelled`.
 */
export async function runIndexer(request: IndexerRequest, post: (message: IndexerMessage) => void, signal: AbortSignal): Promise<void> {
  if (request.task === 'search') await runSearch(request, post, signal);
  else await runIndex(request, post, signal);
}
