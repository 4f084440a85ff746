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
    // writeFileSync writes until every byte is out or throws; flush fsyncs before the rename.
    writeFileSync(temp, data, { mode, flush: true });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeFailed(file, error);
  }
}

/**
 * {@link writeFileAtomic} without blocking the thread: a flush to disk can take a long time on a
 * slow or busy disk, and the engine answers nothing meanwhile.
 */
export async function writeFileAtomicAsync(file: string, data: string, mode = 0o644): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw writeFailed(file, error);
  }
  const writer = await openAtomicWriter(file, mode).catch((error: unknown) => {
    throw writeFailed(file, error);
  });
  try {
    await writer.write(data);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.commit();
}

/** A failed write of `file` as one line naming it and saying it was left as it was. */
function writeFailed(file: string, error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  const why = e.code === 'ENOSPC' ? 'ENOSPC: no space left on device' : (e.message ?? String(error));
  return Object.assign(new Error(`could not write ${file} (${why}); it was left as it was`), { code: e.code, cause: error });
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
export async function openAtomicWriter(out: string, mode = 0o644): Promise<AtomicWriter> {
  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  let handle: FileHandle | null = await open(temp, 'wx', mode);
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const bytes = Buffer.from(pending.join(''));
    pending = [];
    pendingLength = 0;
    // A write may take fewer bytes than given (a full disk): write the rest, and a write that
    // takes none is the disk refusing, never a success.
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle!.write(bytes, offset, bytes.length - offset);
      if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      offset += bytesWritten;
    }
  };
  const fail = async (error: unknown): Promise<never> => {
    await handle?.close().catch(() => undefined);
    handle = null;
    await rm(temp, { force: true });
    throw writeFailed(out, error);
  };
  return {
    async write(text) {
      if (text === '') return;
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= FLUSH_BYTES) await flush().catch(fail);
    },
    async commit() {
      try {
        await flush();
        await handle!.sync();
        await handle!.close();
        handle = null;
        await rename(temp, out);
      } catch (error) {
        await fail(error);
      }
    },
    async abort() {
      await handle?.close().catch(() => undefined);
      handle = null;
      await rm(temp, { force: true });
    },
  };
}
