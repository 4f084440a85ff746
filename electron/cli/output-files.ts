import { writeFileAtomic } from '../engine/persistence/atomic-file.js';

/** Writes a value as pretty JSON, atomically (the reference's `AgentResult` field names are kept as they are). */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
