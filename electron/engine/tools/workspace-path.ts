import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/** Thrown when a tool path would leave the workspace; the message is the tool error text. */
export class PathEscapeError extends Error {
  constructor(readonly userPath: string) {
    super(`path escapes the workspace: ${userPath}`);
    this.name = 'PathEscapeError';
  }
}

/** A workspace root as given and as the file system resolves it (symlinks followed). */
export interface WorkspaceRoot {
  given: string;
  real: string;
}

const MAX_LINK_HOPS = 40;

/** Resolves the workspace folder once; it must exist. */
export async function openWorkspaceRoot(workspace: string): Promise<WorkspaceRoot> {
  const given = path.resolve(workspace);
  return { given, real: await realpath(given) };
}

/** True when `target` is `root` itself or below it (both absolute and normalized). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Maps a tool-supplied path to a real absolute path inside the workspace, or throws
 * PathEscapeError: absolute paths outside, `..` escapes and symlinks leading out are refused.
 */
export async function resolveInWorkspace(root: WorkspaceRoot, userPath: string): Promise<string> {
  if (userPath.includes('\0')) throw new PathEscapeError(userPath);
  const rel = lexicalRelative(root, userPath);
  if (rel === undefined) throw new PathEscapeError(userPath);
  const real = await realpathAllowMissing(path.join(root.real, rel), 0);
  if (!isInside(root.real, real)) throw new PathEscapeError(userPath);
  return real;
}

/** The path relative to the workspace after lexical `.`/`..` folding, or undefined if it leaves. */
function lexicalRelative(root: WorkspaceRoot, userPath: string): string | undefined {
  if (!path.isAbsolute(userPath)) {
    const resolved = path.resolve(root.real, userPath);
    return isInside(root.real, resolved) ? path.relative(root.real, resolved) : undefined;
  }
  const resolved = path.resolve(userPath);
  for (const base of [root.real, root.given]) {
    if (isInside(base, resolved)) return path.relative(base, resolved);
  }
  return undefined;
}

/**
 * `realpath` that tolerates missing trailing components (a file about to be written): the
 * deepest existing ancestor is resolved and the rest appended; dangling symlinks are followed.
 */
async function realpathAllowMissing(target: string, hops: number): Promise<string> {
  try {
    return await realpath(target);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const link = await danglingLinkTarget(target);
  if (link !== undefined) {
    if (hops >= MAX_LINK_HOPS) throw Object.assign(new Error(`too many symbolic links: ${target}`), { code: 'ELOOP' });
    return realpathAllowMissing(path.resolve(path.dirname(target), link), hops + 1);
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  return path.join(await realpathAllowMissing(parent, hops), path.basename(target));
}

/** The link text when `target` itself is a symlink (whose destination does not exist). */
async function danglingLinkTarget(target: string): Promise<string | undefined> {
  try {
    const stats = await lstat(target);
    return stats.isSymbolicLink() ? await readlink(target) : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
