import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importBytes } from '#shared/formats/import.js';
import { atroposLine, sweAgentTraj } from '#shared/formats/test-files.js';
import { corpusPath } from '../../testing/corpus.js';
import { lineRangeOfPart, lineText, openTrajectoryStream, readLines, readTrajectoryAt, streamTrajectories, type LineRange, type RawLine, type StreamItem } from './trajectory-stream.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trajdbg-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string, chunkBytes: number): Promise<Array<{ text: string | null; start: number; end: number; line: number }>> {
  const out = [];
  for await (const raw of readLines(path, { chunkBytes }) as AsyncGenerator<RawLine>) out.push({ text: raw.bytes && lineText(raw.bytes, raw.line), start: raw.start, end: raw.end, line: raw.line });
  return out;
}

describe('readLines', () => {
  it('gives the same lines and byte ranges whatever the chunk size, across chunk edges', async () => {
    const text = '\uFEFFab\r\nλλλ cdefghijkl\n\n🙂xyz';
    const path = join(dir, 'lines.txt');
    writeFileSync(path, text);
    const bytes = Buffer.from(text);
    const second = Buffer.byteLength('λλλ cdefghijkl');
    // BOM (3 bytes) + "ab" + CR = 6, then the newline.
    const expected = [
      { text: 'ab', start: 0, end: 6, line: 1 },
      { text: 'λλλ cdefghijkl', start: 7, end: 7 + second, line: 2 },
      { text: '', start: 8 + second, end: 8 + second, line: 3 },
      { text: '🙂xyz', start: 9 + second, end: bytes.length, line: 4 },
    ];
    for (const chunkBytes of [1, 2, 3, 5, 7, 1024]) expect(await collect(path, chunkBytes)).toEqual(expected);
    // Each range holds the line's bytes (the CR stays in the range, the newline does not).
    expect(bytes.subarray(expected[0]!.start, expected[0]!.end).toString()).toBe('\uFEFFab\r');
  });

  it('reports a line that is not UTF-8 and goes on', async () => {
    const path = join(dir, 'bad-utf8.jsonl');
    const good = JSON.stringify({ messages: [{ role: 'user', content: 'fine' }] });
    writeFileSync(path, Buffer.concat([Buffer.from(`${good}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), Buffer.from(good)]));
    const items = [];
    for await (const item of streamTrajectories(path)) items.push(item.kind === 'problem' ? item.problem : item.line);
    expect(items).toEqual([1, `${path}:2: not UTF-8 text`, 3]);
  });
});

describe('UTF-16 text', () => {
  /** `text` in UTF-16 with its byte-order mark, little or big endian (as Windows PowerShell 5 writes its output). */
  const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    return order === 'le' ? le : Buffer.from(le).swap16();
  };
  const lines = [0, 1, 2].map((i) => JSON.stringify({ messages: [{ role: 'user', content: `question ${i} λ 🙂` }, { role: 'assistant', content: 'answer' }] }));

  it.each(['le', 'be'] as const)('opens a JSONL file and a JSON document in UTF-16 %s whole, as their UTF-8 would open', async (order) => {
    const jsonl = join(dir, `u16-${order}.jsonl`);
    writeFileSync(jsonl, utf16(`${lines.join('\r\n')}\r\n`, order));
    const contents = [];
    for await (const item of streamTrajectories(jsonl)) contents.push(item.kind === 'trajectory' ? item.trajectory.messages[0]!.content : item.problem);
    expect(contents).toEqual(['question 0 λ 🙂', 'question 1 λ 🙂', 'question 2 λ 🙂']);
    const document = join(dir, `u16-${order}.json`);
    writeFileSync(document, utf16(JSON.stringify([{ role: 'user', content: 'hé' }, { role: 'assistant', content: 'yo' }]), order));
    const stream = await openTrajectoryStream(document);
    const items = [];
    for await (const item of stream.items) items.push(item);
    expect(items).toMatchObject([{ kind: 'trajectory', trajectory: { messages: [{ content: 'hé' }, { content: 'yo' }] } }]);
  });

  it('refuses UTF-16 that its byte-order mark does not describe, saying why', () => {
    const odd = Buffer.concat([utf16('[]', 'le'), Buffer.from([0x41])]);
    expect(() => importBytes(odd, 'odd.json')).toThrow('odd.json: not UTF-16 LE text, as its byte-order mark says: an odd number of bytes');
    const lone = Buffer.concat([utf16('["', 'be'), Buffer.from([0xd8, 0x00, 0x00, 0x22, 0x00, 0x5d])]);
    expect(() => importBytes(lone, 'lone.json')).toThrow('lone.json: not UTF-16 BE text, as its byte-order mark says: an unpaired surrogate');
  });
});

describe('lineRangeOfPart', () => {
  it('cuts a file into parts that tile it, each starting where a line starts, with its line number', async () => {
    const path = join(dir, 'parts.txt');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 40 }), { maxLength: 30 }), fc.boolean(), fc.integer({ min: 1, max: 6 }), async (lengths, trailingNewline, of) => {
        const text = lengths.map((n, i) => String(i % 10).repeat(n)).join('\n') + (trailingNewline ? '\n' : '');
        writeFileSync(path, text);
        const size = Buffer.byteLength(text);
        const ranges: LineRange[] = [];
        for (let index = 0; index < of; index++) ranges.push(await lineRangeOfPart(path, size, index, of));
        expect(ranges[0]!.start).toBe(0);
        expect(ranges.at(-1)!.end).toBe(size);
        ranges.forEach((range, i) => {
          expect(range.end).toBeGreaterThanOrEqual(range.start);
          if (i > 0) expect(range.start).toBe(ranges[i - 1]!.end);
          expect(range.start === 0 || range.start === size || text[range.start - 1] === '\n').toBe(true);
          expect(range.firstLine).toBe(text.slice(0, range.start).split('\n').length);
        });
        // Reading the parts one after another gives the lines of the whole file.
        const whole = await collect(path, 7);
        const joined = [];
        for (const range of ranges) for await (const raw of readLines(path, { chunkBytes: 5, range })) joined.push({ text: raw.bytes && lineText(raw.bytes, raw.line), start: raw.start, end: raw.end, line: raw.line });
        expect(joined).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});

describe('format from the first record', () => {
  it('streams a one-line JSON list of messages records as one trajectory each', async () => {
    const record = (answer: string) => ({ messages: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: answer }] });
    const path = join(dir, 'records.json');
    writeFileSync(path, JSON.stringify([record('a'), record('b'), record('c')]));
    const items: StreamItem[] = [];
    for await (const item of streamTrajectories(path)) items.push(item);
    const trajectories = items.flatMap((item) => (item.kind === 'trajectory' ? [item.trajectory] : []));
    expect(trajectories.map((t) => [t.id, t.messages.at(-1)!.content])).toEqual([['records:1', 'a'], ['records:2', 'b'], ['records:3', 'c']]);
    expect(trajectories).toEqual(importBytes(readFileSync(path), path).trajectories);
  });

  it('streams a SWE-agent .traj whose history comes after 600 KB of steps', async () => {
    const path = join(dir, 'late-history.traj');
    writeFileSync(path, sweAgentTraj(30));
    const stream = await openTrajectoryStream(path);
    const items = [];
    for await (const item of stream.items) items.push(item);
    expect(items.map((i) => (i.kind === 'trajectory' ? i.trajectory.source.format : i.problem))).toEqual(['swe-agent-traj']);
  });

  it('streams atropos lines with 400 KB of tokens before messages, each line parsed once', async () => {
    const path = join(dir, 'atropos.jsonl');
    writeFileSync(path, `\n\n${atroposLine(3, 12_000)}\n${atroposLine(3, 12_000)}\n`);
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const stream = await openTrajectoryStream(path, { chunkBytes: 65536 });
      expect(stream.format).toBe('messages-jsonl');
      const items = [];
      for await (const item of stream.items) items.push(item);
      expect(items.map((i) => (i.kind === 'trajectory' ? [i.line, i.trajectory.source.index] : i.problem))).toEqual([[3, 0], [3, 1], [3, 2], [4, 3], [4, 4], [4, 5]]);
      expect(parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 300_000)).toHaveLength(2);
    } finally {
      parse.mockRestore();
    }
  });
});

describe('compressed files', () => {
  it('says a gzip or zstd file is compressed and where it opens, instead of calling it not UTF-8', async () => {
    const gz = join(dir, 'rollouts.jsonl.gz');
    writeFileSync(gz, gzipSync(`${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] })}\n`));
    await expect(openTrajectoryStream(gz)).rejects.toThrow(`${gz}: gzip-compressed: open it as a rollout set`);
    const zst = join(dir, 'rollouts.jsonl.zst');
    writeFileSync(zst, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58, 0x01, 0x00]));
    await expect(openTrajectoryStream(zst)).rejects.toThrow(`${zst}: zstd-compressed`);
  });

  it('says a Parquet file opens as a rollout set', async () => {
    const parquet = join(dir, 'step.parquet');
    // Parquet's magic number opens and ends the file.
    writeFileSync(parquet, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16), Buffer.from('PAR1')]));
    await expect(openTrajectoryStream(parquet)).rejects.toThrow(`${parquet}: a Parquet file: open it as a rollout set`);
  });
});

describe('.eval logs, a sample at a time', () => {
  const EVAL = corpusPath('inspect-ai_log_streaming.eval');
  const entries = () => unzipSync(readFileSync(EVAL));

  async function items(path: string, part?: { index: number; of: number }) {
    const out: StreamItem[] = [];
    for await (const item of (await openTrajectoryStream(path, part ? { part } : {})).items) out.push(item);
    return out;
  }
  const trajectoriesOf = (list: StreamItem[]) => list.flatMap((i) => (i.kind === 'trajectory' ? [i] : []));

  it('streams each sample with the bytes that hold it, and reads any one back alone as the whole import has it', async () => {
    const whole = importBytes(readFileSync(EVAL), EVAL);
    const streamed = trajectoriesOf(await items(EVAL));
    expect(streamed.map((i) => i.trajectory)).toEqual(whole.trajectories);
    expect(streamed.map((i) => i.line)).toEqual([1, 2, 3, 4]);
    const bytes = readFileSync(EVAL);
    for (const [k, item] of streamed.entries()) {
      // The range starts at the entry's local header and ends where its compressed data does.
      expect(bytes.readUInt32LE(item.start)).toBe(0x04034b50);
      expect(await readTrajectoryAt(EVAL, 'inspect-eval', item.start, item.end, item.line, k)).toEqual(whole.trajectories[k]);
    }
  });

  it('shares the samples out between parts, in order', async () => {
    const whole = trajectoriesOf(await items(EVAL)).map((i) => [i.trajectory.id, i.line]);
    for (const of of [2, 3, 5]) {
      const parts = [];
      for (let index = 0; index < of; index++) parts.push(...trajectoriesOf(await items(EVAL, { index, of })).map((i) => [i.trajectory.id, i.line]));
      expect(parts).toEqual(whole);
    }
  });

  it('lists a sample that cannot be read, as the whole import does, and opens the others; fails as it does when none can', async () => {
    const files = entries();
    const path = join(dir, 'one-bad.eval');
    writeFileSync(path, zipSync({ ...files, 'samples/2_epoch_1.json': strToU8('{"id": 2, "epoch": 1, "messages": "not a list"}') }));
    const whole = importBytes(readFileSync(path), path);
    const streamed = await items(path);
    expect(streamed.flatMap((i) => (i.kind === 'problem' ? [i.problem] : []))).toEqual(whole.problems);
    expect(whole.problems[0]).toMatch(new RegExp(`^${escapeRegExp(path)}: samples/2_epoch_1\\.json: .*; the sample is left out$`));
    expect(trajectoriesOf(streamed).map((i) => i.trajectory)).toEqual(whole.trajectories);

    const none = join(dir, 'none.eval');
    writeFileSync(none, zipSync({ 'header.json': files['header.json']!, 'samples/1_epoch_1.json': strToU8('[]') }));
    const refused = (() => {
      try {
        importBytes(readFileSync(none), none);
      } catch (error) {
        return (error as Error).message;
      }
      return 'imported';
    })();
    expect(refused).toMatch(/^.*none\.eval \(looked like an Inspect AI \.eval zip\): samples\/1_epoch_1\.json: /);
    await expect(items(none)).rejects.toThrow(refused);
  });

  it('will not read back a sample of a log that changed since it was read', async () => {
    const files = entries();
    const path = join(dir, 'changing.eval');
    writeFileSync(path, zipSync(files));
    const [first, second] = trajectoriesOf(await items(path));
    // Read back once before (the log is then kept a while): a change is still seen.
    expect((await readTrajectoryAt(path, 'inspect-eval', second!.start, second!.end, second!.line, 1)).id).toBe(second!.trajectory.id);
    // The same samples, written again with one more entry before them: the bytes moved.
    writeFileSync(path, zipSync({ 'notes.txt': strToU8('written later'), ...files }));
    await expect(readTrajectoryAt(path, 'inspect-eval', second!.start, second!.end, second!.line, 1)).rejects.toThrow(`${path}: sample 2 cannot be read back (was the file changed?)`);
    await expect(readTrajectoryAt(path, 'inspect-eval', first!.start, first!.end, 9, 0)).rejects.toThrow('cannot be read back');
  });
});
