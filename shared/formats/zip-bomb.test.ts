// @vitest-environment node
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importBytes } from './import.js';

// Hostile Inspect `.eval` archives, built here byte by byte (no binary is kept in the repository).

interface RawEntry {
  name: string;
  method: 0 | 8 | 93;
  /** The entry's data as stored in the archive (already compressed). */
  body: Uint8Array;
  /** The uncompressed size the archive declares. */
  size: number;
  /** Point the central directory at another entry's local header (by index) instead of its own. */
  sameOffsetAs?: number;
}

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
}

/** A zip of entries whose bodies and declared sizes are given as is (the CRC is not checked by the reader). */
function zipOfRaw(entries: RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const common = Buffer.concat([u16(20), u16(0x800), u16(e.method), u16(0), u16(0x21), u32(0), u32(e.body.length), u32(e.size), u16(name.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, name, e.body]);
    offsets.push(offset);
    locals.push(local);
    offset += local.length;
    central.push(Buffer.concat([u32(0x02014b50), u16(63), common, u16(0), u16(0), u16(0), u32(0), u32(0), name]));
  }
  // The central directory's local header offset sits 4 bytes before the name.
  entries.forEach((e, i) => central[i]!.writeUInt32LE(offsets[e.sameOffsetAs ?? i]!, 42));
  const dir = Buffer.concat(central);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(dir.length), u32(offset), u16(0)]);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

/** Deflate data of `mib` MiB of zeros: one fully flushed block of a MiB, repeated, then an empty final block. */
function deflatedZeros(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(2 ** 20), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array<Buffer>(mib).fill(block), Buffer.from([0x03, 0x00])]);
}

/** A zstd frame of `blocks` RLE blocks of 128 KiB each, with no declared size and a window of 2^(10+exponent) bytes. */
function zstdRleBomb(blocks: number, windowExponent: number): Buffer {
  const out = Buffer.alloc(6 + 4 * blocks);
  out.writeUInt32LE(0xfd2fb528, 0);
  out[4] = 0x00; // no content size, not single segment, no checksum, no dictionary
  out[5] = windowExponent << 3;
  for (let i = 0; i < blocks; i++) {
    const header = (i === blocks - 1 ? 1 : 0) | (1 << 1) | ((128 * 1024) << 3); // RLE_Block of 128 KiB
    out.writeUIntLE(header, 6 + 4 * i, 3);
    out[6 + 4 * i + 3] = 0x20;
  }
  return out;
}

const sample = Buffer.from(JSON.stringify({ id: 1, epoch: 1, messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
const goodEntry: RawEntry = { name: 'samples/1_epoch_1.json', method: 0, body: sample, size: sample.length };
const PREFIX = (file: string): string => `${file} (looked like an Inspect AI .eval zip): `;

describe('hostile .eval archives', () => {
  it('refuses a 1 MB zip that inflates to 1 GB, from its declared size, naming the file and the entry', () => {
    const body = deflatedZeros(1024);
    expect(body.length).toBeLessThan(1.1e6);
    const zip = zipOfRaw([goodEntry, { name: 'samples/2_epoch_1.json', method: 8, body, size: 2 ** 30 }]);
    expect(() => importBytes(zip, 'bomb.eval')).toThrow(`${PREFIX('bomb.eval')}samples/2_epoch_1.json: the entry declares 1024 MiB, more than the 256 MiB an entry may inflate to; the file is refused`);
  });

  it('does not believe a declared size: stops inflating as soon as an entry yields more', () => {
    const rssBefore = process.memoryUsage().rss;
    const zip = zipOfRaw([goodEntry, { name: 'samples/2_epoch_1.json', method: 8, body: deflatedZeros(1024), size: 200_000_000 }]);
    const opened = importBytes(zip, 'liar.eval');
    expect(opened.problems).toEqual(['liar.eval: samples/2_epoch_1.json: the entry inflates past the 200000000 bytes it declares; the rest is not read; the sample is left out']);
    expect(opened.trajectories).toHaveLength(1);
    // Inflating the whole gigabyte took 1 GB and more; stopping at the declared size keeps it near 200 MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(600 * 2 ** 20);
  });

  it('refuses a ratio past 200:1 even under the absolute cap', () => {
    const zip = zipOfRaw([goodEntry, { name: 'samples/2_epoch_1.json', method: 8, body: deflatedZeros(100), size: 100 * 2 ** 20 }]);
    expect(() => importBytes(zip, 'ratio.eval')).toThrow(`${PREFIX('ratio.eval')}samples/2_epoch_1.json: the entry declares 104857600 bytes from 103702 compressed, more than 200 times as many; the file is refused`);
  });

  it('refuses a 99 KB zstd bomb before decompressing it, whatever size it declares', () => {
    const body = zstdRleBomb(24_750, 20); // 3.2 GB of output in 99 KB, with a 1 GiB window
    expect(body.length).toBeLessThan(99_100);
    const zip = zipOfRaw([goodEntry, { name: 'samples/2_epoch_1.json', method: 93, body, size: 1_000_000 }]);
    const opened = importBytes(zip, 'zstd-bomb.eval');
    expect(opened.problems).toEqual(['zstd-bomb.eval: samples/2_epoch_1.json: the zstd data can inflate to 3094 MiB, past the 1000000 bytes the entry declares; the entry is not read; the sample is left out']);
    // A frame that fits its declared size but asks fzstd for a 1 GiB window.
    const wide = zipOfRaw([{ name: 'samples/1_epoch_1.json', method: 93, body: zstdRleBomb(2, 20), size: 256 * 1024 }]);
    expect(() => importBytes(wide, 'wide.eval')).toThrow(`${PREFIX('wide.eval')}samples/1_epoch_1.json: a zstd frame without a declared size asks for a 1024 MiB window, more than the 8.0 MiB this reader accepts`);
  });

  it('refuses entries that overlap, as a non-recursive zip bomb shares one body between many entries', () => {
    const entries: RawEntry[] = [goodEntry, ...Array.from({ length: 50 }, (_, i) => ({ ...goodEntry, name: `samples/${i + 2}_epoch_1.json`, sameOffsetAs: 0 }))];
    expect(() => importBytes(zipOfRaw(entries), 'overlap.eval')).toThrow(new RegExp(`^${PREFIX('overlap\\.eval').replace(/[()]/g, '\\$&')}samples/\\d+_epoch_1\\.json: the entry overlaps samples/\\d+_epoch_1\\.json \\(bytes 0-\\d+ and 0-\\d+\\); the file is refused$`));
  });

  it('refuses an archive whose entries together declare more than it may hold', () => {
    const body = deflatedZeros(1);
    const entries = Array.from({ length: 5 }, (_, i): RawEntry => ({ name: `samples/${i + 1}_epoch_1.json`, method: 8, body, size: 2 ** 20 }));
    expect(() => importBytes(zipOfRaw(entries), 'many.eval')).toThrow(`${PREFIX('many.eval')}its 5 entries declare 5.0 MiB in all, more than the 1.1 MiB a 5817-byte archive may inflate to; the file is refused`);
  });
});
