import { z } from 'zod';
import { deriveRowCounts, type RowCounts, type Trajectory } from './trajectory.js';

/** One trajectory as a collection lists it (the collection table, `convert --list`); crosses IPC. */
export const trajectorySummarySchema = z.lazy(() => z.object({
  /** Position in the file, from 0. */
  index: z.number().int().nonnegative(),
  id: z.string(),
  model: z.string().nullable(),
  turns: z.number().int().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  /** `tool_calls_exec_error` of the AgentResult (recorded, or derived with the engine's rules). */
  toolErrors: z.number().int().nonnegative(),
  /** Whether the agent ended the run itself (see `FINISHED_MEANING`). */
  finishedNaturally: z.boolean(),
  /** How the file says the run ended, in its own words; null when it does not say. */
  stopReason: z.string().nullable().optional(),
  reward: z.number().nullable(),
  /** Distinct tool names called, in first-call order (for the tool-name filter). */
  toolNames: z.array(z.string()),
  /** The first user message, cut to a line (for the text filter and the table). */
  preview: z.string(),
  /** A branch's parent trajectory id and the last of its turns the branch kept (branches only). */
  parentId: z.string().nullable().optional(),
  forkTurn: z.number().int().nonnegative().nullable().optional(),
  /** The group of rollouts of one prompt this one belongs to, and its place in it (rollout groups only). */
  groupId: z.string().nullable().optional(),
  groupIndex: z.number().int().nonnegative().nullable().optional(),
}));
export type TrajectorySummary = z.infer<typeof trajectorySummarySchema>;

const PREVIEW_CHARS = 160;

/** A trajectory's first user message cut to a line: the row's `preview`, also what a row read back is checked by. */
export function previewOf(t: Trajectory): string {
  const first = t.messages.find((m) => m.role === 'user');
  const content = first?.content;
  const text = typeof content === 'string' ? content : content == null ? '' : JSON.stringify(content);
  return text.slice(0, PREVIEW_CHARS * 2).replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
}

/**
 * The collection row of a trajectory at `index` (`result`: its AgentResult, when derived already;
 * else only the figures a row shows are derived).
 */
export function summarizeTrajectory(t: Trajectory, index: number, result: RowCounts = deriveRowCounts(t)): TrajectorySummary {
  const names = new Set<string>();
  let toolCalls = 0;
  for (const m of t.messages) {
    if (m.role !== 'assistant') continue;
    for (const call of m.tool_calls ?? []) {
      toolCalls += 1;
      if (call.function.name !== null) names.add(call.function.name);
    }
  }
  return {
    index,
    id: t.id,
    model: t.model,
    turns: result.turns_used,
    toolCalls,
    toolErrors: result.tool_calls_exec_error,
    finishedNaturally: result.finished_naturally,
    stopReason: t.stopReason ?? null,
    reward: t.reward,
    toolNames: [...names],
    preview: previewOf(t),
    ...(t.branch ? { parentId: t.branch.parentId, forkTurn: t.branch.forkTurn } : {}),
    ...(t.group ? { groupId: t.group.id, groupIndex: t.group.index } : {}),
  };
}
