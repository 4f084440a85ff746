import { stringifyJsonExact } from '#shared/model/exact-json.js';
import { writeFileAtomic } from '../engine/persistence/atomic-file.js';

/** Writes a value as pretty JSON, atomically (the reference's `AgentResult` field names are kept as they are, and integers beyond 2^53 exact). */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileAtomic(path, `${stringifyJsonExact(value, 2)}\n`);
}
