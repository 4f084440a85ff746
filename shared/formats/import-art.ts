import { z } from 'zod';
import type { Evaluation, TrajectoryGroup } from './trajectory-details.js';
import { checkNesting, isObject, Misfit, messagesOf, parseJson, parseWith, toolSchemasOf } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// The trajectories of OpenPipe's ART (Agent Reinforcement Trainer), as it keeps them under
// `.art/PROJECT/models/MODEL/trajectories/SPLIT/STEP.jsonl`: one trajectory group per line,
// `{"trajectories": [...]}`, each trajectory with `messages_and_choices` (chat messages, and the
// model's own turns as the OpenAI `Choice`s it returned: `{finish_reason, index, message}`),
// `reward`, `metrics`, `metadata`, `tools`, `additional_histories` and `logs`. Later ART versions
// write the same trajectories to Parquet, one row each with its `group_index`, `messages` (each
// message's `tool_calls` as JSON text) and `metrics`, `metadata` and `tools` as JSON text: those
// rows are messages lines, and {@link artRowDetails} reads what they add.
//
// A group's trajectories are rollouts of one prompt: each keeps its group, with its reward as the
// group's score. The metrics are the evaluation's scores, and the metadata its metadata.
//
// A rollout that raised is not a trajectory: ART keeps it in the group's `exceptions` (`{type,
// message, traceback}`). Each trajectory of the group names them in its problems; a group whose
// rollouts all raised cannot be read, and says what they raised.

/** True for a line of ART trajectory groups: `trajectories`, each with `messages_and_choices`. */
export function isArtGroupLine(record: unknown): boolean {
  return isObject(record) && Array.isArray(record.trajectories) && record.trajectories.every((t) => isObject(t) && Array.isArray(t.messages_and_choices)) && !('messages' in record);
}

const groupLine = z.lazy(() => z.looseObject({ trajectories: z.array(z.unknown()), exceptions: z.array(z.unknown()).nullable().optional() }));
const artTrajectory = z.lazy(() =>
  z.looseObject({
    messages_and_choices: z.array(z.unknown()),
    reward: z.number().nullable().optional(),
    metrics: z.unknown().optional(),
    metadata: z.unknown().optional(),
    tools: z.unknown().optional(),
    additional_histories: z.array(z.unknown()).nullable().optional(),
  }),
);

/** A value, or the value of its JSON text (as ART's Parquet rows keep their dicts); `field` names it in problems. */
function jsonValue(value: unknown, field: string, problems: string[]): unknown {
  if (typeof value !== 'string') return value;
  const parsed = parseJson(value);
  if (!parsed.ok) {
    problems.push(`${field}: ${parsed.error}; it is left out`);
    return undefined;
  }
  checkNesting(parsed.value, field, value);
  return parsed.value;
}

/** The evaluation an ART trajectory records: its metrics as scores, its metadata as the evaluation's. */
function evaluationOf(metrics: unknown, metadata: unknown): Evaluation | undefined {
  const scores = isObject(metrics) ? Object.entries(metrics).map(([scorer, value]) => ({ scorer, value })) : [];
  if (scores.length === 0 && !isObject(metadata)) return undefined;
  return isObject(metadata) ? { scores, metadata } : { scores };
}

/**
 * What an ART Parquet row (a messages line with `group_index`) adds to its trajectory: its group,
 * and its metrics and metadata as the evaluation; null for any other line.
 */
export function artRowDetails(row: Record<string, unknown>, index: number, reward: number | null, problems: string[]): { group: TrajectoryGroup; evaluation?: Evaluation } | null {
  if (typeof row.group_index !== 'number' || !Number.isInteger(row.group_index)) return null;
  const evaluation = evaluationOf(jsonValue(row.metrics, 'metrics', problems), jsonValue(row.metadata, 'metadata', problems));
  const group: TrajectoryGroup = { id: `group ${row.group_index}`, index, size: null, score: reward };
  return evaluation ? { group, evaluation } : { group };
}

/** What the rollouts of a group that raised raised, as one line: `TimeoutError: rollout timed out; ...`. */
function raisedText(exceptions: readonly unknown[]): string {
  return exceptions.map((e) => (isObject(e) ? `${String(e.type ?? 'exception').replace(/^<class '(.*)'>$/, '$1')}: ${String(e.message ?? '')}` : JSON.stringify(e))).join('; ');
}

/** One line of ART trajectory groups: a trajectory per rollout, each in the line's group (`id` is `FILE:LINE`). */
export function importArtGroup(data: unknown, id: string, index: number): Trajectory[] {
  const { trajectories, exceptions } = parseWith(groupLine, data);
  const raised = exceptions ?? [];
  if (trajectories.length === 0) throw new Misfit(`trajectories: the group holds no trajectory${raised.length > 0 ? `; its rollouts raised: ${raisedText(raised)}` : ''}`);
  return trajectories.map((item, k): Trajectory => {
    const at = `trajectories[${k}]`;
    const t = parseWith(artTrajectory, item, at);
    // A Choice is the model's reply to the messages before it: its message is the assistant's turn.
    const list = t.messages_and_choices.map((m) => (isObject(m) && 'finish_reason' in m && isObject(m.message) ? m.message : m));
    const reward = t.reward ?? null;
    const problems: string[] = [];
    const trajectory: Trajectory = {
      id: `${id}.${k}`,
      model: null,
      messages: messagesOf(list, `${at}.messages_and_choices`),
      reward,
      recorded: {},
      source: { format: 'art-trajectory-groups', index: index + k },
      group: { id, index: k, size: trajectories.length, score: reward },
    };
    const tools = jsonValue(t.tools, `${at}.tools`, problems);
    const schemas = Array.isArray(tools) ? toolSchemasOf(tools) : undefined;
    if (schemas) trajectory.tools = schemas;
    const evaluation = evaluationOf(t.metrics, t.metadata);
    if (evaluation) trajectory.evaluation = evaluation;
    const others = t.additional_histories?.length ?? 0;
    if (raised.length > 0) problems.push(`exceptions: ${raised.length === 1 ? 'another rollout of this group raised and is' : `${raised.length} other rollouts of this group raised and are`} not shown: ${raisedText(raised)}`);
    if (others > 0) problems.push(`${at}.additional_histories: ${others === 1 ? 'a further history (another conversation of this rollout) is' : `${others} further histories (other conversations of this rollout) are`} not shown`);
    if (problems.length > 0) trajectory.problems = problems;
    return trajectory;
  });
}

