import { parseArgs } from 'node:util';
import type { ExportFormat } from '#shared/formats/export.js';
import { FORMAT_DESCRIPTIONS, FormatError } from '#shared/formats/import.js';
import { summarizeTrajectory } from '#shared/formats/summary.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { openTrajectoryStream, type TrajectoryStream } from '../engine/library/trajectory-stream.js';
import { intOption } from './options.js';
import { UsageError } from './usage-error.js';

/** Opens IN for streaming; an unreadable or unknown file is a UsageError naming it. */
async function openInput(path: string): Promise<TrajectoryStream> {
  try {
    return await openTrajectoryStream(path);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** The trajectories of a stream, numbered from 0; problems go to `onProblem` as they are met. */
async function* trajectoriesOf(stream: TrajectoryStream, onProblem: (problem: string) => void): AsyncGenerator<Trajectory, void, undefined> {
  try {
    for await (const item of stream.items) {
      if (item.kind === 'problem') onProblem(item.problem);
      else yield item.trajectory;
    }
  } catch (error) {
    // A single-document file is imported when it is read: its errors name the file.
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

function outOfRange(index: number, path: string, count: number): UsageError {
  const held = count === 0 ? 'no trajectories' : count === 1 ? 'one trajectory (index 0)' : `${count} trajectories (indexes 0 to ${count - 1})`;
  return new UsageError(`--index ${index}: ${path} holds ${held}`);
}

/** What a conversion needs beyond --list: the exporters and the atomic writer of OUT. */
async function loadExporters() {
  const [exporters, { openAtomicWriter }] = await Promise.all([import('#shared/formats/export.js'), import('../engine/persistence/atomic-file.js')]);
  return { ...exporters, openAtomicWriter };
}

/** `trajdbg convert`: list or convert the trajectories of a file, streaming. */
export async function convertCommand(
  args: string[],
  stderr: (line: string) => void,
  stdout: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { list: { type: 'boolean' }, to: { type: 'string' }, out: { type: 'string' }, index: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('convert: give exactly one input file IN');
  if (values.list && (values.to !== undefined || values.out !== undefined)) throw new UsageError('convert: give either --list or --to with --out, not both');
  // The exporters load only for a conversion (null for --list, which starts without them).
  const exporters = values.list ? null : await loadExporters();
  if (exporters) {
    const { EXPORT_FORMATS } = exporters;
    if (values.to === undefined) throw new UsageError('convert: give --list, or --to FORMAT with --out OUT');
    if (!EXPORT_FORMATS.includes(values.to as ExportFormat)) throw new UsageError(`--to: expected one of ${EXPORT_FORMATS.join(', ')}, got '${values.to}'`);
    if (values.out === undefined) throw new UsageError('--to needs --out OUT');
  }
  const index = intOption('index', values.index, { min: 0 });
  const path = positionals[0]!;
  const stream = await openInput(path);
  let problems = 0;
  let firstProblem = '';
  const onProblem = (problem: string): void => {
    problems += 1;
    firstProblem ||= problem;
    stderr(problem);
  };
  // Every line bad: the file is not what it looked like (as importing it whole would say).
  const nothingImported = (): UsageError =>
    new UsageError(`${path}${stream.format ? ` (looked like ${FORMAT_DESCRIPTIONS[stream.format]})` : ''}: no line could be imported; first: ${firstProblem}`);

  if (!exporters) {
    let count = 0;
    for await (const t of trajectoriesOf(stream, onProblem)) {
      const i = count++;
      if (index !== undefined && i !== index) continue;
      const s = summarizeTrajectory(t, i);
      const stop = s.stopReason ? [`stop=${s.stopReason.replace(/\s+/g, ' ')}`] : [];
      stdout([i, s.id, s.model ?? '-', `turns=${s.turns}`, `tool_calls=${s.toolCalls}`, `tool_errors=${s.toolErrors}`, `finished=${s.finishedNaturally ? 'yes' : 'no'}`, ...stop].join('\t'));
      if (index !== undefined) return 0;
    }
    if (count === 0 && problems > 0) throw nothingImported();
    if (index !== undefined) throw outOfRange(index, path, count);
    return 0;
  }

  const { ExportError, createExportWriter, isSingleTrajectoryFormat, openAtomicWriter } = exporters;
  const format = values.to as ExportFormat;
  const out = values.out!;
  const single = isSingleTrajectoryFormat(format) && index === undefined;
  const writer = createExportWriter(format);
  const output = await openAtomicWriter(out);
  let count = 0;
  let written = 0;
  try {
    for await (const t of trajectoriesOf(stream, onProblem)) {
      const i = count++;
      if (index !== undefined && i !== index) continue;
      // A report of one trajectory from several: read on only to say how many there are.
      if (single && i > 0) continue;
      await output.write(writer.write(t));
      written += 1;
      if (index !== undefined) break;
    }
    if (count === 0 && problems > 0) throw nothingImported();
    if (index !== undefined && written === 0) throw outOfRange(index, path, count);
    if (single && count > 1) {
      throw new UsageError(`${format} exports one trajectory, and ${path} holds ${count}: pick one with --index N (0 to ${count - 1}; --list shows them)`);
    }
    await output.write(writer.end());
    await output.commit();
  } catch (error) {
    await output.abort();
    if (error instanceof ExportError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
  stderr(`wrote ${written} ${written === 1 ? 'trajectory' : 'trajectories'} to ${out}${problems ? ` (${problems} bad ${problems === 1 ? 'line' : 'lines'} skipped)` : ''}`);
  return 0;
}
