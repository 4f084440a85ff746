import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectRecord, importLineValue, isLineFormat, parseJson, unknownFormat } from '#shared/formats/import.js';
import { ROLLOUT_COLUMNS, rolloutFacts, wellFormedJson } from '#shared/formats/rollout-row.js';
import type { FormatId } from '#shared/formats/trajectory.js';
import { lineStartAt, newlinesBetween } from '../library/trajectory-stream.js';
import { readErrorReason } from '../library/read-error.js';
import { jsonlRecords, type ShardRecord } from './shard-reader.js';
import type { ShardKind } from './shards.js';

/**
 * The indexing of one unit of a shard (a whole shard, or a run of whole lines of a large plain one):
 * each record parsed and imported by the project's importers, each rollout's row computed, and the
 * rows written as JSONL chunk files that the set loads into DuckDB in bulk, in shard order. Runs in a
 * worker thread (shard-index-worker.ts) or, from the TypeScript source and for Parquet, in-process.
 */

/** Problem texts kept per shard (every bad line is counted). */
export const MAX_SHARD_PROBLEMS = 20;
/**
 * A chunk is written at least this often (ms) while rows come, so queries see them; each costs
 * DuckDB a statement or two, so chunks are not made smaller.
 */
const CHUNK_MS = 500;
/** Rows of the first chunk of a unit (the first rows are shown soon), then of every chunk at most. */
const FIRST_CHUNK_ROWS = 64;
const CHUNK_ROWS = 50_000;

/** What a unit reads. */
export interface IndexUnit {
  /** The unit's number in its set's refresh: names its chunk files. */
  id: number;
  path: string;
  kind: Exclude<ShardKind, 'parquet'>;
  /**
   * Plain JSONL: the unit reads the lines that start in bytes `[start, end)`, each end moved forward
   * to where a line starts, unless it is `lineAt` (a known line start) or the file's size.
   * Compressed shards are read whole (`start` = `lineAt` = 0, `end` = Infinity).
   */
  start: number;
  end: number;
  /** A line start at or before `start` and its line number: the unit counts its first line from it. */
  lineAt: number;
  lineNumber: number;
  /** The shard's format when known (told by the first record, or the index); else told here. */
  format: FormatId | null;
  /** Whether a last line without a newline is read (no for a plain shard that may still be written). */
  complete: boolean;
  /** Folder the chunk files go to. */
  spillDir: string;
}

/** A chunk of rows written for the set to load. */
export interface UnitChunk {
  type: 'chunk';
  file: string;
  rows: number;
  /** CSV of the rows' per-tool counts (`i,tool,calls,errors`), and how many lines it has (0: no file). */
  toolsFile: string;
  toolRows: number;
  /** Characters of the longest row (read_json is told it). */
  longest: number;
  /** Plain JSONL: the byte after the last complete line read so far. */
  linesEnd: number | null;
  /** The last line (or Parquet row + 1) read so far. */
  lines: number;
  /** Bad lines so far, and their problems (the first {@link MAX_SHARD_PROBLEMS}). */
  badLines: number;
  problems: string[];
}

/** How a unit ended. */
export interface UnitDone {
  type: 'done';
  /** The format told from the unit's records (null when given or none). */
  format: FormatId | null;
  /** Why the shard cannot be indexed (its format), or why reading it failed. */
  error: string | null;
  badLines: number;
  problems: string[];
  lines: number;
  linesEnd: number | null;
  /** True when it stopped on a cancel before its end. */
  stopped: boolean;
}

export type UnitMessage = UnitChunk | UnitDone;

/**
 * The JSON columns of a chunk file, as DuckDB's read_json is told them: the table's columns, with
 * the row's number in its unit (`i`) for `rid` and `source`, and JSON columns read as text.
 */
export const CHUNK_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['i', 'BIGINT'],
  ...ROLLOUT_COLUMNS.filter(([name]) => name !== 'rid' && name !== 'source').map(([name, type]) => [name, type === 'JSON' ? 'VARCHAR' : type] as const),
];

/** The CSV columns of a chunk's tool counts. */
export const CHUNK_TOOL_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['i', 'BIGINT'],
  ['tool', 'VARCHAR'],
  ['calls', 'INTEGER'],
  ['errors', 'INTEGER'],
];

const csvText = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/** The format of a shard from its first record that parses: a line format, or why the shard cannot be indexed (with the bad lines before it). */
export async function detectShardFormat(path: string, kind: Exclude<ShardKind, 'parquet'>, signal?: AbortSignal): Promise<{ format: FormatId | null; error: string | null }> {
  for await (const record of jsonlRecords(path, kind, { complete: kind !== 'jsonl', ...(signal ? { signal } : {}) })) {
    if (record.text === null || record.text.trim() === '') continue;
    const parsed = parseJson(record.text);
    if (!parsed.ok) continue;
    return formatOf(path, parsed.value);
  }
  return { format: null, error: null };
}

function formatOf(path: string, value: unknown, record: 'line' | 'row' = 'line'): { format: FormatId | null; error: string | null } {
  const format = detectRecord(value, 'line', false);
  if (format === null) return { format: null, error: unknownFormat(path, value, 'line', record).message.replace(`${path}: `, '') };
  if (!isLineFormat(format)) return { format: null, error: `${format} is not a one-rollout-per-record format` };
  return { format, error: null };
}

/** The records of a JSONL unit: its own lines only, numbered from the shard's start. */
async function* unitRecords(unit: IndexUnit, signal: AbortSignal): AsyncGenerator<ShardRecord, void, undefined> {
  if (unit.kind !== 'jsonl') {
    yield* jsonlRecords(unit.path, unit.kind, { complete: unit.complete, signal });
    return;
  }
  const handle = await open(unit.path, 'r');
  let start: number, end: number, firstLine: number, size: number;
  try {
    ({ size } = await handle.stat());
    start = unit.start === unit.lineAt ? unit.start : await lineStartAt(handle, unit.start, size);
    end = unit.end >= size ? size : await lineStartAt(handle, unit.end, size);
    firstLine = unit.lineNumber + (await newlinesBetween(handle, unit.lineAt, start, signal));
  } finally {
    await handle.close();
  }
  if (end <= start) return;
  for await (const record of jsonlRecords(unit.path, 'jsonl', { from: start, firstLine, complete: unit.complete && end >= size, signal })) {
    if (record.offset !== null && record.offset >= end) return;
    yield record;
  }
}

/** Where a record's line ends, plus its newline (plain JSONL); null for Parquet rows. */
const endOf = (record: ShardRecord): number | null => (record.offset !== null ? record.offset + record.length + 1 : null);

/**
 * Indexes one unit's records: rows computed and written in chunks (messages in order, the last
 * `done`). `records` defaults to the unit's own lines; Parquet rows are handed in.
 */
export async function indexUnit(unit: IndexUnit, post: (message: UnitMessage) => void, signal: AbortSignal, records?: AsyncIterable<ShardRecord>, parquet = false): Promise<void> {
  const done: UnitDone = { type: 'done', format: null, error: null, badLines: 0, problems: [], lines: 0, linesEnd: null, stopped: false };
  let format = unit.format;
  let rows: string[] = [];
  let tools: string[] = [];
  let longest = 0;
  let chunks = 0;
  let lastChunk = performance.now();
  const problem = (text: string): void => {
    done.badLines += 1;
    if (done.problems.length < MAX_SHARD_PROBLEMS) done.problems.push(text);
  };
  const flush = (): void => {
    if (rows.length === 0) return;
    const file = join(unit.spillDir, `unit-${unit.id}-${chunks}.jsonl`);
    const toolsFile = join(unit.spillDir, `unit-${unit.id}-${chunks}.tools.csv`);
    rows.push('');
    writeFileSync(file, rows.join('\n'));
    if (tools.length > 0) {
      tools.push('');
      writeFileSync(toolsFile, tools.join('\n'));
    }
    post({ type: 'chunk', file, rows: rows.length - 1, toolsFile, toolRows: Math.max(0, tools.length - 1), longest, linesEnd: done.linesEnd, lines: done.lines, badLines: done.badLines, problems: [...done.problems] });
    chunks += 1;
    rows = [];
    tools = [];
    longest = 0;
    lastChunk = performance.now();
  };
  try {
    for await (const record of records ?? unitRecords(unit, signal)) {
      if (signal.aborted) {
        done.stopped = true;
        break;
      }
      const at = parquet ? `${unit.path}: row ${record.line}` : `${unit.path}:${record.line}`;
      const readUpTo = (): void => {
        done.lines = parquet ? record.line + 1 : record.line;
        done.linesEnd = endOf(record);
      };
      if (record.text === null) {
        problem(record.problem ?? `${at}: not UTF-8 text`);
        readUpTo();
        continue;
      }
      if (record.text.trim() === '') {
        readUpTo();
        continue;
      }
      const parsed = parseJson(record.text);
      if (!parsed.ok) {
        problem(`${at}: ${parsed.error.replace(/ at line 1, column/, ' at column')}`);
        readUpTo();
        continue;
      }
      if (format === null) {
        const told = formatOf(unit.path, parsed.value, parquet ? 'row' : 'line');
        if (told.error !== null || told.format === null) {
          done.error = told.error;
          readUpTo();
          break;
        }
        format = done.format = told.format;
      }
      const imported = importLineValue(format, parsed.value, unit.path, record.line, 0, record.text);
      readUpTo();
      if ('problem' in imported) {
        problem(imported.problem.replace(`${unit.path}:${record.line}`, at));
        continue;
      }
      for (const [k, trajectory] of imported.trajectories.entries()) {
        const facts = rolloutFacts(trajectory, parsed.value);
        const row = wellFormedJson({
            i: rows.length,
            id: facts.id,
            line: record.line,
            line_offset: parquet ? null : record.offset,
            line_length: parquet ? null : record.length,
            parquet_row: parquet ? record.row : null,
            in_line: k,
            model: facts.model,
            turns: facts.turns,
            tool_calls: facts.tool_calls,
            tool_errors: facts.tool_errors,
            tool_errors_by_tool: facts.tool_errors_by_tool,
            tool_names: facts.tool_names,
            finished: facts.finished,
            stop_reason: facts.stop_reason,
            reward: facts.reward,
            group_id: facts.group_id,
            step: facts.step,
            first_user: facts.first_user,
            size: record.length,
            format,
            record: facts.record,
        });
        for (const [tool, stats] of Object.entries(facts.tools)) tools.push(`${rows.length},${csvText(tool)},${stats.calls},${stats.errors}`);
        longest = Math.max(longest, row.length);
        rows.push(row);
      }
      if (rows.length >= (chunks === 0 ? FIRST_CHUNK_ROWS : CHUNK_ROWS) || (rows.length > 0 && performance.now() - lastChunk >= CHUNK_MS)) flush();
    }
  } catch (error) {
    if (signal.aborted) done.stopped = true;
    else {
      // A reader's error names the shard already: the status names it once.
      const reason = readErrorReason(error);
      done.error = reason.startsWith(`${unit.path}: `) ? reason.slice(unit.path.length + 2) : `cannot read it (${reason})`;
    }
  }
  flush();
  post(done);
}
