import { jsonTruthy } from '../../../../shared/loop/json-semantics.js';
import type { TurnRecord } from '../../../../shared/run/run-state.js';

/** A badge on a turn row, in the words the row shows. */
export type TurnBadge = 'failed' | 'tool error' | 'unknown tool' | 'coerced arguments' | 'has reasoning' | 'truncated prompt' | 'over budget' | 'call edited';

/** The badges of a turn, most serious first. */
export function turnBadges(turn: TurnRecord): TurnBadge[] {
  const badges: TurnBadge[] = [];
  if (turn.failure) badges.push('failed');
  if (turn.toolCalls.some((c) => c.status === 'error_result' || c.status === 'exception')) badges.push('tool error');
  if (turn.toolCalls.some((c) => c.status === 'unknown_tool')) badges.push('unknown tool');
  if (turn.toolCalls.some((c) => c.schemaValid === false)) badges.push('coerced arguments');
  if (jsonTruthy(turn.reasoning)) badges.push('has reasoning');
  const view = turn.promptView;
  if (view && view.phase !== 'none') badges.push('truncated prompt');
  // Truncation never touches the first two and the last messages: their estimate alone can exceed the budget.
  if (view && view.budget !== null && view.estimatedTokens > view.budget) badges.push('over budget');
  // The model call went out as the user changed it, not as the loop built it.
  if (turn.callEdit) badges.push('call edited');
  return badges;
}

/** Whether the "Errors only" filter keeps a turn: a failed model call or any failed tool call. */
export function turnHasError(turn: TurnRecord): boolean {
  return turn.failure !== null || turn.toolCalls.some((c) => c.status !== 'ok' && c.status !== 'running');
}

/** What a turn row calls the turn: its tool names, or what the model did instead. */
export function turnSummary(turn: TurnRecord): string {
  if (turn.toolCalls.length > 0) return turn.toolCalls.map((c) => c.name).join(', ');
  if (turn.failure) return 'model call failed';
  if (turn.reply) return 'answer';
  return 'waiting for the model';
}
