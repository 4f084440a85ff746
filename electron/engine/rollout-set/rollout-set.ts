import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection} from '@duckdb/node-api';
import { DuckDBInstance, LIST, listValue, VARCHAR, type DuckDBAppender } from '@duckdb/node-api';
import { detectRecord, importLineValue, isLineFormat, parseJson, unknownFormat } from '#shared/formats/import.js';
import { DEFAULT_ROLLOUT_COLUMNS, ROLLOUT_COLUMN_NAMES, ROLLOUT_COLUMNS, rolloutFacts, type RolloutColumn, type RolloutRow } from '#shared/formats/rollout-row.js';
import type { FormatId, Trajectory } from '#shared/formats/trajectory.js';
import type { SetCharts, SetShard, SetStatus } from '#shared/api/rollout-set.js';
import { completeLinesEnd, jsonlRecords, parquetRecords, readRecord, type ShardRecord } from './shard-reader.js';
import { resolveShards, type ShardFile, type ShardKind } from './shards.js';

/**
 * A rollout set: shards (JSONL, gzip or zstd JSONL, Parquet) read where they lie as one table. Each
 * rollout's columns are computed once by the project's importers and kept in a DuckDB database in
 * the user's cache, keyed by each shard's path, size and mtime: reopening reads nothing, a grown
 * shard is read from where its index ended, a changed one again. Filters and sorts are SQL over
 * that index; a rollout is read back by its line's bytes (or its Parquet row) only.
 */

/** Bumped when the index's tables or columns change, so older caches are rebuilt. */
const INDEX_VERSION = 2;
/** Problem texts kept per shard (every bad line is counted). */
const MAX_SHARD_PROBLEMS = 20;
const VARCHAR_LIST = LIST(VARCHAR);

/** Rows appended before they are flushed, and at least how often (ms), so queries see them. */
const FLUSH_ROWS = 2_000;
const FLUSH_MS = 250;
/** Indexing gives the event loop a turn at least this often (ms). */
const YIELD_MS = 10;

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
  /** DuckDB's memory limit (default 512MB). */
  memoryLimit?: string;
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

const sqlString = (text: string): string => `'${text.replace(/'/g, "''")}'`;
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
  private listeners = new Set<(status: SetStatus) => void>();
  private closed = false;

  private constructor(
    readonly sources: readonly string[],
    readonly dbPath: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
    private readonly cwd: string,
  ) {}

  /** Opens (or creates) the set's index; call {@link refresh} to index what is new. */
  static async open(sources: readonly string[], options: OpenSetOptions = {}): Promise<RolloutSet> {
    if (sources.length === 0) throw new SetQueryError('a rollout set needs at least one folder, glob or file');
    const cwd = options.cwd ?? process.cwd();
    const dir = options.cacheDir ?? defaultCacheDir();
    await mkdir(dir, { recursive: true });
    const dbPath = join(dir, `set-${setKey(sources, cwd)}-v${INDEX_VERSION}.duckdb`);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(dbPath, {
        memory_limit: options.memoryLimit ?? '512MB',
        threads: '2',
        // JSON and Parquet are built in; nothing is fetched from the network or loaded on demand,
        // whatever a filter names (read_json('https://...') would otherwise install httpfs).
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
      });
    } catch (error) {
      throw new SetQueryError(`cannot open the set's index ${dbPath}: ${(error as Error).message}`);
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    const set = new RolloutSet(sources, dbPath, instance, writer, reader, cwd);
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
    const shards = await this.writer.runAndReadAll('SELECT path, kind, size, rollouts, bad_lines, format, error, problems FROM shards ORDER BY path');
    for (const row of shards.getRowObjectsJS()) {
      const path = String(row.path);
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
    };
  }

  /** Called with the status as indexing goes (at most every {@link FLUSH_MS}) and when it ends. */
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
    const run = this.indexAll().finally(() => {
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
    for (const shard of shards) {
      if (this.stopRequested || this.closed) return;
      await this.indexShard(shard);
    }
  }

  private async dropShard(path: string): Promise<void> {
    await this.writer.run(`DELETE FROM rollout_tools WHERE rid IN (SELECT rid FROM rollouts WHERE source = ${sqlString(path)})`);
    await this.writer.run(`DELETE FROM rollouts WHERE source = ${sqlString(path)}`);
    await this.writer.run(`DELETE FROM shards WHERE path = ${sqlString(path)}`);
    const count = await this.writer.runAndReadAll('SELECT count(*) FROM rollouts');
    this.rowCount = Number(count.getRows()[0]![0]);
  }

  private async indexShard(shard: ShardFile): Promise<void> {
    const known = await this.writer.runAndReadAll(`SELECT size, mtime_ms, indexed_bytes, lines, rollouts, bad_lines, format, problems FROM shards WHERE path = ${sqlString(shard.path)}`);
    const row = known.getRowObjectsJS()[0];
    let from = 0;
    let firstLine = 1;
    let format: FormatId | null = null;
    let state = { lines: 0, rollouts: 0, badLines: 0, problems: [] as string[] };
    if (row) {
      const size = Number(row.size);
      if (size === shard.size && Number(row.mtime_ms) === shard.mtimeMs) return;
      const indexedBytes = Number(row.indexed_bytes);
      if (shard.kind === 'jsonl' && row.format && shard.size > size && indexedBytes <= shard.size) {
        // Grown in place (training appends lines): read on from where the index ended.
        from = indexedBytes;
        firstLine = Number(row.lines) + 1;
        format = row.format as FormatId;
        state = { lines: Number(row.lines), rollouts: Number(row.rollouts), badLines: Number(row.bad_lines), problems: (row.problems as string[] | null) ?? [] };
      } else await this.dropShard(shard.path);
    }
    const entry: SetShard = { path: shard.path, kind: shard.kind, size: shard.size, rollouts: state.rollouts, badLines: state.badLines, format, error: null, problems: state.problems, state: 'indexing' };
    this.shardStates.set(shard.path, entry);
    this.emit();
    const appender = await this.writer.createAppender('rollouts');
    const tools = await this.writer.createAppender('rollout_tools');
    let pending = 0;
    let lastFlush = performance.now();
    let lastYield = performance.now();
    const flush = (): void => {
      appender.flushSync();
      tools.flushSync();
      this.rowCount += pending;
      pending = 0;
      lastFlush = performance.now();
      this.emit();
    };
    const problem = (text: string): void => {
      entry.badLines += 1;
      if (entry.problems.length < MAX_SHARD_PROBLEMS) entry.problems.push(text);
    };
    let lastRecord: ShardRecord | null = null;
    let lines = state.lines;
    try {
      const records = shard.kind === 'parquet' ? parquetRecords(this.writer, shard.path) : jsonlRecords(shard.path, shard.kind, { from, firstLine, complete: shard.kind !== 'jsonl' });
      for await (const record of records) {
        if (this.stopRequested || this.closed) break;
        lastRecord = record;
        lines = shard.kind === 'parquet' ? record.line + 1 : record.line;
        const at = shard.kind === 'parquet' ? `${shard.path}: row ${record.line}` : `${shard.path}:${record.line}`;
        if (record.text === null) {
          problem(record.problem ?? `${at}: not UTF-8 text`);
          continue;
        }
        if (record.text.trim() === '') continue;
        const parsed = parseJson(record.text);
        if (!parsed.ok) {
          problem(`${at}: ${parsed.error.replace(/ at line 1, column/, ' at column')}`);
          continue;
        }
        if (format === null) {
          format = detectRecord(parsed.value, 'line', false);
          if (format === null || !isLineFormat(format)) {
            entry.error = format === null ? unknownFormat(shard.path, parsed.value, 'line').message.replace(`${shard.path}: `, '') : `${format} is not a one-rollout-per-record format`;
            format = null;
            break;
          }
          entry.format = format;
        }
        const imported = importLineValue(format, parsed.value, shard.path, record.line, 0, record.text);
        if ('problem' in imported) {
          problem(imported.problem.replace(`${shard.path}:${record.line}`, at));
          continue;
        }
        imported.trajectories.forEach((trajectory, k) => {
          this.appendRow(appender, tools, shard, record, k, format!, trajectory, parsed.value);
          pending += 1;
          entry.rollouts += 1;
        });
        if (pending >= FLUSH_ROWS || performance.now() - lastFlush >= FLUSH_MS || this.rowCount === 0) flush();
        // Let queries of the rows indexed so far answer while indexing goes on.
        if (performance.now() - lastYield >= YIELD_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } catch (error) {
      entry.error = `cannot read it (${(error as Error).message})`;
    }
    flush();
    appender.closeSync();
    tools.closeSync();
    entry.state = entry.error ? 'failed' : 'done';
    const indexedBytes = shard.kind === 'jsonl' ? completeLinesEnd(lastRecord, from) : shard.size;
    // A shard that failed is keyed too: it is read again only once it changes.
    await this.writer.run(
      `INSERT OR REPLACE INTO shards VALUES (${sqlString(shard.path)}, ${sqlString(shard.kind)}, ${shard.size}, ${shard.mtimeMs}, ${indexedBytes}, ${lines}, ${entry.rollouts}, ${entry.badLines}, ${format ? sqlString(format) : 'NULL'}, ${entry.error ? sqlString(entry.error) : 'NULL'}, ${entry.problems.length ? `[${entry.problems.map(sqlString).join(', ')}]` : '[]'}::VARCHAR[])`,
    );
    this.emit();
  }

  private appendRow(appender: DuckDBAppender, tools: DuckDBAppender, shard: ShardFile, record: ShardRecord, k: number, format: FormatId, trajectory: Trajectory, value: unknown): void {
    const facts = rolloutFacts(trajectory, value);
    const rid = this.nextRid++;
    const parquet = shard.kind === 'parquet';
    const values: Record<RolloutColumn, unknown> = {
      rid,
      id: facts.id,
      source: shard.path,
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
    };
    for (const [name, type] of ROLLOUT_COLUMNS) {
      const v = values[name];
      if (v === null || v === undefined) appender.appendNull();
      else if (type === 'BIGINT') appender.appendBigInt(BigInt(v as number));
      else if (type === 'INTEGER') appender.appendInteger(v as number);
      else if (type === 'DOUBLE') appender.appendDouble(v as number);
      else if (type === 'BOOLEAN') appender.appendBoolean(v as boolean);
      // The type is given: an empty list says nothing of its items, and the appender would leave the row incomplete.
      else if (type === 'VARCHAR[]') appender.appendList(listValue(v as string[]), VARCHAR_LIST);
      else appender.appendVarchar(String(v));
    }
    appender.endRow();
    for (const [tool, stats] of Object.entries(facts.tools)) {
      tools.appendBigInt(BigInt(rid));
      tools.appendVarchar(tool);
      tools.appendInteger(stats.calls);
      tools.appendInteger(stats.errors);
      tools.endRow();
    }
  }

  /** Stops indexing after the record being read (what was indexed stays, and is kept). */
  async stop(): Promise<void> {
    this.stopRequested = true;
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
    let after = -1;
    // Pages by rid for the set's own order; a sort pages by offset.
    for (let offset = 0; ; offset += pageRows) {
      const order = query.orderBy ? `${this.orderOf(query)} LIMIT ${pageRows} OFFSET ${offset}` : `ORDER BY rid LIMIT ${pageRows}`;
      const filter = query.orderBy ? where : where ? `${where} AND rid > ${after}` : `WHERE rid > ${after}`;
      const page = (await this.read(`SELECT ${select} FROM rollouts ${filter} ${order}`)) as Array<Partial<RolloutRow> & Pick<RolloutRow, 'rid'>>;
      for (const row of page) yield row;
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
    const kind = this.shardStates.get(row.source)?.kind ?? (await resolveShards([row.source])).shards[0]?.kind;
    if (!kind) throw new SetQueryError(`${row.source}: the shard is gone`);
    const text = await readRecord(this.writer, row.source, kind, { offset: row.line_offset, length: row.line_length ?? 0, line: row.line, row: row.parquet_row });
    const parsed = parseJson(text);
    if (!parsed.ok) throw new SetQueryError(`${row.source}:${row.line}: ${parsed.error} (was the file changed?)`);
    const imported = importLineValue(row.format as FormatId, parsed.value, row.source, row.line, 0, text);
    if ('problem' in imported) throw new SetQueryError(imported.problem);
    const trajectory = imported.trajectories[row.in_line];
    if (!trajectory) throw new SetQueryError(`${row.source}:${row.line}: no rollout ${row.in_line} in the line any more (was the file changed?)`);
    return { row, trajectory };
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
    await this.settled();
    this.closed = true;
    this.listeners.clear();
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
