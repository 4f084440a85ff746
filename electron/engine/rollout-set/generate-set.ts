import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from './shard-reader.js';

/**
 * Generated rollout sets for tests and the bench: messages-JSONL lines of RL rollouts (a task, a few
 * tool-calling turns, some failing, a reward, a group id and a training step), written as plain,
 * gzip and zstd JSONL and Parquet shards. Deterministic per (shard, line).
 */

const TOOLS = ['terminal', 'read_file', 'search'];

/** A deterministic pseudo-random number in [0, 1) for (a, b, c). */
function noise(a: number, b: number, c: number): number {
  let h = (a * 374761393 + b * 668265263 + c * 2147483647) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** What the generator puts into rollout `index` of shard `shard`: the facts its row should show. */
export interface GeneratedRollout {
  id: string;
  model: string;
  /** Assistant turns: one per tool call, plus the final answer when finished. */
  turns: number;
  /** Each tool call's tool, in order, and whether its result is an error. */
  calls: Array<{ tool: string; failed: boolean }>;
  finished: boolean;
  reward: number;
  groupId: string;
  step: number;
  firstUser: string;
}

/** The rollout the generator writes at (shard, index), as facts (see {@link rolloutLine}). */
export function generatedRollout(shard: number, index: number, padding = 0): GeneratedRollout {
  const r = (k: number): number => noise(shard + 1, index + 1, k);
  const toolTurns = 1 + Math.floor(r(1) * 5);
  const calls = Array.from({ length: toolTurns }, (_, t) => ({ tool: TOOLS[Math.floor(r(10 + t) * TOOLS.length)]!, failed: r(20 + t) < 0.2 }));
  const finished = r(2) < 0.8;
  return {
    id: `s${shard}-r${index}`,
    model: `policy-${shard % 2}`,
    turns: toolTurns + (finished ? 1 : 0),
    calls,
    finished,
    reward: Math.round(r(3) * 100) / 100,
    groupId: `g${shard}-${Math.floor(index / 4)}`,
    step: shard * 10 + Math.floor(index / 50),
    firstUser: `Task ${shard}-${index}: fix the failing test in module ${index % 17}.${padding > 0 ? ` ${'context '.repeat(Math.ceil(padding / 8)).slice(0, padding)}` : ''}`,
  };
}

/** One rollout line: tool turns then a final answer (or cut: not finished), errors where the generator says. */
export function rolloutLine(shard: number, index: number, padding = 0): string {
  const g = generatedRollout(shard, index, padding);
  const messages: unknown[] = [
    { role: 'system', content: 'You are a coding agent.' },
    { role: 'user', content: g.firstUser },
  ];
  for (const [t, { tool, failed }] of g.calls.entries()) {
    const id = `c${t}`;
    messages.push({ role: 'assistant', content: `Step ${t}`, tool_calls: [{ id, type: 'function', function: { name: tool, arguments: JSON.stringify(tool === 'terminal' ? { command: 'pytest -x' } : { path: `src/m${t}.py` }) } }] });
    messages.push({ role: 'tool', tool_call_id: id, content: failed ? JSON.stringify({ error: `${tool} failed: exit status 1` }) : `ok ${t}` });
  }
  if (g.finished) messages.push({ role: 'assistant', content: 'Done: the test passes.' });
  return JSON.stringify({ id: g.id, model: g.model, messages, reward: g.reward, group_id: g.groupId, step: g.step });
}

/** Writes lines `from..from+count` of shard `shard` to a plain JSONL file (appending when `append`). */
export async function writeJsonlShard(path: string, shard: number, count: number, options: { from?: number; append?: boolean; padding?: number } = {}): Promise<void> {
  const out = createWriteStream(path, { flags: options.append ? 'a' : 'w' });
  const from = options.from ?? 0;
  for (let i = from; i < from + count; i++) if (!out.write(`${rolloutLine(shard, i, options.padding)}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** The text of `count` lines of shard `shard`. */
export function shardText(shard: number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `${rolloutLine(shard, i)}\n`;
  return text;
}

/** Writes a gzip JSONL shard. */
export async function writeGzipShard(path: string, shard: number, count: number): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path, gzipSync(shardText(shard, count)));
}

/** Converts a plain JSONL shard to zstd JSONL and to Parquet with DuckDB's writers (`to` paths; either may be null). */
export async function convertShard(jsonl: string, to: { zst?: string; parquet?: string }): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = `read_json(${sqlString(jsonl)}, format = 'newline_delimited', maximum_object_size = 100000000)`;
    if (to.zst) await connection.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(to.zst)} (FORMAT json, COMPRESSION zstd)`);
    if (to.parquet) await connection.run(`COPY (SELECT * FROM ${source}) TO ${sqlString(to.parquet)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A folder of `shards` plain JSONL shards of `perShard` rollouts each; returns their paths. */
export async function writeJsonlSet(folder: string, shards: number, perShard: number, padding = 0): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const paths: string[] = [];
  for (let s = 0; s < shards; s++) {
    const path = join(folder, `shard-${String(s).padStart(5, '0')}.jsonl`);
    await writeJsonlShard(path, s, perShard, { padding });
    paths.push(path);
  }
  return paths;
}
