/**
 * Whatever a file held, what the app exports of it is written or refused with an ExportError that
 * says why, and a file written in a format the app reads opens again, with as many trajectories;
 * and the row the collection lists for each trajectory is one the page accepts (its contract).
 * Run over every sample file and over the samples with a value of any JSON type put anywhere in
 * them (seeded and short by default; FUZZ_RUNS and FUZZ_SEED as in import-fuzz.test.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { BYTES } from '../../electron/testing/format-samples.js';
import { editedSamples, importedOrRefused } from '../testing/json-edits.js';
import { EXPORT_FORMATS, ExportError, exportText, type ExportFormat } from './export.js';
import { importBytes, importText } from './import.js';
import { summarizeTrajectory, trajectorySummarySchema } from './summary.js';
import type { Trajectory } from './trajectory.js';

const RUNS = process.env.FUZZ_RUNS === undefined ? 60 : Number(process.env.FUZZ_RUNS);
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** The formats the app also opens, with the file name an export in it is saved under. */
const READ_BACK: Partial<Record<ExportFormat, string>> = { 'agent-result': 'result.jsonl', 'openai-jsonl': 'messages.jsonl', sharegpt: 'sharegpt.jsonl' };

/** Exports each trajectory alone in every format and reads back what the app reads; throws what is wrong. */
function exportsOpenAgain(trajectories: readonly Trajectory[], what: string): void {
  for (const [k, t] of trajectories.slice(0, 3).entries()) {
    // The collection's row, as the page receives it (JSON) and checks it.
    const row = trajectorySummarySchema.safeParse(JSON.parse(JSON.stringify(summarizeTrajectory(t, k))));
    if (!row.success) throw new Error(`${what} #${k}: its collection row would be refused by the page: ${row.error.issues[0]?.path.join('.')}: ${row.error.issues[0]?.message}`);
    for (const format of EXPORT_FORMATS) {
      let text: string;
      try {
        text = exportText([t], format);
      } catch (error) {
        if (error instanceof ExportError && error.message !== '') continue;
        throw new Error(`${what} #${k} as ${format}: ${(error as Error).stack}`, { cause: error });
      }
      const name = READ_BACK[format];
      if (name === undefined) continue;
      let back: Trajectory[];
      try {
        back = importText(text, name).trajectories;
      } catch (error) {
        throw new Error(`${what} #${k}: its ${format} export does not open again: ${(error as Error).message}\n${text.slice(0, 2000)}`, { cause: error });
      }
      if (back.length !== 1) throw new Error(`${what} #${k}: its ${format} export opens as ${back.length} trajectories\n${text.slice(0, 2000)}`);
    }
  }
}

describe('exports of whatever a file held', () => {
  it.each([...BYTES].map(([name, bytes]) => [name, bytes] as const))('%s', (name, bytes) => {
    exportsOpenAgain(importBytes(bytes, name).trajectories, name);
  });

  it('with any JSON value in any field of any sample', () => {
    fc.assert(
      fc.property(editedSamples(BYTES), (edited) => {
        const trajectories = importedOrRefused(edited);
        if (trajectories) exportsOpenAgain(trajectories, edited.what);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});

