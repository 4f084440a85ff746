import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A small tmpfs mounted for a test: a real disk that fills up. */
export interface FullDisk {
  /** The mounted folder, or null when mounting is not permitted (not root). */
  readonly dir: string | null;
  /** Why there is no disk, for a skip message. */
  readonly reason: string;
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
    return { dir: null, reason, unmount: () => undefined };
  }
  return {
    dir,
    reason: '',
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
