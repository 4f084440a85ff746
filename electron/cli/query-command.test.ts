import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGzipShard, writeJsonlShard } from '../engine/rollout-set/generate-set.js';
import { main } from './main.js';
import { queryCommand } from './query-command.js';

let dir: string;
let set: string;
let cacheDir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-query-'));
  set = join(dir, 'set');
  cacheDir = join(dir, 'cache');
  mkdirSync(set);
  await writeJsonlShard(join(set, 'a.jsonl'), 0, 40);
  await writeGzipShard(join(set, 'b.jsonl.gz'), 1, 20);
  writeFileSync(join(set, 'c.jsonl'), '{"messages": [}\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await queryCommand([...args, '--cache-dir', cacheDir], (line) => err.push(line), (text) => out.push(text));
  return { code, stdout: out.join(''), stderr: err.join('\n') };
}

describe('trajdbg query', () => {
  it('prints the rows a filter keeps as a table, in the order asked, and names bad shards and lines', async () => {
    const { code, stdout, stderr } = await query(set, '--where', 'tool_errors > 0 AND reward < 0.5', '--columns', 'id,reward,tool_errors', '--order-by', 'reward', '--limit', '3');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+reward\s+tool_errors$/);
    expect(lines).toHaveLength(4);
    const rewards = lines.slice(1).map((l) => Number(l.split(/\s+/)[1]));
    expect(rewards).toEqual([...rewards].sort((a, b) => a - b));
    expect(stderr).toMatch(/unreadable: .*c\.jsonl: not a known trajectory format|c\.jsonl: 1 bad line/);
    expect(stderr).toMatch(/3 of \d+ matching rollouts \(60 in the set\)/);
  });

  it('writes JSONL and Parquet with the same columns and filter', async () => {
    const jsonl = await query(set, '--where', "source LIKE '%.gz'", '--columns', 'id,turns', '--format', 'jsonl', '--limit', '0');
    const rows = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; turns: number });
    expect(rows).toHaveLength(20);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'turns']);
    const out = join(dir, 'rows.parquet');
    expect((await query(set, '--where', "source LIKE '%.gz'", '--columns', 'id,turns', '--format', 'parquet', '--out', out, '--limit', '0')).code).toBe(0);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const read = await connection.runAndReadAll(`SELECT id, turns FROM read_parquet('${out}')`);
    expect(read.getRowObjectsJS().map((r) => ({ id: r.id, turns: Number(r.turns) }))).toEqual(rows);
    connection.closeSync();
    instance.closeSync();
  });

  it('exits 2 with DuckDB\'s message for a bad filter, and with the column list for an unknown column', async () => {
    const lines: string[] = [];
    expect(await main(['query', set, '--where', 'rewrd < 1', '--cache-dir', cacheDir], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/trajdbg query: --where: .*rewrd/);
    lines.length = 0;
    expect(await main(['query', set, '--columns', 'id,nope', '--cache-dir', cacheDir], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/--columns: no column 'nope'; the columns are rid, id/);
  });
});
