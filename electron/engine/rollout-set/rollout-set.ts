import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBInstance } from '@duckdb/node-api';
import { importLineValue, parseJson } from '#shared/formats/import.js';
import { DEFAULT_ROLLOUT_COLUMNS, ROLLOUT_COLUMN_NAMES, ROLLOUT_COLUMNS, type RolloutColumn, type RolloutRow } from '#shared/formats/rollout-row.js';
import type { FormatId, Trajectory } from '#shared/formats/trajectory.js';
import { previewOf } from '#shared/formats/summary.js';
import { wellFormed } from '#shared/python/str.js';
import type { SetCharts, SetShard, SetStatus } from '#shared/api/rollout-set.js';
import { ForwardLineReader, parquetRecords, readRecord, sqlString } from './shard-reader.js';
import { ShardIndexPool, type UnitRun } from './shard-index-pool.js';
import { CHUNK_COLUMNS, CHUNK_TOOL_COLUMNS, detectShardFormat, MAX_SHARD_PROBLEMS, type IndexUnit, type UnitChunk } from './shard-indexer.js';
import { resolveShards, type ShardFile, type ShardKind } from './shards.js';

/**
 * A rollout set: shards (JSONL, gzip or zstd JSONL, Parquet) read where they lie as one table. Each
 * rollout's columns are computed once by the project's importers, on worker threads (a shard, or
 * a part of a large plain one, per thread), and loaded in bulk into a DuckDB database in the
 * user's cache, keyed by each shard's path, size and mtime: reopening reads nothing, a grown
 * shard is read from where its index ended, a changed one again. Filters and sorts are SQL over
 * that index; a rollout is read back by its line's bytes (or its Parquet row) only.
 */

/**
 * Bumped when the index's tables or columns change, or the importers read rows they skipped before
 * (a new format, a new field layout), so older caches are rebuilt.
 */
const INDEX_VERSION = 4;
/** A plain shard is read by several threads when it holds at least this much per thread (bytes). */
const PART_BYTES = 4 * 2 ** 20;

/** What the index knows of a shard. */
interface KnownShard {
  size: number;
  mtimeMs: number;
  indexedBytes: number;
  lines: number;
  rollouts: number;
  badLines: number;
  format: string | null;
  problems: string[];
}

/** A shard to index: its units (plain and compressed JSONL) or its Parquet rows (read here by DuckDB). */
type ShardPlan = { shard: ShardFile; entry: SetShard; from: number; lines: number; format: FormatId | null } & ({ kind: 'units'; whole: Omit<IndexUnit, 'id'>; parts: number } | { kind: 'parquet' });

/** Reads a unit's messages to its end, unless read already (its chunks are left to be removed with their folder). */
async function drain(run: UnitRun): Promise<void> {
  while (!run.ended && (await run.next()).type !== 'done');
}

/** `$XDG_CACHE_HOME/trajdbg/rollout-sets`, else `~/.cache/trajdbg/rollout-sets`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'trajdbg', 'rollout-sets');
}

/** How to open a set. */
export interface OpenSetOptions {
  /** Where the index databases are kept (default {@link defaultCacheDir}). */
  cacheDir?: string;
  cwd?: string;
  /**
   * DuckDB's memory limit (default 192MB): its cache of the index and its loads' buffers, beyond
   * which it reads pages again (the system's file cache keeps them); the index threads and the
   * process take about as much again. At 5 million rollouts, 512MB made the host peak at 1.28 GiB
   * while indexing, 192MB at 0.87 GiB, with filters, sorts and opening a rollout as fast.
   */
  memoryLimit?: string;
  /** Threads that index shards (default: one per core, at most 4). */
  threads?: number;
  /** A plain shard is split among the threads when each part gets at least this much (bytes; default 4 MiB). */
  partBytes?: number;
}

/** A query over a set's rollouts, as the app's table and `trajdbg query` ask it. */
export interface SetQuery {
  /** A SQL expression over the columns (DuckDB's dialect); empty for all rows. */
  where?: string;
  /** Text searched in id, model, first user message and stop reason (case-insensitive). */
  search?: string;
  orderBy?: RolloutColumn;
  descending?: boolean;
  columns?: readonly RolloutColumn[];
  limit?: number;
  offset?: number;
}

/** A filter or query the index cannot run: its message is DuckDB's. */
export class SetQueryError extends Error {
  override name = 'SetQueryError';
}

const quoted = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function setKey(sources: readonly string[], cwd: string): string {
  const normalized = sources.map((s) => (isAbsolute(s) ? s : resolve(cwd, s))).sort();
  return createHash('sha256').update(JSON.stringify(normalized)).digest('hex').slice(0, 24);
}

/** A JS value from DuckDB as the row schema has it (BIGINT as number, lists as arrays). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object' && 'items' in value) return (value as { items: unknown[] }).items.map(plain);
  return value;
}

export class RolloutSet {
  private indexing: Promise<void> | null = null;
  private stopRequested = false;
  private shardStates = new Map<string, SetShard>();
  private unresolved: string[] = [];
  private rowCount = 0;
  private nextRid = 0;
  private startedAt = performance.now();
  private elapsedMs = 0;
  /** Why the last indexing pass stopped short, or null. */
  private indexError: string | null = null;
  private listeners = new Set<(status: SetStatus) => void>();
  private known = new Map<string, KnownShard>();
  private cancelRuns: (() => void) | null = null;
  private readonly pool: ShardIndexPool;
  private readonly partBytes: number;
  private closed = false;

  private constructor(
    readonly sources: readonly string[],
    readonly dbPath: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly cwd: string,
    pool: ShardIndexPool,
    options: Pick<OpenSetOptions, 'partBytes'> = {},
  ) {
    this.pool = pool;
    this.partBytes = Math.max(1, options.partBytes ?? PART_BYTES);
  }

  /** Opens (or creates) the set's index; call {@link refresh} to index what is new. */
  static async open(sources: readonly string[], options: OpenSetOptions = {}): Promise<RolloutSet> {
    if (sources.length === 0) throw new SetQueryError('a rollout set needs at least one folder, glob or file');
    const cwd = options.cwd ?? process.cwd();
    const dir = options.cacheDir ?? defaultCacheDir();
    await mkdir(dir, { recursive: true });
    const dbPath = join(dir, `set-${setKey(sources, cwd)}-v${INDEX_VERSION}.duckdb`);
    // A thread starts loading the importers now, while the index opens and the shards are listed:
    // the first rows then wait for indexing, not for a thread's start-up.
    const pool = new ShardIndexPool(options.threads ? { threads: options.threads } : {});
    pool.warm();
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(dbPath, {
        memory_limit: options.memoryLimit ?? '192MB',
        threads: '2',
        // JSON and Parquet are built in; nothing is fetched from the network or loaded on demand,
        // whatever a filter names (read_json('https://...') would otherwise install httpfs).
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
      });
    } catch (error) {
      await pool.dispose();
      throw new SetQueryError(`cannot open the set's index ${dbPath}: ${(error as Error).message}`);
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    const set = new RolloutSet(sources, dbPath, instance, writer, reader, cwd, pool, options);
    await set.createTables();
    return set;
  }

  private async createTables(): Promise<void> {
    const columns = ROLLOUT_COLUMNS.map(([name, type]) => `${quoted(name)} ${type}`).join(', ');
    await this.writer.run(`CREATE TABLE IF NOT EXISTS rollouts (${columns})`);
    await this.writer.run('CREATE TABLE IF NOT EXISTS rollout_tools (rid BIGINT, tool VARCHAR, calls INTEGER, errors INTEGER)');
    await this.writer.run(
      'CREATE TABLE IF NOT EXISTS shards (path VARCHAR PRIMARY KEY, kind VARCHAR, size BIGINT, mtime_ms DOUBLE, indexed_bytes BIGINT, lines BIGINT, rollouts BIGINT, bad_lines BIGINT, format VARCHAR, error VARCHAR, problems VARCHAR[])',
    );
    const reader = await this.writer.runAndReadAll('SELECT coalesce(max(rid) + 1, 0), count(*) FROM rollouts');
    const [next, count] = reader.getRows()[0]!;
    this.nextRid = Number(next);
    this.rowCount = Number(count);
    const shards = await this.writer.runAndReadAll('SELECT path, kind, size, mtime_ms, indexed_bytes, lines, rollouts, bad_lines, format, error, problems FROM shards ORDER BY path');
    for (const row of shards.getRowObjectsJS()) {
      const path = String(row.path);
      this.known.set(path, {
        size: Number(row.size),
        mtimeMs: Number(row.mtime_ms),
        indexedBytes: Number(row.indexed_bytes),
        lines: Number(row.lines),
        rollouts: Number(row.rollouts),
        badLines: Number(row.bad_lines),
        format: (row.format as string | null) ?? null,
        problems: (row.problems as string[] | null) ?? [],
      });
      this.shardStates.set(path, {
        path,
        kind: row.kind as ShardKind,
        size: Number(row.size),
        rollouts: Number(row.rollouts),
        badLines: Number(row.bad_lines),
        format: (row.format as string | null) ?? null,
        error: (row.error as string | null) ?? null,
        problems: (row.problems as string[] | null) ?? [],
        state: 'done',
      });
    }
  }

  /** What the set holds so far and how indexing goes. */
  status(): SetStatus {
    const shards = [...this.shardStates.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
    return {
      sources: [...this.sources],
      rollouts: this.rowCount,
      shards,
      unreadable: [...this.unresolved, ...shards.filter((s) => s.error !== null).map((s) => `${s.path}: ${s.error}`)],
      badLines: shards.reduce((n, s) => n + s.badLines, 0),
      indexing: this.indexing !== null,
      elapsedMs: this.indexing ? performance.now() - this.startedAt : this.elapsedMs,
      error: this.indexError,
    };
  }

  /** Called with the status as indexing goes (as rows are loaded) and when it ends. */
  onStatus(listener: (status: SetStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  /**
   * Looks at the set's shards again and indexes what is new: new shards, lines appended to a plain
   * JSONL shard, and shards that changed otherwise (read again); shards that are gone are dropped.
   * Resolves when indexing ends; rows are queryable as they are flushed. Returns the rows added.
   */
  refresh(): Promise<number> {
    if (this.indexing) return this.indexing.then(() => this.refresh());
    const before = this.rowCount;
    this.stopRequested = false;
    this.startedAt = performance.now();
    const run = this.indexAll().then(
      () => {
        this.indexError = null;
      },
      (error: unknown) => {
        this.indexError = error instanceof Error ? error.message : String(error);
        throw error;
      },
    ).finally(() => {
      this.elapsedMs = performance.now() - this.startedAt;
      this.indexing = null;
      this.emit();
    });
    this.indexing = run;
    return run.then(() => this.rowCount - before);
  }

  /** Resolves when the indexing under way (if any) ends. */
  async settled(): Promise<void> {
    while (this.indexing) await this.indexing;
  }

  private async indexAll(): Promise<void> {
    const { shards, problems } = await resolveShards(this.sources, this.cwd);
    this.unresolved = problems;
    const present = new Set(shards.map((s) => s.path));
    for (const path of [...this.shardStates.keys()]) {
      if (present.has(path)) continue;
      await this.dropShard(path);
      this.shardStates.delete(path);
    }
    const plans: ShardPlan[] = [];
    for (const shard of shards) {
      if (this.stopRequested || this.closed) return;
      const plan = await this.planShard(shard);
      if (plan) plans.push(plan);
    }
    if (plans.length === 0) return;
    const spillDir = await mkdtemp(join(dirname(this.dbPath), 'spill-'));
    // Units are queued shard by shard, in order, by a task of their own (a split shard's format is
    // read from its first line first): the pool's threads take them as they come and run ahead of
    // the loading, which follows shard order (so rows keep the set's order), their chunks on disk.
    // The first shard's rows load while later shards are still being queued.
    const started: UnitRun[] = [];
    const queued = plans.map(() => {
      let resolve!: (runs: UnitRun[]) => void;
      const promise = new Promise<UnitRun[]>((done) => (resolve = done));
      return { promise, resolve };
    });
    let unitId = 0;
    let failed = false;
    const halted = (): boolean => failed || this.stopRequested || this.closed;
    const queueing = (async () => {
      for (const [p, plan] of plans.entries()) {
        const units = plan.kind === 'units' && !halted() ? await this.unitsOf(plan) : [];
        const runs = halted() ? [] : units.map((unit) => this.pool.run({ ...unit, id: unitId++, spillDir }));
        started.push(...runs);
        queued[p]!.resolve(runs);
      }
    })();
    const cancelAll = (): void => started.forEach((run) => run.cancel());
    this.cancelRuns = cancelAll;
    try {
      for (const [p, plan] of plans.entries()) {
        const runs = await queued[p]!.promise;
        if (halted()) {
          cancelAll();
          await queueing;
          for (const rest of queued.slice(p)) for (const run of await rest.promise) await drain(run);
          break;
        }
        if (plan.kind === 'parquet') {
          const connection = await this.instance.connect();
          try {
            const run = this.pool.runHere({ id: unitId++, path: plan.shard.path, kind: 'jsonl', start: 0, end: Infinity, lineAt: 0, lineNumber: 1, format: null, complete: true, spillDir }, parquetRecords(connection, plan.shard.path));
            this.cancelRuns = () => {
              run.cancel();
              cancelAll();
            };
            await this.loadShard(plan, [run]);
          } finally {
            connection.closeSync();
            this.cancelRuns = cancelAll;
          }
        } else await this.loadShard(plan, runs);
      }
    } catch (error) {
      // Loading failed: the units still queued or running stop too, and give their threads back.
      failed = true;
      cancelAll();
      await queueing;
      for (const run of started) await drain(run);
      throw error;
    } finally {
      this.cancelRuns = null;
      await queueing;
      await rm(spillDir, { recursive: true, force: true });
    }
  }

  private async dropShard(path: string): Promise<void> {
    await this.writer.run(`DELETE FROM rollout_tools WHERE rid IN (SELECT rid FROM rollouts WHERE source = ${sqlString(path)})`);
    await this.writer.run(`DELETE FROM rollouts WHERE source = ${sqlString(path)}`);
    await this.writer.run(`DELETE FROM shards WHERE path = ${sqlString(path)}`);
    this.known.delete(path);
    const count = await this.writer.runAndReadAll('SELECT count(*) FROM rollouts');
    this.rowCount = Number(count.getRows()[0]![0]);
  }

  /** What a shard needs read: nothing (unchanged), its new lines (grown in place), or all of it, in units for the threads. */
  private async planShard(shard: ShardFile): Promise<ShardPlan | null> {
    const row = this.known.get(shard.path);
    let from = 0;
    let lines = 0;
    let format: FormatId | null = null;
    let state = { rollouts: 0, badLines: 0, problems: [] as string[] };
    if (row) {
      if (row.size === shard.size && row.mtimeMs === shard.mtimeMs) return null;
      if (shard.kind === 'jsonl' && row.format && shard.size > row.size && row.indexedBytes <= shard.size) {
        // Grown in place (training appends lines): read on from where the index ended.
        from = row.indexedBytes;
        lines = row.lines;
        format = row.format as FormatId;
        state = { rollouts: row.rollouts, badLines: row.badLines, problems: [...row.problems] };
      } else await this.dropShard(shard.path);
    }
    const entry: SetShard = { path: shard.path, kind: shard.kind, size: shard.size, rollouts: state.rollouts, badLines: state.badLines, format, error: null, problems: state.problems, state: 'indexing' };
    const base = { shard, entry, from, lines, format };
    if (shard.kind === 'parquet') return { ...base, kind: 'parquet' };
    const whole = { path: shard.path, kind: shard.kind, start: from, end: Infinity, lineAt: from, lineNumber: lines + 1, format, complete: shard.kind !== 'jsonl', spillDir: '' };
    const parts = shard.kind === 'jsonl' ? Math.min(this.pool.threads, Math.floor((shard.size - from) / this.partBytes)) : 1;
    return { ...base, kind: 'units', whole, parts };
  }

  /**
   * A shard's units for the threads: the whole of it, or `parts` runs of whole lines, which need
   * the format told from the shard's first record (the parts after the first start mid-shard).
   * A shard whose format cannot be told, or that cannot be read, is one unit, which says why.
   */
  private async unitsOf(plan: Extract<ShardPlan, { kind: 'units' }>): Promise<Array<Omit<IndexUnit, 'id'>>> {
    const { whole, parts, from } = plan;
    if (parts < 2) return [whole];
    let format = plan.format;
    if (format === null) {
      const told = await detectShardFormat(whole.path, 'jsonl').catch(() => ({ format: null }));
      if (told.format === null) return [whole];
      format = plan.format = plan.entry.format = told.format;
    }
    const bytes = plan.shard.size - from;
    return Array.from({ length: parts }, (_, k) => ({ ...whole, format, start: from + Math.floor((k * bytes) / parts), end: k + 1 === parts ? Infinity : from + Math.floor(((k + 1) * bytes) / parts) }));
  }

  /**
   * Loads a shard's units' chunks into the index as they come, in order, then records the shard.
   * Each chunk's rows go in with the shard's row saying how far it was read, in one transaction:
   * whenever loading ends (a stop, a failed load, the process killed), the next refresh reads on
   * from there (a plain shard, from where its index ended) or reads it again (a compressed one,
   * its rows dropped first), and no rollout is missing or there twice.
   */
  private async loadShard(plan: ShardPlan, runs: UnitRun[]): Promise<void> {
    const { shard, entry } = plan;
    this.shardStates.set(shard.path, entry);
    this.emit();
    let lines = plan.lines;
    let indexedBytes = plan.from;
    let stopped = false;
    let format = plan.format;
    const record = (midway: boolean): { known: KnownShard; sql: string } => this.shardRecord(shard, entry, { lines, indexedBytes, format, midway });
    for (const run of runs) {
      if (stopped || entry.error) {
        run.cancel();
        await drain(run);
        continue;
      }
      const badLines = entry.badLines;
      const problems = entry.problems.length;
      /** What the unit has read so far, as loaded (bad lines and problems count from the unit's start). */
      const readTo = (message: { lines: number; linesEnd: number | null; badLines: number; problems: string[] }): void => {
        if (message.lines > 0) lines = message.lines;
        if (message.linesEnd !== null) indexedBytes = message.linesEnd;
        entry.badLines = badLines + message.badLines;
        entry.problems.splice(problems, Infinity, ...message.problems.slice(0, Math.max(0, MAX_SHARD_PROBLEMS - problems)));
      };
      for (;;) {
        const message = await run.next();
        if (this.stopRequested || this.closed) {
          // Stopped: what is loaded stays, and the shard is keyed as read up to there.
          stopped = true;
          run.cancel();
          if (message.type !== 'done') await drain(run);
          break;
        }
        if (message.type === 'chunk') {
          entry.rollouts += message.rows;
          readTo(message);
          const progress = record(true);
          try {
            await this.loadChunk(message, shard.path, progress.sql);
          } catch (error) {
            run.cancel();
            await drain(run);
            entry.rollouts -= message.rows;
            entry.error = `cannot add its rows to the index (${(error as Error).message})`;
            entry.state = 'failed';
            this.emit();
            throw error;
          }
          this.known.set(shard.path, progress.known);
          this.emit();
          continue;
        }
        if (message.format && !format) format = entry.format = message.format;
        if (message.error) entry.error = message.error;
        readTo(message);
        stopped = message.stopped;
        break;
      }
    }
    entry.format = format;
    entry.state = entry.error ? 'failed' : 'done';
    if (shard.kind !== 'jsonl') indexedBytes = shard.size;
    // A failed shard is read again only once it changes.
    const done = record(stopped);
    await this.writer.run(done.sql);
    this.known.set(shard.path, done.known);
    this.emit();
  }

  /**
   * A shard's row in the `shards` table (and in `known`) as read so far: `midway` keys it so that
   * the next refresh reads on (a plain shard: its size is where its index ended) or reads it again
   * (any other: size -1).
   */
  private shardRecord(shard: ShardFile, entry: SetShard, read: { lines: number; indexedBytes: number; format: FormatId | null; midway: boolean }): { known: KnownShard; sql: string } {
    const { lines, indexedBytes, format } = read;
    const size = !read.midway ? shard.size : shard.kind === 'jsonl' ? indexedBytes : -1;
    const known: KnownShard = { size, mtimeMs: shard.mtimeMs, indexedBytes, lines, rollouts: entry.rollouts, badLines: entry.badLines, format, problems: [...entry.problems] };
    const sql = `INSERT OR REPLACE INTO shards VALUES (${sqlString(shard.path)}, ${sqlString(shard.kind)}, ${size}, ${shard.mtimeMs}, ${indexedBytes}, ${lines}, ${entry.rollouts}, ${entry.badLines}, ${format ? sqlString(format) : 'NULL'}, ${entry.error ? sqlString(entry.error) : 'NULL'}, ${entry.problems.length ? `[${entry.problems.map(sqlString).join(', ')}]` : '[]'}::VARCHAR[])`;
    return { known, sql };
  }

  /**
   * Loads one chunk file of rows (written by a unit) into the tables, numbering its rows on from
   * the last rid, with `shardRow` (the shard's progress) in the same transaction.
   */
  private async loadChunk(chunk: UnitChunk, source: string, shardRow: string): Promise<void> {
    const base = this.nextRid;
    const read = `read_json(${sqlString(chunk.file)}, format = 'newline_delimited', columns = {${CHUNK_COLUMNS.map(([name, type]) => `${quoted(name)}: '${type}'`).join(', ')}}, maximum_object_size = ${Math.max(1 << 20, 4 * chunk.longest)})`;
    const columns = ROLLOUT_COLUMNS.map(([name]) => (name === 'rid' ? `${base} + i` : name === 'source' ? sqlString(source) : quoted(name))).join(', ');
    await this.writer.run('BEGIN TRANSACTION');
    try {
      await this.writer.run(`INSERT INTO rollouts SELECT ${columns} FROM ${read}`);
      if (chunk.toolRows > 0) {
        const tools = `read_csv(${sqlString(chunk.toolsFile)}, header = false, auto_detect = false, quote = '"', escape = '"', delim = ',', columns = {${CHUNK_TOOL_COLUMNS.map(([name, type]) => `${quoted(name)}: '${type}'`).join(', ')}})`;
        await this.writer.run(`INSERT INTO rollout_tools SELECT ${base} + i, tool, calls, errors FROM ${tools}`);
      }
      await this.writer.run(shardRow);
      await this.writer.run('COMMIT');
    } catch (error) {
      await this.writer.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await rm(chunk.file, { force: true });
    await rm(chunk.toolsFile, { force: true });
    this.nextRid += chunk.rows;
    this.rowCount += chunk.rows;
  }

  /** Stops indexing after the record being read (what was indexed stays, and is kept). */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.cancelRuns?.();
    await this.settled();
  }

  /** The WHERE clause of a query: the filter (checked to be one expression) and the text search. */
  private async whereClause(query: Pick<SetQuery, 'where' | 'search'>): Promise<string> {
    const parts: string[] = [];
    const where = query.where?.trim();
    if (where) {
      // One expression only: a filter that closes the query to start another is refused.
      const probe = `SELECT 1 FROM rollouts WHERE (${where})`;
      let count: number;
      try {
        count = (await this.reader.extractStatements(probe)).count;
      } catch (error) {
        throw new SetQueryError((error as Error).message.replace(/^Failed to extract statements: /, ''));
      }
      if (count !== 1) throw new SetQueryError('the filter must be one SQL expression (no ";")');
      parts.push(`(${where})`);
    }
    const search = query.search?.trim();
    if (search) {
      const like = sqlString(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      parts.push(`(${['id', 'model', 'first_user', 'stop_reason'].map((c) => `${c} ILIKE ${like} ESCAPE '\\'`).join(' OR ')})`);
    }
    return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
  }

  private async read(sql: string): Promise<Record<string, unknown>[]> {
    try {
      const reader = await this.reader.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)])));
    } catch (error) {
      throw new SetQueryError((error as Error).message);
    }
  }

  /** The columns a query names (the default ones when none), checked with its sort column. */
  private columnsOf(query: Pick<SetQuery, 'columns' | 'orderBy'>): readonly RolloutColumn[] {
    const columns = query.columns?.length ? query.columns : DEFAULT_ROLLOUT_COLUMNS;
    for (const c of [...columns, ...(query.orderBy ? [query.orderBy] : [])]) if (!ROLLOUT_COLUMN_NAMES.includes(c)) throw new SetQueryError(`no column '${c}': the columns are ${ROLLOUT_COLUMN_NAMES.join(', ')}`);
    return columns;
  }

  /** A query's ORDER BY: its sort column then rid (rows with no value last), or rid alone. */
  private orderOf(query: Pick<SetQuery, 'orderBy' | 'descending'>): string {
    return query.orderBy ? `ORDER BY ${quoted(query.orderBy)} ${query.descending ? 'DESC' : 'ASC'} NULLS LAST, rid` : 'ORDER BY rid';
  }

  /** Rows matching a query, and how many match in all. Errors are DuckDB's messages, as {@link SetQueryError}. */
  async query(query: SetQuery = {}): Promise<{ rows: Array<Partial<RolloutRow>>; total: number }> {
    const where = await this.whereClause(query);
    const columns = this.columnsOf(query);
    const order = this.orderOf(query);
    const limit = Math.max(0, Math.min(query.limit ?? 100, 100_000));
    const rows = await this.read(`SELECT ${columns.map(quoted).join(', ')} FROM rollouts ${where} ${order} LIMIT ${limit} OFFSET ${Math.max(0, query.offset ?? 0)}`);
    const total = await this.read(`SELECT count(*) AS n FROM rollouts ${where}`);
    return { rows: rows as Array<Partial<RolloutRow>>, total: Number(total[0]?.n ?? 0) };
  }

  /** Every row matching a query (its columns and rid), in its order, a page at a time (for exports of any size). */
  async *rows(query: Omit<SetQuery, 'limit' | 'offset'> = {}, pageRows = 5_000): AsyncGenerator<Partial<RolloutRow> & Pick<RolloutRow, 'rid'>, void, undefined> {
    const where = await this.whereClause(query);
    const columns = new Set<RolloutColumn>(['rid', ...this.columnsOf(query)]);
    const select = [...columns].map(quoted).join(', ');
    for await (const page of this.pages(`SELECT ${select} FROM rollouts`, where, query, pageRows, (sql) => this.read(sql) as Promise<Array<Partial<RolloutRow> & Pick<RolloutRow, 'rid'>>>)) yield* page;
  }

  /**
   * The pages of `select` (a SELECT ... FROM) under `where`, in the query's order: keyed on the
   * last rid for the set's own order, by offset for a sort.
   */
  private async *pages<T extends { rid: number }>(select: string, where: string, query: Pick<SetQuery, 'orderBy' | 'descending'>, pageRows: number, read: (sql: string) => Promise<T[]>): AsyncGenerator<T[], void, undefined> {
    let after = -1;
    for (let offset = 0; ; offset += pageRows) {
      const page = await read(query.orderBy ? `${select} ${where} ${this.orderOf(query)} LIMIT ${pageRows} OFFSET ${offset}` : `${select} ${where ? `${where} AND` : 'WHERE'} rid > ${after} ORDER BY rid LIMIT ${pageRows}`);
      yield page;
      if (page.length < pageRows) return;
      after = page[page.length - 1]!.rid;
    }
  }

  /** Charts of the rollouts a filter keeps: reward distribution, turns, tool-error rate per tool, and each over the training step. */
  async charts(query: Pick<SetQuery, 'where' | 'search'> = {}): Promise<SetCharts> {
    const where = await this.whereClause(query);
    const [range] = await this.read(`SELECT min(reward) AS lo, max(reward) AS hi, count(*) AS n, count(step) AS steps, min(step) AS s0, max(step) AS s1 FROM rollouts ${where}`);
    const lo = range?.lo as number | null;
    const hi = range?.hi as number | null;
    const bins = 20;
    let reward: SetCharts['reward'] = [];
    if (lo !== null && hi !== null) {
      const width = hi > lo ? (hi - lo) / bins : 1;
      const counts = await this.read(`SELECT least(floor((reward - ${lo}) / ${width}), ${bins - 1})::INTEGER AS b, count(*) AS n FROM rollouts ${where ? `${where} AND` : 'WHERE'} reward IS NOT NULL GROUP BY b ORDER BY b`);
      reward = counts.map((c) => ({ from: lo + (c.b as number) * width, to: lo + ((c.b as number) + 1) * width, count: c.n as number }));
    }
    const turns = (await this.read(`SELECT turns, count(*) AS n FROM rollouts ${where} GROUP BY turns ORDER BY turns LIMIT 200`)).map((r) => ({ turns: r.turns as number, count: r.n as number }));
    const tools = (
      await this.read(`SELECT tool, sum(calls)::BIGINT AS calls, sum(errors)::BIGINT AS errors FROM rollout_tools WHERE rid IN (SELECT rid FROM rollouts ${where}) GROUP BY tool ORDER BY calls DESC, tool LIMIT 30`)
    ).map((r) => ({ tool: r.tool as string, calls: r.calls as number, errors: r.errors as number }));
    let steps: SetCharts['steps'] = [];
    if ((range?.steps as number) > 0) {
      const s0 = range!.s0 as number;
      const s1 = range!.s1 as number;
      const width = Math.max(1, Math.ceil((s1 - s0 + 1) / 100));
      steps = (
        await this.read(
          `SELECT ${s0} + (step - ${s0}) // ${width} * ${width} AS s, count(*) AS n, avg(reward) AS reward, avg(turns) AS turns, avg(CASE WHEN tool_errors > 0 THEN 1 ELSE 0 END) AS error_rate FROM rollouts ${where ? `${where} AND` : 'WHERE'} step IS NOT NULL GROUP BY s ORDER BY s`,
        )
      ).map((r) => ({ from: r.s as number, to: (r.s as number) + width - 1, count: r.n as number, meanReward: (r.reward as number | null) ?? null, meanTurns: r.turns as number, errorRate: r.error_rate as number }));
    }
    return { total: Number(range?.n ?? 0), reward, turns, tools, steps };
  }

  /** One row by its key. */
  async row(rid: number): Promise<RolloutRow> {
    const [row] = await this.read(`SELECT * FROM rollouts WHERE rid = ${Math.trunc(rid)}`);
    if (!row) throw new SetQueryError(`no rollout ${rid} in the set`);
    return row as RolloutRow;
  }

  /** Reads one rollout back from its shard (its line's bytes, or its Parquet row) and imports it. */
  async rollout(rid: number): Promise<{ row: RolloutRow; trajectory: Trajectory }> {
    const row = await this.row(rid);
    return { row, trajectory: this.trajectoryOf(row, await this.recordText(row)) };
  }

  /**
   * A rollout's trajectory from its record's text. A shard rewritten in place may hold another
   * rollout at the same bytes: it is refused (by its id and first user message, the row's own
   * words), not shown or exported as this row.
   */
  private trajectoryOf(row: RolloutRow, text: string): Trajectory {
    const trajectory = this.recordOf(row, text);
    if (wellFormed(trajectory.id) !== row.id || wellFormed(previewOf(trajectory)) !== row.first_user) {
      throw new SetQueryError(`${row.source}:${row.line}: the shard was written to since it was indexed: the line holds ${trajectory.id}, not the rollout listed (${row.id}); refresh the set`);
    }
    return trajectory;
  }

  /** The trajectory a record's text holds at the row's place in it. */
  private recordOf(row: RolloutRow, text: string): Trajectory {
    const parsed = parseJson(text);
    if (!parsed.ok) throw new SetQueryError(`${row.source}:${row.line}: ${parsed.error} (was the file changed?)`);
    const imported = importLineValue(row.format as FormatId, parsed.value, row.source, row.line, 0, text);
    if ('problem' in imported) throw new SetQueryError(imported.problem);
    const trajectory = imported.trajectories[row.in_line];
    if (!trajectory) throw new SetQueryError(`${row.source}:${row.line}: no rollout ${row.in_line} in the line any more (was the file changed?)`);
    return trajectory;
  }

  /**
   * Every rollout a query keeps, in its order, read back from its shard: a plain line by its bytes,
   * a Parquet row by its number, and each gzip or zstd shard decompressed once, forward (in the
   * set's order its rows come in offset order; a sorted query first reads its compressed lines in
   * that order into a scratch table of the index, then joins them in its own order).
   */
  async *rollouts(query: Omit<SetQuery, 'limit' | 'offset' | 'columns'> = {}, pageRows = 2_000): AsyncGenerator<{ row: RolloutRow; trajectory: Trajectory }, void, undefined> {
    const where = await this.whereClause(query);
    const compressed = [...this.shardStates.values()].filter((s) => s.kind === 'jsonl.gz' || s.kind === 'jsonl.zst').map((s) => s.path);
    const connection = await this.instance.connect();
    const scratch = `export_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    let forward: ForwardLineReader | null = null;
    /** A compressed line, read on from the last one of its shard (a new pass when the shard changes). */
    const readForward = async (row: RolloutRow): Promise<string> => {
      if (forward?.path !== row.source) {
        await forward?.close();
        const kind = this.shardStates.get(row.source)?.kind;
        if (kind !== 'jsonl.gz' && kind !== 'jsonl.zst') throw new SetQueryError(`${row.source}: the shard is gone`);
        forward = new ForwardLineReader(row.source, kind);
      }
      return forward.read(row.line_offset ?? 0, row.line);
    };
    const page = async (sql: string): Promise<Array<RolloutRow & { text?: string | null }>> => {
      try {
        const reader = await connection.runAndReadAll(sql);
        return reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)]))) as Array<RolloutRow & { text?: string | null }>;
      } catch (error) {
        throw new SetQueryError((error as Error).message);
      }
    };
    const staged = query.orderBy !== undefined && compressed.length > 0;
    try {
      if (staged) {
        await connection.run(`CREATE TABLE ${scratch} (rid BIGINT, text VARCHAR)`);
        const appender = await connection.createAppender(scratch);
        const inCompressed = `source IN (${compressed.map(sqlString).join(', ')})`;
        // In rid order, each compressed shard's rows come in offset order: one forward pass each.
        for await (const rows of this.pages('SELECT * EXCLUDE (record) FROM rollouts', `${where ? `${where} AND` : 'WHERE'} ${inCompressed}`, {}, pageRows, page)) {
          for (const row of rows) {
            appender.appendBigInt(BigInt(row.rid));
            appender.appendVarchar(await readForward(row));
            appender.endRow();
          }
          appender.flushSync();
        }
        appender.closeSync();
        await (forward as ForwardLineReader | null)?.close();
        forward = null;
      }
      // Columns named in the filter or sort are the rollouts table's.
      const from = staged ? `(SELECT r.*, e.text FROM rollouts r LEFT JOIN ${scratch} e ON e.rid = r.rid)` : '(SELECT *, NULL::VARCHAR AS text FROM rollouts)';
      for await (const rows of this.pages(`SELECT * EXCLUDE (record) FROM ${from}`, where, query, pageRows, page)) {
        for (const { text: stagedText, ...row } of rows) {
          const kind = this.shardStates.get(row.source)?.kind;
          const text = typeof stagedText === 'string' ? stagedText : kind === 'jsonl.gz' || kind === 'jsonl.zst' ? await readForward(row) : await this.recordText(row);
          yield { row, trajectory: this.trajectoryOf(row, text) };
        }
      }
    } finally {
      await (forward as ForwardLineReader | null)?.close();
      if (staged) await connection.run(`DROP TABLE IF EXISTS ${scratch}`).catch(() => undefined);
      connection.closeSync();
    }
  }

  /** A record's text read back by its own bytes (a plain line, a Parquet row, a compressed line from its shard's start). */
  private async recordText(row: RolloutRow): Promise<string> {
    const kind = this.shardStates.get(row.source)?.kind ?? (await resolveShards([row.source])).shards[0]?.kind;
    if (!kind) throw new SetQueryError(`${row.source}: the shard is gone`);
    return readRecord(this.writer, row.source, kind, { offset: row.line_offset, length: row.line_length ?? 0, line: row.line, row: row.parquet_row });
  }

  /** Writes the rows of a query to a Parquet file with DuckDB's writer. */
  async writeParquet(query: Omit<SetQuery, 'limit' | 'offset'> & { limit?: number }, path: string): Promise<void> {
    const where = await this.whereClause(query);
    const columns = this.columnsOf(query);
    const order = this.orderOf(query);
    const limit = query.limit !== undefined ? `LIMIT ${Math.max(0, query.limit)}` : '';
    try {
      await this.reader.run(`COPY (SELECT ${columns.map(quoted).join(', ')} FROM rollouts ${where} ${order} ${limit}) TO ${sqlString(path)} (FORMAT parquet)`);
    } catch (error) {
      throw new SetQueryError((error as Error).message);
    }
  }

  /** Stops indexing and closes the index (kept on disk for the next open). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.stopRequested = true;
    this.cancelRuns?.();
    await this.settled();
    this.closed = true;
    this.listeners.clear();
    await this.pool.dispose();
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
