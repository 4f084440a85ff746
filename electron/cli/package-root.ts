import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project folder: the nearest package.json named trajdbg above this file, wherever it runs
 * from (the sources, out/electron/cli/ or the bundled out/cli/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'trajdbg') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the trajdbg package folder');
    dir = parent;
  }
}
