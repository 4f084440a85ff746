import { inflateSync } from 'fflate';
import { decompress as zstdDecompress } from 'fzstd';
import { Misfit } from './import-common.js';

// A small zip reader for Inspect `.eval` logs. It reads the central directory itself (rather than
// fflate's unzipSync) so that it can name the entry that is cut off or broken, and so that zstd
// entries (method 93, which Inspect writes in newer logs) decompress with fzstd; deflate goes to
// fflate. Zip64 sizes and offsets are read; encrypted entries are refused.

/** One file inside a zip, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  /** Compression method: 0 stored, 8 deflate, 93 zstd. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header. */
  offset: number;
  encrypted: boolean;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const TRUNCATED = 'the file may be truncated';

/** True when the bytes start like a zip (a local file header, or the empty-zip end record). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b;
}

/** The entries of a zip, from its central directory; throws a `Misfit` for a broken or cut-off zip. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  try {
    return readCentralDirectory(bytes);
  } catch (error) {
    // A field that points past the end of the file (a broken zip64 extra field, say).
    if (error instanceof RangeError) throw new Misfit(`not a complete zip: a record runs past the end of the file (${TRUNCATED})`);
    throw error;
  }
}

function readCentralDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  let eocd = -1;
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Misfit(`not a complete zip: the end of its central directory is missing (${TRUNCATED})`);
  let count = u16(eocd + 10);
  let dirSize = u32(eocd + 12);
  let dirOffset = u32(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) throw new Misfit('not a complete zip: the zip64 end record locator is missing');
    const end64 = u64(locator + 8);
    if (end64 + 56 > bytes.length || u32(end64) !== ZIP64_EOCD) throw new Misfit('not a complete zip: the zip64 end record is missing');
    count = u64(end64 + 32);
    dirSize = u64(end64 + 40);
    dirOffset = u64(end64 + 48);
  }
  if (dirOffset + dirSize > bytes.length) throw new Misfit(`not a complete zip: its central directory runs past the end of the file (${TRUNCATED})`);
  const names = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let at = dirOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) throw new Misfit(`not a complete zip: central directory entry ${i + 1} of ${count} is missing or broken`);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const entry: ZipEntry = {
      name: names.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      method: u16(at + 10),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      offset: u32(at + 42),
      encrypted: (u16(at + 8) & 1) === 1,
    };
    // Zip64 extra field: the 64-bit values of whichever fields are saturated, in this order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = u16(e);
      const length = u16(e + 2);
      if (id === 0x0001) {
        let field = e + 4;
        if (entry.size === 0xffffffff) {
          entry.size = u64(field);
          field += 8;
        }
        if (entry.compressedSize === 0xffffffff) {
          entry.compressedSize = u64(field);
          field += 8;
        }
        if (entry.offset === 0xffffffff) entry.offset = u64(field);
      }
      e += 4 + length;
    }
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry; throws a `Misfit` naming the entry when it cannot be read. */
export function zipEntryBytes(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.encrypted) throw new Misfit(`${entry.name}: the entry is encrypted`);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) throw new Misfit(`${entry.name}: the entry's local header is missing (${TRUNCATED})`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new Misfit(`${entry.name}: the entry is cut off after ${Math.max(0, bytes.length - start)} of ${entry.compressedSize} bytes (${TRUNCATED})`);
  const data = bytes.subarray(start, end);
  let out: Uint8Array;
  try {
    if (entry.method === 0) out = data;
    else if (entry.method === 8) out = inflateSync(data);
    else if (entry.method === 93) out = zstdDecompress(data);
    else throw new Misfit(`${entry.name}: compression method ${entry.method} is not supported (only stored, deflate and zstd)`);
  } catch (error) {
    if (error instanceof Misfit) throw error;
    throw new Misfit(`${entry.name}: the ${entry.method === 8 ? 'deflate' : 'zstd'} data is broken (${(error as Error).message})`);
  }
  if (out.length !== entry.size) throw new Misfit(`${entry.name}: expected ${entry.size} bytes after decompression, got ${out.length}`);
  return out;
}
