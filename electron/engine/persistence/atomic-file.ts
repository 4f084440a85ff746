import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `data` to a temporary file beside `file`, then renames it over `file`: a reader sees the
 * old content or the new, never half of it, even if the app dies mid-write.
 */
export function writeFileAtomic(file: string, data: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data, { mode, flush: true });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Bytes gathered before a write to the output file (fewer, larger writes). */
const FLUSH_BYTES = 1 << 20;

/** A file being written through a temporary file (see {@link openAtomicWriter}). */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  /** Flushes to disk and renames the temporary file onto the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

/**
 * An output file written as a temporary file beside `out`, flushed to disk and renamed onto `out`
 * by `commit`; `abort` removes it. A reader of `out` sees the old file or the whole new one, and
 * a long export streams through it without being held in memory.
 */
export async function openAtomicWriter(out: string): Promise<AtomicWriter> {
  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle: FileHandle | null = await open(temp, 'wx', 0o644);
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingLength = 0;
    await handle!.write(text);
  };
  return {
    async write(text) {
      if (text === '') return;
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= FLUSH_BYTES) await flush();
    },
    async commit() {
      await flush();
      await handle!.sync();
      await handle!.close();
      handle = null;
      await rename(temp, out);
    },
    async abort() {
      await handle?.close().catch(() => undefined);
      handle = null;
      await rm(temp, { force: true });
    },
  };
}
