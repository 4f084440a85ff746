import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';
import { readJsonFileOrSetAside, type JsonFileOptions } from './json-file.js';

/** A file opened before. */
export interface RecentFile {
  path: string;
  openedAt: number;
}

/** The files opened before, most recent first. */
export interface RecentFiles {
  list(): RecentFile[];
  /** Puts `path` first (once), keeping at most the list's limit. */
  add(path: string, openedAt?: number): void;
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
  };
}

/**
 * Recent files in a JSON file beside the settings: read once, written atomically on each change.
 * A corrupt file is set aside and reported (see `readJsonFileOrSetAside`), never silently reset.
 */
export function fileRecentFiles(path: string, options: JsonFileOptions = {}): RecentFiles {
  const memory = memoryRecentFiles();
  const saved = readJsonFileOrSetAside(path, recentFilesSchema, 'recent files', options);
  for (const file of [...(saved?.files ?? [])].reverse()) memory.add(file.path, file.openedAt);
  return {
    list: () => memory.list(),
    add(filePath, openedAt) {
      memory.add(filePath, openedAt);
      writeFileAtomic(path, `${JSON.stringify({ files: memory.list() }, null, 2)}\n`, 0o600);
    },
  };
}
