import { existsSync } from 'node:fs';

/** A file to open given on the desktop app's command line. */
export interface OpenArgument {
  path: string;
  index?: number;
}

/**
 * The `--open=FILE[#N]` argument `trajdbg open` passes to the desktop app (FILE already checked
 * and absolute), or null. As on the command line, a path that exists whole keeps its `#`.
 */
export function openArgument(argv: readonly string[], exists: (path: string) => boolean = existsSync): OpenArgument | null {
  const arg = argv.find((a) => a.startsWith('--open='));
  const spec = arg?.slice('--open='.length) ?? '';
  if (!spec) return null;
  const suffix = /#(\d+)$/.exec(spec);
  if (!suffix || exists(spec)) return { path: spec };
  return { path: spec.slice(0, -suffix[0].length), index: Number(suffix[1]) };
}
