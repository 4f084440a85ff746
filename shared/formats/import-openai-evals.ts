import type { ChatMessage } from '../model/chat.js';
import { baseName, eachObjectLine, isObject, messagesOf, Misfit, pyBoolean, str, type TextImport } from './import-common.js';
import type { Evaluation, Trajectory } from './trajectory.js';

// The record of an OpenAI evals run (`oaieval ... --record_path`, by default
// `/tmp/evallogs/<run>.jsonl`): a `spec` line (the eval, its completion functions), a
// `final_report` line with the run's metrics, and one event per line, each with the `sample_id`
// it belongs to and its `type`:
//
// - `sampling`: a model call, `data.prompt` (chat messages, or the text of a completion prompt)
//   and `data.sampled` (the completions, a list or one text);
// - `match` (and `metrics`, which record_metrics writes): how the sample was graded, `data.correct`
//   with `expected` and `picked` for a match.
//
// Each sample is one trajectory: its first sampling's prompt and first completion, named by its
// sample id. A further sampling of the sample (a model-graded eval's grader) is listed as left out.
// The verdict is its evaluation, and `correct` its reward.

const FORMAT = 'openai-evals-log';
const VERDICTS = new Set(['match', 'metrics']);

/** True for an OpenAI evals record's first line: its `spec`. */
export function isOpenAiEvalsSpec(record: unknown): boolean {
  return isObject(record) && isObject(record.spec) && ('eval_name' in record.spec || 'completion_fns' in record.spec) && Object.keys(record).length === 1;
}

interface Sample {
  id: string;
  messages: ChatMessage[] | null;
  evaluation: Evaluation;
  reward: number | null;
  samplings: number;
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
      sample = { id, messages: null, evaluation: { scores: [] }, reward: null, samplings: 0 };
      samples.set(id, sample);
    }
    if (type === 'sampling') {
      sample.samplings += 1;
      if (sample.messages) return;
      const prompt = data.prompt;
      const messages = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : messagesOf(prompt, `${id}: data.prompt`);
      const completion = completionOf(data.sampled);
      if (completion !== null) messages.push({ role: 'assistant', content: completion });
      sample.messages = messages;
    } else if (VERDICTS.has(type)) {
      const correct = pyBoolean(data.correct);
      if (correct !== null && sample.reward === null) sample.reward = correct ? 1 : 0;
      if (data.expected !== undefined) sample.evaluation.target = data.expected;
      for (const [scorer, value] of Object.entries(data)) if (scorer !== 'expected') sample.evaluation.scores.push({ scorer, value });
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
    if (sample.samplings > 1) problems.push(`${fileName}: sample ${sample.id}: ${sample.samplings - 1} further sampling${sample.samplings === 2 ? '' : 's'} (a grader's, or a retry) not shown`);
    const t: Trajectory = { id: sample.id, model, messages: sample.messages, reward: sample.reward, recorded: {}, source: { format: FORMAT, index: trajectories.length } };
    if (sample.evaluation.scores.length > 0 || sample.evaluation.target !== undefined) t.evaluation = { ...sample.evaluation, metadata: { eval: evalName ?? baseName(fileName) } };
    trajectories.push(t);
  }
  if (trajectories.length === 0) throw new Misfit(`no sample has a sampling event that could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  return { trajectories, problems };
}
