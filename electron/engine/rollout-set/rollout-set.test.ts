import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLOUT_COLUMN_NAMES } from '#shared/formats/rollout-row.js';
import { RolloutSet, SetQueryError } from './rollout-set.js';
import type { ShardIndexPool } from './shard-index-pool.js';
import { convertShard, generatedRollout, rolloutLine, writeGzipShard, writeJsonlShard } from './generate-set.js';
import { sqlString } from './shard-reader.js';
import { globRegExp, resolveShards } from './shards.js';

let dir: string;
let shards: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-set-'));
  shards = join(dir, 'set');
  mkdirSync(shards);
  await writeJsonlShard(join(dir, 'c.src'), 2, 20);
  await writeJsonlShard(join(shards, 'a.jsonl'), 0, 50);
  await writeGzipShard(join(shards, 'b.jsonl.gz'), 1, 30);
  await convertShard(join(dir, 'c.src'), { zst: join(shards, 'c.jsonl.zst'), parquet: join(shards, 'd.parquet') });
  writeFileSync(join(shards, 'e.jsonl'), `${rolloutLine(5, 0)}\n{"messages": [\nnot json\n${rolloutLine(5, 3)}\n`);
  writeFileSync(join(shards, 'f.jsonl'), '{"hello": 1}\n');
  writeFileSync(join(shards, 'notes.txt'), 'not a shard');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cache = (name: string): string => join(dir, `cache-${name}`);

// The app indexes on the compiled worker threads; from the TypeScript source units run in-process.
const compiled = new URL('../../../out/electron/engine/rollout-set/', import.meta.url);
const built = ['rollout-set.js', 'shard-index-worker.js', 'shards.js'].every((name) => existsSync(fileURLToPath(new URL(name, compiled))));
const asRoot = process.getuid?.() === 0;

/** Every column of every row of a set over `sources`, with its shards' counts and problems. */
async function tableOf(open: typeof RolloutSet.open, sources: string[], name: string, options: { threads?: number; partBytes?: number } = {}) {
  const set = await open(sources, { cacheDir: cache(name), ...options });
  await set.refresh();
  const rows = (await set.query({ columns: [...ROLLOUT_COLUMN_NAMES], limit: 1000 })).rows;
  const tools = await set.charts();
  const status = set.status();
  await set.close();
  return { rows, tools: tools.tools, shards: status.shards.map(({ path, rollouts, badLines, problems, format, error }) => ({ path, rollouts, badLines, problems, format, error })) };
}

describe('a rollout set', () => {
  it('indexes plain, gzip, zstd and Parquet shards as one table; unreadable shards and bad lines are listed', async () => {
    const set = await RolloutSet.open([shards], { cacheDir: cache('all') });
    await set.refresh();
    const status = set.status();
    expect(status.rollouts).toBe(50 + 30 + 20 + 20 + 2);
    expect(status.shards.map((s) => [s.kind, s.rollouts])).toEqual([
      ['jsonl', 50],
      ['jsonl.gz', 30],
      ['jsonl.zst', 20],
      ['parquet', 20],
      ['jsonl', 2],
      ['jsonl', 0],
    ]);
    const e = status.shards.find((s) => s.path.endsWith('e.jsonl'))!;
    expect(e.badLines).toBe(2);
    expect(e.problems[0]).toMatch(/e\.jsonl:2: not valid JSON/);
    expect(status.unreadable).toEqual([expect.stringMatching(/f\.jsonl: not a known trajectory format/)]);
    expect(status.badLines).toBe(2);
    await set.close();
  });

  it('names what is wrong with a shard that is not what its name says, in one line, and opens the rest', async () => {
    const folder = join(dir, 'garbled');
    mkdirSync(folder);
    const noise = Buffer.from(Array.from({ length: 3000 }, (_, k) => (k * 7919) % 251));
    writeFileSync(join(folder, 'a.jsonl.gz'), noise);
    writeFileSync(join(folder, 'b.jsonl.zst'), noise);
    writeFileSync(join(folder, 'c.parquet'), noise);
    writeFileSync(join(folder, 'd.parquet'), '');
    await writeJsonlShard(join(folder, 'e.jsonl'), 43, 3);
    // A Parquet file of another shape: its first row is described as a row.
    writeFileSync(join(dir, 'numbers.jsonl'), '{"a": 1, "b": "x"}\n');
    await convertShard(join(dir, 'numbers.jsonl'), { parquet: join(folder, 'f.parquet') });
    const set = await RolloutSet.open([folder], { cacheDir: cache('garbled') });
    await set.refresh();
    const status = set.status();
    expect(status.rollouts).toBe(3);
    expect(status.unreadable).toEqual([
      `${join(folder, 'a.jsonl.gz')}: cannot read it (not valid gzip data: incorrect header check)`,
      `${join(folder, 'b.jsonl.zst')}: cannot read it (invalid zstd data)`,
      expect.stringMatching(/c\.parquet: cannot read it \(Invalid Input Error: .*'\)$/),
      expect.stringMatching(/d\.parquet: cannot read it \(Invalid Input Error: .*too small to be a Parquet file\)$/),
      `${join(folder, 'f.parquet')}: not a known trajectory format: its first row (an object with keys a, b) has none of messages or conversations`,
    ]);
    expect(status.unreadable.every((problem) => !problem.includes('\n'))).toBe(true);
    await set.close();
  });

  it('gives the same rows, lines, offsets and bad lines whether shards are read whole or in parts side by side', async () => {
    const whole = await tableOf(RolloutSet.open.bind(RolloutSet), [shards], 'whole', { threads: 1 });
    const parts = await tableOf(RolloutSet.open.bind(RolloutSet), [shards], 'parts', { threads: 3, partBytes: 2_000 });
    expect(whole.rows).toHaveLength(122);
    expect(parts).toEqual(whole);
  });

  it.skipIf(!built)(`gives the same table from worker threads (compiled, from out/)${built ? '' : ' (skipped: out/ is not built; run npm run build)'}`, async () => {
    const module = (await import(new URL('rollout-set.js', compiled).href)) as { RolloutSet: typeof RolloutSet };
    const inProcess = await tableOf(RolloutSet.open.bind(RolloutSet), [shards], 'in-process', { threads: 1 });
    const threads = await tableOf(module.RolloutSet.open.bind(module.RolloutSet), [shards], 'threads', { threads: 2, partBytes: 2_000 });
    expect(threads).toEqual(inProcess);
  }, 60_000);

  it.skipIf(!built)(`starts a thread ahead of the first unit, which then runs on it (compiled, from out/)${built ? '' : ' (skipped: out/ is not built; run npm run build)'}`, async () => {
    const module = (await import(new URL('shard-index-pool.js', compiled).href)) as { ShardIndexPool: typeof ShardIndexPool };
    const pool = new module.ShardIndexPool({ threads: 1 });
    try {
      pool.warm();
      expect(pool.started).toBe(1);
      const spillDir = mkdtempSync(join(dir, 'spill-'));
      const run = pool.run({ id: 0, path: join(shards, 'a.jsonl'), kind: 'jsonl', start: 0, end: Infinity, lineAt: 0, lineNumber: 1, format: null, complete: true, spillDir });
      let message = await run.next();
      while (message.type !== 'done') message = await run.next();
      expect(message.error).toBeNull();
      expect(pool.started).toBe(1);
    } finally {
      await pool.dispose();
    }
  }, 60_000);

  it('never reaches the network from a filter: no extension is installed or loaded on demand', async () => {
    const set = await RolloutSet.open([join(shards, 'a.jsonl')], { cacheDir: cache('offline') });
    await set.refresh();
    await expect(set.query({ where: "(SELECT count(*) FROM read_json('https://example.com/rollouts.json')) > 0", limit: 1 })).rejects.toThrow(/requires the extension httpfs/);
    await set.close();
  });

  it('filters on JSON paths into each record, whose bulky fields are left out of the record column', async () => {
    const path = join(dir, 'meta.jsonl');
    const rollout = (difficulty: string, score: number) =>
      JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], metadata: { difficulty, score }, tokens: Array.from({ length: 1000 }, (_, i) => i) });
    writeFileSync(path, `${rollout('easy', 1)}\n${rollout('hard', 0.25)}\n${rollout('hard', 0.75)}\n`);
    const set = await RolloutSet.open([path], { cacheDir: cache('meta') });
    await set.refresh();
    const hard = await set.query({ where: "record->>'$.metadata.difficulty' = 'hard' AND (record->'$.metadata.score')::DOUBLE > 0.5", columns: ['line', 'record'] });
    expect(hard.rows.map((r) => r.line)).toEqual([3]);
    const record = JSON.parse(hard.rows[0]!.record!);
    expect(record.metadata).toEqual({ difficulty: 'hard', score: 0.75 });
    expect(record).not.toHaveProperty('tokens');
    // Asked for no columns, a query leaves the record out.
    expect((await set.query({ limit: 1 })).rows[0]).not.toHaveProperty('record');
    await set.close();
  });

  it('indexes rollouts that call no tool (an empty tool list is still a typed list)', async () => {
    const plain = join(dir, 'no-tools.jsonl');
    const chat = (answer: string) => JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: answer }] });
    writeFileSync(plain, `${chat('one')}\n${chat('two')}\n`);
    const set = await RolloutSet.open([plain], { cacheDir: cache('no-tools') });
    await set.refresh();
    expect(set.status()).toMatchObject({ rollouts: 2, unreadable: [] });
    const { rows } = await set.query({ limit: 10 });
    expect(rows.map((r) => [r.turns, r.tool_calls, r.tool_names])).toEqual([
      [1, 0, []],
      [1, 0, []],
    ]);
    await set.close();
  });

  it('indexes a rollout whose text holds a lone surrogate (an emoji cut in half), and reads it back exactly', async () => {
    // What Python's json.dumps writes for a string cut between the two halves of an emoji.
    const plain = join(dir, 'lone-surrogate.jsonl');
    const line = (id: string, text: string) => `{"id": "${id}", "messages": [{"role": "user", "content": "${text}"}, {"role": "assistant", "content": "ok", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "t\\ud83d", "arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c", "content": "{\\"error\\": \\"no\\"}"}]}`;
    writeFileSync(plain, `${line('cut\\ud83d', 'Smile \\ud83d')}\n${line('whole', 'Smile \\ud83d\\ude00')}\n`);
    const set = await RolloutSet.open([plain], { cacheDir: cache('lone-surrogate') });
    await set.refresh();
    expect(set.status()).toMatchObject({ rollouts: 2, unreadable: [], error: null });
    const { rows } = await set.query({ limit: 10 });
    // The table shows the half as the replacement character; the rollout itself is read from its line.
    expect(rows.map((r) => [r.id, r.first_user, r.tool_names, r.tool_errors_by_tool])).toEqual([
      ['cut\ufffd', 'Smile \ufffd', ['t\ufffd'], '{"t\ufffd":1}'],
      ['whole', 'Smile \ud83d\ude00', ['t\ufffd'], '{"t\ufffd":1}'],
    ]);
    const { trajectory } = await set.rollout(rows[0]!.rid!);
    expect(trajectory.messages[0]!.content).toBe('Smile \ud83d');
    await set.close();
  });

  it('names a shard rewritten in place since it was indexed instead of showing another rollout as the row', async () => {
    const plain = join(dir, 'rewritten.jsonl');
    const chat = (id: string, question: string) => JSON.stringify({ id, messages: [{ role: 'user', content: question }, { role: 'assistant', content: 'ok' }] });
    writeFileSync(plain, `${chat('r0', 'first question')}\n${chat('r1', 'other question')}\n`);
    const set = await RolloutSet.open([plain], { cacheDir: cache('rewritten') });
    await set.refresh();
    const { rows } = await set.query({ limit: 10 });
    expect((await set.rollout(rows[1]!.rid!)).trajectory.id).toBe('r1');
    // Lines of the same lengths: the bytes indexed now hold other rollouts, which parse.
    writeFileSync(plain, `${chat('r5', 'fresh question')}\n${chat('r6', 'fresh question')}\n`);
    const changed = `${plain}:1: the shard was written to since it was indexed: the line holds r5, not the rollout listed (r0); refresh the set`;
    await expect(set.rollout(rows[0]!.rid!)).rejects.toThrow(changed);
    // An export reads the same bytes back: it stops there rather than writing r5 as r0.
    const exported: string[] = [];
    await expect((async () => {
      for await (const { trajectory } of set.rollouts()) exported.push(trajectory.id);
    })()).rejects.toThrow(changed);
    expect(exported).toEqual([]);
    // The same preview under another id is another rollout too.
    writeFileSync(plain, `${chat('r0', 'first question')}\n${chat('r7', 'other question')}\n`);
    await expect(set.rollout(rows[1]!.rid!)).rejects.toThrow(`${plain}:2: the shard was written to since it was indexed: the line holds r7, not the rollout listed (r1); refresh the set`);
    await set.close();
  });

  it('computes each row with the importers\' rules: the turns, tool calls, errors and outcome the generator wrote', async () => {
    const set = await RolloutSet.open([join(shards, 'a.jsonl')], { cacheDir: cache('rules') });
    await set.refresh();
    const { rows } = await set.query({ limit: 50 });
    expect(rows).toHaveLength(50);
    for (const [i, row] of rows.entries()) {
      const g = generatedRollout(0, i);
      const errorsByTool: Record<string, number> = {};
      for (const call of g.calls) if (call.failed) errorsByTool[call.tool] = (errorsByTool[call.tool] ?? 0) + 1;
      expect(row).toMatchObject({
        id: g.id,
        model: g.model,
        turns: g.turns,
        tool_calls: g.calls.length,
        tool_errors: g.calls.filter((c) => c.failed).length,
        tool_names: [...new Set(g.calls.map((c) => c.tool))],
        finished: g.finished,
        reward: g.reward,
        group_id: g.groupId,
        step: g.step,
        first_user: g.firstUser,
        line: i + 1,
      });
      expect(JSON.parse(row.tool_errors_by_tool!)).toEqual(errorsByTool);
    }
    await set.close();
  });

  it('filters, sorts, searches and charts with SQL; a bad filter is DuckDB\'s message', async () => {
    const set = await RolloutSet.open([shards], { cacheDir: cache('query') });
    await set.refresh();
    const { rows, total } = await set.query({ where: 'tool_errors > 0 AND reward < 0.5', orderBy: 'reward', descending: true, columns: ['id', 'reward', 'tool_errors'], limit: 5 });
    expect(total).toBeGreaterThan(5);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.tool_errors! > 0 && r.reward! < 0.5)).toBe(true);
    expect(rows.map((r) => r.reward)).toEqual([...rows.map((r) => r.reward!)].sort((a, b) => b - a));
    expect(Object.keys(rows[0]!)).toEqual(['id', 'reward', 'tool_errors']);
    expect((await set.query({ search: 'task 1-2' })).rows.map((r) => r.id)).toContain('s1-r2');
    await expect(set.query({ where: 'nonsense_col > 1' })).rejects.toThrow(/nonsense_col/);
    await expect(set.query({ where: '1=1); DROP TABLE rollouts; SELECT (1' })).rejects.toThrow(SetQueryError);
    expect((await set.query({})).total).toBe(122);
    const charts = await set.charts({ where: "source NOT LIKE '%e.jsonl'" });
    expect(charts.total).toBe(120);
    expect(charts.reward.reduce((n, b) => n + b.count, 0)).toBe(120);
    expect(charts.turns.reduce((n, b) => n + b.count, 0)).toBe(120);
    expect(charts.tools.map((t) => t.tool).sort()).toEqual(['read_file', 'search', 'terminal']);
    expect(charts.tools.reduce((n, t) => n + t.errors, 0)).toBe(Number((await set.query({ where: "source NOT LIKE '%e.jsonl'", columns: ['tool_errors'], limit: 1000 })).rows.reduce((n, r) => n + r.tool_errors!, 0)));
    expect(charts.steps.map((s) => s.from)).toEqual([0, 10, 20]);
    await set.close();
  });

  it('reads one rollout back from its line, its compressed line or its Parquet row', async () => {
    const set = await RolloutSet.open([shards], { cacheDir: cache('read') });
    await set.refresh();
    for (const suffix of ['a.jsonl', 'b.jsonl.gz', 'c.jsonl.zst', 'd.parquet']) {
      const { rows } = await set.query({ where: `source LIKE '%${suffix}' AND line = 4` });
      const shard = suffix === 'a.jsonl' ? 0 : suffix === 'b.jsonl.gz' ? 1 : 2;
      const expected = `s${shard}-r${suffix === 'd.parquet' ? 4 : 3}`;
      const { trajectory } = await set.rollout(rows[0]!.rid!);
      expect(trajectory.id).toBe(expected);
      expect(trajectory.messages[1]!.content).toMatch(/^Task /);
    }
    await set.close();
  });

  it('reads a Parquet shard that keeps nested fields as JSON text (ART\'s trajectories)', async () => {
    // ART's layout: one row per rollout, its messages a list of structs whose `tool_calls` is the
    // JSON text of the calls, and metrics, metadata and tools as JSON text.
    const folder = join(dir, 'art');
    mkdirSync(folder);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const text = (value: string | null) => (value === null ? 'NULL::VARCHAR' : sqlString(value));
    const message = (role: string, content: string | null, calls: string | null, callId: string | null) =>
      `{'role': ${text(role)}, 'content': ${text(content)}, 'tool_calls': ${text(calls)}, 'tool_call_id': ${text(callId)}, 'trainable': ${role === 'assistant'}}`;
    const messages = [
      message('user', 'Find the invoice.', null, null),
      message('assistant', null, '[{"id": "call_1", "function": {"arguments": "{\\"query\\": \\"invoice\\"}", "name": "search_emails"}, "type": "function"}]', null),
      message('tool', '[]', null, 'call_1'),
      message('assistant', 'None found.', null, null),
    ];
    try {
      await connection.run(`COPY (SELECT group_index, reward, '{"correct": 0.5}' AS metrics, NULL::VARCHAR AS metadata, NULL::VARCHAR AS tools, ['ok'] AS logs, NULL::VARCHAR AS additional_histories, [${messages.join(', ')}] AS messages
        FROM (VALUES (0::BIGINT, 0.5::DOUBLE), (0::BIGINT, 1.0::DOUBLE)) t(group_index, reward)) TO ${sqlString(join(folder, '0004.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const set = await RolloutSet.open([folder], { cacheDir: cache('art') });
    expect(await set.refresh()).toBe(2);
    const { rows } = await set.query({ columns: ['rid', 'turns', 'tool_calls', 'reward', 'finished'] });
    expect(rows.map(({ turns, tool_calls, reward, finished }) => ({ turns, tool_calls, reward, finished }))).toEqual([
      { turns: 2, tool_calls: 1, reward: 0.5, finished: true },
      { turns: 2, tool_calls: 1, reward: 1, finished: true },
    ]);
    const { trajectory } = await set.rollout(rows[1]!.rid!);
    expect(trajectory.messages[1]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'search_emails', arguments: '{"query": "invoice"}' } }]);
    expect(trajectory.group).toMatchObject({ id: 'group 0', size: null, score: 1 });
    expect(trajectory.evaluation).toEqual({ scores: [{ scorer: 'correct', value: 0.5 }] });
    await set.close();
  });

  it('reopens from its cache without reading a shard, and indexes appended lines and new shards only', async () => {
    const folder = join(dir, 'growing');
    mkdirSync(folder);
    const path = join(folder, 'live.jsonl');
    await writeJsonlShard(path, 7, 10);
    appendFileSync(path, rolloutLine(7, 10).slice(0, 40)); // a line being written
    let set = await RolloutSet.open([folder], { cacheDir: cache('grow') });
    expect(await set.refresh()).toBe(10);
    await set.close();
    set = await RolloutSet.open([folder], { cacheDir: cache('grow') });
    expect(set.status().rollouts).toBe(10);
    expect(await set.refresh()).toBe(0);
    appendFileSync(path, `${rolloutLine(7, 10).slice(40)}\n`);
    await writeJsonlShard(path, 7, 5, { from: 11, append: true });
    await writeJsonlShard(join(folder, 'next.jsonl'), 8, 3);
    expect(await set.refresh()).toBe(6 + 3);
    const ids = (await set.query({ where: "source LIKE '%live.jsonl'", limit: 100 })).rows.map((r) => r.id);
    expect(ids).toEqual(Array.from({ length: 16 }, (_, i) => `s7-r${i}`));
    // A shard rewritten in place (not grown) is read again.
    await writeJsonlShard(join(folder, 'next.jsonl'), 9, 2);
    const later = new Date(statSync(path).mtimeMs + 5_000);
    utimesSync(join(folder, 'next.jsonl'), later, later);
    await set.refresh();
    expect((await set.query({ where: "source LIKE '%next.jsonl'" })).rows.map((r) => r.id)).toEqual(['s9-r0', 's9-r1']);
    expect(set.status().rollouts).toBe(18);
    await set.close();
  });

  it('goes on after a close midway from where indexing stopped, with no rollout missing or twice', async () => {
    const folder = join(dir, 'stopped');
    mkdirSync(folder);
    await writeJsonlShard(join(folder, 'big.jsonl'), 11, 3000);
    let set = await RolloutSet.open([folder], { cacheDir: cache('stop') });
    const firstRows = new Promise<void>((done) => set.onStatus((s) => s.rollouts > 0 && done()));
    const indexing = set.refresh();
    await firstRows;
    await set.close();
    await indexing;
    set = await RolloutSet.open([folder], { cacheDir: cache('stop') });
    await set.refresh();
    expect(set.status().rollouts).toBe(3000);
    const { rows } = await set.query({ columns: ['id', 'line'], limit: 5000 });
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 3000 }, (_, i) => `s11-r${i}`));
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    await set.close();
  });

  it.each([1, 2])('says why loading failed, and gives its %i thread(s) back: the next refresh indexes every rollout once', async (threads) => {
    const folder = join(dir, `failing-${threads}`);
    mkdirSync(folder);
    for (let k = 0; k < 4; k++) await writeJsonlShard(join(folder, `s${k}.jsonl`), 20 + k, 200);
    // Two threads split each shard in parts, told its format first: the failed shard is read on from where it stopped.
    const set = await RolloutSet.open([folder], { cacheDir: cache(`failing-${threads}`), threads, partBytes: 20_000 });
    const internals = set as unknown as { loadChunk: (...args: unknown[]) => Promise<void> };
    const loadChunk = internals.loadChunk.bind(set);
    let loads = 0;
    internals.loadChunk = async (...args) => {
      if (++loads === 2) throw new Error('No space left on device');
      return loadChunk(...args);
    };
    await expect(set.refresh()).rejects.toThrow('No space left on device');
    expect(set.status().shards.find((shard) => shard.error)?.error).toBe('cannot add its rows to the index (No space left on device)');
    expect(set.status().error).toBe('No space left on device');
    internals.loadChunk = loadChunk;
    await set.refresh();
    expect(set.status().error).toBeNull();
    expect(set.status().rollouts).toBe(800);
    const { rows } = await set.query({ columns: ['id'], limit: 1000 });
    expect(new Set(rows.map((r) => r.id)).size).toBe(800);
    await set.close();
  }, 30_000);

  it.skipIf(!built)(`goes on after the process is killed midway, with no rollout missing or twice (compiled, from out/)${built ? '' : ' (skipped: out/ is not built; run npm run build)'}`, async () => {
    const folder = join(dir, 'killed');
    mkdirSync(folder);
    for (let k = 0; k < 3; k++) await writeJsonlShard(join(folder, `s${k}.jsonl`), 30 + k, 2000);
    const script = `
      const { RolloutSet } = await import(${JSON.stringify(new URL('rollout-set.js', compiled).href)});
      const set = await RolloutSet.open([${JSON.stringify(folder)}], { cacheDir: ${JSON.stringify(cache('killed'))}, threads: 1 });
      set.onStatus((s) => s.rollouts > 100 && process.stdout.write('rows\\n'));
      await set.refresh();
      process.stdout.write('done\\n');`;
    // A file, not --eval: worker threads inherit the process's flags.
    const file = join(dir, 'index-then-die.mjs');
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const said = await new Promise<string>((resolve) => child.stdout.on('data', (data: Buffer) => resolve(data.toString())));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(said).toBe('rows\n');
    const set = await RolloutSet.open([folder], { cacheDir: cache('killed') });
    expect(set.status().rollouts).toBeGreaterThan(100);
    expect(set.status().rollouts).toBeLessThan(6000);
    await set.refresh();
    const { rows } = await set.query({ columns: ['id'], limit: 10_000 });
    expect(rows).toHaveLength(6000);
    expect(new Set(rows.map((r) => r.id)).size).toBe(6000);
    await set.close();
  }, 60_000);

  it('does not walk a folder of kernel state (a proc file system mounted inside the set)', async (context) => {
    const folder = join(dir, 'with-proc');
    const proc = join(folder, 'proc');
    mkdirSync(proc, { recursive: true });
    await writeJsonlShard(join(folder, 'runs.jsonl'), 50, 3);
    try {
      execFileSync('mount', ['-t', 'proc', 'proc', proc], { stdio: 'pipe' });
    } catch (error) {
      context.skip(`a proc file system cannot be mounted here (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); this test needs root`);
    }
    try {
      // Walked, it gave a problem for each folder of /proc that not even root may list.
      expect(await resolveShards([folder])).toEqual({ shards: [expect.objectContaining({ path: join(folder, 'runs.jsonl') })], problems: [] });
    } finally {
      execFileSync('umount', [proc]);
    }
  });

  it('resolves folders, globs and files, naming sources that hold no shard', async () => {
    expect(globRegExp('/a/**/*.jsonl').test('/a/b/c/x.jsonl')).toBe(true);
    expect(globRegExp('/a/*.jsonl').test('/a/b/x.jsonl')).toBe(false);
    const resolved = await resolveShards([join(shards, '*.jsonl*'), join(shards, 'd.parquet'), join(dir, 'missing'), join(shards, 'notes.txt')]);
    expect(resolved.shards.map((s) => s.path.slice(shards.length + 1))).toEqual(['a.jsonl', 'b.jsonl.gz', 'c.jsonl.zst', 'd.parquet', 'e.jsonl', 'f.jsonl']);
    expect(resolved.problems).toEqual([expect.stringMatching(/missing: cannot read it \(no such file or folder\)/), expect.stringMatching(/notes\.txt: not a rollout shard/)]);
  });

  it.skipIf(asRoot && !built)(`follows linked shards, names broken links and folders it cannot read, and opens the rest${asRoot && !built ? ' (skipped: as root, the locked folder is read by the compiled code as nobody, and out/ is not built; run npm run build)' : ''}`, async () => {
    const folder = join(dir, 'linked');
    mkdirSync(join(folder, 'runs'), { recursive: true });
    mkdirSync(join(folder, 'locked'));
    mkdirSync(join(dir, 'elsewhere'));
    await writeJsonlShard(join(folder, 'runs', 'real.jsonl'), 40, 5);
    await writeJsonlShard(join(dir, 'elsewhere', 'step-9.jsonl'), 42, 5);
    symlinkSync(join(folder, 'runs', 'real.jsonl'), join(folder, 'latest.jsonl'));
    symlinkSync(join(dir, 'elsewhere', 'step-9.jsonl'), join(folder, 'step-9.jsonl'));
    symlinkSync(join(folder, 'gone.jsonl'), join(folder, 'broken.jsonl'));
    // A link to a folder is not walked (links could loop).
    symlinkSync(join(folder, 'runs'), join(folder, 'again'));
    await writeJsonlShard(join(folder, 'locked', 'hidden.jsonl'), 41, 5);
    chmodSync(join(folder, 'locked'), 0o000);
    // Root reads any folder: as root, the folders are resolved by the compiled code in a process
    // of an unprivileged user (nobody), for whom the locked folder is locked.
    const resolveAsUser = async (): Promise<Awaited<ReturnType<typeof resolveShards>>> => {
      if (!asRoot) return resolveShards([folder]);
      // The compiled walk is copied beside the set: the checkout may lie where nobody cannot read.
      chmodSync(dir, 0o755);
      const code = join(dir, 'as-nobody');
      mkdirSync(join(code, 'rollout-set'), { recursive: true });
      mkdirSync(join(code, 'library'));
      copyFileSync(fileURLToPath(new URL('shards.js', compiled)), join(code, 'rollout-set', 'shards.js'));
      copyFileSync(fileURLToPath(new URL('../library/read-error.js', compiled)), join(code, 'library', 'read-error.js'));
      writeFileSync(join(code, 'package.json'), '{"type": "module"}');
      const script = join(code, 'resolve.mjs');
      writeFileSync(script, `const { resolveShards } = await import('./rollout-set/shards.js');\nprocess.stdout.write(JSON.stringify(await resolveShards([${JSON.stringify(folder)}])));\n`);
      const child = spawn(process.execPath, [script], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (data: Buffer) => (out += data.toString()));
      const exit = await new Promise((resolve) => child.on('exit', resolve));
      expect(exit).toBe(0);
      return JSON.parse(out) as Awaited<ReturnType<typeof resolveShards>>;
    };
    try {
      const resolved = await resolveAsUser();
      // The link and its target are one shard, listed once, by the path met first.
      expect(resolved.shards.map((s) => s.path.slice(folder.length + 1))).toEqual(['latest.jsonl', 'step-9.jsonl']);
      expect(resolved.problems).toEqual([expect.stringMatching(/broken\.jsonl: cannot read it \(no such file or folder\)$/), expect.stringMatching(/locked: cannot read it \(permission denied\)$/)]);
    } finally {
      chmodSync(join(folder, 'locked'), 0o755);
    }
  });
});
