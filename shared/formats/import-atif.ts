import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { contentAsText, imageUrlPart } from './content-parts.js';
import { argumentsText, callStats, isObject, Misfit, messageSchema, messagesOf, normalizeMessage, num, parseEach, parseWith, raisedToolContent, recordedUsage, str, toolSchemasOf, tryParse } from './import-common.js';
import { endsWithEndTool, type CallStats, type Trajectory } from './trajectory.js';

// ATIF, the Agent Trajectory Interchange Format (Harbor's and Terminal-Bench's `trajectory.json`,
// also written by VS Code Copilot Chat and others): one JSON document `{schema_version:
// "ATIF-v1.x", session_id, agent, steps[], final_metrics, extra}` per trajectory.
//
// - A `system` step is a system message wherever it falls: the system prompt before the first user
//   or agent step, a message between turns after it (OpenHands' recall notices, a context
//   summarization), which the loop would not have appended. A `user` step is a user message.
//   Content parts (v1.6) are kept as content parts, an image by its `source.path` as `image_url`.
// - An `agent` step is one assistant message: `message` its content (null when empty beside tool
//   calls), `reasoning_content`, and each tool call with its `arguments` object as JSON text.
// - Results with a `source_call_id` are tool messages right after the assistant message, in the
//   order of the calls (several results for one call joined). A result without one answers the
//   step's only tool call; in a step without calls it is a user message (how Harbor's own exports
//   feed parse errors back); beside several calls, or when the one call has its own result, it is a
//   user message after the tool messages. A call without a result stays without one (an end tool,
//   a cut run). A result holding only `subagent_trajectory_ref` names the referenced trajectories.
// - ATIF has no error flag of its own: a result whose `extra.tool_result_is_error` or `extra.is_error`
//   is true (or in a step whose `extra.tool_result_is_error` is) is recorded as the reference loop
//   records a tool that raised, as for agent session transcripts.
// - Results of a system or user step are messages of that role, except those naming a call of the
//   last assistant message that only its results follow: they are its tool messages.
// - Steps copied from an earlier trajectory (`is_copied_context`) were part of what the model saw:
//   they stay in the conversation. An agent step's token metrics are its model call's usage; costs
//   have no place in the trajectory model.
//   ATIF has no reward field: a numeric `reward` in root `extra` or `final_metrics.extra` is the reward.
// - ATIF does not say how a run ended: a last reply calling an end tool (OpenHands' `finish`,
//   Terminus' `mark_task_complete`) records `finished_naturally: true`; otherwise it is derived.
// - Embedded subagents (`subagent_trajectories`, v1.7) are trajectories of their own after their
//   parent, linked to it as branches at the turn of the step that references them (else its last).
// - NeMo Relay writes a user step's `message` as the request's chat messages and an agent step's as
//   the reply's chat message: the request is the next turn's recorded prompt and the conversation
//   takes the part of it that it does not already end with; the reply's own tool calls keep the
//   arguments text the model sent.
// - A file that declares ATIF but keeps tool calls as `{id, name}` or tool output outside
//   `observation.results` (results then cannot be linked to their calls) is refused, naming the step.
// A step that cannot be read is reported by its field and left out; the others open.

/** True for an ATIF trajectory: a `steps` list beside `schema_version` "ATIF-v…", or a bare version ("1.4") beside `agent`. */
export function isAtifTrajectory(record: unknown): boolean {
  if (!isObject(record) || !Array.isArray(record.steps) || typeof record.schema_version !== 'string') return false;
  return record.schema_version.startsWith('ATIF-v') || (/^v?\d+(?:\.\d+)*$/.test(record.schema_version) && isObject(record.agent));
}

// `extra` is free-form: it is read where it says something, and its shape never makes a step unreadable.
const extraSchema = z.unknown().optional();
const subagentRef = z.lazy(() => z.looseObject({
  trajectory_id: z.string().nullable().optional(),
  trajectory_path: z.string().nullable().optional(),
  session_id: z.string().nullable().optional(),
  extra: extraSchema,
}));
const observationResult = z.lazy(() => z.looseObject({
  source_call_id: z.string().nullable().optional(),
  content: z.unknown().optional(),
  subagent_trajectory_ref: z.array(subagentRef).nullable().optional(),
  extra: extraSchema,
}));
type ObservationResult = z.infer<typeof observationResult>;
const atifToolCall = z.lazy(() => z.looseObject({ tool_call_id: z.string().nullable().optional(), function_name: z.string(), arguments: z.unknown().optional() }));
const atifStep = z.lazy(() => z.looseObject({
  source: z.enum(['system', 'user', 'agent']),
  message: z.unknown().optional(),
  model_name: z.string().nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
  tool_calls: z.array(atifToolCall).nullable().optional(),
  observation: z.looseObject({ results: z.array(observationResult) }).nullable().optional(),
  extra: extraSchema,
}));
type AtifStep = z.infer<typeof atifStep>;
const atifDocument = z.lazy(() => z.looseObject({
  schema_version: z.string(),
  session_id: z.string().nullable().optional(),
  trajectory_id: z.string().nullable().optional(),
  agent: z.looseObject({ model_name: z.string().nullable().optional(), tool_definitions: z.array(z.unknown()).nullable().optional() }).nullable().optional(),
  steps: z.array(z.unknown()),
  final_metrics: z.looseObject({ extra: extraSchema }).nullable().optional(),
  extra: extraSchema,
  subagent_trajectories: z.array(z.unknown()).nullable().optional(),
}));

/** The call Harbor's Terminus agents end a run with (`task_complete`, confirmed), besides the harnesses' end tools. */
const TERMINUS_END_TOOL = 'mark_task_complete';

/** `rest` under `base` ('' at the top of the file). */
const under = (base: string, rest: string): string => (base ? `${base}.${rest}` : rest);

/** "a, b and c" for a list of keys. */
function keysOf(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  return keys.length < 2 ? (keys[0] ?? 'no keys') : `${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]!}`;
}

/**
 * Where a step is laid out otherwise than ATIF says (a tool call without `function_name`, an
 * observation without `results`), or null. Such a file's results cannot be linked to their calls.
 */
function foreignLayout(steps: readonly unknown[], at: string): string | null {
  for (const [i, step] of steps.entries()) {
    if (!isObject(step)) continue;
    const calls = Array.isArray(step.tool_calls) ? step.tool_calls : [];
    const k = calls.findIndex((c) => isObject(c) && !('function_name' in c) && ('name' in c || 'function' in c));
    if (k >= 0) return `${at}[${i}].tool_calls[${k}]: a call with ${keysOf(calls[k] as Record<string, unknown>)}, not ATIF's tool_call_id, function_name and arguments`;
    const observation = step.observation;
    if (isObject(observation) && !('results' in observation)) return `${at}[${i}].observation: holds ${keysOf(observation)}, not a results list linked to the calls by source_call_id`;
  }
  return null;
}

/** True for a list of chat messages (objects with a role, not content parts with a type). */
function isChatMessageList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => isObject(m) && typeof m.role === 'string' && typeof m.type !== 'string');
}

/** An ATIF content part as a chat content part: an image by its `source.path`; text and other kinds as they are. */
function chatPart(part: unknown, at: string): Record<string, unknown> {
  if (!isObject(part) || typeof part.type !== 'string') throw new Misfit(`${at}: expected a content part with a type`);
  if (part.type === 'text' && typeof part.text !== 'string') throw new Misfit(`${at}.text: expected a string`);
  if (part.type !== 'image') return part;
  const path = isObject(part.source) ? str(part.source.path) : null;
  if (path === null) throw new Misfit(`${at}.source.path: expected a string`);
  return imageUrlPart(path);
}

/** ATIF content (a string, or a list of content parts since v1.6) as chat content; missing is ''. */
function contentOf(value: unknown, at: string): ChatMessage['content'] {
  if (typeof value === 'string') return value;
  if (value == null) return '';
  if (!Array.isArray(value)) throw new Misfit(`${at}: expected a string or a list of content parts`);
  return value.map((part, k) => chatPart(part, `${at}[${k}]`));
}

/** Tool output as text where it is text only: the engine classifies results from their text. */
function toolContent(content: ChatMessage['content']): ChatMessage['content'] {
  if (!Array.isArray(content) || !content.every((p) => isObject(p) && p.type === 'text')) return content;
  return contentAsText(content);
}

/** A line naming a referenced subagent trajectory, with the summary its reference carries. */
function refText(ref: z.infer<typeof subagentRef>): string {
  const names = [['trajectory_id', ref.trajectory_id], ['session_id', ref.session_id], ['trajectory_path', ref.trajectory_path]].filter(([, v]) => v).map(([k, v]) => `${k} ${v}`);
  const summary = isObject(ref.extra) ? str(ref.extra.summary) : null;
  return `Subagent trajectory (${names.join(', ') || 'unnamed'})${summary ? `: ${summary}` : ''}`;
}

/** What a result gave: its content, or (content missing) the subagent trajectories it references. */
function resultContent(result: ObservationResult, at: string): ChatMessage['content'] {
  const refs = result.subagent_trajectory_ref ?? [];
  if (result.content == null && refs.length > 0) return refs.map(refText).join('\n');
  return contentOf(result.content, `${at}.content`);
}

/** True when `extra` sets one of `keys` to true. */
const flagged = (extra: unknown, keys: readonly string[]): boolean => isObject(extra) && keys.some((k) => extra[k] === true);

/** A numeric `reward` in an `extra` object, else null. */
const rewardIn = (extra: unknown): number | null => (isObject(extra) ? num(extra.reward) : null);

/** One result of a step with its place in `observation.results`. */
type Placed = [ObservationResult, number];

/** The tool message of a call from its results (joined when several), recorded as raised when flagged as an error. */
function toolMessage(call: ToolCall, results: readonly Placed[], at: string, stepFailed: boolean): ChatMessage {
  const contents = results.map(([r, k]) => resultContent(r, `${at}.observation.results[${k}]`));
  const content = contents.length === 1 ? toolContent(contents[0]!) : contents.map((c) => contentAsText(c)).join('\n\n');
  const failed = stepFailed || results.some(([r]) => flagged(r.extra, ['tool_result_is_error', 'is_error']));
  const message: ChatMessage = { role: 'tool', tool_call_id: call.id ?? null, content: failed ? raisedToolContent(contentAsText(content)) : content };
  if (failed) message.is_error = true;
  return message;
}

/**
 * Links a step's results to `calls` by `source_call_id`: the tool messages in call order, and the
 * results no call claims, in file order. With `onlyCall`, results without an id answer a single call
 * that has no result of its own.
 */
function linkResults(calls: readonly ToolCall[], step: AtifStep, at: string, onlyCall: boolean): { tools: ChatMessage[]; rest: Placed[] } {
  const linked = new Map<number, Placed[]>();
  let rest: Placed[] = [];
  (step.observation?.results ?? []).forEach((r, k) => {
    const c = r.source_call_id == null ? -1 : calls.findIndex((call) => call.id === r.source_call_id);
    if (c >= 0) linked.set(c, [...(linked.get(c) ?? []), [r, k]]);
    else rest.push([r, k]);
  });
  const unlinked = rest.filter(([r]) => r.source_call_id == null);
  if (onlyCall && calls.length === 1 && !linked.has(0) && unlinked.length > 0) {
    linked.set(0, unlinked);
    rest = rest.filter(([r]) => r.source_call_id != null);
  }
  const stepFailed = flagged(step.extra, ['tool_result_is_error']);
  const tools = calls.flatMap((call, c) => {
    const results = linked.get(c);
    return results ? [toolMessage(call, results, at, stepFailed)] : [];
  });
  return { tools, rest };
}

/** The calls of the last assistant message that nothing but tool messages follows, less those answered. */
function openCalls(messages: readonly ChatMessage[]): ToolCall[] {
  let at = messages.length - 1;
  while (at >= 0 && messages[at]!.role === 'tool') at--;
  const last = messages[at];
  if (!last || last.role !== 'assistant') return [];
  const answered = new Set(messages.slice(at + 1).map((m) => m.tool_call_id));
  return (last.tool_calls ?? []).filter((c) => !answered.has(c.id));
}

/** The same message for a recorded prompt: role, text, and the ids linking calls and results (arguments may be spaced otherwise). */
function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  const callIds = (m: ChatMessage): string => JSON.stringify((m.tool_calls ?? []).map((c) => [c.id ?? null, c.function.name]));
  return a.role === b.role && contentAsText(a.content) === contentAsText(b.content) && (a.tool_call_id ?? null) === (b.tool_call_id ?? null) && callIds(a) === callIds(b);
}

/** The messages of a recorded prompt past the longest start of it that the conversation ends with. */
function newInPrompt(prompt: readonly ChatMessage[], conversation: readonly ChatMessage[]): ChatMessage[] {
  let overlap = Math.min(prompt.length, conversation.length);
  while (overlap > 0 && !prompt.slice(0, overlap).every((m, k) => sameMessage(m, conversation[conversation.length - overlap + k]!))) overlap--;
  return prompt.slice(overlap);
}

/** What one step adds to the conversation, and the prompt it records for the next turn (NeMo Relay's request messages). */
interface StepRead {
  messages: ChatMessage[];
  prompt: ChatMessage[] | null;
}

/** An agent step's token counts (`metrics`: prompt, completion and cached tokens) as its model call's stats. */
function stepStats(step: AtifStep): CallStats | null {
  const metrics = isObject(step.metrics) ? step.metrics : null;
  const usage = metrics ? recordedUsage(metrics.prompt_tokens, metrics.completion_tokens) : undefined;
  const cached = metrics ? num(metrics.cached_tokens) : null;
  return callStats(usage && cached !== null ? { ...usage, prompt_tokens_details: { cached_tokens: cached } } : usage, null);
}

/** The assistant message of an agent step: its text (or the reply's chat message), reasoning and tool calls. */
function assistantMessage(step: AtifStep, at: string): ChatMessage {
  const calls = (step.tool_calls ?? []).map((c): ToolCall => ({ id: c.tool_call_id ?? null, type: 'function', function: { name: c.function_name, arguments: argumentsText(c.arguments) } }));
  let message: ChatMessage;
  if (isObject(step.message) && typeof step.message.role === 'string') {
    message = normalizeMessage(parseWith(messageSchema, { ...step.message, role: 'assistant' }, `${at}.message`));
    message.content ??= null;
    if (!message.tool_calls?.length) delete message.tool_calls;
  } else {
    const content = contentOf(step.message, `${at}.message`);
    message = { role: 'assistant', content: content === '' && calls.length > 0 ? null : content };
  }
  if (calls.length > 0 && !message.tool_calls) message.tool_calls = calls;
  if (step.reasoning_content) message.reasoning_content = step.reasoning_content;
  return message;
}

function agentStep(step: AtifStep, at: string): StepRead {
  const assistant = assistantMessage(step, at);
  const { tools, rest } = linkResults(assistant.tool_calls ?? [], step, at, true);
  const feedback = rest.map(([r, k]): ChatMessage => ({ role: 'user', content: resultContent(r, `${at}.observation.results[${k}]`) }));
  return { messages: [assistant, ...tools, ...feedback], prompt: null };
}

function systemOrUserStep(step: AtifStep, at: string, before: readonly ChatMessage[]): StepRead {
  const role = step.source;
  const { tools, rest } = linkResults(openCalls(before), step, at, false);
  const messages = [...tools];
  let prompt: ChatMessage[] | null = null;
  if (isChatMessageList(step.message)) {
    prompt = messagesOf(step.message, `${at}.message`);
    messages.push(...newInPrompt(prompt, [...before, ...tools]));
  } else {
    const content = contentOf(step.message, `${at}.message`);
    if (content !== '' || rest.length + tools.length === 0) messages.push({ role, content });
  }
  for (const [r, k] of rest) messages.push({ role, content: resultContent(r, `${at}.observation.results[${k}]`) });
  return { messages, prompt };
}

/** An embedded subagent's place: its parent's id and the parent's turns at the step that references it. */
interface Parent {
  id: string;
  turns: number;
}

/**
 * Reads one ATIF trajectory found at `base` in the file ('' for the top) into `out`, then its
 * embedded subagents after it. Throws a `Misfit` for a trajectory that cannot be read.
 */
function addTrajectory(data: unknown, base: string, fallbackId: string, parent: Parent | null, out: Trajectory[]): void {
  const doc = parseWith(atifDocument, data, base);
  const stepsAt = under(base, 'steps');
  const foreign = foreignLayout(doc.steps, stepsAt);
  if (foreign) throw new Misfit(`${foreign} (schema_version '${doc.schema_version}' is declared, but the steps are not laid out as ATIF)`);
  const problems: string[] = [];
  const messages: ChatMessage[] = [];
  const views: Array<ChatMessage[] | null> = [];
  const stats: Array<CallStats | null> = [];
  const refTurns = new Map<string, number>();
  let pending: ChatMessage[] | null = null;
  let turns = 0;
  let stepModel: string | null = null;
  for (const { index, value: step } of parseEach(atifStep, doc.steps, stepsAt, problems, 'the step is left out')) {
    const at = `${stepsAt}[${index}]`;
    const read = tryParse(() => (step.source === 'agent' ? agentStep(step, at) : systemOrUserStep(step, at, messages)), problems, 'the step is left out');
    if (!read) continue;
    for (const m of read.messages) {
      if (m.role !== 'assistant') continue;
      turns += 1;
      // Assistant messages a recorded prompt adds were not this file's turns: they have no prompt of their own.
      views.push(step.source === 'agent' ? pending : null);
      stats.push(step.source === 'agent' ? stepStats(step) : null);
      if (step.source === 'agent') pending = null;
    }
    messages.push(...read.messages);
    if (read.prompt) pending = read.prompt;
    if (step.source === 'agent') stepModel ??= step.model_name ?? null;
    for (const r of step.observation?.results ?? []) for (const ref of r.subagent_trajectory_ref ?? []) if (ref.trajectory_id) refTurns.set(ref.trajectory_id, turns);
  }
  if (doc.steps.length === 0) problems.push(`${stepsAt}: the trajectory is empty: it holds no steps`);
  const ownId = doc.trajectory_id ?? doc.session_id ?? fallbackId;
  const id = parent ? `${parent.id}/${ownId}` : ownId;
  const t: Trajectory = {
    id,
    model: doc.agent?.model_name ?? stepModel,
    messages,
    reward: rewardIn(doc.extra) ?? rewardIn(doc.final_metrics?.extra),
    recorded: {},
    source: { format: 'atif', index: out.length },
  };
  if (endsWithEndTool(messages) || (messages.findLast((m) => m.role === 'assistant')?.tool_calls ?? []).some((c) => c.function.name === TERMINUS_END_TOOL)) t.recorded.finished_naturally = true;
  const tools = toolSchemasOf(doc.agent?.tool_definitions ?? []);
  if (tools) t.tools = tools;
  if (views.some((v) => v !== null)) t.promptViews = views;
  if (stats.some((v) => v !== null)) t.callStats = stats;
  if (parent) t.branch = { parentId: parent.id, forkTurn: parent.turns, change: `subagent ${ownId}` };
  out.push(t);
  (doc.subagent_trajectories ?? []).forEach((sub, k) => {
    const subId = isObject(sub) ? str(sub.trajectory_id) : null;
    const subAt = under(base, `subagent_trajectories[${k}]`);
    tryParse(() => addTrajectory(sub, subAt, `subagent ${k + 1}`, { id, turns: (subId === null ? undefined : refTurns.get(subId)) ?? turns }, out), problems, 'the subagent is left out');
  });
  if (problems.length > 0) t.problems = problems;
}

/** An ATIF trajectory file: the trajectory, then each embedded subagent as a trajectory of its own. */
export function importAtif(data: unknown, id: string): Trajectory[] {
  const out: Trajectory[] = [];
  addTrajectory(data, '', id, null, out);
  return out;
}
