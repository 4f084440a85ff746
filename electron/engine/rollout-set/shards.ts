import type { Dirent } from 'node:fs';
import { lstat, readdir, stat, statfs } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { readErrorReason } from '../library/read-error.js';

/** How a shard's records are stored. */
export type ShardKind = 'jsonl' | 'jsonl.gz' | 'jsonl.zst' | 'parquet';

/** One file of a rollout set, keyed in the index by its path, size and modification time. */
export interface ShardFile {
  path: string;
  kind: ShardKind;
  size: number;
  mtimeMs: number;
}

/** What a set's sources resolved to: its shards, and the sources that named none. */
export interface ResolvedShards {
  shards: ShardFile[];
  /** `SOURCE: why`, one per source that cannot be read or matched no shard. */
  problems: string[];
}

/** The kind of a shard from its name, or null for a file that is not one. */
export function shardKindOf(path: string): ShardKind | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.jsonl.gz') || lower.endsWith('.ndjson.gz')) return 'jsonl.gz';
  if (lower.endsWith('.jsonl.zst') || lower.endsWith('.jsonl.zstd') || lower.endsWith('.ndjson.zst')) return 'jsonl.zst';
  if (lower.endsWith('.parquet')) return 'parquet';
  return null;
}

const hasWildcard = (text: string): boolean => /[*?[]/.test(text);

/** A glob as a regular expression over a whole path: `**` crosses folders, `*` and `?` do not. */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i += 1;
      if (glob[i + 1] === '/') i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      if (close < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else out += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

/** Whether a listing said what an entry is: some network filesystems do not, and it is looked up then. */
const typeListed = (entry: Dirent): boolean => entry.isDirectory() || entry.isFile() || entry.isSymbolicLink() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();

/**
 * Linux's file systems of kernel state (statfs magic numbers): proc, sysfs, cgroup and cgroup2,
 * debugfs, tracefs, securityfs, bpf, devpts, pstore, configfs. They hold no shards, and /proc alone
 * has a folder per process: a set opened on `/` walked them all and listed what it could not read.
 */
const KERNEL_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x64626720, 0x74726163, 0x73636673, 0xcafe4a11, 0x1cd1, 0x6165676c, 0x62656570]);

/** Whether a folder is the root of, or inside, a file system of kernel state (never on other systems). */
async function isKernelFileSystem(folder: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  return KERNEL_FILE_SYSTEMS.has((await statfs(folder)).type);
}

/**
 * Every file under `folder`, recursively, in name order (hidden entries skipped), and every
 * symbolic link (a linked shard counts; the caller's stat follows it, and a link to a folder is not
 * walked, so links cannot loop); folders of kernel state (/proc, /sys) are not walked. A folder below `folder` that cannot be read goes to `unreadable`
 * and the walk goes on; `folder` itself failing throws.
 */
async function* walk(folder: string, unreadable: (folder: string, error: unknown) => void): AsyncGenerator<string, void, undefined> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    let kind: Pick<Dirent, 'isDirectory' | 'isFile' | 'isSymbolicLink'> = entry;
    if (!typeListed(entry)) {
      try {
        kind = await lstat(path);
      } catch (error) {
        unreadable(path, error);
        continue;
      }
    }
    if (kind.isDirectory()) {
      try {
        if (await isKernelFileSystem(path)) continue;
        yield* walk(path, unreadable);
      } catch (error) {
        unreadable(path, error);
      }
    } else if (kind.isFile() || kind.isSymbolicLink()) yield path;
  }
}

const why = (error: unknown): string => readErrorReason(error, 'no such file or folder');

/**
 * The shards of a rollout set named by `sources`: folders (every shard under them), globs
 * (`runs/*.jsonl.gz`, `**` crossing folders) and files, relative to `cwd`. Shards are listed once,
 * in path order. A source that cannot be read or names no shard is a problem; the rest open.
 */
export async function resolveShards(sources: readonly string[], cwd = process.cwd()): Promise<ResolvedShards> {
  const found = new Map<string, ShardFile>();
  const reached = new Set<string>();
  const problems: string[] = [];
  const unreadable = (folder: string, error: unknown): void => {
    problems.push(`${folder}: cannot read it (${why(error)})`);
  };
  const add = async (path: string, named: boolean): Promise<boolean> => {
    const kind = shardKindOf(path);
    if (!kind) {
      if (named) problems.push(`${path}: not a rollout shard (.jsonl, .jsonl.gz, .jsonl.zst or .parquet)`);
      return false;
    }
    try {
      const info = await stat(path);
      if (!info.isFile()) return false;
      // A shard reached twice (a link beside its target, two sources naming it) is one file,
      // told by the device and inode the stat above gives (no second look-up per shard).
      const file = `${info.dev}:${info.ino}`;
      if (!reached.has(file)) {
        reached.add(file);
        found.set(path, { path, kind, size: info.size, mtimeMs: info.mtimeMs });
      }
      return true;
    } catch (error) {
      problems.push(`${path}: cannot read it (${why(error)})`);
      return false;
    }
  };
  for (const source of sources) {
    const absolute = isAbsolute(source) ? source : resolve(cwd, source);
    if (hasWildcard(source)) {
      const parts = absolute.split(sep);
      const fixed = parts.slice(0, parts.findIndex(hasWildcard)).join(sep) || sep;
      const pattern = globRegExp(absolute.split(sep).join('/'));
      let matched = 0;
      try {
        for await (const path of walk(fixed, unreadable)) if (pattern.test(path.split(sep).join('/')) && (await add(path, false))) matched += 1;
      } catch (error) {
        problems.push(`${source}: cannot read ${fixed} (${why(error)})`);
        continue;
      }
      if (matched === 0) problems.push(`${source}: matches no rollout shard`);
      continue;
    }
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      problems.push(`${source}: cannot read it (${why(error)})`);
      continue;
    }
    if (info.isDirectory()) {
      let matched = 0;
      try {
        for await (const path of walk(absolute, unreadable)) if (await add(path, false)) matched += 1;
      } catch (error) {
        problems.push(`${source}: cannot read it (${why(error)})`);
        continue;
      }
      if (matched === 0) problems.push(`${source}: holds no rollout shard (.jsonl, .jsonl.gz, .jsonl.zst or .parquet)`);
    } else await add(absolute, true);
  }
  const shards = [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { shards, problems };
}
