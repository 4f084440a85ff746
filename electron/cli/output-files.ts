import { renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Writes a file through a temporary file and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(path: string, data: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(temp, data);
  renameSync(temp, path);
}

/** Writes a value as pretty JSON (the reference's `AgentResult` field names are kept as they are). */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
