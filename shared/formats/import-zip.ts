// fflate's browser build: its Node build loads worker_threads for the async API, a cost every
// command that reads a file would pay at start-up; the sync Inflate used here is the same in both.
import { Inflate } from 'fflate/browser';
import { decompress as zstdDecompress } from 'fzstd';
import { Misfit } from './import-common.js';

// A small zip reader for Inspect `.eval` logs. It reads the central directory itself (rather than
// fflate's unzipSync) so that it can name the entry that is cut off or broken, and so that zstd
// entries (method 93, which Inspect writes in newer logs) decompress with fzstd; deflate goes to
// fflate. Zip64 sizes and offsets are read; encrypted entries are refused.
//
// A zip is also a way to make a small file very large. Every size the archive declares is checked
// before anything is inflated (against an absolute cap and a ratio to the compressed size, for each
// entry and for the whole archive), entries may not overlap (the trick that lets a few KB declare
// gigabytes), and inflation stops as soon as an entry yields more than it declared.

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

/** The most bytes one entry may inflate to (as much as one JSONL line may hold). */
export const MAX_ENTRY_BYTES = 256 * 2 ** 20;
/** The most bytes all the entries of one archive may inflate to together. */
export const MAX_ARCHIVE_BYTES = 1024 * 2 ** 20;
/** The most an entry (or the whole archive) may grow by inflating, past {@link RATIO_FLOOR_BYTES}. */
export const MAX_INFLATE_RATIO = 200;
/** Below this many bytes, an entry or an archive may inflate by any ratio. */
export const RATIO_FLOOR_BYTES = 2 ** 20;
/** The largest zstd window accepted for a frame that does not declare its size (the spec's advice to decoders). */
const MAX_ZSTD_WINDOW = 8 * 2 ** 20;
/** Bytes fzstd moves within its window per block of a frame without a declared size, at most, summed. */
const MAX_ZSTD_WINDOW_WORK = 16 * 2 ** 30;

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
  checkDeclaredSizes(bytes.length, entries);
  checkOverlaps(bytes, entries, dirOffset);
  return entries;
}

const mib = (n: number): string => `${(n / 2 ** 20).toFixed(n < 10 * 2 ** 20 ? 1 : 0)} MiB`;

/** The most bytes an entry of this compressed size may inflate to. */
function entryLimit(compressedSize: number): number {
  return Math.min(MAX_ENTRY_BYTES, Math.max(RATIO_FLOOR_BYTES, MAX_INFLATE_RATIO * compressedSize));
}

/** Refuses an entry, or an archive, that declares more than it may inflate to. */
function checkDeclaredSizes(archiveBytes: number, entries: readonly ZipEntry[]): void {
  let total = 0;
  for (const entry of entries) {
    if (entry.size > MAX_ENTRY_BYTES) throw new Misfit(`${entry.name}: the entry declares ${mib(entry.size)}, more than the ${mib(MAX_ENTRY_BYTES)} an entry may inflate to; the file is refused`);
    if (entry.size > entryLimit(entry.compressedSize)) throw new Misfit(`${entry.name}: the entry declares ${entry.size} bytes from ${entry.compressedSize} compressed, more than ${MAX_INFLATE_RATIO} times as many; the file is refused`);
    if (entry.method === 0 && entry.size !== entry.compressedSize) throw new Misfit(`${entry.name}: the entry is stored but declares ${entry.size} bytes in ${entry.compressedSize}; the file is refused`);
    total += entry.size;
  }
  const limit = Math.min(MAX_ARCHIVE_BYTES, Math.max(RATIO_FLOOR_BYTES, MAX_INFLATE_RATIO * archiveBytes));
  if (total > limit) throw new Misfit(`its ${entries.length} entries declare ${mib(total)} in all, more than the ${mib(limit)} a ${archiveBytes}-byte archive may inflate to; the file is refused`);
}

/** Refuses entries whose bytes (local header and data) overlap another entry's or the central directory. */
function checkOverlaps(bytes: Uint8Array, entries: readonly ZipEntry[], dirOffset: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const spans = entries.map((entry) => {
    // A missing local header is reported when the entry is read; count its fixed part only.
    const header = entry.offset + 30 <= bytes.length && view.getUint32(entry.offset, true) === LOCAL ? 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true) : 30;
    return { entry, start: entry.offset, end: entry.offset + header + entry.compressedSize };
  });
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const next = spans[i + 1];
    if (next && next.start < span.end) throw new Misfit(`${next.entry.name}: the entry overlaps ${span.entry.name} (bytes ${next.start}-${next.end} and ${span.start}-${span.end}); the file is refused`);
    if (span.start < dirOffset && span.end > dirOffset) throw new Misfit(`${span.entry.name}: the entry runs into the central directory at byte ${dirOffset}; the file is refused`);
  }
}

/** Where an entry's compressed data starts: past its local header, which must be there. */
function dataStart(bytes: Uint8Array, entry: ZipEntry): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL) throw new Misfit(`${entry.name}: the entry's local header is missing (${TRUNCATED})`);
  return entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
}

/** Bytes `[start, end)` of the archive that hold an entry: its local header and compressed data. */
export function zipEntrySpan(bytes: Uint8Array, entry: ZipEntry): { start: number; end: number } {
  return { start: entry.offset, end: dataStart(bytes, entry) + entry.compressedSize };
}

/** The uncompressed bytes of one entry; throws a `Misfit` naming the entry when it cannot be read. */
export function zipEntryBytes(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new Misfit(`${entry.name}: the entry is encrypted`);
  const start = dataStart(bytes, entry);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new Misfit(`${entry.name}: the entry is cut off after ${Math.max(0, bytes.length - start)} of ${entry.compressedSize} bytes (${TRUNCATED})`);
  const data = bytes.subarray(start, end);
  let out: Uint8Array;
  try {
    if (entry.method === 0) out = data;
    else if (entry.method === 8) out = inflateAtMost(data, entry);
    else if (entry.method === 93) out = unzstdAtMost(data, entry);
    else throw new Misfit(`${entry.name}: compression method ${entry.method} is not supported (only stored, deflate and zstd)`);
  } catch (error) {
    if (error instanceof Misfit) throw error;
    throw new Misfit(`${entry.name}: the ${entry.method === 8 ? 'deflate' : 'zstd'} data is broken (${(error as Error).message})`);
  }
  if (out.length !== entry.size) throw new Misfit(`${entry.name}: expected ${entry.size} bytes after decompression, got ${out.length}`);
  return out;
}

const beyondDeclared = (entry: ZipEntry): Misfit => new Misfit(`${entry.name}: the entry inflates past the ${entry.size} bytes it declares; the rest is not read`);

/**
 * A native raw-deflate inflater (Node's zlib, several times quicker than fflate): the inflated
 * bytes, at most `maxBytes` of them (it throws past that, or on data it cannot inflate).
 */
export type RawInflate = (data: Uint8Array, maxBytes: number) => Uint8Array;

let nativeInflate: RawInflate | null = null;

/**
 * Lets deflate entries inflate with a native inflater where the runtime has one (`shared/` runs
 * anywhere, so it is handed in); null goes back to fflate. Whatever the native one refuses is
 * inflated again by fflate, so a broken entry is described the same either way.
 */
export function useNativeInflate(inflate: RawInflate | null): void {
  nativeInflate = inflate;
}

/** Inflates deflate data fed in small slices, stopping as soon as it yields more than the entry declares. */
function inflateAtMost(data: Uint8Array, entry: ZipEntry): Uint8Array {
  if (nativeInflate !== null) {
    let out: Uint8Array | null = null;
    try {
      // One byte more than declared is enough to tell the entry lies about its size.
      out = nativeInflate(data, entry.size + 1);
    } catch {
      out = null;
    }
    if (out !== null && out.length <= entry.size) return out;
  }
  return inflateWithFflate(data, entry);
}

function inflateWithFflate(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const inflate = new Inflate((chunk) => {
    length += chunk.length;
    if (length > entry.size) throw beyondDeclared(entry);
    chunks.push(chunk);
  });
  // 16 KiB of input inflates to 16.5 MiB at most (deflate's ratio is at most 1032:1).
  const SLICE = 16 * 1024;
  for (let at = 0; at < data.length; at += SLICE) inflate.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
  if (data.length === 0) inflate.push(data, true);
  return concat(chunks, length);
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** One frame of a zstd stream, as its header and block headers describe it (RFC 8878, section 3.1). */
interface ZstdFrame {
  start: number;
  end: number;
  /** Null for a skippable frame. */
  window: number | null;
  contentSize: number | null;
  blocks: number;
  /** The most bytes the frame can inflate to: raw and RLE blocks exactly, compressed ones at their maximum. */
  upperBound: number;
}

/** Walks the frames and block headers of zstd data without decompressing anything. */
function zstdFrames(data: Uint8Array, entry: ZipEntry): ZstdFrame[] {
  const broken = (what: string): Misfit => new Misfit(`${entry.name}: the zstd data is broken (${what})`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const frames: ZstdFrame[] = [];
  let at = 0;
  while (at < data.length) {
    const start = at;
    if (at + 8 > data.length) throw broken(`a frame header is cut off at byte ${at}`);
    const magic = view.getUint32(at, true);
    if (magic >>> 4 === 0x184d2a5) {
      at += 8 + view.getUint32(at + 4, true);
      frames.push({ start, end: at, window: null, contentSize: null, blocks: 0, upperBound: 0 });
      continue;
    }
    if (magic !== 0xfd2fb528) throw broken(`no frame starts at byte ${at}`);
    const descriptor = data[at + 4]!;
    const singleSegment = (descriptor >> 5) & 1;
    const checksum = (descriptor >> 2) & 1;
    const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
    const sizeFlag = descriptor >> 6;
    const sizeBytes = sizeFlag ? 1 << sizeFlag : singleSegment;
    at += 5;
    let window = 0;
    if (!singleSegment) {
      const w = data[at++]!;
      const base = 2 ** (10 + (w >> 3));
      window = base + (base / 8) * (w & 7);
    }
    at += dictBytes;
    if (at + sizeBytes > data.length) throw broken(`a frame header is cut off at byte ${at}`);
    let contentSize: number | null = null;
    if (sizeBytes === 1) contentSize = data[at]!;
    else if (sizeBytes === 2) contentSize = view.getUint16(at, true) + 256;
    else if (sizeBytes === 4) contentSize = view.getUint32(at, true);
    else if (sizeBytes === 8) contentSize = Number(view.getBigUint64(at, true));
    at += sizeBytes;
    if (singleSegment) window = contentSize ?? 0;
    const blockMax = Math.min(window, 128 * 1024);
    let blocks = 0;
    let upperBound = 0;
    for (let last = false; !last; ) {
      if (at + 3 > data.length) throw broken(`a block header is cut off at byte ${at}`);
      const header = data[at]! | (data[at + 1]! << 8) | (data[at + 2]! << 16);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw broken(`a reserved block type at byte ${at}`);
      at += 3 + (type === 1 ? 1 : size);
      upperBound += type === 2 ? blockMax : size;
      blocks++;
    }
    at += checksum * 4;
    if (at > data.length) throw broken(`the last frame is cut off (${TRUNCATED})`);
    frames.push({ start, end: at, window, contentSize, blocks, upperBound });
  }
  return frames;
}

/**
 * Decompresses zstd data frame by frame, after checking from the frame and block headers that it
 * cannot inflate past what the entry declares (by more than one block) nor make fzstd allocate or
 * move more than that: fzstd allocates a frame's declared size, or else its window, and moves the
 * whole window for each block.
 */
function unzstdAtMost(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const frames = zstdFrames(data, entry);
  const upperBound = frames.reduce((sum, f) => sum + f.upperBound, 0);
  const limit = entry.size + 128 * 1024;
  if (upperBound > limit) throw new Misfit(`${entry.name}: the zstd data can inflate to ${mib(upperBound)}, past the ${entry.size} bytes the entry declares; the entry is not read`);
  let windowWork = 0;
  for (const frame of frames) {
    if (frame.window === null) continue;
    if (frame.contentSize !== null && frame.contentSize > frame.upperBound) throw beyondDeclared(entry);
    if (frame.contentSize === null || frame.contentSize === 0) {
      if (frame.window > MAX_ZSTD_WINDOW) throw new Misfit(`${entry.name}: a zstd frame without a declared size asks for a ${mib(frame.window)} window, more than the ${mib(MAX_ZSTD_WINDOW)} this reader accepts`);
      windowWork += frame.window * frame.blocks;
    }
  }
  if (windowWork > MAX_ZSTD_WINDOW_WORK) throw new Misfit(`${entry.name}: the zstd data has too many small blocks for its window (${windowWork} bytes to move); the entry is not read`);
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (const frame of frames) {
    if (frame.window === null) continue;
    const out = zstdDecompress(data.subarray(frame.start, frame.end));
    length += out.length;
    if (length > entry.size) throw beyondDeclared(entry);
    chunks.push(out);
  }
  return concat(chunks, length);
}
