import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { RolloutSet } from '../engine/rollout-set/rollout-set.js';
import { writeJsonlShard } from '../engine/rollout-set/generate-set.js';

/**
 * Rollout-set benchmark: generated sets of messages-JSONL shards (about 0.9 KB a rollout, 10,000 per
 * shard) at the sizes given (`ROLLOUT_SET_SIZES=10000,100000,5000000`), each timed against the
 * set's goals: first rows queryable after opening, the full index against DuckDB's own read_json
 * scan of the same files, a filter and a sort over the indexed rollouts, opening one rollout,
 * appending 10,000 rollouts (a new shard, and lines appended to a shard), and the process's peak
 * RSS (worker threads included) while indexing and while querying. Sets are generated, one shard
 * per thread, in `ROLLOUT_SET_DIR` (default: the temp folder) and kept between runs; nothing large
 * is written to the repository.
 */

const PER_SHARD = 10_000;
const MiB = 2 ** 20;
const root = process.env.ROLLOUT_SET_DIR ?? tmpdir();

/** Writes shards `[0, shards)` of a set on one thread per core. */
async function generate(folder: string, size: number): Promise<void> {
  const shards = Math.ceil(size / PER_SHARD);
  const module = new URL('../engine/rollout-set/generate-set.js', import.meta.url).href;
  const code = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(async ({ writeJsonlShard }) => {
  parentPort.on('message', async (s) => {
    if (s === null) return process.exit(0);
    const name = 'shard-' + String(s).padStart(5, '0') + '.jsonl';
    await writeJsonlShard(require('node:path').join(workerData.folder, name), s, Math.min(workerData.perShard, workerData.size - s * workerData.perShard));
    parentPort.postMessage(s);
  });
  parentPort.postMessage(-1);
});`;
  let next = 0;
  const threads = Math.min(availableParallelism(), shards);
  await Promise.all(
    Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
      const worker = new Worker(code, { eval: true, workerData: { module, folder, size, perShard: PER_SHARD } });
      worker.on('message', () => worker.postMessage(next < shards ? next++ : null));
      worker.on('error', reject);
      worker.on('exit', () => resolve());
    })),
  );
}

async function ensureSet(size: number): Promise<string> {
  const folder = join(root, `trajdbg-bench-set-${size}`);
  const done = join(folder, '.complete');
  if (existsSync(done)) return folder;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const started = performance.now();
  await generate(folder, size);
  mkdirSync(done);
  process.stderr.write(`generated ${size} rollouts in ${Math.round((performance.now() - started) / 1000)} s\n`);
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

/** The process's peak RSS between `start` and `stop`, sampled every 50 ms. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

interface Figures {
  rollouts: number;
  MiB: number;
  firstRowsMs: number;
  indexMs: number;
  scanMs: number;
  reopenMs: number;
  filterMs: number;
  sortMs: number;
  chartsMs: number;
  openMs: number;
  appendShardMs: number;
  appendLinesMs: number;
  indexRss: number;
  queryRss: number;
}

async function measure(size: number): Promise<Figures> {
  const folder = await ensureSet(size);
  const bytes = readdirSync(folder).filter((f) => f.endsWith('.jsonl')).reduce((n, f) => n + statSync(join(folder, f)).size, 0);
  const cacheDir = join(root, `trajdbg-bench-cache-${size}-${process.pid}`);
  rmSync(cacheDir, { recursive: true, force: true });

  let rss = rssSampler();
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
  const indexRss = rss.stop();

  const scanMs = await duckdbScanMs(folder);

  rss = rssSampler();
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

  // Live: a shard of 10,000 new rollouts, then 10,000 lines appended to the last shard; each indexed.
  const appendShard = join(folder, 'live-append.jsonl');
  await writeJsonlShard(appendShard, 999_999, 10_000);
  let written = performance.now();
  await set.refresh();
  const appendShardMs = performance.now() - written;
  await writeJsonlShard(appendShard, 999_999, 10_000, { from: 10_000, append: true });
  written = performance.now();
  await set.refresh();
  const appendLinesMs = performance.now() - written;
  if (set.status().rollouts !== rollouts + 20_000) throw new Error(`expected ${rollouts + 20_000} rollouts after the appends, found ${set.status().rollouts}`);
  await set.close();
  const queryRss = rss.stop();
  rmSync(appendShard, { force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  return { rollouts, MiB: Math.round(bytes / MiB), firstRowsMs, indexMs, scanMs, reopenMs, filterMs, sortMs, chartsMs, openMs, appendShardMs, appendLinesMs, indexRss, queryRss };
}

/** Each figure, how it is shown, and its goal (a figure without one is informative). */
const FIGURES: Array<{ name: string; value: (f: Figures) => number; unit: string; goal?: { text: string; met: (v: number) => boolean } }> = [
  { name: 'rollouts', value: (f) => f.rollouts, unit: '' },
  { name: 'shard bytes', value: (f) => f.MiB, unit: 'MiB' },
  { name: 'first rows after opening', value: (f) => f.firstRowsMs / 1000, unit: 's', goal: { text: '< 2 s', met: (v) => v < 2 } },
  { name: 'full index', value: (f) => f.indexMs / 1000, unit: 's' },
  { name: 'index rollouts/s', value: (f) => Math.round(f.rollouts / (f.indexMs / 1000)), unit: '/s' },
  { name: 'DuckDB read_json scan', value: (f) => f.scanMs / 1000, unit: 's' },
  { name: 'index speed / read_json speed', value: (f) => f.scanMs / f.indexMs, unit: '', goal: { text: '>= 0.5', met: (v) => v >= 0.5 } },
  { name: 'reopen from cache', value: (f) => f.reopenMs, unit: 'ms' },
  { name: 'filter', value: (f) => f.filterMs, unit: 'ms', goal: { text: '< 1000 ms', met: (v) => v < 1000 } },
  { name: 'filter + sort', value: (f) => f.sortMs, unit: 'ms', goal: { text: '< 1000 ms', met: (v) => v < 1000 } },
  { name: 'charts', value: (f) => f.chartsMs, unit: 'ms' },
  { name: 'open one rollout', value: (f) => f.openMs, unit: 'ms', goal: { text: '< 200 ms', met: (v) => v < 200 } },
  { name: 'append 10k (new shard)', value: (f) => f.appendShardMs / 1000, unit: 's', goal: { text: '< 2 s', met: (v) => v < 2 } },
  { name: 'append 10k (lines)', value: (f) => f.appendLinesMs / 1000, unit: 's', goal: { text: '< 2 s', met: (v) => v < 2 } },
  { name: 'peak RSS indexing', value: (f) => Math.round(f.indexRss / MiB), unit: 'MiB', goal: { text: '< 1024 MiB', met: (v) => v < 1024 } },
  { name: 'peak RSS querying', value: (f) => Math.round(f.queryRss / MiB), unit: 'MiB', goal: { text: '< 1024 MiB', met: (v) => v < 1024 } },
];

const show = (v: number): string => (Number.isInteger(v) ? String(v) : v >= 100 ? String(Math.round(v)) : v.toFixed(v >= 10 ? 1 : 2));

const sizes = (process.env.ROLLOUT_SET_SIZES ?? '10000,100000,300000').split(',').map(Number);
const results: Figures[] = [];
for (const size of sizes) {
  const figures = await measure(size);
  results.push(figures);
  process.stderr.write(`${JSON.stringify(figures)}\n`);
}
console.table(
  FIGURES.map(({ name, value, unit, goal }) => ({
    figure: `${name}${unit ? ` (${unit})` : ''}`,
    ...Object.fromEntries(results.map((f) => {
      const v = value(f);
      return [`${f.rollouts}`, `${show(v)}${goal ? (goal.met(v) ? ' ok' : ' MISSED') : ''}`];
    })),
    goal: goal?.text ?? '',
  })),
);
