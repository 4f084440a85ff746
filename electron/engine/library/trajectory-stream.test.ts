import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineText, readLines, streamTrajectories, type RawLine } from './trajectory-stream.js';

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
