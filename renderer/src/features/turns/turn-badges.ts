import { jsonTruthy } from '#shared/loop/json-semantics.js';
import type { RunSnapshot, ToolCallRecord, TurnRecord } from '#shared/run/run-state.js';
import { pendingToolCalls } from '../trajectory/pending-calls.js';

/** A badge on a turn row, in the words the row shows. */
export type TurnBadge =
  | 'failed'
  | 'pending tool calls'
  | 'edited at breakpoint'
  | 'skipped at breakpoint'
  | 'tool error'
  | 'unknown tool'
  | 'coerced arguments'
  | 'has reasoning'
  | 'truncated prompt'
  | 'over budget'
  | 'call edited';

/** Whether some tool calls of the turn's reply have not run and still may (the run has not ended). */
function hasPendingCalls(turn: TurnRecord, ended: boolean): boolean {
  return !ended && pendingToolCalls(turn).length > 0;
}

/** The badges of a turn, most serious first; `ended`: the run has ended (nothing is pending any more). */
export function turnBadges(turn: TurnRecord, ended = false): TurnBadge[] {
  const badges: TurnBadge[] = [];
  if (turn.failure) badges.push('failed');
  if (hasPendingCalls(turn, ended)) badges.push('pending tool calls');
  const changed = Object.values(turn.interventions ?? {});
  if (changed.some((c) => c.action === 'edit')) badges.push('edited at breakpoint');
  if (changed.some((c) => c.action === 'skip')) badges.push('skipped at breakpoint');
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

/** How the run ended, or null while it goes on. */
type RunEnd = NonNullable<RunSnapshot['end']>['reason'] | null;

/** What a turn row calls the turn: its tool names (those it asked for, run or not), or what the model did instead. */
export function turnSummary(turn: TurnRecord, runEnd: RunEnd = null): string {
  const asked = turn.reply?.tool_calls ?? [];
  if (asked.length > turn.toolCalls.length) return asked.map((c) => c.function.name ?? 'None').join(', ');
  if (turn.toolCalls.length > 0) return turn.toolCalls.map((c) => c.name).join(', ');
  if (turn.failure) return 'model call failed';
  if (turn.reply) return 'answer';
  // Nothing waits for the model once the run has ended.
  if (runEnd === 'stopped') return 'stopped before the reply';
  if (runEnd !== null) return 'no reply';
  return 'waiting for the model';
}

/**
 * A tool call's status in words: a call with no result is running while the run goes on, and
 * has "no result" once it ended (stopped, or a recording that closed without one, such as an
 * OpenHands `finish`).
 */
export function callStatusText(call: ToolCallRecord, runEnded: boolean): string {
  if (call.status === 'running') return runEnded ? 'no result' : 'running';
  return call.status === 'ok' ? 'ok' : 'error';
}
