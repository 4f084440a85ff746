import { z } from 'zod';
import type { TokenUsage } from '../model/chat.js';
import { callStats, isObject, num, parseWith, recordedUsage, str } from './import-common.js';
import { ResponsesConversation } from './import-responses.js';
import type { CallStats, Trajectory } from './trajectory.js';

// The OpenAI Agents SDK's saved run state: what a run waiting for a tool approval is kept as, and
// what an app stores to resume it. The JavaScript SDK writes it in camel case
// (`result.state.toString()`, `RunState.toJSON()`); the Python SDK (`state.to_json()`,
// `to_string()`) the same fields in snake case (`original_input`, `model_responses`,
// `generated_items` with each item's `raw_item`, `current_step`), its usage counts too
// (`input_tokens`, `input_tokens_details`), and the calls waiting for approval in the current
// step's `data.interruptions` rather than among the generated items. Both are read alike:
//
// - The conversation is the run's `originalInput` (a text, or Responses items) and then the `rawItem`
//   of each of its `generatedItems`, in order: what the run's `result.history` holds, read as
//   Responses items (see import-responses.ts). A `tool_approval_item` repeats a call already listed,
//   waiting for the user's decision: it is the reason the run stopped, not a message.
// - Each of `modelResponses` is one model call with its usage (`inputTokens`, `outputTokens`, the
//   cached and reasoning tokens in their details): the usage of the turn at its place, when the
//   responses that wrote something and the turns are as many (else it is left off, and said).
// - `currentStep` says how it ended: a final output is a finished run; an interruption (approvals)
//   or a step still to run is not, and is the stop reason.
// - The model is the last one a response's `providerData` names; the id the trace's, when traced.

/** True for a saved run state of the OpenAI Agents SDK, for JavaScript or for Python. */
export function isAgentsRunState(data: unknown): boolean {
  if (!isObject(data) || typeof data.$schemaVersion !== 'string') return false;
  return (Array.isArray(data.modelResponses) && Array.isArray(data.generatedItems) && 'originalInput' in data) || (Array.isArray(data.model_responses) && Array.isArray(data.generated_items) && 'original_input' in data);
}

/** A Python run state with the JavaScript SDK's field names (the fields read here); a JavaScript one as it is. */
function camelState(data: unknown): unknown {
  if (!isObject(data) || !Array.isArray(data.generated_items) || 'generatedItems' in data) return data;
  const item = (value: unknown): unknown => (isObject(value) && 'raw_item' in value && !('rawItem' in value) ? { ...value, rawItem: value.raw_item } : value);
  return {
    ...data,
    originalInput: data.original_input,
    modelResponses: data.model_responses,
    generatedItems: data.generated_items.map(item),
    currentStep: isObject(data.current_step) && isObject(data.current_step.data) && Array.isArray(data.current_step.data.interruptions) ? { ...data.current_step, data: { ...data.current_step.data, interruptions: data.current_step.data.interruptions.map(item) } } : data.current_step,
  };
}

const runStateSchema = z.lazy(() => z.looseObject({
  $schemaVersion: z.string(),
  originalInput: z.union([z.string(), z.array(z.unknown())]),
  modelResponses: z.array(z.looseObject({ usage: z.unknown().optional(), output: z.array(z.unknown()).nullable().optional(), providerData: z.unknown().optional() })),
  generatedItems: z.array(z.looseObject({ type: z.string(), rawItem: z.unknown().optional() })),
  currentStep: z.looseObject({ type: z.string() }).nullable().optional(),
  trace: z.looseObject({ id: z.string().nullable().optional() }).nullable().optional(),
}));

/** The sum of `key` over a usage detail, which the SDK keeps as a record or a list of them (one per request). */
function detailCount(detail: unknown, key: string): number | null {
  let sum: number | null = null;
  for (const record of Array.isArray(detail) ? detail : [detail]) {
    const n = isObject(record) ? num(record[key]) : null;
    if (n !== null) sum = (sum ?? 0) + n;
  }
  return sum;
}

/** A model response's usage in the OpenAI names (input tokens include the cached ones, output tokens the reasoning ones). */
function responseUsage(usage: unknown): TokenUsage | undefined {
  if (!isObject(usage)) return undefined;
  const counts = recordedUsage(usage.inputTokens ?? usage.input_tokens, usage.outputTokens ?? usage.output_tokens, usage.totalTokens ?? usage.total_tokens);
  if (!counts) return undefined;
  const cached = detailCount(usage.inputTokensDetails ?? usage.input_tokens_details, 'cached_tokens');
  if (cached !== null) counts.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = detailCount(usage.outputTokensDetails ?? usage.output_tokens_details, 'reasoning_tokens');
  if (reasoning !== null) counts.completion_tokens_details = { reasoning_tokens: reasoning };
  return counts;
}

/** The names of the calls waiting for approval, in order: the generated items' (JavaScript), else the current step's interruptions (Python). */
function waitingCalls(items: ReadonlyArray<{ type: string; rawItem?: unknown }>, step: unknown): string[] {
  const interruptions = isObject(step) && isObject(step.data) && Array.isArray(step.data.interruptions) ? step.data.interruptions.filter(isObject) : [];
  const listed = items.some((item) => item.type === 'tool_approval_item') ? items : (interruptions as Array<{ type: string; rawItem?: unknown }>);
  return listed.filter((item) => item.type === 'tool_approval_item').map((item) => (isObject(item.rawItem) ? (str(item.rawItem.name) ?? str(item.rawItem.type)) : null) ?? 'a tool call');
}

/** A saved run state as one trajectory (see the notes above). */
export function importAgentsRunState(data: unknown, id: string): Trajectory[] {
  const state = parseWith(runStateSchema, camelState(data));
  const conversation = new ResponsesConversation();
  if (typeof state.originalInput === 'string') conversation.messages.push({ role: 'user', content: state.originalInput });
  else state.originalInput.forEach((item, i) => conversation.add(item, `originalInput[${i}]`));
  conversation.close();
  const problems: string[] = [];
  state.generatedItems.forEach((item, i) => {
    if (item.type === 'tool_approval_item') return;
    if (item.rawItem === undefined) problems.push(`generatedItems[${i}]: a ${item.type} without its rawItem is left out`);
    else conversation.add(item.rawItem, `generatedItems[${i}].rawItem`);
  });
  conversation.close();
  problems.push(...conversation.problems);

  const model = state.modelResponses.map((r) => (isObject(r.providerData) ? str(r.providerData.model) : null)).findLast((m) => m !== null) ?? null;
  const traceId = state.trace?.id;
  const trajectory: Trajectory = { id: traceId && traceId !== 'no-op' ? traceId : id, model, messages: conversation.messages, reward: null, recorded: {}, source: { format: 'openai-agents-state', index: 0 } };

  const step = state.currentStep?.type;
  if (step === 'next_step_final_output') trajectory.recorded.finished_naturally = true;
  else if (step !== undefined) {
    trajectory.recorded.finished_naturally = false;
    const waiting = waitingCalls(state.generatedItems, state.currentStep);
    trajectory.stopReason = step === 'next_step_interruption' && waiting.length > 0 ? `waiting for approval of ${waiting.join(', ')}` : step;
  }

  const written = state.modelResponses.filter((r) => (r.output ?? []).length > 0);
  const turns = conversation.messages.filter((m) => m.role === 'assistant').length;
  const stats: Array<CallStats | null> = written.map((r) => callStats(responseUsage(r.usage), null));
  if (stats.some((s) => s !== null)) {
    if (stats.length === turns) trajectory.callStats = stats;
    else problems.push(`modelResponses: ${written.length} model calls wrote output but the conversation has ${turns} turns; the usage is left off the turns`);
  }
  if (problems.length > 0) trajectory.problems = problems;
  return [trajectory];
}
