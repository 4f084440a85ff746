import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { isObject, parseWith, promptHash } from './import-common.js';
import { splitThink } from './values.js';
import type { Evaluation, Trajectory } from './trajectory.js';

// Rollout dumps as veRL's PPO trainer writes them with `trainer.rollout_data_dir` set (and
// `trainer.validation_data_dir` for validation): one `STEP.jsonl` per training step, one rollout
// per line, `{input, output, score, step}` and, in newer versions, `gts` (the ground truth), then
// one key per item of the reward function's extra info (`acc`, `pred`, ...).
//
// - `input` is the prompt's token ids decoded with special tokens skipped: the chat template's
//   markers (`<|im_start|>`, `<|start_header_id|>`) are dropped and only bare role names are left
//   in the text ("system\nYou are ...\nuser\n...\nassistant\n"). A message may hold such a line
//   as well, and templates differ, so the roles cannot be told apart from the text: the prompt is
//   one user message as written, and `output` one assistant message; a `<think>` block it opens
//   with (a reasoning model's) is that message's reasoning, the text after it its content.
// - `score` (the sum of the token-level scores) is the reward; `gts` is the evaluation's target
//   and the extra keys its scores.
// - Rollouts of one prompt at one step share a group `step S prompt H`, H a hash of the input:
//   each line is imported on its own (a rollout set indexes it alone), so the group is named by
//   its input rather than collected. The step itself is the rollout set's `step` column, which
//   it reads from the record.

/** The keys veRL writes for every rollout; any other key is an item of the reward's extra info. */
const DUMP_KEYS = new Set(['input', 'output', 'score', 'step', 'gts']);

/**
 * True for a veRL rollout dump line: `input` and `output` texts and a numeric `score`, without the
 * keys of the other line formats (`messages`, `conversations`, verifiers' `prompt` and `completion`).
 */
export function isVerlRollout(record: unknown): boolean {
  if (!isObject(record) || typeof record.input !== 'string' || typeof record.output !== 'string' || typeof record.score !== 'number') return false;
  return !('messages' in record) && !('conversations' in record) && !('prompt' in record && 'completion' in record);
}

const dumpLine = z.lazy(() => z.looseObject({
  input: z.string(),
  output: z.string(),
  score: z.number(),
}));

/** One line of a veRL rollout dump (`id` is `FILE:LINE`). */
export function importVerlRollout(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(dumpLine, data);
  const step = typeof line.step === 'number' && Number.isSafeInteger(line.step) ? line.step : null;
  const group = `${step !== null ? `step ${step} ` : ''}prompt ${promptHash(line.input)}`;
  const lineNumber = /:(\d+)$/.exec(id)?.[1] ?? String(index);
  const { reasoning, text } = splitThink(line.output);
  const reply: ChatMessage = { role: 'assistant', content: reasoning === null ? line.output : text.trimStart() };
  if (reasoning !== null) reply.reasoning_content = reasoning;
  const messages: ChatMessage[] = [{ role: 'user', content: line.input }, reply];
  const t: Trajectory = { id, model: null, messages, reward: line.score, recorded: {}, source: { format: 'verl-rollouts', index } };
  // The place in the group is the line's: veRL writes a prompt's rollouts one per line.
  t.group = { id: group, index: Number(lineNumber), size: null, score: line.score };
  const scores = Object.entries(line).flatMap(([scorer, value]) => (DUMP_KEYS.has(scorer) ? [] : [{ scorer, value }]));
  // `gts` is null when the dataset gives no ground truth.
  if (scores.length > 0 || line.gts != null) {
    const evaluation: Evaluation = { scores };
    if (line.gts != null) evaluation.target = line.gts;
    t.evaluation = evaluation;
  }
  return [t];
}
