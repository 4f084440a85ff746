import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { ROLLOUT_COLUMN_NAMES, type RolloutColumn } from '#shared/formats/rollout-row.js';
import { RolloutSet, SetQueryError, type SetQuery } from '../engine/rollout-set/rollout-set.js';
import { intOption } from './options.js';
import { UsageError } from './usage-error.js';

const DEFAULT_COLUMNS: RolloutColumn[] = ['rid', 'id', 'model', 'turns', 'tool_errors', 'finished', 'reward', 'step', 'source'];

function columnsOption(value: string | undefined): RolloutColumn[] {
  if (value === undefined) return DEFAULT_COLUMNS;
  const names = value.split(',').map((c) => c.trim()).filter(Boolean);
  for (const name of names) if (!ROLLOUT_COLUMN_NAMES.includes(name as RolloutColumn)) throw new UsageError(`--columns: no column '${name}'; the columns are ${ROLLOUT_COLUMN_NAMES.join(', ')}`);
  return names as RolloutColumn[];
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1e4) / 1e4);
  return String(value).replace(/\s+/g, ' ');
}

/** Rows as an aligned text table (cells cut at 60 characters). */
export function formatTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const cells = rows.map((row) => columns.map((c) => cell(row[c]).slice(0, 60)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line([...columns]), ...cells.map(line)].join('\n');
}

/** `trajdbg query`: filter, sort and print or write the rollouts of a set. */
export async function queryCommand(args: string[], stderr: (line: string) => void, stdout: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      where: { type: 'string' },
      columns: { type: 'string' },
      'order-by': { type: 'string' },
      desc: { type: 'boolean' },
      search: { type: 'string' },
      limit: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'cache-dir': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('query: give the set: one or more folders, globs or shard files');
  const format = values.format ?? 'table';
  if (!['table', 'jsonl', 'parquet'].includes(format)) throw new UsageError(`--format: expected table, jsonl or parquet, got '${format}'`);
  if (format === 'parquet' && !values.out) throw new UsageError('--format parquet needs --out FILE');
  const columns = columnsOption(values.columns);
  const orderBy = values['order-by'];
  if (orderBy !== undefined && !ROLLOUT_COLUMN_NAMES.includes(orderBy as RolloutColumn)) throw new UsageError(`--order-by: no column '${orderBy}'; the columns are ${ROLLOUT_COLUMN_NAMES.join(', ')}`);
  const limit = intOption('limit', values.limit, { min: 0 }) ?? 50;
  const query: SetQuery = { where: values.where, search: values.search, columns, orderBy: orderBy as RolloutColumn | undefined, descending: values.desc ?? false };

  const set = await RolloutSet.open(positionals, { cacheDir: values['cache-dir'] }).catch((error: unknown) => {
    throw error instanceof SetQueryError ? new UsageError(error.message) : error;
  });
  try {
    await set.refresh();
    const status = set.status();
    for (const problem of status.unreadable) stderr(`unreadable: ${problem}`);
    for (const shard of status.shards) if (shard.badLines > 0) stderr(`${shard.path}: ${shard.badLines} bad ${shard.badLines === 1 ? 'line' : 'lines'} skipped (first: ${shard.problems[0] ?? '?'})`);
    if (status.shards.length === 0) throw new UsageError(`${positionals.join(' ')}: no rollout shard found`);
    try {
      if (format === 'parquet') {
        await set.writeParquet({ ...query, ...(limit > 0 ? { limit } : {}) }, values.out!);
        const { total } = await set.query({ ...query, limit: 0 });
        stderr(`wrote ${limit > 0 ? Math.min(limit, total) : total} of ${total} matching rollouts to ${values.out}`);
        return 0;
      }
      if (format === 'table') {
        const { rows, total } = await set.query({ ...query, limit: limit || 100_000 });
        const text = `${formatTable(columns, rows)}\n`;
        if (values.out) await writeText(values.out, text);
        else stdout(text);
        stderr(`${rows.length} of ${total} matching rollouts (${status.rollouts} in the set)`);
        return 0;
      }
      const out = values.out ? createWriteStream(values.out) : null;
      let count = 0;
      for await (const row of set.rows(query)) {
        const picked = Object.fromEntries(columns.map((c) => [c, row[c]]));
        const line = `${JSON.stringify(picked)}\n`;
        if (out) {
          if (!out.write(line)) await once(out, 'drain');
        } else stdout(line);
        count += 1;
        if (limit > 0 && count >= limit) break;
      }
      if (out) {
        out.end();
        await once(out, 'finish');
      }
      stderr(`${count} matching rollouts (${status.rollouts} in the set)`);
      return 0;
    } catch (error) {
      if (error instanceof SetQueryError) throw new UsageError(`--where: ${error.message}`);
      throw error;
    }
  } finally {
    await set.close();
  }
}

async function writeText(path: string, text: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, text);
}
