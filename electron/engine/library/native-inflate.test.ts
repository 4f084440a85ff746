import fc from 'fast-check';
import { deflateSync } from 'fflate';
import { inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { useNativeInflate, zipEntryBytes, type ZipEntry } from '#shared/formats/import-zip.js';

/** A zip holding one deflate entry (local header, then the data) and its directory entry. */
function oneEntry(data: Uint8Array, size: number): { bytes: Uint8Array; entry: ZipEntry } {
  const header = new Uint8Array(30);
  new DataView(header.buffer).setUint32(0, 0x04034b50, true);
  const bytes = new Uint8Array(30 + data.length);
  bytes.set(header);
  bytes.set(data, 30);
  return { bytes, entry: { name: 'samples/1_epoch_1.json', method: 8, compressedSize: data.length, size, offset: 0, encrypted: false } };
}

/** The bytes an entry reads to, or the message it is refused with. */
function read(bytes: Uint8Array, entry: ZipEntry): string {
  try {
    return Buffer.from(zipEntryBytes(bytes, entry)).toString('hex');
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

afterEach(() => useNativeInflate(null));

describe('deflate entries inflated by zlib', () => {
  it('read to the same bytes, or are refused with the same message, as with fflate: truncated, garbled, lying about their size', () => {
    const entryCase = fc
      .record({
        content: fc.uint8Array({ maxLength: 3000 }),
        repeat: fc.integer({ min: 1, max: 40 }),
        level: fc.integer({ min: 0, max: 9 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
        flip: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { nil: undefined }),
        trailing: fc.uint8Array({ maxLength: 4 }),
        sizeDelta: fc.constantFrom(0, 0, 0, -1, 1, -100),
      })
      .map(({ content, repeat, level, cut, flip, trailing, sizeDelta }) => {
        const plain = new Uint8Array(content.length * repeat);
        for (let i = 0; i < repeat; i++) plain.set(content, i * content.length);
        let data = deflateSync(plain, { level: level as 0 });
        if (cut !== undefined && data.length > 0) data = data.subarray(0, cut % data.length);
        if (flip !== undefined && data.length > 0) {
          data = data.slice();
          data[flip[0] % data.length]! ^= flip[1];
        }
        const withTail = new Uint8Array(data.length + trailing.length);
        withTail.set(data);
        withTail.set(trailing, data.length);
        return oneEntry(withTail, Math.max(0, plain.length + sizeDelta));
      });
    fc.assert(
      fc.property(entryCase, ({ bytes, entry }) => {
        useNativeInflate(null);
        const byFflate = read(bytes, entry);
        useNativeInflate((data, maxBytes) => inflateRawSync(data, { maxOutputLength: maxBytes }));
        expect(read(bytes, entry)).toBe(byFflate);
      }),
      { numRuns: 2000 },
    );
  });
});
