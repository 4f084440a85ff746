import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { createExportWriter, type ExportFormat } from '../../shared/formats/export.js';
import type { Trajectory } from '../../shared/formats/trajectory.js';
import { streamTrajectories } from './library/trajectory-stream.js';

/** What to export: trajectories at hand, or every trajectory of a file (streamed, never held whole). */
export type ExportSource = { trajectories: readonly Trajectory[] } | { path: string; onProblem?: (problem: string) => void };

/** What an export wrote. */
export interface ExportWritten {
  trajectories: number;
  bytes: number;
}

/**
 * Writes trajectories in an export format to `out`, as they are read: a temporary file beside
 * `out`, renamed over it at the end, so `out` is either the old file or the whole new one and
 * memory does not grow with the number of trajectories. On failure the temporary file is removed.
 */
export async function exportTrajectories(source: ExportSource, format: ExportFormat, out: string): Promise<ExportWritten> {
  mkdirSync(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const stream = createWriteStream(temp, { mode: 0o644 });
  let bytes = 0;
  let count = 0;
  const write = async (text: string): Promise<void> => {
    if (text === '') return;
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  try {
    const writer = createExportWriter(format);
    const items = 'trajectories' in source ? source.trajectories : null;
    if (items) {
      for (const t of items) {
        await write(writer.write(t));
        count += 1;
      }
    } else {
      for await (const item of streamTrajectories((source as { path: string }).path)) {
        if (item.kind === 'problem') {
          (source as { onProblem?: (problem: string) => void }).onProblem?.(item.problem);
          continue;
        }
        await write(writer.write(item.trajectory));
        count += 1;
      }
    }
    await write(writer.end());
    stream.end();
    await once(stream, 'finish');
    // On disk before it takes the name: a crash leaves the old file or the whole new one.
    const fd = openSync(temp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, out);
    return { trajectories: count, bytes };
  } catch (error) {
    stream.destroy();
    rmSync(temp, { force: true });
    throw error;
  }
}
