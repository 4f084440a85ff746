import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, exportText, type ExportFormat } from '../../shared/formats/export.js';
import { FormatError, importBytes, type ImportResult } from '../../shared/formats/import.js';
import { summarizeTrajectory } from '../../shared/formats/summary.js';
import { writeFileAtomic } from '../engine/atomic-file.js';
import { UsageError } from './usage-error.js';

export const CONVERT_USAGE = `Usage: trajdbg convert IN (--list | --to FORMAT --out OUT)

Imports the trajectories of IN (an AgentResult JSON, a JSON list of chat messages, JSONL of objects
with "messages" (RL groups too), a hermes-agent session export or hermes ShareGPT JSONL).
Bad JSONL lines are reported as FILE:LINE and skipped.
  --list         print one line per trajectory: index, id, model, turns, tool calls, tool errors,
                 finished naturally (tab-separated)
  --to FORMAT    agent-result (one JSON for one trajectory, else JSONL) or openai-jsonl
                 (one {"messages": [...]} per line)
  --out OUT      the file to write (written to a temporary file, then renamed)`;

/** Reads and imports a trajectory file; a bad or unknown file is a UsageError naming it. */
export function readTrajectories(path: string): ImportResult {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return importBytes(bytes, path);
  } catch (error) {
    if (error instanceof FormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** `trajdbg convert`: list or convert the trajectories of a file. */
export async function convertCommand(
  args: string[],
  stderr: (line: string) => void,
  stdout: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { list: { type: 'boolean' }, to: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('convert: give exactly one input file IN');
  if (values.list && (values.to !== undefined || values.out !== undefined)) throw new UsageError('convert: give either --list or --to with --out, not both');
  if (!values.list) {
    if (values.to === undefined) throw new UsageError('convert: give --list, or --to FORMAT with --out OUT');
    if (!EXPORT_FORMATS.includes(values.to as ExportFormat)) throw new UsageError(`--to: expected one of ${EXPORT_FORMATS.join(', ')}, got '${values.to}'`);
    if (values.out === undefined) throw new UsageError('--to needs --out OUT');
  }
  const path = positionals[0]!;
  const { trajectories, problems } = readTrajectories(path);
  for (const problem of problems) stderr(problem);
  if (values.list) {
    trajectories.forEach((t, i) => {
      const s = summarizeTrajectory(t, i);
      stdout([i, s.id, s.model ?? '-', `turns=${s.turns}`, `tool_calls=${s.toolCalls}`, `tool_errors=${s.toolErrors}`, `finished=${s.finishedNaturally ? 'yes' : 'no'}`].join('\t'));
    });
    return 0;
  }
  const out = values.out!;
  writeFileAtomic(out, exportText(trajectories, values.to as ExportFormat));
  stderr(`wrote ${trajectories.length} trajectories to ${out}${problems.length ? ` (${problems.length} bad lines skipped)` : ''}`);
  return 0;
}
