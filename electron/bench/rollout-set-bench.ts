import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { RolloutSet } from '../engine/rollout-set/rollout-set.js';
import { writeJsonlShard } from '../engine/rollout-set/generate-set.js';

/**
 * Rollout-set benchmark: generated sets of messages-JSONL shards (about 1 KB a rollout, 10,000 per
 * shard) at the sizes given (`ROLLOUT_SET_SIZES=10000,100000,1000000`), each timed for: first rows
 * queryable after opening, the full index against DuckDB's own read_json scan of the same files,
 * reopening from the cache, a filter and sort over the indexed rollouts, opening one rollout,
 * appending 10,000 rollouts, and peak memory. Sets are generated in the temp folder (kept between
 * runs); nothing large is written to the repository.
 */

const PER_SHARD = 10_000;
const MiB = 2 ** 20;

async function ensureSet(size: number): Promise<string> {
  const folder = join(tmpdir(), `trajdbg-bench-set-${size}`);
  const shards = Math.ceil(size / PER_SHARD);
  const done = join(folder, '.complete');
  if (existsSync(done)) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (let s = 0; s < shards; s++) await writeJsonlShard(join(folder, `shard-${String(s).padStart(5, '0')}.jsonl`), s, Math.min(PER_SHARD, size - s * PER_SHARD));
  mkdirSync(done);
  return folder;
}

async function duckdbScanMs(folder: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const connection = await instance.connect();
  const started = performance.now();
  await connection.runAndReadAll(`SELECT count(*), sum(json_array_length(messages)), avg(reward) FROM read_json('${folder}/*.jsonl', format = 'newline_delimited', columns = {messages: 'JSON', reward: 'DOUBLE', id: 'VARCHAR'})`);
  const ms = performance.now() - started;
  connection.closeSync();
  instance.closeSync();
  return ms;
}

async function measure(size: number): Promise<Record<string, number | string>> {
  const folder = await ensureSet(size);
  const bytes = readdirSync(folder).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + statSync(join(folder, f)).size, 0);
  const cacheDir = join(tmpdir(), `trajdbg-bench-cache-${size}-${process.pid}`);
  rmSync(cacheDir, { recursive: true, force: true });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

  const started = performance.now();
  let set = await RolloutSet.open([folder], { cacheDir });
  const indexing = set.refresh();
  let firstRowsMs = NaN;
  for (;;) {
    const { rows } = await set.query({ limit: 50 });
    if (rows.length > 0) {
      firstRowsMs = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await indexing;
  const indexMs = performance.now() - started;
  const rollouts = set.status().rollouts;
  await set.close();

  const scanMs = await duckdbScanMs(folder);

  const reopenStart = performance.now();
  set = await RolloutSet.open([folder], { cacheDir });
  await set.refresh();
  const reopenMs = performance.now() - reopenStart;

  const time = async (fn: () => Promise<unknown>, runs = 5): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  const filterMs = await time(() => set.query({ where: 'tool_errors > 0 AND reward < 0.5', limit: 200 }));
  const sortMs = await time(() => set.query({ where: 'tool_errors > 0 AND reward < 0.5', orderBy: 'reward', descending: true, limit: 200 }));
  const chartsMs = await time(() => set.charts({ where: 'tool_errors > 0' }), 3);
  const openMs = await time(() => set.rollout(Math.floor(Math.random() * rollouts)), 21);

  // Live: a shard of 10,000 new rollouts, then indexed.
  await writeJsonlShard(join(folder, 'live-append.jsonl'), 999_999, 10_000);
  const written = performance.now();
  await set.refresh();
  const appendMs = performance.now() - written;
  await set.close();
  rmSync(join(folder, 'live-append.jsonl'), { force: true });
  clearInterval(sampler);
  rmSync(cacheDir, { recursive: true, force: true });

  return {
    rollouts,
    MiB: Math.round(bytes / MiB),
    'first rows ms': Math.round(firstRowsMs),
    'index s': Math.round(indexMs / 100) / 10,
    'rollouts/s': Math.round(rollouts / (indexMs / 1000)),
    'duckdb read_json s': Math.round(scanMs / 100) / 10,
    'index/read_json speed': Math.round((scanMs / indexMs) * 1000) / 1000,
    'reopen ms': Math.round(reopenMs),
    'filter ms': Math.round(filterMs),
    'filter+sort ms': Math.round(sortMs),
    'charts ms': Math.round(chartsMs),
    'open one ms': Math.round(openMs * 10) / 10,
    'append 10k s': Math.round(appendMs / 100) / 10,
    'peak RSS MiB': Math.round(peakRss / MiB),
  };
}

const sizes = (process.env.ROLLOUT_SET_SIZES ?? '10000,100000,300000').split(',').map(Number);
const results: Array<Record<string, number | string>> = [];
for (const size of sizes) {
  const figures = await measure(size);
  results.push(figures);
  process.stderr.write(`${JSON.stringify(figures)}\n`);
}
console.table(results);
