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
}

/** A file opened for streaming: its format (from its first bytes) and its items, read lazily. */
export interface TrajectoryStream {
  path: string;
  format: FormatId;
  size: number;
  items: AsyncGenerator<StreamItem, void, undefined>;
}

function describeReadError(path: string, error: unknown): FormatError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (code ?? (error as Error).message);
  return new FormatError(`${path}: cannot read it (${why})`);
}

/** The first bytes of a file as text, for format detection. */
async function readHead(path: string): Promise<{ head: string; bytes: Uint8Array }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, DETECT_BYTES, 0);
    const bytes = buffer.subarray(0, bytesRead);
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
  if (detected !== null && isLineFormat(format)) return { path, format, size, items: streamLines(path, format, options) };
  return { path, format, size, items: readDocument(path, size, options) };
}

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

/** Splits a file into lines over its byte chunks, keeping each line's byte range. */
async function* streamLines(path: string, format: FormatId, options: StreamOptions): AsyncGenerator<StreamItem, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const name = path;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = 0;
  let lineNumber = 0;
  let skipping = false;
  let offset = 0;
  let index = 0;
  const emit = (bytes: Buffer, start: number): StreamItem[] => {
    lineNumber += 1;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return [{ kind: 'problem', problem: `${name}:${lineNumber}: not UTF-8 text` }];
    }
    if (lineNumber === 1) text = text.replace(/^\uFEFF/, '');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const imported = importLine(format, text, name, lineNumber, index);
    if ('problem' in imported) return [{ kind: 'problem', problem: imported.problem }];
    index += imported.trajectories.length;
    return imported.trajectories.map((trajectory) => ({ kind: 'trajectory' as const, trajectory, start, end: start + bytes.length, line: lineNumber }));
  };
  const tooLong = (): StreamItem => {
    lineNumber += 1;
    return { kind: 'problem', problem: `${name}:${lineNumber}: the line is longer than ${MAX_LINE_BYTES / 2 ** 20} MiB and was skipped` };
  };
  let stream: AsyncIterable<Buffer>;
  try {
    stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20, signal: options.signal });
  } catch (error) {
    throw describeReadError(path, error);
  }
  for await (const chunk of stream) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      if (newline < 0) break;
      if (skipping) {
        skipping = false;
      } else {
        const piece = chunk.subarray(from, newline);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece], pendingBytes + piece.length);
        yield* emit(bytes, lineStart);
      }
      pending = [];
      pendingBytes = 0;
      lineStart = offset + newline + 1;
      from = newline + 1;
    }
    if (!skipping && from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
      if (pendingBytes > MAX_LINE_BYTES) {
        pending = [];
        pendingBytes = 0;
        skipping = true;
        yield tooLong();
      }
    }
    offset += chunk.length;
    options.onBytes?.(offset);
  }
  if (!skipping && pendingBytes > 0) yield* emit(Buffer.concat(pending, pendingBytes), lineStart);
}

/** Reads the trajectory whose JSONL line is at bytes `[start, end)` (for opening one row of an index). */
export async function readTrajectoryAt(path: string, format: FormatId, start: number, end: number, line: number, index: number): Promise<Trajectory> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw describeReadError(path, error);
  });
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    let text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    if (line === 1) text = text.replace(/^\uFEFF/, '');
    const imported = importLine(format, text.replace(/\r$/, ''), path, line, index);
    if ('problem' in imported) throw new FormatError(imported.problem);
    const found = imported.trajectories.find((t) => t.source.index === index) ?? imported.trajectories[0];
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
