import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as PoolModule from './index-worker-pool.js';
import type * as LibraryModule from './trajectory-library.js';
import type { OpenedFileStatus, TrajectoryLibrary } from './trajectory-library.js';
import { corpusPath } from '../../testing/corpus.js';

// The app runs the compiled worker; these run that same file, from out/, through the compiled library.
const compiled = new URL('../../../out/electron/engine/library/', import.meta.url);
const built = ['index-worker.js', 'index-worker-pool.js', 'trajectory-library.js'].every((name) => existsSync(fileURLToPath(new URL(name, compiled))));
const hermes = corpusPath('hermes-agent_session_export.jsonl');
const skipped = (title: string): string => (built ? title : `${title} (skipped: out/ is not built; npm test builds it first)`);

async function load(): Promise<{ TrajectoryLibrary: typeof LibraryModule.TrajectoryLibrary; IndexWorkerPool: typeof PoolModule.IndexWorkerPool }> {
  const library = (await import(new URL('trajectory-library.js', compiled).href)) as typeof LibraryModule;
  const pool = (await import(new URL('index-worker-pool.js', compiled).href)) as typeof PoolModule;
  return { TrajectoryLibrary: library.TrajectoryLibrary, IndexWorkerPool: pool.IndexWorkerPool };
}

function settled(library: TrajectoryLibrary, fileId: string): Promise<OpenedFileStatus> {
  return new Promise((done) => {
    const check = (s: OpenedFileStatus): void => {
      if (s.fileId === fileId && s.state !== 'indexing') done(s);
    };
    library.onChange(check);
    check(library.status(fileId));
  });
}

describe('the compiled index worker', () => {
  it.skipIf(!built)(skipped('indexes, rereads and searches the hermes export in a worker thread from out/'), async () => {
    const { TrajectoryLibrary } = await load();
    const library = new TrajectoryLibrary();
    try {
      const { fileId } = library.open(hermes);
      const status = await settled(library, fileId);
      expect(status).toMatchObject({ state: 'done', format: 'hermes-session-jsonl', trajectories: 19, problemCount: 0, error: null });
      // messages[0] is the session's system prompt.
      expect((await library.trajectory(fileId, 1)).messages[2]!.tool_calls![0]!.function.name).toBe('clarify');
      expect(await library.search(fileId, 'IT WORKS!')).toContain(1);
    } finally {
      await library.dispose();
    }
  });

  it.skipIf(!built)(skipped('keeps one warm thread for requests that follow each other, and cancels mid-file, ending that thread'), async () => {
    const { TrajectoryLibrary, IndexWorkerPool } = await load();
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-worker-'));
    const pool = new IndexWorkerPool();
    const library = new TrajectoryLibrary({ spawnIndexer: (request) => pool.spawn({ ...request, chunkBytes: 64 * 1024 }) });
    try {
      const first = library.open(hermes);
      await settled(library, first.fileId);
      expect(await library.search(first.fileId, 'clarify')).not.toEqual([]);
      expect(pool.threads).toBe(1);

      const total = 3000;
      const line = (i: number): string => JSON.stringify({ messages: [{ role: 'user', content: `task ${i}` }, { role: 'assistant', content: 'r'.repeat(2000) }] });
      const path = join(dir, 'long.jsonl');
      writeFileSync(path, Array.from({ length: total }, (_, i) => line(i)).join('\n'));
      const { fileId } = library.open(path);
      await new Promise<void>((done) => {
        library.onChange((s) => {
          if (s.fileId === fileId && s.trajectories > 0 && s.state === 'indexing') {
            library.cancel(fileId);
            done();
          }
        });
      });
      expect(pool.threads).toBe(1);
      const status = library.status(fileId);
      expect(status.state).toBe('cancelled');
      expect(status.trajectories).toBeLessThan(total);
      expect(library.rows(fileId, 0, 1)[0]!.preview).toBe('task 0');
      // The cancelled read's thread is ended rather than kept idle, which gives its heap back.
      await expect.poll(() => pool.threads).toBe(0);
    } finally {
      await library.dispose();
      await pool.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(pool.threads).toBe(0);
  });

  it.skipIf(!built)(skipped('warms threads that have loaded the importers, and a request then uses one of them'), async () => {
    const { TrajectoryLibrary, IndexWorkerPool } = await load();
    const pool = new IndexWorkerPool({ keepIdle: 2 });
    const library = new TrajectoryLibrary({ spawnIndexer: (request) => pool.spawn(request) });
    try {
      await pool.warm(2);
      expect(pool.threads).toBe(2);
      const { fileId } = library.open(hermes);
      expect(await settled(library, fileId)).toMatchObject({ state: 'done', trajectories: 19 });
      expect(pool.threads).toBe(2);
    } finally {
      await library.dispose();
      await pool.dispose();
    }
    expect(pool.threads).toBe(0);
  });
});
