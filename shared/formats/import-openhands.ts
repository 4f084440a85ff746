import { z } from 'zod';
import { tokenUsageSchema, type ChatMessage, type TokenUsage, type ToolCall } from '../model/chat.js';
import { contentAsText, imageUrlPart } from './content-parts.js';
import { argumentsText, callStats, isObject, messageSchema, normalizeMessage, parseEach, parseWith, pyBoolean, raisedToolContent, str, toolSchemasOf, tryParse } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// OpenHands event lists (the JSON array a conversation's events are saved as).
//
// - A user message action is a user message (its `image_urls` as image content parts); a system message action (newer logs) is the system
//   message, and its `tools` are the trajectory's tools.
// - Agent actions with `tool_call_metadata` are function calls: one assistant message per distinct
//   `model_response` (content, tool calls and reasoning from `choices[0].message`), so actions that
//   one response asked for are one turn. An agent message action without one is assistant text.
// - An observation answering a tool call (its own `tool_call_metadata`, or its `cause` action's)
//   is that call's tool message. Its text is what OpenHands put in the prompt for it: a command's
//   output framed as `CmdOutputObservation.to_agent_observation` frames it from the recorded
//   `extras.metadata` (see commandText), an OpenHands-ACI edit's `extras.formatted_output_and_error`,
//   else the observation `content`. Commands recorded before that metadata existed keep their bare
//   output: the framing their OpenHands version added is not in the events. An error observation
//   is recorded as the reference loop records a tool that raised
//   (`{"error": "Tool execution failed: ErrorObservation: ..."}`) so that it counts as a tool error.
//   The prompt's truncation to `max_message_chars` is not reproduced.
// - Actions without tool metadata in non-function-calling runs are assistant text (the thought and
//   OpenHands' description of the action), their observations user messages, as OpenHands sends them.
// - An agent `finish` action records `finished_naturally: true`: calling finish is how an OpenHands
//   agent ends a run itself (the call has no tool result).
// - An error observation that answers no tool call (a malformed action, a stuck loop, a failed
//   LLM call) is a user message of its text and "[Error occurred in processing last action]", as
//   OpenHands' ConversationMemory sends it to the model; a rejection likewise ("OBSERVATION:" and
//   "[Last action has been rejected by the user]").
// - The last `agent_state_changed` observation to a state a run ends in (finished, error, stopped,
//   rejected, awaiting user input) says how the run ended: that state (and `reason`, which says why
//   an `error` state was entered, such as the iteration limit) is the stop reason, and an `error`
//   state records `finished_naturally: false` unless the agent called finish. A list whose last
//   state is another (running, paused) was saved while the run went on, and says nothing of its end.
// - Older histories are lists of `[action, observation]` pairs: they are read as the events in order.
// - A list none of whose events becomes a message still opens, with a problem that says why.
// - Evaluation outputs (`output.jsonl`): one `{instance_id, history, test_result, metadata, error}`
//   per line, each line a trajectory named by its instance id; the test result is kept as a score
//   (its `resolved`, where it has one, as the reward), an `error` as the stop reason, the model
//   from `metadata.llm_config.model` (V1: `metadata.llm.model`), and the task `instruction` as
//   the first user message when the history has none (V1 evaluations send it but do not record it).
//
// OpenHands V1 (the software-agent-sdk) events are told by their `kind` and read as the SDK's
// `LLMConvertibleEvent.events_to_messages` turns them into the prompt:
// - SystemPromptEvent: the system message (`system_prompt`, then `dynamic_context`); its `tools`.
// - MessageEvent: `llm_message` with the agent context's `extended_content` appended.
// - ActionEvent: an assistant message of its `thought` and `tool_call`; ActionEvents next to each
//   other with one `llm_response_id` are the parallel calls of one response, one message.
// - ObservationEvent, UserRejectObservation and AgentErrorEvent answer their `tool_call_id` with a
//   tool message: the observation's `to_llm_content`, "Action rejected: <reason>", the error.
//   An observation that reports an error (`is_error`, or `error` in older SDKs) and an
//   AgentErrorEvent (a call the scaffold could not run) are recorded as a tool that raised, as an
//   ErrorObservation is; the error header the SDK puts before such a text changed between SDK
//   versions and is not reproduced.
// - A FinishAction records `finished_naturally: true`. Events the prompt does not hold (state
//   updates, condensations, pauses, tokens) are left out.

const toolCallMetadata = z.lazy(() => z.looseObject({
  function_name: z.string().nullable().optional(),
  tool_call_id: z.string(),
  model_response: z.looseObject({
    id: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    choices: z.array(z.looseObject({ message: z.record(z.string(), z.unknown()) })).min(1),
  }).nullable().optional(),
}));

const event = z.lazy(() => z.looseObject({
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
}));
type OpenHandsEvent = z.infer<typeof event>;
const eventList = z.lazy(() => z.array(z.unknown()));

/** The events of a history: `[action, observation]` pairs (older histories) taken in order. */
function flatEvents(items: readonly unknown[]): unknown[] {
  return items.flatMap((item) => (Array.isArray(item) ? item : [item]));
}

/** The agent states a run ends in (OpenHands' `AgentState`), the others being states it passes through. */
const END_STATES: ReadonlySet<string> = new Set(['finished', 'error', 'stopped', 'rejected', 'awaiting_user_input']);

/** Agent actions that are bookkeeping, never sent to the model. */
const BOOKKEEPING = new Set(['change_agent_state', 'recall', 'null', 'condensation', 'condensation_request', 'push', 'send_pr']);

const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v));

/** A message's text with the images a message action attached (`image_urls`), as OpenAI content parts. */
function withImages(content: string, imageUrls: unknown): ChatMessage['content'] {
  const urls = Array.isArray(imageUrls) ? imageUrls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
  if (urls.length === 0) return content;
  return [{ type: 'text', text: content }, ...urls.map(imageUrlPart)];
}

/** The text an observation gave the model (see above). */
function observationText(e: OpenHandsEvent): string {
  const shown = e.extras?.formatted_output_and_error;
  if (typeof shown === 'string' && shown !== '') return shown;
  const metadata = e.extras?.metadata;
  if (e.observation === 'run' && isObject(metadata)) return commandText(text(e.content), metadata);
  return text(e.content);
}

/**
 * A command's output as OpenHands frames it for the model from the PS1 metadata it recorded
 * (`CmdOutputMetadata`): its `prefix` and `suffix` around the output (the "[The command completed
 * with exit code 0.]" and "[The command has no new output after 30 seconds. ...]" notes), then the
 * working directory, the Python interpreter and the exit code on lines of their own. The exit code
 * line is left out for -1 (the default), a command still running. V0's
 * `CmdOutputObservation.to_agent_observation` and V1's terminal observation build the same text.
 */
function commandText(output: string, metadata: Record<string, unknown>): string {
  let shown = `${str(metadata.prefix) ?? ''}${output}${str(metadata.suffix) ?? ''}`;
  const workingDir = str(metadata.working_dir);
  if (workingDir) shown += `\n[Current working directory: ${workingDir}]`;
  const interpreter = str(metadata.py_interpreter_path);
  if (interpreter) shown += `\n[Python interpreter: ${interpreter}]`;
  const exitCode = typeof metadata.exit_code === 'number' ? metadata.exit_code : -1;
  if (exitCode !== -1) shown += `\n[Command finished with exit code ${exitCode}]`;
  return shown;
}

/** An OpenHands event list as one trajectory. */
export function importOpenHands(data: unknown, id: string): Trajectory[] {
  return [openHandsTrajectory(data, id, '')];
}

/** What the events of a list became, and a label per event (its source and kind) for {@link emptyWhy}. */
interface EventsRead {
  messages: ChatMessage[];
  model: string | null;
  tools: Trajectory['tools'];
  finished: boolean;
  labels: string[];
  /** The recorded usage of the model calls, by the index of the assistant message each wrote. */
  usageAt?: Map<number, TokenUsage>;
  /** The agent's last state (`agent_state_changed`), with its reason when it has one. */
  endState?: { state: string; reason: string | null };
}

/**
 * The trajectory of an event list (or of pairs) found at `at` in the file; `instruction`, the task
 * an evaluation gave, is its first user message when no event is one.
 */
function openHandsTrajectory(data: unknown, id: string, at: string, instruction: string | null = null): Trajectory {
  const problems: string[] = [];
  const items = parseWith(eventList, Array.isArray(data) ? flatEvents(data) : data, at);
  const { messages, model, tools, finished, labels, usageAt, endState } = items.some(isSdkEvent) ? sdkEventMessages(items, at, problems) : eventMessages(items, at, problems);
  if (instruction && !messages.some((m) => m.role === 'user')) {
    const systemMessages = messages.findIndex((m) => m.role !== 'system');
    messages.splice(systemMessages < 0 ? messages.length : systemMessages, 0, { role: 'user', content: instruction });
  }
  const trajectory: Trajectory = { id, model, messages, reward: null, recorded: finished ? { finished_naturally: true } : {}, source: { format: 'openhands-events', index: 0 } };
  if (endState) {
    trajectory.stopReason = endState.reason ? `${endState.state}: ${endState.reason}`.split('\n')[0]! : endState.state;
    if (endState.state === 'error' && !finished) trajectory.recorded.finished_naturally = false;
  }
  if (tools) trajectory.tools = tools;
  if (usageAt && usageAt.size > 0) {
    trajectory.callStats = messages.flatMap((m, i) => (m.role !== 'assistant' ? [] : [callStats(usageAt.get(i), null)]));
  }
  if (messages.length === 0) problems.push(emptyWhy(labels, at));
  if (problems.length > 0) trajectory.problems = problems;
  return trajectory;
}

/** The messages of a V0 event list (see the top of this file). */
function eventMessages(items: readonly unknown[], at: string, problems: string[]): EventsRead {
  // One event that does not fit is reported and left out; the others open.
  const events = parseEach(event, items, at, problems, 'the event is left out');
  const messages: ChatMessage[] = [];
  const responses = new Set<string>();
  const actions = new Map<number, OpenHandsEvent>();
  const plainActions = new Set<number>();
  const usageAt = new Map<number, TokenUsage>();
  let model: string | null = null;
  let tools: Trajectory['tools'];
  let finished = false;
  let endState: EventsRead['endState'];
  for (const { index, value: e } of events) {
    if (e.action) {
      if (typeof e.id === 'number') actions.set(e.id, e);
      const args = e.args ?? {};
      if (e.action === 'system') {
        messages.push({ role: 'system', content: text(args.content ?? e.message) });
        if (Array.isArray(args.tools)) tools ??= toolSchemasOf(args.tools);
        continue;
      }
      if (e.source === 'user') {
        if (e.action === 'message') messages.push({ role: 'user', content: withImages(text(args.content ?? e.message), args.image_urls) });
        continue;
      }
      if (e.source !== 'agent') continue;
      if (e.action === 'finish') finished = true;
      const response = e.tool_call_metadata?.model_response;
      if (response) {
        const key = response.id ?? `event ${e.id ?? index}`;
        if (responses.has(key)) continue;
        responses.add(key);
        model ??= response.model ?? null;
        const reply = { ...response.choices[0]!.message, role: 'assistant' };
        messages.push(normalizeMessage(parseWith(messageSchema, reply, `${at}[${index}].tool_call_metadata.model_response.choices[0].message`)));
        const usage = tokenUsageSchema.safeParse(response.usage);
        if (usage.success && response.usage) usageAt.set(messages.length - 1, usage.data);
        continue;
      }
      if (e.action === 'message') {
        messages.push({ role: 'assistant', content: text(args.content ?? e.message) });
        continue;
      }
      if (e.action === 'finish') {
        messages.push({ role: 'assistant', content: text(args.final_thought || args.thought || e.message) });
        continue;
      }
      if (BOOKKEEPING.has(e.action)) continue;
      messages.push({ role: 'assistant', content: [str(args.thought), e.message].filter((t) => t).join('\n') });
      if (typeof e.id === 'number') plainActions.add(e.id);
      continue;
    }
    if (!e.observation) continue;
    if (e.observation === 'agent_state_changed') {
      const state = str(e.extras?.agent_state);
      if (state) endState = END_STATES.has(state) ? { state, reason: str(e.extras?.reason) || null } : undefined;
      continue;
    }
    const cause = typeof e.cause === 'number' ? actions.get(e.cause) : undefined;
    const metadata = e.tool_call_metadata ?? cause?.tool_call_metadata;
    if (metadata) {
      const message: ChatMessage = { role: 'tool', tool_call_id: metadata.tool_call_id, content: e.observation === 'error' ? raisedToolContent(`ErrorObservation: ${text(e.content)}`) : observationText(e) };
      if (metadata.function_name) message.name = metadata.function_name;
      messages.push(message);
      continue;
    }
    if (typeof e.cause === 'number' && plainActions.has(e.cause)) messages.push({ role: 'user', content: observationText(e) });
    else if (e.observation === 'error') messages.push({ role: 'user', content: `${text(e.content)}\n[Error occurred in processing last action]` });
    else if (e.observation === 'user_rejected') messages.push({ role: 'user', content: `OBSERVATION:\n${text(e.content)}\n[Last action has been rejected by the user]` });
  }
  const labels = events.map(({ value: e }) => `${e.source ?? 'no source'}/${e.action ?? (e.observation ? `observation ${e.observation}` : 'no action')}`);
  return { messages, model, tools, finished, labels, usageAt, ...(endState ? { endState } : {}) };
}

/** Why no event of a list became a message: what sources and kinds of events it holds. */
function emptyWhy(labels: readonly string[], at: string): string {
  const kinds = [...new Set(labels)];
  const held = labels.length === 0 ? 'it holds no events' : `none of its ${labels.length} events is a user or agent message or action (${kinds.slice(0, 6).join(', ')}${kinds.length > 6 ? ', …' : ''})`;
  return `${at || 'the event list'}: the trajectory is empty: ${held}`;
}

// --- V1 (software-agent-sdk) events -------------------------------------------------------------

/** A V1 event: its class is named by `kind` (V0 events have no `kind`). */
function isSdkEvent(item: unknown): boolean {
  return isObject(item) && typeof item.kind === 'string';
}

const sdkEvent = z.lazy(() => z.looseObject({ kind: z.string(), source: z.string().nullable().optional() }));
// `TextContent`/`ImageContent` items, or a string where the SDK coerces one.
const sdkContentSchema = z.lazy(() => z.union([z.string(), z.array(z.unknown())]).nullable().optional());
const sdkSystemPrompt = z.lazy(() => z.looseObject({
  system_prompt: z.looseObject({ text: z.string() }),
  dynamic_context: z.looseObject({ text: z.string() }).nullable().optional(),
  tools: z.array(z.unknown()).nullable().optional(),
}));
const sdkReasoningFields = {
  reasoning_content: z.string().nullable().optional(),
  thinking_blocks: z.array(z.unknown()).nullable().optional(),
};
const sdkMessage = z.lazy(() => z.looseObject({
  llm_message: z.looseObject({ role: z.string(), content: sdkContentSchema, ...sdkReasoningFields }),
  extended_content: z.array(z.unknown()).nullable().optional(),
}));
const sdkAction = z.lazy(() => z.looseObject({
  thought: z.array(z.unknown()).nullable().optional(),
  ...sdkReasoningFields,
  action: z.record(z.string(), z.unknown()).nullable().optional(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  // `{id, name, arguments}`; the first SDK releases kept the OpenAI tool call (`function.name`).
  tool_call: z.looseObject({
    id: z.string().nullable().optional(),
    name: z.string().optional(),
    arguments: z.unknown().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.unknown() }).optional(),
  }),
  llm_response_id: z.string().nullable().optional(),
}));
const sdkObservation = z.lazy(() => z.looseObject({
  tool_name: z.string().nullable().optional(),
  tool_call_id: z.string(),
  observation: z.record(z.string(), z.unknown()),
  extended_content: z.array(z.unknown()).nullable().optional(),
}));
const sdkRejection = z.lazy(() => z.looseObject({ tool_name: z.string().nullable().optional(), tool_call_id: z.string(), rejection_reason: z.string().nullable().optional() }));
// The first SDK releases sent an agent error as a user message, without a tool call id.
const sdkAgentError = z.lazy(() => z.looseObject({ tool_name: z.string().nullable().optional(), tool_call_id: z.string().nullable().optional(), error: z.string() }));

type ContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

/** SDK message content (`TextContent` and `ImageContent` items, or a string) as OpenAI content parts. */
function sdkParts(...lists: unknown[]): ContentPart[] {
  const parts: ContentPart[] = [];
  for (const list of lists) {
    if (typeof list === 'string') parts.push({ type: 'text', text: list });
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (!isObject(item)) continue;
      if (typeof item.text === 'string') parts.push({ type: 'text', text: item.text });
      else if (Array.isArray(item.image_urls)) for (const url of item.image_urls) if (typeof url === 'string') parts.push(imageUrlPart(url));
    }
  }
  return parts;
}

/** Content parts as chat content: the text when they are one text, else the parts. */
function asContent(parts: ContentPart[]): ChatMessage['content'] {
  const only = parts.length === 1 ? parts[0]! : null;
  return parts.length === 0 ? '' : only?.type === 'text' ? only.text : parts;
}

/** The reasoning of a reply: `reasoning_content`, else the text of its Anthropic `thinking_blocks`. */
function sdkReasoning(reply: { reasoning_content?: string | null | undefined; thinking_blocks?: unknown[] | null | undefined }): string | null {
  if (reply.reasoning_content) return reply.reasoning_content;
  const thinking = (reply.thinking_blocks ?? []).map((block) => (isObject(block) ? str(block.thinking) : null)).filter((t): t is string => !!t);
  return thinking.length > 0 ? thinking.join('\n') : null;
}

/**
 * What an observation gave the model (its `to_llm_content`), and whether it reports an error.
 * Observations changed shape between SDK releases: the output is `content` (items or a string),
 * else `output` (a string, or items), else `message` (an early FinishObservation); the error is
 * `is_error`, or `error`: a flag, or the error text that then stood for the output. A terminal
 * observation's output is framed by its command metadata as a V0 command's is.
 */
function sdkObservationParts(observation: Record<string, unknown>): { parts: ContentPart[]; failed: boolean } {
  const errorText = typeof observation.error === 'string' && observation.error !== '' ? observation.error : null;
  const failed = observation.is_error === true || observation.error === true || errorText !== null;
  const parts = sdkParts(errorText ?? observation.content ?? observation.output ?? observation.message);
  const metadata = observation.metadata;
  const isCommand = errorText === null && isObject(metadata) && ('prefix' in metadata || 'suffix' in metadata);
  return { parts: isCommand ? [{ type: 'text', text: commandText(contentAsText(asContent(parts)), metadata) }] : parts, failed };
}

/** The messages of a V1 event list (see the top of this file). */
function sdkEventMessages(items: readonly unknown[], at: string, problems: string[]): EventsRead {
  const events = parseEach(sdkEvent, items, at, problems, 'the event is left out');
  const messages: ChatMessage[] = [];
  let tools: Trajectory['tools'];
  let finished = false;
  // The assistant message of the last event that made one, while it was an ActionEvent: the
  // ActionEvents after it from the same response add their calls to it.
  let batch: { responseId: string; message: ChatMessage } | null = null;
  const push = (message: ChatMessage): void => {
    messages.push(message);
    batch = null;
  };
  /** A tool message answering `callId`, named by the tool when the event names it. */
  const answer = (callId: string, toolName: string | null | undefined, content: ChatMessage['content']): void => {
    const message: ChatMessage = { role: 'tool', tool_call_id: callId, content };
    if (toolName) message.name = toolName;
    push(message);
  };
  for (const { index, value: e } of events) {
    // An event of a known kind that does not fit is reported and left out, as any other.
    const read = <T>(schema: z.ZodType<T>): T | undefined => tryParse(() => parseWith(schema, e, `${at}[${index}]`), problems, 'the event is left out');
    switch (e.kind) {
      case 'SystemPromptEvent': {
        const s = read(sdkSystemPrompt);
        if (!s) break;
        push({ role: 'system', content: asContent(sdkParts([s.system_prompt, s.dynamic_context])) });
        if (s.tools) tools ??= toolSchemasOf(s.tools);
        break;
      }
      case 'MessageEvent': {
        const m = read(sdkMessage);
        if (!m) break;
        const message: ChatMessage = { role: m.llm_message.role, content: asContent(sdkParts(m.llm_message.content, m.extended_content)) };
        const reasoning = m.llm_message.role === 'assistant' ? sdkReasoning(m.llm_message) : null;
        if (reasoning) message.reasoning_content = reasoning;
        push(message);
        break;
      }
      case 'ActionEvent': {
        const a = read(sdkAction);
        if (!a) break;
        if (a.action?.kind === 'FinishAction') finished = true;
        const call: ToolCall = {
          id: a.tool_call.id ?? a.tool_call_id,
          type: 'function',
          function: { name: a.tool_call.name ?? a.tool_call.function?.name ?? a.tool_name, arguments: argumentsText(a.tool_call.arguments ?? a.tool_call.function?.arguments) },
        };
        const previous: { responseId: string; message: ChatMessage } | null = batch;
        if (previous && a.llm_response_id === previous.responseId) {
          previous.message.tool_calls?.push(call);
          break;
        }
        const message: ChatMessage = { role: 'assistant', content: asContent(sdkParts(a.thought)), tool_calls: [call] };
        const reasoning = sdkReasoning(a);
        if (reasoning) message.reasoning_content = reasoning;
        push(message);
        if (a.llm_response_id) batch = { responseId: a.llm_response_id, message };
        break;
      }
      case 'ObservationEvent': {
        const o = read(sdkObservation);
        if (!o) break;
        const { parts, failed } = sdkObservationParts(o.observation);
        const kind = str(o.observation.kind) ?? 'Observation';
        // Newer SDKs append the agent context's additions (rules a touched file triggers) to the result.
        const content = asContent([...parts, ...sdkParts(o.extended_content)]);
        answer(o.tool_call_id, o.tool_name, failed ? raisedToolContent(`${kind}: ${contentAsText(content)}`) : content);
        break;
      }
      case 'UserRejectObservation': {
        const r = read(sdkRejection);
        if (r) answer(r.tool_call_id, r.tool_name, `Action rejected: ${r.rejection_reason ?? 'User rejected the action'}`);
        break;
      }
      case 'AgentErrorEvent': {
        const a = read(sdkAgentError);
        if (!a) break;
        if (a.tool_call_id) answer(a.tool_call_id, a.tool_name, raisedToolContent(`AgentErrorEvent: ${a.error}`));
        else push({ role: 'user', content: a.error });
        break;
      }
      default:
        // State updates, condensations, pauses, token counts: not part of the prompt.
        break;
    }
  }
  const labels = events.map(({ value: e }) => `${e.source ?? 'no source'}/${e.kind}`);
  return { messages, model: null, tools, finished, labels };
}

const evalOutputLine = z.lazy(() => z.looseObject({
  // OpenDevin's 2024 benchmark outputs (Gorilla, ToolQA) name the task `question_id`.
  instance_id: z.union([z.string(), z.number()]).optional(),
  question_id: z.union([z.string(), z.number()]).optional(),
  history: z.array(z.unknown()),
  test_result: z.unknown().optional(),
  // Those outputs also keep the metadata as its Python repr (a string), which says nothing read here.
  metadata: z.union([
    z.looseObject({
      llm_config: z.looseObject({ model: z.string().nullable().optional() }).nullable().optional(),
      llm: z.looseObject({ model: z.string().nullable().optional() }).nullable().optional(),
    }),
    z.string(),
  ]).nullable().optional(),
  model_id: z.string().nullable().optional(),
  correct: z.unknown().optional(),
  instruction: z.string().nullable().optional(),
  error: z.unknown().optional(),
}).refine((line) => line.instance_id !== undefined || line.question_id !== undefined, { message: 'expected instance_id or question_id', path: ['instance_id'] }));

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
  const instance = (line.instance_id ?? line.question_id)!;
  const t = openHandsTrajectory(line.history, String(instance), 'history', line.instruction ?? null);
  t.source = { format: 'openhands-eval-jsonl', index };
  const metadata = typeof line.metadata === 'string' ? null : line.metadata;
  t.model ??= metadata?.llm_config?.model ?? metadata?.llm?.model ?? line.model_id ?? null;
  const correct = pyBoolean(line.correct);
  t.reward = resolvedOf(line.test_result) ?? (correct === null ? null : correct ? 1 : 0);
  const scores = [...(line.test_result === undefined ? [] : [{ scorer: 'test_result', value: line.test_result }]), ...(line.correct === undefined ? [] : [{ scorer: 'correct', value: line.correct }])];
  t.evaluation = { scores, metadata: line.instance_id !== undefined ? { instance_id: line.instance_id } : { question_id: line.question_id } };
  // `str(None)` is how those outputs say there was no error.
  if (line.error != null && line.error !== '' && line.error !== 'None') {
    t.recorded.finished_naturally = false;
    t.stopReason = `error: ${typeof line.error === 'string' ? line.error : JSON.stringify(line.error)}`.split('\n')[0]!;
  }
  return [t];
}
