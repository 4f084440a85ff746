import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import { afterAll, vi } from 'vitest';
import { describeFullDisk } from '../../testing/full-disk-cases.js';
import type { SimulatedDisk } from '../../testing/full-disk.js';

// The full-disk tests on a simulated 64 KiB disk, for machines where a tmpfs cannot be mounted
// (not root): every file write of the code under test goes through `node:fs` `openSync`/`writeSync`
// or a `node:fs/promises` handle's `write`, and those are limited to the room the disk has left.

const disk = vi.hoisted(() => ({ current: null as SimulatedDisk | null }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof Fs>();
  const onDisk = new Set<number>();
  const openSync = ((path: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
    const fd = (fs.openSync as (...args: unknown[]) => number)(path, ...rest);
    if (disk.current?.holds(String(path))) onDisk.add(fd);
    else onDisk.delete(fd);
    return fd;
  }) as typeof fs.openSync;
  const writeSync = ((fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => {
    if (!onDisk.has(fd) || !disk.current || typeof buffer === 'string') return (fs.writeSync as (...args: unknown[]) => number)(fd, buffer, offset, length, position);
    const start = offset ?? 0;
    const allowed = disk.current.limit(length ?? buffer.length - start);
    return fs.writeSync(fd, buffer, start, allowed, position);
  }) as typeof fs.writeSync;
  return { ...fs, default: { ...fs, openSync, writeSync }, openSync, writeSync };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const fsp = await importOriginal<typeof FsPromises>();
  const open = (async (path: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
    const handle = await (fsp.open as (...args: unknown[]) => Promise<FsPromises.FileHandle>)(path, ...rest);
    if (!disk.current?.holds(String(path))) return handle;
    const write = handle.write.bind(handle) as (buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => Promise<{ bytesWritten: number; buffer: Uint8Array }>;
    Object.assign(handle, {
      write: (buffer: Uint8Array, offset = 0, length?: number, position?: number | null) => {
        const allowed = disk.current!.limit(length ?? buffer.length - offset);
        return write(buffer, offset, allowed, position);
      },
    });
    return handle;
  }) as typeof fsp.open;
  return { ...fsp, default: { ...fsp, open }, open };
});

const { simulatedFullDisk } = await import('../../testing/full-disk.js');
disk.current = simulatedFullDisk(64 * 1024);
afterAll(() => disk.current?.unmount());

describeFullDisk('on a full disk (a simulated 64 KiB disk, no root needed)', disk.current);
