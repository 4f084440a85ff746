import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/** A file to open and the trajectory to show first. */
export interface OpenSpec {
  path: string;
  index?: number;
  /** A rollout set (a folder or a glob of shards), opened as one table. */
  set?: boolean;
}

/**
 * `FILE[#N]`: an absolute path and, after `#`, the trajectory to show first (from 0). A path that
 * exists as given (even with a `#` in its name) is taken whole. The file must exist.
 */
export function parseOpenSpec(spec: string, cwd = process.cwd()): OpenSpec {
  const whole = resolve(cwd, spec);
  if (/[*?[]/.test(spec) && !existsSync(whole)) return { path: whole, set: true };
  let path = whole;
  let index: number | undefined;
  const suffix = /#(\d+)$/.exec(spec);
  if (suffix && !existsSync(whole)) {
    path = resolve(cwd, spec.slice(0, -suffix[0].length));
    index = Number(suffix[1]);
  }
  if (!existsSync(path)) throw new UsageError(`${spec}: no such file`);
  if (statSync(path).isDirectory()) return index === undefined ? { path, set: true } : { path, index, set: true };
  return index === undefined ? { path } : { path, index };
}
