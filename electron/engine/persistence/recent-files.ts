import { z } from 'zod';
import { writeFileAtomicAsync } from './atomic-file.js';
import { readJsonFileOrSetAside, type JsonFileOptions } from './json-file.js';

/** A file opened before. */
export interface RecentFile {
  path: string;
  openedAt: number;
}

/** The files opened before, most recent first. */
export interface RecentFiles {
  list(): RecentFile[];
  /** Puts `path` first (once), keeping at most the list's limit. Never fails: a list that cannot be saved is reported. */
  add(path: string, openedAt?: number): void;
  /** Resolves once every change so far is saved, or its failure reported. */
  saved(): Promise<void>;
}

/** How many recent files are kept. */
export const RECENT_FILES_LIMIT = 20;

const recentFilesSchema = z.object({ files: z.array(z.object({ path: z.string().min(1), openedAt: z.number() })) });

/** Recent files kept in memory only (tests, and when no folder is given). */
export function memoryRecentFiles(): RecentFiles {
  let files: RecentFile[] = [];
  return {
    list: () => files.map((f) => ({ ...f })),
    add(path, openedAt = Date.now()) {
      files = [{ path, openedAt }, ...files.filter((f) => f.path !== path)].slice(0, RECENT_FILES_LIMIT);
    },
    saved: () => Promise.resolve(),
  };
}

/**
 * Recent files in a JSON file beside the settings: read once, written atomically after each change.
 * A corrupt file is set aside and reported (see `readJsonFileOrSetAside`), never silently reset.
 * The list is saved in the background, the latest list once when changes come faster than the
 * disk: opening a file never waits for it, and a disk that cannot take it (full, read-only) costs
 * the list, reported once until a save succeeds again, never the open.
 */
export function fileRecentFiles(path: string, options: JsonFileOptions = {}): RecentFiles {
  const memory = memoryRecentFiles();
  const saved = readJsonFileOrSetAside(path, recentFilesSchema, 'recent files', options);
  for (const file of [...(saved?.files ?? [])].reverse()) memory.add(file.path, file.openedAt);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  let changed = false;
  let failing = false;
  let saving: Promise<void> | null = null;
  const save = async (): Promise<void> => {
    while (changed) {
      changed = false;
      try {
        await writeFileAtomicAsync(path, `${JSON.stringify({ files: memory.list() }, null, 2)}\n`, 0o600);
        failing = false;
      } catch (error) {
        if (!failing) warn(`trajdbg: the recent files list was not saved: ${(error as Error).message}`);
        failing = true;
      }
    }
    saving = null;
  };
  return {
    list: () => memory.list(),
    add(filePath, openedAt) {
      memory.add(filePath, openedAt);
      changed = true;
      saving ??= save();
    },
    saved: async () => {
      while (saving) await saving;
    },
  };
}
