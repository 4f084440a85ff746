import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';


/** What a request path maps to: a file inside the root, or why not. */
export type StaticLookup = { kind: 'file'; path: string; stats: Stats } | { kind: 'refused' } | { kind: 'not-found' };

/**
 * Maps a raw (still percent-encoded) request path to a file inside `root`, which must be a real
 * path. Each segment is decoded once and refused when it is `.` or `..` or would add a separator
 * (`%2f`, `%5c`) or a NUL; the result must still be inside the root after symlinks are resolved.
 * `/` is index.html; directories are never listed.
 */
export async function lookupStaticFile(root: string, rawPath: string): Promise<StaticLookup> {
  if (!rawPath.startsWith('/')) return { kind: 'refused' };
  const segments: string[] = [];
  for (const raw of (rawPath === '/' ? '/index.html' : rawPath).slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'refused' };
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return { kind: 'refused' };
    if (segment === '') return { kind: 'not-found' }; // `//` or a trailing `/`: no directory listing
    segments.push(segment);
  }
  const candidate = join(root, ...segments);
  if (!candidate.startsWith(root + sep)) return { kind: 'refused' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: 'not-found' };
  }
  if (!real.startsWith(root + sep)) return { kind: 'refused' }; // a symlink out of the root
  const stats = await stat(real).catch(() => null);
  if (!stats?.isFile()) return { kind: 'not-found' };
  return { kind: 'file', path: real, stats };
}
