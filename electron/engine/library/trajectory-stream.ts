import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DETECT_BYTES, FORMAT_DESCRIPTIONS, FormatError, detectFormat, importBytes, importLine, isLineFormat } from '../../../shared/formats/import.js';
import type { FormatId, Trajectory } from '../../../shared/formats/trajectory.js';

/** One item a streamed file yields: a trajectory (with the byte range of its line), or a skipped line. */
export type StreamItem =
  | { kind: 'trajectory'; trajectory: Trajectory; /** byte range of the JSONL line, or of the whole file */ start: number; end: number; line: number }
  | { kind: 'problem'; problem: string };

/** Longest JSONL line read (bytes): V8 strings stop near 512 MiB, so longer lines are skipped with a message. */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** Largest single JSON document opened whole (bytes). */
export const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;

/** Options of {@link streamTrajectories}. */
export interface StreamOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes read so far, as reading goes. */
  onBytes?: (bytesRead: number) => void;
  /** Read chunk size (bytes). */
  chunkBytes?: number;
  /**
   * JSONL only: read the lines of bytes `[start, end)` only, `start` being where line `firstLine`
   * begins (see splitLines), so parts of one file can be read side by side.
   */
  range?: LineRange;
  /**
   * JSONL only: read part `index` of `of` equal parts of the file, each cut at a line start (see
   * {@link lineRangeOfPart}); for a single document, part 0 reads it and the others read nothing.
   */
  part?: { index: number; of: number };
}

/** A run of whole lines of a file: bytes `[start, end)`, the first of them line number `firstLine`. */
export interface LineRange {
  start: number;
  end: number;
  firstLine: number;
}

/** A file opened for streaming: its format (from its first bytes) and its items, read lazily. */
export interface TrajectoryStream {
  path: string;
  format: FormatId;
  /** False when the first bytes looked like no known format (reading then fails naming the file). */
  recognised: boolean;
  /** The lines this stream reads, when it reads a part of a JSONL file. */
  range?: LineRange;
  size: number;
  items: AsyncGenerator<StreamItem, void, undefined>;
}

function describeReadError(path: string, error: unknown): FormatError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
  return new FormatError(`${path}: cannot read it (${why})`);
}

/** Bytes read at a time while looking for the first non-blank byte. */
const SKIP_CHUNK = 1 << 20;

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The first bytes of a file as text, for format detection: from its first non-blank byte, so a
 * JSONL file that starts with many empty lines is still recognised by its first record.
 */
async function readHead(path: string): Promise<{ head: string; bytes: Uint8Array }> {
  const handle = await open(path, 'r');
  try {
    const first = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await handle.read(first, 0, DETECT_BYTES, 0);
    let start = first.subarray(0, bytesRead).findIndex((b) => !isBlank(b));
    if (start < 0 && bytesRead === DETECT_BYTES) {
      const chunk = Buffer.alloc(SKIP_CHUNK);
      for (let at = bytesRead; ; at += SKIP_CHUNK) {
        const { bytesRead: n } = await handle.read(chunk, 0, SKIP_CHUNK, at);
        if (n === 0) break;
        const found = chunk.subarray(0, n).findIndex((b) => !isBlank(b));
        if (found >= 0) {
          start = at + found;
          break;
        }
      }
    }
    if (start <= 0) {
      const bytes = first.subarray(0, bytesRead);
      return { head: bytes.toString('utf8'), bytes };
    }
    const buffer = Buffer.alloc(DETECT_BYTES);
    const { bytesRead: read } = await handle.read(buffer, 0, DETECT_BYTES, start);
    const bytes = buffer.subarray(0, read);
    return { head: bytes.toString('utf8'), bytes };
  } finally {
    await handle.close();
  }
}

/**
 * Opens a trajectory file for streaming. JSONL formats are read line by line and never held whole
 * (memory stays flat as the file grows); a bad line becomes a `problem` item and reading goes on.
 * Single-document formats (one JSON, a zip) are read whole and imported at once. Throws
 * `FormatError` naming the file for unreadable or unrecognised files.
 */
export async function openTrajectoryStream(path: string, options: StreamOptions = {}): Promise<TrajectoryStream> {
  let size: number;
  let head: string;
  let headBytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    size = info.size;
    ({ head, bytes: headBytes } = await readHead(path));
  } catch (error) {
    throw describeReadError(path, error);
  }
  const zip = headBytes.length >= 2 && headBytes[0] === 0x50 && headBytes[1] === 0x4b;
  const detected = zip ? 'inspect-eval' : detectFormat(head, path);
  const format: FormatId = detected !== null && detected in FORMAT_DESCRIPTIONS ? (detected as FormatId) : 'agent-result';
  const recognised = detected !== null;
  const part = options.part && options.part.of > 1 ? options.part : null;
  if (recognised && isLineFormat(format)) {
    const range = part ? await lineRangeOfPart(path, size, part.index, part.of, options.signal) : options.range;
    return { path, format, recognised, size, range, items: streamLines(path, format, { ...options, range }) };
  }
  return { path, format, recognised, size, items: part && part.index > 0 ? nothing() : readDocument(path, size, options) };
}

/** An empty stream, for the parts of a single document after the first. */
async function* nothing(): AsyncGenerator<StreamItem, void, undefined> {}

/** Streams every trajectory of a file (see {@link openTrajectoryStream}). */
export async function* streamTrajectories(path: string, options: StreamOptions = {}): AsyncGenerator<StreamItem, void, undefined> {
  const stream = await openTrajectoryStream(path, options);
  yield* stream.items;
}

async function* readDocument(path: string, size: number, options: StreamOptions): AsyncGenerator<StreamItem, void, undefined> {
  if (size > MAX_DOCUMENT_BYTES) {
    throw new FormatError(`${path}: ${Math.round(size / 2 ** 20)} MiB is too large to open as one JSON document (the limit is ${MAX_DOCUMENT_BYTES / 2 ** 20} MiB); JSONL files of any size open line by line`);
  }
  const chunks: Buffer[] = [];
  let read = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20, signal: options.signal })) {
      chunks.push(chunk as Buffer);
      read += (chunk as Buffer).length;
      options.onBytes?.(read);
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw describeReadError(path, error);
  }
  const result = importBytes(Buffer.concat(chunks, read), path);
  for (const problem of result.problems) yield { kind: 'problem', problem };
  for (const trajectory of result.trajectories) yield { kind: 'trajectory', trajectory, start: 0, end: read, line: 1 };
}

/**
 * The lines of part `index` of `of` of a file: its byte share, moved forward to where a line
 * starts, and the number of that line (the newlines before it are counted, at memchr speed).
 * The parts tile the file; a part inside one long line is empty.
 */
export async function lineRangeOfPart(path: string, size: number, index: number, of: number, signal?: AbortSignal): Promise<LineRange> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeReadError(path, error);
  });
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    // The first line start at or after `at`: just after a newline at `at - 1` or later.
    const lineStartFrom = async (at: number): Promise<number> => {
      if (at <= 0) return 0;
      for (let position = at - 1; position < size; position += buffer.length) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        const newline = buffer.subarray(0, bytesRead).indexOf(10);
        if (newline >= 0) return position + newline + 1;
        if (bytesRead === 0) break;
      }
      return size;
    };
    const start = await lineStartFrom(Math.floor((index * size) / of));
    const end = index + 1 >= of ? size : Math.max(start, await lineStartFrom(Math.floor(((index + 1) * size) / of)));
    let newlines = 0;
    for (let position = 0; position < start; ) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, start - position), position);
      if (bytesRead === 0) break;
      const view = buffer.subarray(0, bytesRead);
      for (let at = view.indexOf(10); at >= 0; at = view.indexOf(10, at + 1)) newlines += 1;
      position += bytesRead;
    }
    return { start, end, firstLine: newlines + 1 };
  } finally {
    await handle.close();
  }
}

/** One line of a JSONL file as read: its bytes without the newline, its byte range and number (from 1). */
export interface RawLine {
  /** Null for a line longer than {@link MAX_LINE_BYTES}, which is skipped. */
  bytes: Buffer | null;
  start: number;
  end: number;
  line: number;
}

/**
 * Splits a file into lines over its byte chunks, keeping each line's byte range. Lines that fit in
 * one chunk are views into it (no copy); only a line spanning chunks is joined, once, at its end.
 */
export async function* readLines(path: string, options: StreamOptions = {}): AsyncGenerator<RawLine, void, undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const range = options.range;
  if (range && range.end <= range.start) return;
  let lineStart = range?.start ?? 0;
  let lineNumber = (range?.firstLine ?? 1) - 1;
  let skipping = false;
  let offset = lineStart;
  let stream: AsyncIterable<Buffer>;
  try {
    // createReadStream's `end` is inclusive.
    stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20, signal: options.signal, start: lineStart, end: range ? range.end - 1 : undefined });
  } catch (error) {
    throw describeReadError(path, error);
  }
  try {
    for await (const chunk of stream) {
      let from = 0;
      for (;;) {
        const newline = chunk.indexOf(10, from);
        if (newline < 0) break;
        lineNumber += 1;
        const end = offset + newline;
        if (skipping) {
          skipping = false;
        } else {
          const piece = chunk.subarray(from, newline);
          const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
          yield { bytes, start: lineStart, end, line: lineNumber };
        }
        pending = [];
        pendingBytes = 0;
        lineStart = end + 1;
        from = newline + 1;
      }
      if (!skipping && from < chunk.length) {
        pending.push(chunk.subarray(from));
        pendingBytes += chunk.length - from;
        if (pendingBytes > MAX_LINE_BYTES) {
          pending = [];
          pendingBytes = 0;
          skipping = true;
          // Reported now (the line's end is not known yet); its newline then closes it unseen.
          yield { bytes: null, start: lineStart, end: lineStart + MAX_LINE_BYTES, line: lineNumber + 1 };
        }
      }
      offset += chunk.length;
      options.onBytes?.(offset);
    }
  } catch (error) {
    if ((error as Error).name === 'AbortError' || error instanceof FormatError) throw error;
    throw describeReadError(path, error);
  }
  if (!skipping && pendingBytes > 0) yield { bytes: Buffer.concat(pending, pendingBytes), start: lineStart, end: offset, line: lineNumber + 1 };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A raw line as text: BOM (line 1) and a trailing CR dropped; null when it is not UTF-8. */
export function lineText(bytes: Uint8Array, line: number): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  return text;
}

/** The problem text of a line {@link readLines} skipped or could not decode. */
export function lineProblem(path: string, raw: RawLine): string {
  return raw.bytes === null ? `${path}:${raw.line}: the line is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB and was skipped` : `${path}:${raw.line}: not UTF-8 text`;
}

async function* streamLines(path: string, format: FormatId, options: StreamOptions): AsyncGenerator<StreamItem, void, undefined> {
  let index = 0;
  for await (const raw of readLines(path, options)) {
    const text = raw.bytes === null ? null : lineText(raw.bytes, raw.line);
    if (text === null) {
      yield { kind: 'problem', problem: lineProblem(path, raw) };
      continue;
    }
    const imported = importLine(format, text, path, raw.line, index);
    if ('problem' in imported) {
      yield { kind: 'problem', problem: imported.problem };
      continue;
    }
    index += imported.trajectories.length;
    for (const trajectory of imported.trajectories) yield { kind: 'trajectory', trajectory, start: raw.start, end: raw.end, line: raw.line };
  }
}

/**
 * Reads trajectory `index`, whose JSONL line is at bytes `[start, end)` (for opening one row of an
 * index). `firstIndex` is the index of that line's first trajectory: a line may hold several.
 */
export async function readTrajectoryAt(path: string, format: FormatId, start: number, end: number, line: number, index: number, firstIndex = index): Promise<Trajectory> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeReadError(path, error);
  });
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const text = bytesRead === buffer.length ? lineText(buffer, line) : null;
    if (text === null) throw new FormatError(`${path}:${line}: the line cannot be read back (was the file changed?)`);
    const imported = importLine(format, text, path, line, firstIndex);
    if ('problem' in imported) throw new FormatError(imported.problem);
    const found = imported.trajectories.find((t) => t.source.index === index);
    if (!found) throw new FormatError(`${path}:${line}: no trajectory at this line any more (was the file changed?)`);
    return found;
  } finally {
    await handle.close();
  }
}

/** The display name of a file (for tables and titles). */
export function fileDisplayName(path: string): string {
  return basename(path);
}
