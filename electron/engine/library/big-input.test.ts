import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FormatError, importLine } from '#shared/formats/import.js';
import { spawnInProcessIndexer, TrajectoryLibrary, type OpenedFileStatus } from './trajectory-library.js';
import { MAX_LINE_BYTES, streamTrajectories, type StreamOptions } from './trajectory-stream.js';

/**
 * Big and hostile files given to the reader: each ends with the good lines read, the bad ones
 * reported by line number, or one clear error naming the file; never a crash, a hang or memory
 * that grows with the file. The multi-gigabyte cases are gated (see BIG below).
 */

let dir: string;
let library: TrajectoryLibrary | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-big-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await library?.dispose();
  library = undefined;
});

/** A messages-JSONL line whose user message says `task`. */
const good = (task: string): string => JSON.stringify({ messages: [{ role: 'user', content: task }, { role: 'assistant', content: 'done' }] });

/** What a stream yields, in order: `line N` for a trajectory, the problem text for a skipped line. */
async function itemsOf(path: string, options: StreamOptions = {}): Promise<string[]> {
  const items: string[] = [];
  for await (const item of streamTrajectories(path, options)) items.push(item.kind === 'trajectory' ? `line ${item.line}` : item.problem);
  return items;
}

/** Opens a file in a library (indexers in-process) and waits until indexing ends. */
async function openInLibrary(path: string, options: { parallelism?: number } = {}): Promise<{ lib: TrajectoryLibrary; fileId: string; status: OpenedFileStatus }> {
  const lib = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer, ...options });
  library = lib;
  const { fileId } = lib.open(path);
  const status = await new Promise<OpenedFileStatus>((done) => {
    const check = (s: OpenedFileStatus): void => {
      if (s.fileId === fileId && s.state !== 'indexing') {
        stop();
        done(s);
      }
    };
    const stop = lib.onChange(check);
    check(lib.status(fileId));
  });
  return { lib, fileId, status };
}

/** The trajectory a direct import of `text`, as line `line` of `path`, gives. */
function direct(text: string, path: string, line: number, index: number) {
  const imported = importLine('messages-jsonl', text, path, line, index);
  if ('problem' in imported) throw new Error(imported.problem);
  return imported.trajectories[0];
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('invalid UTF-8 in the middle of a JSONL line', () => {
  // Each bad line is valid JSON but for its bytes: a cut sequence, an overlong "/", an encoded
  // surrogate, a stray 0xFF.
  const BAD = [
    [0xe2, 0x82, 0x41],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xff],
  ];
  const bad = (bytes: number[]): Buffer => Buffer.concat([Buffer.from('{"messages": [{"role": "user", "content": "abc'), Buffer.from(bytes), Buffer.from('def"}]}')]);
  const goods = ['one', 'two', 'three', 'four', 'five'].map(good);

  function write(): string {
    const path = join(dir, 'bad-utf8-mid-line.jsonl');
    const parts: Buffer[] = [];
    goods.forEach((line, i) => {
      parts.push(Buffer.from(`${line}\n`));
      if (BAD[i]) parts.push(bad(BAD[i]!), Buffer.from('\n'));
    });
    writeFileSync(path, Buffer.concat(parts));
    return path;
  }

  it('reports each such line by number and reads the others, whatever the chunk edges', async () => {
    const path = write();
    const expected = ['line 1', `${path}:2: not UTF-8 text`, 'line 3', `${path}:4: not UTF-8 text`, 'line 5', `${path}:6: not UTF-8 text`, 'line 7', `${path}:8: not UTF-8 text`, 'line 9'];
    for (const chunkBytes of [1, 3, 64, 1 << 20]) expect(await itemsOf(path, { chunkBytes })).toEqual(expected);
  });

  it('opens in the library with the bad lines listed, and every good line opens', async () => {
    const path = write();
    const { lib, fileId, status } = await openInLibrary(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 5, problemCount: 4, error: null });
    expect(status.problems).toEqual([2, 4, 6, 8].map((n) => `${path}:${n}: not UTF-8 text`));
    for (const [i, line] of goods.entries()) expect(await lib.trajectory(fileId, i)).toEqual(direct(line, path, 2 * i + 1, i));
  });
});

describe('a file of 100,000 empty lines', () => {
  const EMPTY = '\n'.repeat(100_000);

  it('fails to open with one clear error naming the file, not 100,000 problems', async () => {
    const path = join(dir, 'empty-lines.jsonl');
    writeFileSync(path, EMPTY);
    await expect(itemsOf(path)).rejects.toThrow(new FormatError(`${path}: not a known trajectory format: it is empty`));
    const { status } = await openInLibrary(path);
    expect(status).toMatchObject({ state: 'failed', trajectories: 0, problemCount: 0, error: `${path}: not a known trajectory format: it is empty` });
  });

  it('between two good lines: both open, with their line numbers, and the empty lines are not problems', async () => {
    const path = join(dir, 'good-empty-good.jsonl');
    writeFileSync(path, `${good('first')}\n${EMPTY}${good('last')}\n`);
    expect(await itemsOf(path)).toEqual(['line 1', 'line 100002']);
    const { lib, fileId, status } = await openInLibrary(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 2, problemCount: 0 });
    expect(await lib.trajectory(fileId, 1)).toEqual(direct(good('last'), path, 100_002, 1));
  });

  // The format is told from the first record, however many empty lines come before it.
  it('before the first good line: the file still opens', async () => {
    const path = join(dir, 'empty-then-good.jsonl');
    writeFileSync(path, `${EMPTY}${good('late')}\n`);
    expect(await itemsOf(path)).toEqual(['line 100001']);
  });
});

describe('a single document that is one "[" repeated 10 million times', () => {
  it('is refused with a clear error naming the file, with no crash', async () => {
    const path = join(dir, 'brackets.json');
    writeFileSync(path, '['.repeat(10_000_000));
    // Refused from its characters, before JSON.parse would build ten million arrays.
    const error = `${path}: at line 1, column 100001: nested deeper than 1000 levels`;
    await expect(itemsOf(path)).rejects.toThrow(new FormatError(error));
    const { status } = await openInLibrary(path);
    expect(status).toMatchObject({ state: 'failed', trajectories: 0, error });
  }, 60_000);

  it('closed by as many "]": refused as nested too deep', async () => {
    const path = join(dir, 'nested.json');
    writeFileSync(path, '['.repeat(10_000_000) + ']'.repeat(10_000_000));
    await expect(itemsOf(path)).rejects.toThrow(new RegExp(`^${escape(path)}: at line 1, column 100001: nested deeper than 1000 levels$`));
  }, 60_000);

  it('as line 2 of a JSONL file: that line is reported and the others open', async () => {
    const path = join(dir, 'brackets-line.jsonl');
    writeFileSync(path, `${good('before')}\n${'['.repeat(10_000_000)}\n${good('after')}\n`);
    expect(await itemsOf(path)).toEqual(['line 1', `${path}:2: at line 1, column 100001: nested deeper than 1000 levels`, 'line 3']);
  }, 60_000);
});

// --- memory of a single document, in a worker thread with a small heap --------------------------
// The worker runs the compiled importer from out/, as the app's index worker does.

const compiled = new URL('../../../out/shared/formats/import.js', import.meta.url);
const built = existsSync(fileURLToPath(compiled));
const needsBuild = (title: string): string => (built ? title : `${title} (skipped: out/ is not built; run npm run build)`);
const SMALL_HEAP_MB = 128;

/** Imports a document of `2 * half` bytes in a worker whose heap is capped: `imported`, `refused: ...`, or the worker's error code. */
function importInSmallHeap(kind: 'plain' | 'nested', half: number): Promise<string> {
  const code = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.module).then(({ importBytes }) => {
  const { kind, half } = workerData;
  const text = kind === 'nested' ? '['.repeat(half) + ']'.repeat(half) : JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2 * half) }] });
  try {
    importBytes(Buffer.from(text), 'doc.json');
    parentPort.postMessage('imported');
  } catch (error) {
    parentPort.postMessage('refused: ' + error.message);
  }
});`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, workerData: { module: compiled.href, kind, half }, resourceLimits: { maxOldGenerationSizeMb: SMALL_HEAP_MB } });
    worker.once('message', (message: string) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', (error: NodeJS.ErrnoException) => resolve(`${error.code}: ${error.message}`));
  });
}

describe(`a 10 MB single document, imported in a worker with a ${SMALL_HEAP_MB} MB heap`, () => {
  it.skipIf(!built)(needsBuild('of one long string: imports'), async () => {
    expect(await importInSmallHeap('plain', 5_000_000)).toBe('imported');
  }, 120_000);

  // JSON.parse would build every nested array before the nesting check: a text this deep is
  // refused from its characters first, so it fits in the same heap as a plain document.
  it.skipIf(!built)(needsBuild('nested 5 million deep: refused as nested too deep, within the heap'), async () => {
    expect(await importInSmallHeap('nested', 5_000_000)).toMatch(/^refused: .*nested deeper than 1000 levels$/);
  }, 120_000);
});

// --- lines longer than MAX_LINE_BYTES -------------------------------------------------------------
// MAX_LINE_BYTES is a constant that no option of the reader lowers, so these tests write the real
// sizes (300 MB and 1 GB) and are gated.

const BIG = process.env.TRAJDBG_BIG_TESTS === '1' || process.env.FUZZ_RUNS !== undefined;
const big = (title: string): string => (BIG ? title : `${title} (skipped: writes a file of up to 1 GB to ${tmpdir()}; set TRAJDBG_BIG_TESTS=1 or FUZZ_RUNS to run it)`);
const MB = 2 ** 20;

/**
 * Writes `good 1`, a line of `lineBytes` bytes that is valid JSON (so that reading it whole
 * would try to parse it), and `good 3`, in chunks so that the file is never held in memory.
 */
function writeLongLineFile(name: string, lineBytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${good('before')}\n`);
    const head = '{"messages": "';
    const tail = '"}';
    writeSync(fd, head);
    const chunk = Buffer.alloc(16 * MB, 'x');
    let left = lineBytes - head.length - tail.length;
    while (left > 0) {
      left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left));
    }
    writeSync(fd, `${tail}\n${good('after')}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Runs `work` and returns how far the process's RSS rose above where it started, sampled as it goes. */
async function rssGrowth(work: (sample: () => void) => Promise<void>): Promise<number> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 10);
  try {
    await work(sample);
  } finally {
    clearInterval(timer);
  }
  sample();
  return peak - before;
}

describe.each([
  { name: '1 GB', bytes: 1024 * MB },
  { name: '300 MB', bytes: 300 * MB },
])('a single line of $name', ({ name, bytes }) => {
  it.skipIf(!BIG)(big(`is skipped as longer than ${MAX_LINE_BYTES / MB} MiB, reading goes on to the next line, and memory stays well under 600 MB`), async () => {
    const path = writeLongLineFile(`long-line-${name.replace(' ', '')}.jsonl`, bytes);
    const problem = `${path}:2: the line is longer than 256 MiB and was skipped`;
    let items: string[] = [];
    const growth = await rssGrowth(async (sample) => {
      items = await itemsOf(path, { onBytes: sample });
    });
    expect(items).toEqual(['line 1', problem, 'line 3']);
    expect(growth).toBeLessThan(600 * MB);

    // The library, in parts side by side: parts that start inside the long line are empty.
    for (const parallelism of [1, 4]) {
      let opened!: Awaited<ReturnType<typeof openInLibrary>>;
      const libraryGrowth = await rssGrowth(async () => {
        opened = await openInLibrary(path, { parallelism });
      });
      expect(opened.status).toMatchObject({ state: 'done', trajectories: 2, problemCount: 1, problems: [problem], error: null });
      expect(libraryGrowth).toBeLessThan(600 * MB);
      expect(await opened.lib.trajectory(opened.fileId, 1)).toEqual(direct(good('after'), path, 3, 1));
      await opened.lib.dispose();
    }
    rmSync(path);
  }, 600_000);
});
