import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
let hooked = false;

/**
 * A new folder under the system's temporary folder, removed with everything in it when the process
 * exits: a bench writes run files, settings and generated trajectories of tens of megabytes each run,
 * which must not pile up in /tmp. (The collections the import bench generates are kept on purpose,
 * to be reused by the next run; they do not go through here.)
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const path of made) rmSync(path, { recursive: true, force: true });
    });
  }
  return dir;
}
