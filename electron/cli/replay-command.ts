import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { chatMessageSchema } from '#shared/model/chat.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { createEngine } from '../engine/loop/engine.js';
import { planReplay, type RecordedTrajectory } from '../engine/loop/replay.js';
import { createRunFile } from '../engine/persistence/run-file.js';
import { parseRunFile } from '../engine/persistence/run-file.js';
import { parseJson } from '#shared/formats/import.js';
import { describeIssue, readToolsFile } from './input-files.js';
import { intOption } from './options.js';
import { writeJsonFile } from './output-files.js';
import { progressPrinter } from './progress.js';
import { UsageError } from './usage-error.js';
import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';

export const REPLAY_USAGE = `Usage: trajdbg replay FILE [--max-context-tokens N] [--out FILE] [options]

Replays a saved trajectory through the engine (its assistant messages as the model's replies, its
tool messages as the tools' results) and writes the AgentResult recomputed under the given budget.
FILE is an AgentResult JSON, a JSON array of chat messages, an object with "messages", or a run file.
  --max-context-tokens N  context budget for the recomputed prompt views (default: none)
  --tools FILE            tool schemas; without it every tool name in the trajectory is valid
  --max-turns N           turn limit (default: where the recording ended)
  --temperature T         recorded in the requests (${LOOP_DEFAULTS.temperature.toFixed(1)})
  --out FILE              write the recomputed AgentResult as JSON
  --run-file FILE         write the replay's run record`;

const agentResultLike = z.looseObject({
  messages: z.array(chatMessageSchema),
  turns_used: z.number().int().optional(),
  finished_naturally: z.boolean().optional(),
});

/** Reads a recorded trajectory from any of the forms `replay` accepts, with errors naming the file. */
export function readRecording(path: string): RecordedTrajectory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0).trim();
  if (firstLine.startsWith('{') && firstLine.includes('"run_started"')) {
    const { state, problems } = parseRunFile(text, path);
    if (!state.started) throw new UsageError(problems[0]?.message ?? `${path}: not a run file`);
    const result = agentResultOf(state.current);
    return { messages: result.messages, turnsUsed: result.turns_used, finishedNaturally: result.finished_naturally };
  }
  const json = parseJson(text);
  if (!json.ok) throw new UsageError(`${path}: ${json.error}`);
  const data = json.value;
  if (Array.isArray(data)) {
    const parsed = z.array(chatMessageSchema).safeParse(data);
    if (!parsed.success) throw new UsageError(`${path} (a list of chat messages): ${describeIssue(parsed.error.issues[0]!)}`);
    return { messages: parsed.data };
  }
  const parsed = agentResultLike.safeParse(data);
  if (!parsed.success) throw new UsageError(`${path} (an AgentResult or an object with messages): ${describeIssue(parsed.error.issues[0]!)}`);
  return {
    messages: parsed.data.messages,
    ...(parsed.data.turns_used !== undefined ? { turnsUsed: parsed.data.turns_used } : {}),
    ...(parsed.data.finished_naturally !== undefined ? { finishedNaturally: parsed.data.finished_naturally } : {}),
  };
}

/** `trajdbg replay`: recompute a saved trajectory's AgentResult under a context budget. */
export async function replayCommand(args: string[], stderr: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      'max-context-tokens': { type: 'string' },
      tools: { type: 'string' },
      'max-turns': { type: 'string' },
      temperature: { type: 'string' },
      out: { type: 'string' },
      'run-file': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('replay: give exactly one trajectory FILE');
  const path = positionals[0]!;
  const recording = readRecording(path);
  const tools = values.tools ? readToolsFile(values.tools) : undefined;
  const plan = planReplay(recording, tools);
  const runFile = values['run-file'] ? createRunFile(values['run-file']) : undefined;
  try {
    const engine = createEngine({ model: plan.model, tools: plan.tools, ...(runFile ? { sink: runFile } : {}) });
    const run = engine.start({
      messages: plan.initialMessages,
      config: {
        maxTurns: intOption('max-turns', values['max-turns']) ?? plan.maxTurns,
        temperature: values.temperature !== undefined ? Number(values.temperature) : LOOP_DEFAULTS.temperature,
        maxContextTokens: intOption('max-context-tokens', values['max-context-tokens']) ?? null,
      },
      source: { replayOf: path },
    });
    run.subscribe(progressPrinter(stderr));
    const outcome = await run.done;
    if (values.out) {
      writeJsonFile(values.out, outcome.result);
      stderr(`wrote ${values.out}`);
    }
    return outcome.reason === 'failed' ? 1 : 0;
  } finally {
    runFile?.close();
  }
}
