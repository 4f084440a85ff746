import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importBytes, importLine } from '#shared/formats/import.js';
import { summarizeTrajectory } from '#shared/formats/summary.js';
import type { IndexerMessage, IndexerRequest } from './indexer.js';
import { spawnInProcessIndexer, TrajectoryLibrary, type IndexerHandle, type OpenedFileStatus, type SpawnIndexer } from './trajectory-library.js';
import { CORPUS_DIR, corpusPath } from '../../testing/corpus.js';

const HERMES = 'hermes-agent_session_export.jsonl';
const MINI = 'mini-swe-agent_github_issue.traj.json';

let dir: string;
let library: TrajectoryLibrary;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-library-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await library?.dispose();
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A messages-JSONL line: a user task and one tool-calling turn whose result says `result`. */
function line(task: string, result = 'ok', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...extra,
    messages: [
      { role: 'user', content: task },
      { role: 'assistant', content: 'looking', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path: 'src/a.py' }) } }] },
      { role: 'tool', tool_call_id: 'c1', content: result },
      { role: 'assistant', content: 'done' },
    ],
  });
}

/** Resolves with the status once a file is no longer indexing. */
function settled(lib: TrajectoryLibrary, fileId: string): Promise<OpenedFileStatus> {
  return new Promise((done) => {
    const check = (status: OpenedFileStatus): void => {
      if (status.fileId === fileId && status.state !== 'indexing') {
        stop();
        done(status);
      }
    };
    const stop = lib.onChange(check);
    check(lib.status(fileId));
  });
}

async function openAndIndex(path: string, spawnIndexer: SpawnIndexer = spawnInProcessIndexer): Promise<{ status: OpenedFileStatus; fileId: string }> {
  library = new TrajectoryLibrary({ spawnIndexer });
  const { fileId } = library.open(path);
  return { status: await settled(library, fileId), fileId };
}

describe('opening the corpus', () => {
  it('indexes the hermes-agent session export: 19 sessions, rows as summarizeTrajectory makes them', async () => {
    const path = corpusPath(HERMES);
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', format: 'hermes-session-jsonl', trajectories: 19, problemCount: 0, error: null, name: HERMES, path });
    expect(status.bytesRead).toBe(status.size);
    expect(status.size).toBe(readFileSync(path).length);
    const direct = importBytes(readFileSync(path), path).trajectories;
    expect(library.rows(fileId, 0, 100)).toEqual(direct.map((t, i) => summarizeTrajectory(t, i)));
    expect(library.rows(fileId, 1, 1)[0]).toMatchObject({ index: 1, turns: 2, toolCalls: 1, toolNames: ['clarify'] });
  });

  it('indexes the mini-swe-agent list of messages as one trajectory of 10 turns and keeps it', async () => {
    const { status, fileId } = await openAndIndex(corpusPath(MINI));
    expect(status).toMatchObject({ state: 'done', trajectories: 1 });
    expect(status.format).not.toBeNull();
    expect(library.rows(fileId, 0, 10)).toHaveLength(1);
    expect(library.rows(fileId, 0, 10)[0]!.turns).toBe(10);
    const direct = importBytes(readFileSync(corpusPath(MINI)), corpusPath(MINI)).trajectories[0]!;
    expect(await library.trajectory(fileId, 0)).toEqual(direct);
  });

  // Importers for the other formats are being added: each file either opens with the count a
  // direct import gives, or fails with the importer's message, which names the file.
  for (const name of readdirSync(CORPUS_DIR).filter((n) => n !== 'README.md')) {
    it(`opens ${name} as a direct import does`, async () => {
      const path = corpusPath(name);
      let expected: number | string;
      try {
        expected = importBytes(readFileSync(path), path).trajectories.length;
      } catch (error) {
        expected = (error as Error).message;
      }
      const { status } = await openAndIndex(path);
      if (typeof expected === 'number') {
        expect(status).toMatchObject({ state: 'done', trajectories: expected, error: null });
      } else {
        expect(status.state).toBe('failed');
        expect(status.error).toBe(expected);
        expect(status.error).toContain(path);
      }
    });
  }
});

describe('JSONL files with problems', () => {
  it('indexes the good lines and lists each bad one with its line number', async () => {
    const path = write('mixed.jsonl', [line('first'), '{"messages": [', line('second'), '{"scores": [1]}', '', line('third'), 'not json at all'].join('\n') + '\n');
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 3, problemCount: 3 });
    expect(status.problems).toHaveLength(3);
    expect(status.problems[0]).toMatch(new RegExp(`^${escape(path)}:2: not valid JSON`));
    expect(status.problems[1]).toMatch(new RegExp(`^${escape(path)}:4: `));
    expect(status.problems[2]).toMatch(new RegExp(`^${escape(path)}:7: not valid JSON`));
    expect(library.rows(fileId, 0, 10).map((r) => [r.index, r.preview])).toEqual([
      [0, 'first'],
      [1, 'second'],
      [2, 'third'],
    ]);
    expect((await library.trajectory(fileId, 2)).messages[0]!.content).toBe('third');
  });

  it('keeps the first 100 problems and counts the rest', async () => {
    const path = write('many-bad.jsonl', [line('good'), ...Array.from({ length: 150 }, () => '{')].join('\n'));
    const { status } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 1, problemCount: 150 });
    expect(status.problems).toHaveLength(100);
    expect(status.problems[99]).toContain(':101:');
  });

  it('indexes the whole lines of a file whose last line is cut, and names the cut line', async () => {
    const cut = line('fourth').slice(0, 40);
    const path = write('cut.jsonl', [line('first'), line('second'), line('third'), cut].join('\n'));
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 3, problemCount: 1 });
    expect(status.problems[0]).toMatch(new RegExp(`^${escape(path)}:4: not valid JSON`));
    expect((await library.trajectory(fileId, 2)).messages[0]!.content).toBe('third');
  });

  it('indexes a one-line file without a trailing newline', async () => {
    const path = write('one.jsonl', line('only', 'ok', { id: 'run-1' }));
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 1, problemCount: 0, bytesRead: status.size });
    const t = await library.trajectory(fileId, 0);
    expect(t.id).toBe('run-1');
    expect(t).toEqual((importLine('messages-jsonl', line('only', 'ok', { id: 'run-1' }), path, 1, 0) as { trajectories: unknown[] }).trajectories[0]);
  });

  it('indexes CRLF lines and rereads each trajectory from its byte range', async () => {
    const lines = [line('alpha'), line('beta', 'x'.repeat(5000)), line('gamma')];
    const path = write('crlf.jsonl', `\uFEFF${lines.join('\r\n')}\r\n`);
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 3, problemCount: 0 });
    for (let i = 0; i < 3; i++) {
      const direct = importLine('messages-jsonl', lines[i]!, path, i + 1, i) as { trajectories: unknown[] };
      expect(await library.trajectory(fileId, i)).toEqual(direct.trajectories[0]);
    }
  });
});

describe('files that do not open', () => {
  it('fails a file of no known format, naming it, with no format', async () => {
    const path = write('notes.txt', 'hello, this is not a trajectory\n');
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'failed', format: null, trajectories: 0 });
    expect(status.error).toContain(path);
    expect(status.error).toContain('not a known trajectory format');
    await expect(library.trajectory(fileId, 0)).rejects.toThrow(/notes\.txt has no trajectory 0: it has 0/);
  });

  it('fails a JSONL file of which no line imports, naming it and the first bad line', async () => {
    const path = write('all-bad.jsonl', '{"messages": 1}\n{"messages": 2}\n');
    const { status } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'failed', format: 'messages-jsonl', trajectories: 0, problemCount: 2 });
    expect(status.error).toMatch(new RegExp(`^${escape(path)} \\(looked like JSONL of objects with messages\\): no line could be imported; first: ${escape(path)}:1: `));
  });

  it('fails a missing file, naming it', async () => {
    const path = join(dir, 'missing.jsonl');
    const { status } = await openAndIndex(path);
    expect(status.state).toBe('failed');
    expect(status.error).toBe(`${path}: cannot read it (no such file)`);
  });

  it('refuses a FIFO and a device at once, saying what they are', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO with no writer used to wait forever.
    expect((await openAndIndex(fifo)).status).toMatchObject({ state: 'failed', error: `${fifo}: not a regular file: a FIFO` });
    await library.dispose();
    // /dev/zero never ends: it used to be read until memory ran out.
    expect((await openAndIndex('/dev/zero')).status).toMatchObject({ state: 'failed', error: '/dev/zero: not a regular file: a character device' });
  });
});

describe('the library', () => {
  it('returns the same file for a path opened twice, throws for unknown ids and relative paths', async () => {
    library = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer, maxOpenFiles: 2 });
    const a = library.open(corpusPath(HERMES));
    expect(library.open(corpusPath(HERMES)).fileId).toBe(a.fileId);
    expect(a).toMatchObject({ state: 'indexing', name: HERMES, trajectories: 0 });
    expect(() => library.status('no-such-id')).toThrow(/no-such-id/);
    expect(() => library.rows('no-such-id', 0, 1)).toThrow(/no-such-id/);
    expect(() => library.open('relative/file.jsonl')).toThrow(/absolute path.*relative\/file\.jsonl/);
    library.open(corpusPath(MINI));
    expect(() => library.open(join(dir, 'third.jsonl'))).toThrow(/2 files are open already/);
    expect(library.list().map((s) => s.name)).toEqual([HERMES, MINI]);
    await settled(library, a.fileId);
    expect(library.rows(a.fileId, 17, 10).map((r) => r.index)).toEqual([17, 18]);
    await expect(library.trajectory(a.fileId, 19)).rejects.toThrow(`${HERMES} has no trajectory 19: it has 19`);
    library.close(a.fileId);
    expect(() => library.status(a.fileId)).toThrow(a.fileId);
    expect(library.list()).toHaveLength(1);
  });

  it('rereads trajectory i exactly as a direct import of its line', async () => {
    const path = corpusPath(HERMES);
    const { fileId } = await openAndIndex(path);
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const i of [0, 1, 7, 13, 18]) {
      const direct = importLine('hermes-session-jsonl', lines[i]!, path, i + 1, i) as { trajectories: unknown[] };
      expect(await library.trajectory(fileId, i)).toEqual(direct.trajectories[0]);
    }
  });

  it('reads rows on after lines are appended; names a file rewritten since it was opened instead of misreading it', async () => {
    const path = join(dir, 'growing.jsonl');
    writeFileSync(path, `${line('task 1')}\n${line('task 2')}\n`);
    const { fileId } = await openAndIndex(path);
    // A run still writing its log appends: the rows indexed are the same bytes.
    appendFileSync(path, `${line('task 3')}\n`);
    expect((await library.trajectory(fileId, 1)).messages[0]!.content).toBe('task 2');
    // Rewritten in place: row 0's bytes now hold another trajectory, row 1's are not a line any more.
    writeFileSync(path, `${line('other')}\n${line('a task of quite another length than before')}\n`);
    await expect(library.trajectory(fileId, 0)).rejects.toThrow(`${path}: the file was written to since it was opened: line 1 no longer holds row 0 (growing:1, "task 1") but growing:1, "other"; close it and open it again`);
    await expect(library.trajectory(fileId, 1)).rejects.toThrow(`${path}: the file was written to since it was opened, so row 1 cannot be read back; close it and open it again`);
    rmSync(path);
    await expect(library.trajectory(fileId, 1)).rejects.toThrow(`${path}: the file was removed since it was opened, so row 1 cannot be read back; close it and open it again`);
  });

  it('tells listeners the final state and the rows', async () => {
    library = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer });
    const seen: OpenedFileStatus[] = [];
    library.onChange((status) => seen.push(status));
    const { fileId } = library.open(corpusPath(HERMES));
    await settled(library, fileId);
    expect(seen.at(-1)).toMatchObject({ fileId, state: 'done', trajectories: 19 });
    expect(seen.filter((s) => s.state === 'done')).toHaveLength(1);
    const counts = seen.map((s) => s.trajectories);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('cancels mid-file: reading stops, the rows read so far stay', async () => {
    const total = 3000;
    const path = write('long.jsonl', Array.from({ length: total }, (_, i) => line(`task ${i}`, 'r'.repeat(2000))).join('\n'));
    const finals: IndexerMessage[] = [];
    const spawn: SpawnIndexer = (request: IndexerRequest): IndexerHandle => {
      const handle = spawnInProcessIndexer({ ...request, chunkBytes: 64 * 1024 });
      return {
        ...handle,
        onMessage: (listener) =>
          handle.onMessage((message) => {
            if (message.type === 'done' || message.type === 'cancelled' || message.type === 'failed') finals.push(message);
            listener(message);
          }),
      };
    };
    library = new TrajectoryLibrary({ spawnIndexer: spawn });
    const { fileId } = library.open(path);
    await new Promise<void>((done) => {
      const stop = library.onChange((status) => {
        if (status.trajectories > 0) {
          stop();
          library.cancel(fileId);
          done();
        }
      });
    });
    expect(library.status(fileId).state).toBe('cancelled');
    await expect.poll(() => finals.length).toBe(1);
    expect(finals[0]!.type).toBe('cancelled');
    const status = library.status(fileId);
    expect(status.state).toBe('cancelled');
    expect(status.trajectories).toBeGreaterThan(0);
    expect(status.trajectories).toBeLessThan(total);
    expect(status.bytesRead).toBeLessThan(status.size);
    expect(library.rows(fileId, 0, 1)[0]!.preview).toBe('task 0');
  });
});

describe('a JSONL file indexed in parts side by side', () => {
  const lines = [
    line('first', 'ok', { id: 'a' }),
    '{"messages": [',
    line('second'),
    '',
    JSON.stringify({ messages: [[{ role: 'user', content: 'rollout zero' }], [{ role: 'user', content: 'rollout one' }]] }),
    line('long', 'z'.repeat(3000)),
    line('third'),
    'nope',
    line('fourth'),
    line('fifth'),
  ];

  async function index(parallelism: number): Promise<{ lib: TrajectoryLibrary; fileId: string; status: OpenedFileStatus }> {
    const lib = new TrajectoryLibrary({ spawnIndexer: (request) => spawnInProcessIndexer({ ...request, chunkBytes: 97 }), parallelism, minPartBytes: 1 });
    const { fileId } = lib.open(join(dir, 'parts.jsonl'));
    return { lib, fileId, status: await settled(lib, fileId) };
  }

  it('gives the rows, problems and trajectories of reading it whole', async () => {
    write('parts.jsonl', `${lines.join('\r\n')}\r\n`);
    const whole = await index(1);
    const parts = [];
    try {
      for (const parallelism of [2, 3, 7]) parts.push(await index(parallelism));
      expect(whole.status).toMatchObject({ state: 'done', trajectories: 8, problemCount: 2 });
      for (const { lib, fileId, status } of parts) {
        expect({ ...status, fileId: '', elapsedMs: 0 }).toEqual({ ...whole.status, fileId: '', elapsedMs: 0 });
        expect(lib.rows(fileId, 0, 100)).toEqual(whole.lib.rows(whole.fileId, 0, 100));
        for (let i = 0; i < 8; i++) expect(await lib.trajectory(fileId, i)).toEqual(await whole.lib.trajectory(whole.fileId, i));
        expect(await lib.search(fileId, 'ROLLOUT')).toEqual([2, 3]);
      }
      expect(whole.lib.rows(whole.fileId, 0, 100).map((r) => r.preview)).toEqual(['first', 'second', 'rollout zero', 'rollout one', 'long', 'third', 'fourth', 'fifth']);
    } finally {
      await whole.lib.dispose();
      for (const { lib } of parts) await lib.dispose();
    }
  });

  it('reads the first record once: the later parts start when part 0 told the format, and are given it', async () => {
    // A long first record (an RL line with its tokens), then ordinary lines.
    const first = JSON.stringify({ messages: [{ role: 'user', content: 'first' }], tokens: Array.from({ length: 2000 }, (_, i) => i) });
    write('told.jsonl', [first, ...Array.from({ length: 6 }, (_, i) => line(`row ${i}`))].join('\n') + '\n');
    const requests: IndexerRequest[] = [];
    const opened: number[] = [];
    library = new TrajectoryLibrary({
      spawnIndexer: (request) => {
        requests.push(request);
        const handle = spawnInProcessIndexer({ ...request, chunkBytes: 97 });
        const partZero = request.task === 'index' && request.part?.index === 0;
        return {
          ...handle,
          // How many indexers had been started when part 0 told the format.
          onMessage: (listener) =>
            handle.onMessage((message) => {
              if (partZero && message.type === 'opened') opened.push(requests.length);
              listener(message);
            }),
        };
      },
      parallelism: 3,
      minPartBytes: 1,
    });
    const { fileId } = library.open(join(dir, 'told.jsonl'));
    expect(await settled(library, fileId)).toMatchObject({ state: 'done', trajectories: 7, problemCount: 0 });
    const parts = requests.filter((r) => r.task === 'index');
    expect(parts.map((r) => r.part?.index)).toEqual([0, 1, 2]);
    // Only part 0 was running when it told the format; the others were started with it.
    expect(opened[0]).toBe(1);
    expect(parts[0]).not.toHaveProperty('format');
    expect(parts.slice(1).map((r) => r.format)).toEqual([library.status(fileId).format, library.status(fileId).format]);
  });

  it('reads a single document once, whatever the parts', async () => {
    library = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer, parallelism: 4, minPartBytes: 1 });
    const { fileId } = library.open(corpusPath(MINI));
    expect(await settled(library, fileId)).toMatchObject({ state: 'done', trajectories: 1 });
    expect(library.rows(fileId, 0, 10)[0]!.turns).toBe(10);
  });
});

describe('an Inspect .eval log', () => {
  const EVAL = 'inspect-ai_log_streaming.eval';

  it('is indexed a sample at a time, in parts side by side, and keeps no sample: each is read again', async () => {
    const path = join(dir, 'log.eval');
    writeFileSync(path, readFileSync(corpusPath(EVAL)));
    const direct = importBytes(readFileSync(path), path).trajectories;
    for (const parallelism of [1, 2, 3]) {
      const lib = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer, parallelism, minPartBytes: 1 });
      try {
        const { fileId } = lib.open(path);
        expect(await settled(lib, fileId)).toMatchObject({ state: 'done', format: 'inspect-eval', trajectories: 4, problemCount: 0 });
        expect(lib.rows(fileId, 0, 10)).toEqual(direct.map((t, i) => summarizeTrajectory(t, i)));
        for (let i = 0; i < 4; i++) expect(await lib.trajectory(fileId, i)).toEqual(direct[i]);
        const needle = direct[2]!.messages[2]!.content as string;
        expect(await lib.search(fileId, needle)).toEqual(direct.flatMap((t, i) => (JSON.stringify(t.messages).includes(needle) ? [i] : [])));
      } finally {
        await lib.dispose();
      }
    }
    // Kept samples would still open from a file that is gone.
    const { fileId } = await openAndIndex(path);
    rmSync(path);
    await expect(library.trajectory(fileId, 1)).rejects.toThrow(path);
  });

  it('is split by what its samples inflate to, not by its deflated size', async () => {
    const size = readFileSync(corpusPath(EVAL)).length;
    const parts: number[] = [];
    library = new TrajectoryLibrary({
      spawnIndexer: (request) => {
        parts.push(request.task === 'index' ? (request.part?.of ?? 1) : 0);
        return spawnInProcessIndexer(request);
      },
      parallelism: 2,
      minPartBytes: 2 * size,
    });
    expect(await settled(library, library.open(corpusPath(EVAL)).fileId)).toMatchObject({ state: 'done', trajectories: 4 });
    expect(parts).toEqual([2, 2]);
    // A JSONL file as large is one part.
    const jsonl = write('as-large.jsonl', `${line('x', 'y'.repeat(size))}\n`);
    parts.length = 0;
    await settled(library, library.open(jsonl).fileId);
    expect(parts).toEqual([1]);
  });

  it('fails as the whole import does when no sample of any part can be read', async () => {
    const path = join(dir, 'unreadable.eval');
    const files = unzipSync(readFileSync(corpusPath(EVAL)));
    const broken = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, name.startsWith('samples/') ? strToU8('{"id": 1}') : data]));
    writeFileSync(path, zipSync(broken));
    library = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer, parallelism: 2, minPartBytes: 1 });
    const { fileId } = library.open(path);
    const status = await settled(library, fileId);
    expect(status).toMatchObject({ state: 'failed', trajectories: 0, problemCount: 4 });
    expect(status.error).toContain(`${path} (looked like an Inspect AI .eval zip): no sample could be read; first: ${path}: samples/1_epoch_1.json: `);
  });
});

describe('search', () => {
  it('finds the trajectories whose messages contain a text, ignoring case, and not JSON keys', async () => {
    const path = write(
      'search.jsonl',
      [
        line('fix the parser', 'Traceback: ValueError in Parser.load'),
        '{broken',
        line('update docs', 'ok'),
        line('rename things', 'no match here'),
        // Written with JSON escapes: café and a slash, as Python's json.dumps writes them.
        '{"messages": [{"role": "user", "content": "caf\\u00e9 \\/ menu"}, {"role": "assistant", "content": "VALUEERROR seen"}]}',
        // One line holding a group of two rollouts: rows 4 and 5.
        JSON.stringify({ messages: [[{ role: 'user', content: 'first rollout' }], [{ role: 'user', content: 'second rollout mentions valueerror' }]] }),
      ].join('\n'),
    );
    const { status, fileId } = await openAndIndex(path);
    expect(status).toMatchObject({ state: 'done', trajectories: 6, problemCount: 1 });
    expect(await library.search(fileId, 'valueError')).toEqual([0, 3, 5]);
    expect(await library.search(fileId, 'CAFÉ')).toEqual([3]);
    expect(await library.search(fileId, 'é / m')).toEqual([3]);
    expect(await library.search(fileId, 'rollout')).toEqual([4, 5]);
    expect(await library.search(fileId, 'tool_call_id')).toEqual([]);
    expect(await library.search(fileId, 'read_file')).toEqual([0, 1, 2]);
    expect(await library.search(fileId, '"path":"src/a.py"')).toEqual([0, 1, 2]);
    expect(await library.search(fileId, 'nowhere to be found')).toEqual([]);
    expect((await library.trajectory(fileId, 4)).messages[0]!.content).toBe('first rollout');
    expect((await library.trajectory(fileId, 5)).messages[0]!.content).toBe('second rollout mentions valueerror');
    expect((await library.trajectory(fileId, 5)).source.index).toBe(5);
  });

  it('searches the corpus export and a kept document', async () => {
    const { fileId } = await openAndIndex(corpusPath(HERMES));
    expect(await library.search(fileId, 'IT WORKS!')).toContain(1);
    await library.dispose();
    const mini = await openAndIndex(corpusPath(MINI));
    expect(await library.search(mini.fileId, 'github issue: SYNTAXERROR')).toEqual([0]);
    expect(await library.search(mini.fileId, 'zzz-not-there')).toEqual([]);
  });

  it('waits for indexing to end before searching', async () => {
    library = new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer });
    const { fileId } = library.open(corpusPath(HERMES));
    const found = await library.search(fileId, 'clarify');
    expect(library.status(fileId).state).toBe('done');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((i) => i >= 0 && i < 19)).toBe(true);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
