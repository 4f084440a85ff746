import { constants as fsConstants, createReadStream, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { FormatError, detectRecord, recordListFormat, evalSamples, importBytes, type EvalSamples, importDocumentValue, importLine, importLineValue, isJsonlName, isLineFormat, looksLikeRecordLine, parseJson, unknownFormat, utf16Encoding } from '#shared/formats/import.js';
import type { FormatId, Trajectory } from '#shared/formats/trajectory.js';
import { useNativeInflate } from '#shared/formats/import-zip.js';
import { readErrorReason } from './read-error.js';

// Inspect `.eval` entries inflate with zlib here: fflate, in JavaScript, was most of their indexing.
useNativeInflate((data, maxBytes) => inflateRawSync(data, { maxOutputLength: maxBytes }));

/**
 * Whether the trajectories of a file of `format` can each be read again on their own, from the
 * range and line a stream gave them (JSONL lines, the samples of an `.eval`), rather than kept.
 */
export function rereadable(format: FormatId | null): boolean {
  return format !== null && (isLineFormat(format) || format === 'inspect-eval');
}

/** One item a streamed file yields: a trajectory (with the byte range of its line), or a skipped line. */
export type StreamItem =
  | { kind: 'trajectory'; trajectory: Trajectory; /** byte range of the JSONL line or `.eval` sample, or of the whole file */ start: number; end: number; line: number }
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
   * readLines only: the bytes to split instead of the file's (a decompressed shard), the first of
   * them at `range.start`; `range.end` is not enforced on them.
   */
  source?: AsyncIterable<Buffer>;
  /**
   * JSONL only: read the lines of bytes `[start, end)` only, `start` being where line `firstLine`
   * begins (see splitLines), so parts of one file can be read side by side.
   */
  range?: LineRange;
  /**
   * Read part `index` of `of` equal parts of the file: of a JSONL file's bytes, each cut at a line
   * start (see {@link lineRangeOfPart}); of an `.eval` log's samples. For a single JSON document,
   * part 0 reads it and the others read nothing.
   */
  part?: { index: number; of: number };
  /**
   * With `part` (index > 0): the file's line format, told by part 0. The part then reads its own
   * lines only, never the first record again, however large that record is.
   */
  format?: FormatId;
}

/** A run of whole lines of a file: bytes `[start, end)`, the first of them line number `firstLine`. */
export interface LineRange {
  start: number;
  end: number;
  firstLine: number;
}

/** A file opened for streaming: its format (from its first record) and its items, read lazily. */
export interface TrajectoryStream {
  path: string;
  /**
   * The format, from the parsed first record; null for a JSON document spread over lines, which is
   * only told once it is read whole (each trajectory's `source.format` then says it).
   */
  format: FormatId | null;
  /** The lines this stream reads, when it reads a part of a JSONL file. */
  range?: LineRange;
  size: number;
  items: AsyncGenerator<StreamItem, void, undefined>;
}

function describeReadError(path: string, error: unknown): FormatError {
  if ((error as NodeJS.ErrnoException).code === 'ENXIO') return new FormatError(`${path}: not a regular file: a socket or a device with no driver`);
  return new FormatError(`${path}: cannot read it (${readErrorReason(error)})`);
}

/** What a path that is not a regular file is, in words. */
function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * The size and first bytes of a regular file. It is opened without blocking (opening a FIFO with
 * no writer would wait forever) and checked on the opened handle: a FIFO, a device (`/dev/zero`
 * never ends) or a socket is refused at once, saying what it is.
 */
async function openRegularFile(path: string): Promise<{ size: number; mtimeMs: number; signature: Uint8Array }> {
  const handle = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    if (!info.isFile()) throw new FormatError(`${path}: not a regular file: ${fileKind(info)}`);
    const bytes = Buffer.alloc(4);
    const { bytesRead } = await handle.read(bytes, 0, 4, 0);
    return { size: info.size, mtimeMs: info.mtimeMs, signature: bytes.subarray(0, bytesRead) };
  } finally {
    await handle.close();
  }
}

/** Whether a file's first bytes are Parquet's magic number (`PAR1`). */
function isParquet(signature: Uint8Array): boolean {
  return signature.length >= 4 && signature[0] === 0x50 && signature[1] === 0x41 && signature[2] === 0x52 && signature[3] === 0x31;
}

/** The compression a file's first bytes announce (gzip, zstd), or null. */
function compressionOf(signature: Uint8Array): 'gzip' | 'zstd' | null {
  if (signature.length >= 2 && signature[0] === 0x1f && signature[1] === 0x8b) return 'gzip';
  if (signature.length >= 4 && signature[0] === 0x28 && signature[1] === 0xb5 && signature[2] === 0x2f && signature[3] === 0xfd) return 'zstd';
  return null;
}

const isBlank = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Whether any byte of the file from `offset` on is not blank (a JSONL file holds more records). */
async function hasContentAfter(path: string, offset: number, size: number): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(Math.min(1 << 16, Math.max(1, size - offset)));
    for (let at = offset; at < size; ) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, at);
      if (bytesRead === 0) return false;
      if (chunk.subarray(0, bytesRead).some((b) => !isBlank(b))) return true;
      at += bytesRead;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/** The first record of a file read from its lines: what it is and the lines passed over before it. */
interface FirstRecord {
  /** The first record as a JSONL line, parsed; null when the file is one JSON document over lines. */
  line: { raw: RawLine; value: unknown; text: string } | null;
  /** True when nothing but the first record's line is in the file. */
  alone: boolean;
  /** Problems of the lines passed over before it (a `.jsonl` file's lines that do not parse). */
  skipped: string[];
}

/**
 * Reads a file's lines from `lines` up to its first record: the first non-blank line, read whole
 * however long, and parsed once. In a `.jsonl` file a line that does not parse is passed over (and
 * reported) for the next; otherwise such a line means the file is one JSON document.
 */
async function readFirstRecord(path: string, size: number, lines: AsyncGenerator<RawLine, void, undefined>): Promise<FirstRecord> {
  const jsonlName = isJsonlName(path);
  const skipped: string[] = [];
  for (;;) {
    const next = await lines.next();
    if (next.done) return { line: null, alone: true, skipped };
    const raw = next.value;
    const text = raw.bytes === null ? null : lineText(raw.bytes, raw.line);
    if (text !== null && text.trim() === '') continue;
    const more = await hasContentAfter(path, raw.end + 1, size);
    if (text === null) {
      if (!jsonlName) return { line: null, alone: !more, skipped };
      skipped.push(lineProblem(path, raw));
      continue;
    }
    // A lone line is parsed here too: it is the whole document, read once.
    if (!looksLikeRecordLine(text, jsonlName, more) && more) return { line: null, alone: false, skipped };
    const parsed = parseJson(text);
    if (parsed.ok) return { line: { raw, value: parsed.value, text }, alone: !more, skipped };
    if (!jsonlName || !more) return { line: null, alone: !more, skipped };
    skipped.push(`${path}:${raw.line}: ${parsed.error.replace(/ at line 1, column/, ' at column')}`);
  }
}

/**
 * Opens a trajectory file for streaming. Its format is told from its first record, parsed once and
 * handed on: the first JSONL line, however long and whatever its key order, or the whole JSON
 * document. JSONL formats are read line by line and never held whole (memory stays flat as the
 * file grows); a bad line becomes a `problem` item and reading goes on. A JSON document is read
 * whole and imported at once; an `.eval` zip is read whole and its samples imported one at a time.
 * Throws `FormatError` naming the file for unreadable files and for a first record of no known
 * format.
 */
export async function openTrajectoryStream(path: string, options: StreamOptions = {}): Promise<TrajectoryStream> {
  let size: number;
  let signature: Uint8Array;
  try {
    ({ size, signature } = await openRegularFile(path));
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw describeReadError(path, error);
  }
  const part = options.part && options.part.of > 1 ? options.part : null;
  const document = (format: FormatId | null): TrajectoryStream => ({ path, format, size, items: part && part.index > 0 ? nothing() : readDocument(path, size, options) });
  if (signature.length >= 2 && signature[0] === 0x50 && signature[1] === 0x4b) return { path, format: 'inspect-eval', size, items: readEvalSamples(path, size, part, options) };
  if (isParquet(signature)) {
    throw new FormatError(`${path}: a Parquet file: open it as a rollout set (in the app's Open, or trajdbg open / query FILE), which reads Parquet shards`);
  }
  // UTF-16 text (a byte-order mark) has no byte 10 per line to stream by: it is decoded whole.
  if (utf16Encoding(signature) !== null) return document(null);
  const compressed = compressionOf(signature);
  if (compressed !== null) {
    throw new FormatError(`${path}: ${compressed}-compressed: open it as a rollout set (in the app's Open, or trajdbg open / query FILE), which reads compressed shards, or decompress it first`);
  }
  // The first part reads on from its first record; the others are told the format by it.
  const range = part ? await lineRangeOfPart(path, size, part.index, part.of, options.signal) : options.range;
  if (part && part.index > 0 && options.format !== undefined && isLineFormat(options.format)) {
    return { path, format: options.format, size, range, items: streamLines(path, options.format, readLines(path, { ...options, range })) };
  }
  const ownLines = !part || part.index === 0 ? readLines(path, { ...options, range: part ? range : undefined }) : null;
  const probe = ownLines ?? readLines(path, { signal: options.signal, chunkBytes: options.chunkBytes });
  let first: FirstRecord;
  try {
    first = await readFirstRecord(path, size, probe);
  } catch (error) {
    await probe.return();
    throw error;
  }
  if (probe !== ownLines) await probe.return();
  if (!first.line) {
    await ownLines?.return();
    return document(null);
  }
  const { value, raw, text } = first.line;
  const format = detectRecord(value, first.alone && !isJsonlName(path) ? 'document' : 'line', first.alone);
  if (format === null) {
    await ownLines?.return();
    throw unknownFormat(path, value, first.alone && !isJsonlName(path) ? 'document' : 'line');
  }
  // A one-line list of a line format's records is a document of them, not a line.
  if (!isLineFormat(format) || (first.alone && recordListFormat(value) === format)) {
    await ownLines?.return();
    // A one-line document was parsed whole already; a run file is read whole by its importer.
    if (first.alone && format !== 'trajdbg-run') return { path, format, size, items: part && part.index > 0 ? nothing() : importedDocument(path, format, value, raw.end, text) };
    return document(format);
  }
  if (options.range && !part) {
    // A given range is read as is: its first line is not necessarily the file's first record.
    await ownLines?.return();
    return { path, format, size, range, items: streamLines(path, format, readLines(path, options)) };
  }
  const items = ownLines ? streamLines(path, format, ownLines, { raw, value, text, skipped: first.skipped }) : streamLines(path, format, readLines(path, { ...options, range }));
  return { path, format, size, range, items };
}

/** The items of a one-line document parsed while its format was told. */
async function* importedDocument(path: string, format: FormatId, value: unknown, end: number, text: string): AsyncGenerator<StreamItem, void, undefined> {
  const result = importDocumentValue(format, value, path, text);
  for (const problem of result.problems) yield { kind: 'problem', problem };
  for (const trajectory of result.trajectories) yield { kind: 'trajectory', trajectory, start: 0, end, line: 1 };
}

/** An empty stream, for the parts of a single document after the first. */
async function* nothing(): AsyncGenerator<StreamItem, void, undefined> {}

/** Streams every trajectory of a file (see {@link openTrajectoryStream}). */
export async function* streamTrajectories(path: string, options: StreamOptions = {}): AsyncGenerator<StreamItem, void, undefined> {
  const stream = await openTrajectoryStream(path, options);
  yield* stream.items;
}

/** A whole file's bytes, for the formats read whole (one JSON document, a zip); refused past {@link MAX_DOCUMENT_BYTES}. */
async function readWhole(path: string, size: number, options: StreamOptions): Promise<Buffer> {
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
  return Buffer.concat(chunks, read);
}

async function* readDocument(path: string, size: number, options: StreamOptions): AsyncGenerator<StreamItem, void, undefined> {
  const bytes = await readWhole(path, size, options);
  const result = importBytes(bytes, path);
  for (const problem of result.problems) yield { kind: 'problem', problem };
  for (const trajectory of result.trajectories) yield { kind: 'trajectory', trajectory, start: 0, end: bytes.length, line: 1 };
}

/** The samples `[from, to)` of `count`, as part `index` of `of` takes them: equal shares, in order. */
function shareOf(count: number, part: { index: number; of: number } | null): [number, number] {
  if (!part) return [0, count];
  return [Math.floor((part.index * count) / part.of), Math.floor(((part.index + 1) * count) / part.of)];
}

/**
 * The samples of an Inspect `.eval` log, a sample at a time: each as its entry is inflated and
 * imported, with the entry's bytes as its range and its place in sample order (from 1) as its line,
 * so that it can be read again on its own ({@link readTrajectoryAt}). A part reads its share of the
 * samples. Read whole, a log none of whose samples can be read fails as importing it whole does.
 */
async function* readEvalSamples(path: string, size: number, part: { index: number; of: number } | null, options: StreamOptions): AsyncGenerator<StreamItem, void, undefined> {
  const bytes = await readWhole(path, size, options);
  const samples = evalSamples(bytes, path);
  const [from, to] = shareOf(samples.count, part);
  let index = 0;
  for (let i = from; i < to; i++) {
    const sample = samples.read(i, index);
    if ('problem' in sample) {
      yield { kind: 'problem', problem: sample.problem };
      continue;
    }
    index += 1;
    for (const problem of sample.trajectory.problems ?? []) yield { kind: 'problem', problem };
    yield { kind: 'trajectory', trajectory: sample.trajectory, start: sample.start, end: sample.end, line: i + 1 };
  }
  // Says why, in the words of the whole-file import.
  if (index === 0 && !part) importBytes(bytes, path);
}

/** The first line start at or after byte `at` of an open file of `size` bytes: just after a newline at `at - 1` or later (`size` when none). */
export async function lineStartAt(handle: FileHandle, at: number, size: number): Promise<number> {
  if (at <= 0) return 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let position = at - 1; position < size; position += buffer.length) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    const newline = buffer.subarray(0, bytesRead).indexOf(10);
    if (newline >= 0) return position + newline + 1;
    if (bytesRead === 0) break;
  }
  return size;
}

/** The newlines in bytes `[from, to)` of an open file, counted at memchr speed. */
export async function newlinesBetween(handle: FileHandle, from: number, to: number, signal?: AbortSignal): Promise<number> {
  const buffer = Buffer.allocUnsafe(1 << 20);
  let newlines = 0;
  for (let position = from; position < to; ) {
    signal?.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, to - position), position);
    if (bytesRead === 0) break;
    const view = buffer.subarray(0, bytesRead);
    for (let at = view.indexOf(10); at >= 0; at = view.indexOf(10, at + 1)) newlines += 1;
    position += bytesRead;
  }
  return newlines;
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
    const start = await lineStartAt(handle, Math.floor((index * size) / of), size);
    const end = index + 1 >= of ? size : Math.max(start, await lineStartAt(handle, Math.floor(((index + 1) * size) / of), size));
    return { start, end, firstLine: (await newlinesBetween(handle, 0, start, signal)) + 1 };
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
  /** True for a last line the source ended without a newline (a file still being written may end mid-line). */
  unterminated?: true;
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
    stream = options.source ?? createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20, signal: options.signal, start: lineStart, end: range ? range.end - 1 : undefined });
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
  if (!skipping && pendingBytes > 0) yield { bytes: Buffer.concat(pending, pendingBytes), start: lineStart, end: offset, line: lineNumber + 1, unterminated: true };
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

/** The first record of a JSONL file, read and parsed while its format was told. */
interface ParsedFirstLine {
  raw: RawLine;
  value: unknown;
  text: string;
  /** Problems of the lines before it. */
  skipped: string[];
}

async function* streamLines(path: string, format: FormatId, lines: AsyncGenerator<RawLine, void, undefined>, first?: ParsedFirstLine): AsyncGenerator<StreamItem, void, undefined> {
  let index = 0;
  const emit = function* (imported: ReturnType<typeof importLine>, raw: RawLine): Generator<StreamItem, void, undefined> {
    if ('problem' in imported) {
      yield { kind: 'problem', problem: imported.problem };
      return;
    }
    index += imported.trajectories.length;
    for (const trajectory of imported.trajectories) {
      for (const problem of trajectory.problems ?? []) yield { kind: 'problem', problem };
      yield { kind: 'trajectory', trajectory, start: raw.start, end: raw.end, line: raw.line };
    }
  };
  if (first) {
    for (const problem of first.skipped) yield { kind: 'problem', problem };
    yield* emit(importLineValue(format, first.value, path, first.raw.line, index, first.text), first.raw);
  }
  for await (const raw of lines) {
    const text = raw.bytes === null ? null : lineText(raw.bytes, raw.line);
    if (text === null) {
      yield { kind: 'problem', problem: lineProblem(path, raw) };
      continue;
    }
    yield* emit(importLine(format, text, path, raw.line, index), raw);
  }
}

/**
 * Reads trajectory `index`, whose JSONL line is at bytes `[start, end)` (for opening one row of an
 * index). `firstIndex` is the index of that line's first trajectory: a line may hold several.
 */
export async function readTrajectoryAt(path: string, format: FormatId, start: number, end: number, line: number, index: number, firstIndex = index): Promise<Trajectory> {
  if (format === 'inspect-eval') return readEvalSampleAt(path, start, end, line, index);
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

/** How long the last `.eval` log read back stays in memory once nothing has read it. */
const EVAL_KEPT_MS = 30_000;

/**
 * The `.eval` log read back last, kept a while: stepping through its samples (`j`/`k`, `H`/`L`)
 * reads it once, and there is one log's bytes in memory at most, not one per sample asked for.
 */
let lastEval: { path: string; size: number; mtimeMs: number; samples: Promise<EvalSamples>; timer: NodeJS.Timeout | null } | null = null;

async function evalSamplesOf(path: string): Promise<EvalSamples> {
  let file: { size: number; mtimeMs: number };
  try {
    file = await openRegularFile(path);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw describeReadError(path, error);
  }
  if (!lastEval || lastEval.path !== path || lastEval.size !== file.size || lastEval.mtimeMs !== file.mtimeMs) {
    if (lastEval?.timer) clearTimeout(lastEval.timer);
    const samples = readWhole(path, file.size, {}).then((bytes) => evalSamples(bytes, path));
    lastEval = { path, size: file.size, mtimeMs: file.mtimeMs, samples, timer: null };
    // A log that cannot be read is not kept.
    samples.catch(() => {
      if (lastEval?.samples === samples) lastEval = null;
    });
  }
  const kept = lastEval;
  if (kept.timer) clearTimeout(kept.timer);
  kept.timer = setTimeout(() => {
    if (lastEval === kept) lastEval = null;
  }, EVAL_KEPT_MS);
  kept.timer.unref();
  return kept.samples;
}

/**
 * Sample `line` (from 1, in sample order) of an `.eval` log, as trajectory `index`, whose entry was
 * at bytes `[start, end)`. The log is read whole (its central directory is at its end, and a log is
 * a few hundred MB at most) and kept a while (see {@link lastEval}); only that sample is inflated.
 */
async function readEvalSampleAt(path: string, start: number, end: number, line: number, index: number): Promise<Trajectory> {
  const samples = await evalSamplesOf(path);
  const sample = line >= 1 && line <= samples.count ? samples.read(line - 1, index) : null;
  if (sample && 'problem' in sample) throw new FormatError(sample.problem);
  if (!sample || sample.start !== start || sample.end !== end) throw new FormatError(`${path}: sample ${line} cannot be read back (was the file changed?)`);
  return sample.trajectory;
}

/** The display name of a file (for tables and titles). */
export function fileDisplayName(path: string): string {
  return basename(path);
}
