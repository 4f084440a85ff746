import type { ChatMessage } from '../model/chat.js';
import { baseName, callStats, eachObjectLine, isObject, messagesOf, Misfit, pyBoolean, recordedUsage, str, type TextImport } from './import-common.js';
import type { CallStats, Evaluation, Trajectory } from './trajectory.js';

// The record of an OpenAI evals run (`oaieval ... --record_path`, by default
// `/tmp/evallogs/<run>.jsonl`): a `spec` line (the eval, its completion functions), a
// `final_report` line with the run's metrics, and one event per line, each with the `sample_id`
// it belongs to and its `type`:
//
// - `sampling`: a model call, `data.prompt` (chat messages, or the text of a completion prompt)
//   and `data.sampled` (the completions, a list or one text); the OpenAI completion functions add
//   the `model` and the call's `usage`;
// - `match` (and `metrics`, which record_metrics writes): how the sample was graded, `data.correct`
//   with `expected` and `picked` for a match;
// - `error` (record_error): the `type` and `message` of an exception.
//
// Each sample is one trajectory, named by its sample id: its first sampling's prompt and first
// completion. A solver-based eval runs several turns per sample and records a sampling per turn,
// each prompt the whole conversation so far: a sampling whose chat prompt starts with the previous
// prompt and then an assistant message (the previous reply, as the solver kept it) is the next
// turn, and adds the messages after that reply and its own completion. Any other further sampling
// (a model-graded eval's grader) is listed as left out. Each turn's `usage` is its recorded usage.
// The verdict is its evaluation, and `correct` its reward; an error event is the stop reason.

const FORMAT = 'openai-evals-log';
const VERDICTS = new Set(['match', 'metrics']);

/** True for an OpenAI evals record's first line: its `spec`. */
export function isOpenAiEvalsSpec(record: unknown): boolean {
  return isObject(record) && isObject(record.spec) && ('eval_name' in record.spec || 'completion_fns' in record.spec) && Object.keys(record).length === 1;
}

interface Sample {
  id: string;
  messages: ChatMessage[] | null;
  /** The chat prompt of the last sampling the messages hold, as recorded (null for a text prompt). */
  lastPrompt: unknown[] | null;
  /** The recorded usage of each sampling the messages hold. */
  stats: Array<CallStats | null>;
  evaluation: Evaluation;
  reward: number | null;
  /** Further samplings that are not turns of the conversation. */
  skipped: number;
  error: string | null;
}

/** The recorded usage of a sampling (`usage`, as the OpenAI completion functions record it), or null. */
function samplingStats(data: Record<string, unknown>): CallStats | null {
  const usage = data.usage;
  return isObject(usage) ? callStats(recordedUsage(usage.prompt_tokens, usage.completion_tokens, usage.total_tokens), null) : null;
}

/** Whether two recorded chat messages are the same (as JSON, key order aside). */
function sameMessage(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonical) : isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])])) : v);
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * The messages a chat prompt adds after `previous` and the reply to it, when it continues that
 * conversation (see the top of this file); null when it does not.
 */
function continuation(previous: readonly unknown[], prompt: unknown): unknown[] | null {
  if (!Array.isArray(prompt) || prompt.length <= previous.length) return null;
  if (!previous.every((m, i) => sameMessage(m, prompt[i]))) return null;
  const reply: unknown = prompt[previous.length];
  return isObject(reply) && reply.role === 'assistant' ? prompt.slice(previous.length + 1) : null;
}

/** The completion of a sampling: the first of a list, or the text itself. */
function completionOf(sampled: unknown): string | null {
  const first: unknown = Array.isArray(sampled) ? sampled[0] : sampled;
  return typeof first === 'string' ? first : first == null ? null : JSON.stringify(first);
}

/** An OpenAI evals record: one trajectory per sample, in the order the samples first appear. */
export function importOpenAiEvalsLog(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  const samples = new Map<string, Sample>();
  const skipped = new Map<string, number>();
  let model: string | null = null;
  let evalName: string | null = null;
  const read = eachObjectLine(text, fileName, problems, (line) => {
    if (isObject(line.spec)) {
      const fns = line.spec.completion_fns;
      model = (Array.isArray(fns) ? str(fns[0]) : null) ?? str(line.spec.model_name) ?? model;
      evalName = str(line.spec.eval_name) ?? evalName;
      return;
    }
    if ('final_report' in line) return;
    const id = typeof line.sample_id === 'string' || typeof line.sample_id === 'number' ? String(line.sample_id) : null;
    const type = str(line.type);
    if (id === null || type === null) throw new Misfit('not a spec, a final report or an event (sample_id and type); the line is left out');
    const data = isObject(line.data) ? line.data : {};
    let sample = samples.get(id);
    if (!sample) {
      sample = { id, messages: null, lastPrompt: null, stats: [], evaluation: { scores: [] }, reward: null, skipped: 0, error: null };
      samples.set(id, sample);
    }
    if (type === 'sampling') {
      const prompt = data.prompt;
      const completion = completionOf(data.sampled);
      if (sample.messages) {
        const added = sample.lastPrompt ? continuation(sample.lastPrompt, prompt) : null;
        if (added === null) {
          sample.skipped += 1;
          return;
        }
        sample.messages.push(...messagesOf(added, `${id}: data.prompt`));
      } else {
        sample.messages = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : messagesOf(prompt, `${id}: data.prompt`);
      }
      sample.lastPrompt = Array.isArray(prompt) ? prompt : null;
      if (completion === null) return;
      sample.messages.push({ role: 'assistant', content: completion });
      sample.stats.push(samplingStats(data));
    } else if (VERDICTS.has(type)) {
      const correct = pyBoolean(data.correct);
      if (correct !== null && sample.reward === null) sample.reward = correct ? 1 : 0;
      if (data.expected !== undefined) sample.evaluation.target = data.expected;
      for (const [scorer, value] of Object.entries(data)) if (scorer !== 'expected') sample.evaluation.scores.push({ scorer, value });
    } else if (type === 'error') {
      sample.error ??= [str(data.type), str(data.message)].filter((t) => t).join(': ') || 'unknown';
    } else skipped.set(type, (skipped.get(type) ?? 0) + 1);
  });
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  for (const [type, count] of skipped) problems.push(`${fileName}: ${count} ${type} event${count === 1 ? '' : 's'} not shown`);
  const trajectories: Trajectory[] = [];
  for (const sample of samples.values()) {
    if (!sample.messages) {
      problems.push(`${fileName}: sample ${sample.id}: no sampling event that could be read, so no conversation; left out`);
      continue;
    }
    if (sample.skipped > 0) problems.push(`${fileName}: sample ${sample.id}: ${sample.skipped} further sampling${sample.skipped === 1 ? '' : 's'} (a grader's, or a retry) not shown`);
    const t: Trajectory = { id: sample.id, model, messages: sample.messages, reward: sample.reward, recorded: {}, source: { format: FORMAT, index: trajectories.length } };
    if (sample.stats.some((v) => v !== null)) t.callStats = sample.stats;
    if (sample.error !== null) t.stopReason = `error: ${sample.error}`.split('\n')[0]!;
    if (sample.evaluation.scores.length > 0 || sample.evaluation.target !== undefined) t.evaluation = { ...sample.evaluation, metadata: { eval: evalName ?? baseName(fileName) } };
    trajectories.push(t);
  }
  if (trajectories.length === 0) throw new Misfit(`no sample has a sampling event that could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  return { trajectories, problems };
}
