import { deriveAgentResult, type Trajectory } from './trajectory.js';

/** One trajectory as a collection lists it (the collection table, `convert --list`). */
export interface TrajectorySummary {
  /** Position in the file, from 0. */
  index: number;
  id: string;
  model: string | null;
  turns: number;
  toolCalls: number;
  /** `tool_calls_exec_error` of the AgentResult (recorded, or derived with the engine's rules). */
  toolErrors: number;
  finishedNaturally: boolean;
  reward: number | null;
  /** Distinct tool names called, in first-call order (for the tool-name filter). */
  toolNames: string[];
  /** The first user message, cut to a line (for the text filter and the table). */
  preview: string;
  /** A branch's parent trajectory id and the last of its turns the branch kept (branches only). */
  parentId?: string | null;
  forkTurn?: number | null;
}

const PREVIEW_CHARS = 160;

function previewOf(t: Trajectory): string {
  const first = t.messages.find((m) => m.role === 'user');
  const content = first?.content;
  const text = typeof content === 'string' ? content : content == null ? '' : JSON.stringify(content);
  return text.slice(0, PREVIEW_CHARS * 2).replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS);
}

/** The collection row of a trajectory at `index`. */
export function summarizeTrajectory(t: Trajectory, index: number): TrajectorySummary {
  const { result } = deriveAgentResult(t);
  const names = new Set<string>();
  let toolCalls = 0;
  for (const m of t.messages) {
    if (m.role !== 'assistant') continue;
    for (const call of m.tool_calls ?? []) {
      toolCalls += 1;
      names.add(call.function.name);
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
    reward: t.reward,
    toolNames: [...names],
    preview: previewOf(t),
    ...(t.branch ? { parentId: t.branch.parentId, forkTurn: t.branch.forkTurn } : {}),
  };
}
