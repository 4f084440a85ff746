import { createExportWriter, ExportError, isSingleTrajectoryFormat, type ExportFormat } from '#shared/formats/export.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { openAtomicWriter } from './atomic-file.js';
import { streamTrajectories } from '../library/trajectory-stream.js';

/**
 * What to export: trajectories at hand or read as they are written (a rollout set's filtered
 * rows), or every trajectory of a file (streamed, never held whole).
 */
export type ExportSource =
  | { trajectories: Iterable<Trajectory> | AsyncIterable<Trajectory> }
  | { path: string; onProblem?: (problem: string) => void };

/** What an export wrote. */
export interface ExportWritten {
  trajectories: number;
  bytes: number;
}

/**
 * Writes trajectories in an export format to `out` as they are read, through a temporary file
 * renamed over `out` at the end: `out` is the old file or the whole new one, and memory does not
 * grow with the number of trajectories. A report format (one trajectory) refuses a whole file.
 */
export async function exportTrajectories(source: ExportSource, format: ExportFormat, out: string): Promise<ExportWritten> {
  if ('path' in source && isSingleTrajectoryFormat(format)) {
    throw new Error(`${format} exports one trajectory: export one trajectory of ${source.path}, or pick a JSONL format for the whole file`);
  }
  const writer = createExportWriter(format);
  const output = await openAtomicWriter(out);
  let bytes = 0;
  let count = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    await output.write(text);
  };
  try {
    if ('trajectories' in source) {
      for await (const t of source.trajectories) {
        await write(writer.write(t));
        count += 1;
      }
    } else {
      for await (const item of streamTrajectories(source.path)) {
        if (item.kind === 'problem') {
          source.onProblem?.(item.problem);
          continue;
        }
        await write(writer.write(item.trajectory));
        count += 1;
      }
    }
    await write(writer.end());
    await output.commit();
    return { trajectories: count, bytes };
  } catch (error) {
    await output.abort();
    if (error instanceof ExportError) throw new Error(`${out}: ${error.message}`);
    throw error;
  }
}
