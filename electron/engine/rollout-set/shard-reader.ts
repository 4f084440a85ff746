import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ShardKind } from './shards.js';
import { lineProblem, lineText, readLines } from '../library/trajectory-stream.js';

/** One record of a shard: a JSONL line (its bytes and where they lie) or a Parquet row as JSON. */
export interface ShardRecord {
  /** The record's text; null for a line that cannot be read (see `problem`). */
  text: string | null;
  /** Why a line's text is null (not UTF-8, or longer than the line cap), naming the shard and line. */
  problem: string | null;
  /** Line number from 1 (JSONL), or row number from 0 (Parquet). */
  line: number;
  /** Byte offset and length of the line in the (decompressed) shard; null for Parquet rows. */
  offset: number | null;
  length: number;
  /** Parquet: the row number. */
  row: number | null;
}

/** zstd frames decompressed as they are read (fzstd's streaming decoder). */
async function* unzstd(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  let out: Buffer[] = [];
  const decoder = new Decompress((chunk) => out.push(Buffer.from(chunk)));
  for await (const chunk of source) {
    decoder.push(chunk);
    yield* out;
    out = [];
  }
  decoder.push(new Uint8Array(0), true);
  yield* out;
}

/** Bytes decompressed from compressed shards by this process so far (what reading one costs). */
export const decompressed = { bytes: 0 };

async function* counted(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  for await (const chunk of source) {
    decompressed.bytes += chunk.length;
    yield chunk;
  }
}

/** The (decompressed) bytes of a JSONL shard from byte `from` on (compressed shards: from the start). */
function bytesOf(path: string, kind: ShardKind, from: number, signal?: AbortSignal): AsyncIterable<Buffer> {
  const raw = createReadStream(path, { start: kind === 'jsonl' ? from : 0, highWaterMark: 1 << 20, signal });
  if (kind === 'jsonl.gz') return counted(raw.pipe(createGunzip()));
  if (kind === 'jsonl.zst') return counted(unzstd(raw));
  return raw;
}

/**
 * Reads the lines of a compressed shard forward, once: each `read` asks for a line at or after
 * the last one asked (by its offset in the decompressed bytes), so a subset of its rows in
 * offset order costs one pass over the shard, not one per row.
 */
export class ForwardLineReader {
  private records: AsyncGenerator<ShardRecord, void, undefined> | null = null;
  private current: ShardRecord | null = null;

  constructor(
    readonly path: string,
    private readonly kind: Exclude<ShardKind, 'parquet'>,
  ) {}

  /** The text of the line at `offset` (line number `line`, for messages). */
  async read(offset: number, line: number): Promise<string> {
    if (this.current && this.current.offset !== null && this.current.offset > offset) throw new Error(`${this.path}:${line}: lines must be read in order`);
    this.records ??= jsonlRecords(this.path, this.kind);
    while (!this.current || (this.current.offset ?? -1) < offset) {
      const next = await this.records.next();
      if (next.done) break;
      this.current = next.value;
    }
    if (this.current?.offset !== offset || this.current.text === null) throw new Error(`${this.path}:${line}: the line cannot be read back (was the file changed?)`);
    return this.current.text;
  }

  /** Stops reading the shard. */
  async close(): Promise<void> {
    await this.records?.return();
    this.records = null;
  }
}

/**
 * The lines of a JSONL shard (plain, gzip or zstd), from byte `from` and line `firstLine` on (a grown
 * plain shard is read from where its index ended), split by {@link readLines} with its line-length
 * cap. A last line without a newline is yielded only when `complete` (a shard still being written
 * may end mid-line: that line is read next time).
 */
export async function* jsonlRecords(path: string, kind: Exclude<ShardKind, 'parquet'>, options: { from?: number; firstLine?: number; complete?: boolean; signal?: AbortSignal } = {}): AsyncGenerator<ShardRecord, void, undefined> {
  const from = options.from ?? 0;
  // Compressed shards are read from their start: lines before `from` are passed over.
  const range = kind === 'jsonl' ? { start: from, end: Number.POSITIVE_INFINITY, firstLine: options.firstLine ?? 1 } : { start: 0, end: Number.POSITIVE_INFINITY, firstLine: 1 };
  const source = bytesOf(path, kind, from, options.signal);
  for await (const raw of readLines(path, { source, range, ...(options.signal ? { signal: options.signal } : {}) })) {
    if (raw.start < from || (raw.bytes !== null && raw.bytes.length === 0)) continue;
    if (raw.unterminated && options.complete === false) return;
    const text = raw.bytes === null ? null : lineText(raw.bytes, raw.line);
    yield { text, problem: text === null ? lineProblem(path, raw) : null, line: raw.line, offset: raw.start, length: raw.end - raw.start, row: null };
  }
}

/** Where a plain JSONL shard's complete lines end: the byte after its last newline. */
export function completeLinesEnd(record: ShardRecord | null, from: number): number {
  return record && record.offset !== null ? record.offset + record.length + 1 : from;
}

/** A text as a SQL string literal (DuckDB's quoting: `'` doubled). */
export const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The rows of a Parquet shard, each as a JSON object text, read by DuckDB a chunk at a time. */
export async function* parquetRecords(connection: DuckDBConnection, path: string): AsyncGenerator<ShardRecord, void, undefined> {
  const result = await connection.stream(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet(${sqlString(path)}) t`);
  let row = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const values = chunk.getColumnValues(0);
    for (let i = 0; i < chunk.rowCount; i++) {
      const text = values[i] as string | null;
      yield { text, problem: text === null ? `${path}: row ${row}: no JSON for the row` : null, line: row, offset: null, length: text === null ? 0 : Buffer.byteLength(text), row };
      row += 1;
    }
  }
}

/** Reads back one record's text: a plain line by its bytes only; a compressed line by decompressing up to it; a Parquet row by its number. */
export async function readRecord(connection: DuckDBConnection, path: string, kind: ShardKind, at: { offset: number | null; length: number; line: number; row: number | null }): Promise<string> {
  if (kind === 'parquet') {
    const reader = await connection.runAndReadAll(`SELECT to_json(t)::VARCHAR AS j FROM read_parquet(${sqlString(path)}, file_row_number = true) t WHERE file_row_number = ${Number(at.row)}`);
    const text = reader.getRows()[0]?.[0];
    if (typeof text !== 'string') throw new Error(`${path}: no row ${at.row} any more (was the file changed?)`);
    const value = JSON.parse(text) as Record<string, unknown>;
    delete value.file_row_number;
    return JSON.stringify(value);
  }
  if (kind === 'jsonl') {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(at.length);
      const { bytesRead } = await handle.read(buffer, 0, at.length, at.offset ?? 0);
      const text = bytesRead === at.length ? lineText(buffer, at.line) : null;
      if (text === null) throw new Error(`${path}:${at.line}: the line cannot be read back (was the file changed?)`);
      return text;
    } finally {
      await handle.close();
    }
  }
  for await (const record of jsonlRecords(path, kind, { from: at.offset ?? 0 })) {
    if (record.line !== at.line && record.offset !== at.offset) continue;
    if (record.text === null) break;
    return record.text;
  }
  throw new Error(`${path}:${at.line}: the line cannot be read back (was the file changed?)`);
}
