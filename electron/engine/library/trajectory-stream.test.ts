import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { atroposLine, sweAgentTraj } from '#shared/formats/test-files.js';
import { lineRangeOfPart, lineText, openTrajectoryStream, readLines, streamTrajectories, type LineRange, type RawLine } from './trajectory-stream.js';

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
});
