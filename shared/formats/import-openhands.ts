import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { isObject, messageSchema, normalizeMessage, parseEach, parseWith, raisedToolContent, str, toolSchemasOf } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// OpenHands event lists (the JSON array a conversation's events are saved as).
//
// - A user message action is a user message (its `image_urls` as image content parts); a system message action (newer logs) is the system
//   message, and its `tools` are the trajectory's tools.
// - Agent actions with `tool_call_metadata` are function calls: one assistant message per distinct
//   `model_response` (content, tool calls and reasoning from `choices[0].message`), so actions that
//   one response asked for are one turn. An agent message action without one is assistant text.
// - An observation answering a tool call (its own `tool_call_metadata`, or its `cause` action's)
//   is that call's tool message. Its text is the observation `content`, except an OpenHands-ACI
//   edit, whose model-facing text OpenHands recorded as `extras.formatted_output_and_error`. An
//   error observation is recorded as the reference loop records a tool that raised
//   (`{"error": "Tool execution failed: ErrorObservation: ..."}`) so that it counts as a tool error.
//   The per-type framing OpenHands adds when it builds the prompt (exit-code lines and such) is not
//   recorded in the events and is not reproduced.
// - Actions without tool metadata in non-function-calling runs are assistant text (the thought and
//   OpenHands' description of the action), their observations user messages, as OpenHands sends them.
// - An agent `finish` action records `finished_naturally: true`: calling finish is how an OpenHands
//   agent ends a run itself (the call has no tool result).
// - Older histories are lists of `[action, observation]` pairs: they are read as the events in order.
// - A list none of whose events becomes a message still opens, with a problem that says why.
// - Evaluation outputs (`output.jsonl`): one `{instance_id, history, test_result, metadata, error}`
//   per line, each line a trajectory named by its instance id; the test result is kept as a score
//   (its `resolved`, where it has one, as the reward), an `error` as the stop reason.

const toolCallMetadata = z.looseObject({
  function_name: z.string().nullable().optional(),
  tool_call_id: z.string(),
  model_response: z.looseObject({
    id: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    choices: z.array(z.looseObject({ message: z.record(z.string(), z.unknown()) })).min(1),
  }).nullable().optional(),
});

const event = z.looseObject({
  id: z.number().int().nullable().optional(),
  source: z.string().nullable().optional(),
  message: z.string().nullable().optional(),
  action: z.string().nullable().optional(),
  observation: z.string().nullable().optional(),
  content: z.unknown().optional(),
  cause: z.number().int().nullable().optional(),
  args: z.record(z.string(), z.unknown()).nullable().optional(),
  extras: z.record(z.string(), z.unknown()).nullable().optional(),
  tool_call_metadata: toolCallMetadata.nullable().optional(),
});
type OpenHandsEvent = z.infer<typeof event>;

/** The events of a history: `[action, observation]` pairs (older histories) taken in order. */
function flatEvents(items: readonly unknown[]): unknown[] {
  return items.flatMap((item) => (Array.isArray(item) ? item : [item]));
}

/** Agent actions that are bookkeeping, never sent to the model. */
const BOOKKEEPING = new Set(['change_agent_state', 'recall', 'null', 'condensation', 'condensation_request', 'push', 'send_pr']);

const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v));

/** A message's text with the images a message action attached (`image_urls`), as OpenAI content parts. */
function withImages(content: string, imageUrls: unknown): ChatMessage['content'] {
  const urls = Array.isArray(imageUrls) ? imageUrls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
  if (urls.length === 0) return content;
  return [{ type: 'text', text: content }, ...urls.map((url) => ({ type: 'image_url', image_url: { url } }))];
}

/** The text an observation gave the model (see above). */
function observationText(e: OpenHandsEvent): string {
  const shown = e.extras?.formatted_output_and_error;
  return typeof shown === 'string' && shown !== '' ? shown : text(e.content);
}

/** An OpenHands event list as one trajectory. */
export function importOpenHands(data: unknown, id: string): Trajectory[] {
  return [openHandsTrajectory(data, id, '')];
}

/** The trajectory of an event list (or of pairs) found at `at` in the file. */
function openHandsTrajectory(data: unknown, id: string, at: string): Trajectory {
  const problems: string[] = [];
  // One event that does not fit is reported and left out; the others open.
  const events = parseEach(event, parseWith(z.array(z.unknown()), Array.isArray(data) ? flatEvents(data) : data, at), at, problems, 'the event is left out').map((e) => e.value);
  const messages: ChatMessage[] = [];
  const responses = new Set<string>();
  const actions = new Map<number, OpenHandsEvent>();
  const plainActions = new Set<number>();
  let model: string | null = null;
  let tools: Trajectory['tools'];
  let finished = false;
  events.forEach((e, i) => {
    if (e.action) {
      if (typeof e.id === 'number') actions.set(e.id, e);
      const args = e.args ?? {};
      if (e.action === 'system') {
        messages.push({ role: 'system', content: text(args.content ?? e.message) });
        if (Array.isArray(args.tools)) tools ??= toolSchemasOf(args.tools);
        return;
      }
      if (e.source === 'user') {
        if (e.action === 'message') messages.push({ role: 'user', content: withImages(text(args.content ?? e.message), args.image_urls) });
        return;
      }
      if (e.source !== 'agent') return;
      if (e.action === 'finish') finished = true;
      const response = e.tool_call_metadata?.model_response;
      if (response) {
        const key = response.id ?? `event ${e.id ?? i}`;
        if (responses.has(key)) return;
        responses.add(key);
        model ??= response.model ?? null;
        const reply = { ...response.choices[0]!.message, role: 'assistant' };
        messages.push(normalizeMessage(parseWith(messageSchema, reply, `[${i}].tool_call_metadata.model_response.choices[0].message`)));
        return;
      }
      if (e.action === 'message') {
        messages.push({ role: 'assistant', content: text(args.content ?? e.message) });
        return;
      }
      if (e.action === 'finish') {
        messages.push({ role: 'assistant', content: text(args.final_thought || args.thought || e.message) });
        return;
      }
      if (BOOKKEEPING.has(e.action)) return;
      messages.push({ role: 'assistant', content: [str(args.thought), e.message].filter((t) => t).join('\n') });
      if (typeof e.id === 'number') plainActions.add(e.id);
      return;
    }
    if (!e.observation) return;
    const cause = typeof e.cause === 'number' ? actions.get(e.cause) : undefined;
    const metadata = e.tool_call_metadata ?? cause?.tool_call_metadata;
    if (metadata) {
      const message: ChatMessage = { role: 'tool', tool_call_id: metadata.tool_call_id, content: e.observation === 'error' ? raisedToolContent(`ErrorObservation: ${text(e.content)}`) : observationText(e) };
      if (metadata.function_name) message.name = metadata.function_name;
      messages.push(message);
      return;
    }
    if (typeof e.cause === 'number' && plainActions.has(e.cause)) messages.push({ role: 'user', content: observationText(e) });
  });
  const trajectory: Trajectory = { id, model, messages, reward: null, recorded: finished ? { finished_naturally: true } : {}, source: { format: 'openhands-events', index: 0 } };
  if (tools) trajectory.tools = tools;
  if (messages.length === 0) problems.push(emptyWhy(events, at));
  if (problems.length > 0) trajectory.problems = problems;
  return trajectory;
}

/** Why no event of a list became a message: what sources and actions it holds. */
function emptyWhy(events: readonly OpenHandsEvent[], at: string): string {
  const kinds = [...new Set(events.map((e) => `${e.source ?? 'no source'}/${e.action ?? (e.observation ? `observation ${e.observation}` : 'no action')}`))];
  const held = events.length === 0 ? 'it holds no events' : `none of its ${events.length} events is a user or agent message or action (${kinds.slice(0, 6).join(', ')}${kinds.length > 6 ? ', …' : ''})`;
  return `${at || 'the event list'}: the trajectory is empty: ${held}`;
}

const evalOutputLine = z.looseObject({
  instance_id: z.union([z.string(), z.number()]),
  history: z.array(z.unknown()),
  test_result: z.unknown().optional(),
  metadata: z.looseObject({ llm_config: z.looseObject({ model: z.string().nullable().optional() }).nullable().optional() }).nullable().optional(),
  instruction: z.string().nullable().optional(),
  error: z.unknown().optional(),
});

/** `resolved` of a test result (at its top or in its `report`), as a reward; else null. */
function resolvedOf(testResult: unknown): number | null {
  if (!isObject(testResult)) return null;
  const report = isObject(testResult.report) ? testResult.report : {};
  const resolved = testResult.resolved ?? report.resolved;
  return typeof resolved === 'boolean' ? (resolved ? 1 : 0) : null;
}

/** One line of an OpenHands evaluation `output.jsonl`: the instance's history as a trajectory, with its outcome. */
export function importOpenHandsEvalLine(data: unknown, _id: string, index: number): Trajectory[] {
  const line = parseWith(evalOutputLine, data);
  const t = openHandsTrajectory(line.history, String(line.instance_id), 'history');
  t.source = { format: 'openhands-eval-jsonl', index };
  t.model ??= line.metadata?.llm_config?.model ?? null;
  t.reward = resolvedOf(line.test_result);
  t.evaluation = { scores: line.test_result === undefined ? [] : [{ scorer: 'test_result', value: line.test_result }], metadata: { instance_id: line.instance_id } };
  if (line.error != null && line.error !== '') {
    t.recorded.finished_naturally = false;
    t.stopReason = `error: ${typeof line.error === 'string' ? line.error : JSON.stringify(line.error)}`.split('\n')[0]!;
  }
  return [t];
}
