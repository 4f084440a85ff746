import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunHandle } from '../loop/run-handle.js';
import { convertShard, shardText, writeGzipShard, writeJsonlShard } from './generate-set.js';
import { decompressed } from './shard-reader.js';
import { createSetHandlers } from './set-handlers.js';

let dir: string;
let folder: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'set-handlers-'));
  folder = join(dir, 'set');
  mkdirSync(folder);
  mkdirSync(join(dir, 'gz'));
  await writeJsonlShard(join(folder, 'a.jsonl'), 0, 30);
  await writeJsonlShard(join(dir, 'b.src'), 1, 10);
  await convertShard(join(dir, 'b.src'), { parquet: join(folder, 'b.parquet') });
  await writeGzipShard(join(dir, 'gz', 'c.jsonl.gz'), 2, 60);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the rollout set API', () => {
  it('opens a folder as a set, queries it, shows a rollout as a run and exports the filtered subset', async () => {
    const runs: RunHandle[] = [];
    const { handlers, close } = createSetHandlers({ adoptRun: (handle) => String(runs.push(handle) - 1), pollMs: 0, setOptions: { cacheDir: join(dir, 'cache') } });
    try {
      expect((await handlers['set.open']({ sources: [join(folder, 'a.jsonl')], onlyIfSet: true })).set).toBeNull();
      const { set } = await handlers['set.open']({ sources: [folder], onlyIfSet: true });
      expect(set).not.toBeNull();
      const setId = set!.setId;
      await expect.poll(async () => (await handlers['set.status']({ setId })).status.indexing, { timeout: 20_000 }).toBe(false);
      expect((await handlers['set.status']({ setId })).status.rollouts).toBe(40);
      const { rows, total } = await handlers['set.query']({ setId, where: "source LIKE '%parquet'", search: '', descending: true, orderBy: 'reward', offset: 0, limit: 5 });
      expect(total).toBe(10);
      expect(rows).toHaveLength(5);
      await expect(handlers['set.query']({ setId, where: 'reward <', search: '', descending: false, offset: 0, limit: 5 })).rejects.toThrow(/syntax error/i);
      const { runId } = await handlers['set.view']({ setId, rid: rows[0]!.rid, startPaused: false, maxContextTokens: null });
      const handle = runs[Number(runId)]!;
      const outcome = await handle.done;
      expect(outcome.result.messages[1]!.content).toMatch(/^Task 1-/);
      expect(outcome.result.turns_used).toBe(rows[0]!.turns);
      const out = join(dir, 'subset.jsonl');
      const written = await handlers['set.export']({ setId, where: 'tool_errors > 0', search: '', descending: false, format: 'openai-jsonl', path: out });
      const errors = (await handlers['set.query']({ setId, where: 'tool_errors > 0', search: '', descending: false, offset: 0, limit: 100 })).total;
      expect(written.trajectories).toBe(errors);
      expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(errors);
      await expect(handlers['set.export']({ setId, where: '', search: '', descending: false, format: 'html', path: join(dir, 'x.html') })).rejects.toThrow(/html exports one trajectory, and the filter keeps 40/);
      const charts = await handlers['set.charts']({ setId, where: '', search: '' });
      expect(charts.total).toBe(40);
    } finally {
      await close();
    }
  });

  it('exports a filtered subset of a gzip shard decompressing it once, in the set\'s order or sorted', async () => {
    const { handlers, close } = createSetHandlers({ adoptRun: () => '0', pollMs: 0, setOptions: { cacheDir: join(dir, 'cache-gz') } });
    const shardBytes = Buffer.byteLength(shardText(2, 60));
    try {
      const { set } = await handlers['set.open']({ sources: [join(dir, 'gz')], onlyIfSet: true });
      const setId = set!.setId;
      await expect.poll(async () => (await handlers['set.status']({ setId })).status.indexing, { timeout: 20_000 }).toBe(false);
      for (const sort of [{}, { orderBy: 'reward' as const }]) {
        const query = { setId, where: 'line % 3 = 0', search: '', descending: true, ...sort };
        const expected = (await handlers['set.query']({ ...query, offset: 0, limit: 100 })).rows.map((r) => r.id);
        expect(expected).toHaveLength(20);
        const before = decompressed.bytes;
        const out = join(dir, `gz-subset-${sort.orderBy ?? 'rid'}.jsonl`);
        await handlers['set.export']({ ...query, format: 'openai-jsonl', path: out });
        // One pass over the shard, not one per row (20 rows from its start would be ~10 passes).
        expect(decompressed.bytes - before).toBeLessThanOrEqual(shardBytes);
        // Each line's task names its rollout: `Task 2-N` for s2-rN.
        const tasks = readFileSync(out, 'utf8').trim().split('\n').map((line) => /Task (\d+-\d+):/.exec(line)?.[1]);
        expect(tasks.map((t) => `s${t!.replace('-', '-r')}`)).toEqual(expected);
      }
    } finally {
      await close();
    }
  });
});
