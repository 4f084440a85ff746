import type { RunEventBody } from '#shared/run/events.js';
import type { ToolCallIntervention, ToolCallInterventionRequest } from '#shared/run/intervention.js';
import type { RunSnapshot } from '#shared/run/run-state.js';

/**
 * The error a skipped call is recorded with, as if the tool had raised it (the pattern of a
 * rejected command): its result is `{"error": "Tool execution failed: PermissionError: the user
 * skipped the call"}`, its status `exception`, and it counts as an exec error and a `tool_errors` entry.
 */
export const SKIPPED_CALL_ERROR = 'PermissionError: the user skipped the call';

/** Why a tool call cannot be changed now, naming the run, the turn and the call; null when it can. */
function refusal(s: RunSnapshot, turn: number, index: number): string | null {
  const where = `run ${s.runId}, turn ${turn}, tool call ${index}`;
  if (s.end !== null) return `${where}: the run has ended`;
  const paused = s.pausedAt;
  if (!paused || paused.turn !== turn || (paused.at !== 'before_tools' && paused.at !== 'tool_error')) {
    return `${where}: the run is not paused before the tools of turn ${turn}`;
  }
  const record = s.turns[turn - 1];
  const call = record?.reply?.tool_calls?.[index];
  if (!record || !call) return `${where}: the reply of turn ${turn} has no such tool call`;
  if (record.toolCalls[index] !== undefined) return `${where}: the call has already run`;
  if (typeof call.function.arguments !== 'string') return `${where}: the model's arguments are not a string`;
  return null;
}

/**
 * The event that records the user's change to a tool call of the paused turn that has not run
 * yet; throws, naming the call, when the run is not paused before it.
 */
export function interventionEvent(s: RunSnapshot, turn: number, index: number, request: ToolCallInterventionRequest): RunEventBody {
  const problem = refusal(s, turn, index);
  if (problem !== null) throw new Error(problem);
  const modelArguments = s.turns[turn - 1]!.reply!.tool_calls![index]!.function.arguments;
  const intervention: ToolCallIntervention =
    request.action === 'edit' ? { action: 'edit', modelArguments, arguments: request.arguments } : { action: 'skip', modelArguments };
  return { type: 'tool_call_intervened', turn, index, intervention };
}

/** The user's change to a call the loop is about to run, if any. */
export function interventionOn(s: RunSnapshot, turn: number, index: number): ToolCallIntervention | null {
  return s.turns[turn - 1]?.interventions?.[index] ?? null;
}
