import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs mounted for a test: a real disk that fills up. */
export interface FullDisk {
  /** The mounted folder, or null when mounting is not permitted (not root). */
  readonly dir: string | null;
  /** Why there is no disk, for a skip message. */
  readonly reason: string;
  /** Fills the disk but for one 4 KiB page: a file may grow by that much and no more. */
  leaveOnePage(): void;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `size` (e.g. '64k') on a fresh folder. Needs root (CI runs as root); elsewhere
 * `dir` is null and `reason` says why, so the test can skip with a clear message.
 */
export function mountFullDisk(size = '64k'): FullDisk {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `a tmpfs cannot be mounted here (${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}); full-disk tests need root`;
    return { dir: null, reason, leaveOnePage: () => undefined, unmount: () => undefined };
  }
  return {
    dir,
    reason: '',
    leaveOnePage() {
      // Fill with 4k files, then free one.
      const page = Buffer.alloc(4096);
      let n = 0;
      for (;;) {
        try {
          writeFileSync(join(dir, `filler-${n}`), page);
          n += 1;
        } catch {
          rmSync(join(dir, `filler-${n}`), { force: true });
          break;
        }
      }
      rmSync(join(dir, `filler-${n - 1}`));
    },
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A disk that fills up without mounting anything (no root needed): a folder of `capacity` bytes,
 * counted as the sizes of the files in it. It only limits the writes that go through
 * {@link SimulatedDisk.limit}, which a test wires into `node:fs` and `node:fs/promises` with
 * `vi.mock` (see `electron/engine/persistence/full-disk-simulated.test.ts`): such a write gets
 * the room that is left and no more (a short write, as the kernel gives), then ENOSPC.
 */
export interface SimulatedDisk extends FullDisk {
  readonly dir: string;
  readonly capacity: number;
  /** True when `path` is on this disk. */
  holds(path: string): boolean;
  /** How many of `length` bytes a write may take now; throws ENOSPC when there is no room. */
  limit(length: number): number;
}

/** A {@link SimulatedDisk} of `capacity` bytes in a fresh temporary folder. */
export function simulatedFullDisk(capacity = 64 * 1024): SimulatedDisk {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-simulated-disk-'));
  const used = (): number => readdirSync(dir).reduce((sum, name) => sum + (statSync(join(dir, name), { throwIfNoEntry: false })?.size ?? 0), 0);
  return {
    dir,
    capacity,
    reason: '',
    holds: (path) => path.startsWith(`${dir}/`),
    limit(length) {
      const room = capacity - used();
      if (room <= 0 && length > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
      return Math.min(length, room);
    },
    leaveOnePage() {
      writeFileSync(join(dir, 'filler-0'), Buffer.alloc(Math.max(0, capacity - used() - 4096)));
    },
    unmount() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
