import type { ToolCallIntervention } from '#shared/run/intervention.js';
import type { TurnRecord } from '#shared/run/run-state.js';

/** A tool call of a turn's reply that has not started, with what the user changed about it. */
export interface PendingToolCall {
  index: number;
  name: string;
  /** The raw arguments it will run with (the user's when edited). */
  arguments: string;
  intervention: ToolCallIntervention | null;
}

/**
 * The calls of a turn's reply that have not started, while the turn is not finished: the one
 * definition the turn row (its count) and the turn card (each call) show. Whether they may still
 * run is the run's business: once it has ended, they never will.
 */
export function pendingToolCalls(turn: TurnRecord): PendingToolCall[] {
  if (turn.finished || !turn.reply) return [];
  const pending: PendingToolCall[] = [];
  (turn.reply.tool_calls ?? []).forEach((call, index) => {
    if (turn.toolCalls[index] !== undefined) return;
    const intervention = turn.interventions?.[index] ?? null;
    const sent: unknown = call.function.arguments;
    const args = intervention?.action === 'edit' ? intervention.arguments : typeof sent === 'string' ? sent : JSON.stringify(sent ?? null);
    pending.push({ index, name: call.function.name ?? 'None', arguments: args, intervention });
  });
  return pending;
}
