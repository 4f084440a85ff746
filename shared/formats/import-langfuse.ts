import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { base64ImagePart, contentAsText, imageUrlPart } from './content-parts.js';
import { anthropicMessages } from './import-claude-code.js';
import { argumentsText, baseName, callStats, checkNesting, isObject, Misfit, messageSchema, normalizeMessage, num, parseJson, parseWith, raisedToolContent, recordedUsage, str, toolSchemasOf, tryParse, type TextImport } from './import-common.js';
import type { CallStats, FormatId, Trajectory } from './trajectory.js';

// OpenTelemetry GenAI traces as Langfuse stores them: `{trace, observations[]}` (or a list of
// them), one trajectory per trace.
//
// - Model calls are the GENERATION observations (or spans whose `gen_ai.operation.name` is chat,
//   text_completion or generate_content), in start order. Each call's recorded input is that
//   turn's recorded prompt view. The trajectory adds the part of the input after the last message
//   it holds (a call may send the whole history, only what is new, or a history that leaves out
//   earlier turns), then the call's output. A message sent again counts as the same when its role,
//   text, tool calls and answered call are: a reply carries more than its copy in the next
//   history (an id, a stop reason, reasoning the client does not send back).
// - Messages come in OpenAI shape (`content`, `tool_calls`), in the GenAI `parts` shape (`text`,
//   `reasoning`, `tool_call`, `tool_call_response` parts; pydantic-ai writes `thinking` for
//   reasoning and a response's `result` for `response`; an image `blob` or `uri` part is an image
//   content part, any other part kept as it is), as OpenTelemetry GenAI events
//   (`gen_ai.user.message` and the other message events, `gen_ai.choice` holding its `message`),
//   or as an Anthropic Messages request or reply (content blocks, read as agent session
//   transcripts read them: `thinking` is reasoning, `tool_use` a tool call, `tool_result` a tool
//   message; a request's `system` is its first message). Langfuse stores inputs, outputs and
//   metadata as JSON texts, sometimes encoded twice; they are decoded.
// - A model call or tool span that cannot be read is left out and named in the trajectory's
//   problems; the trace cannot be read when none of its model calls can.
// - A tool span (TOOL, or `execute_tool`) is the result of the call with its
//   `gen_ai.tool.call.id` only when no model input already holds that result: a call counts once.
//   A tool span no model call asked for stays as a tool message at the end. A span at level ERROR
//   is recorded as a tool that raised.
// - `gen_ai.system_instructions` is the first message; `gen_ai.tool.definitions`, then the tools
//   of the requests, the tools; the reward is the trace's score named `reward`, else its first
//   numeric score; the model the first call's response model; `gen_ai.response.finish_reasons`
//   is kept as the turn's `finish_reason`.

/** The `gen_ai.operation.name`s of a model call (`completion` as some instrumentations write it). */
export const CALL_OPERATIONS: ReadonlySet<string> = new Set(['chat', 'text_completion', 'generate_content', 'completion']);

function isTraceExport(record: unknown): boolean {
  return isObject(record) && isObject(record.trace) && Array.isArray(record.observations);
}

/** True for a Langfuse trace export `{trace, observations}`, or a list of them. */
export function isLangfuseTrace(record: unknown): boolean {
  return isTraceExport(record) || (Array.isArray(record) && record.length > 0 && isTraceExport(record[0]));
}

/** A value Langfuse may have stored as JSON text (up to twice encoded), decoded. */
function decoded(value: unknown, at: string): unknown {
  let v = value;
  for (let i = 0; i < 3 && typeof v === 'string'; i++) {
    const t = v.trim();
    if (!/^[[{"]/.test(t)) break;
    const parsed = parseJson(t);
    if (!parsed.ok) break;
    checkNesting(parsed.value, at, t);
    v = parsed.value;
  }
  return v;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : JSON.stringify(v));

/** System instructions as text: a string, or a list of text parts (`content` or `text`) joined. */
function instructionsText(value: unknown): string {
  return Array.isArray(value) ? value.map((p) => (isObject(p) ? text(p.content ?? p.text) : text(p))).join('\n') : text(value);
}

/** The role each OpenTelemetry GenAI event stands for. */
const EVENT_ROLES: ReadonlyMap<string, string> = new Map([
  ['gen_ai.system.message', 'system'],
  ['gen_ai.user.message', 'user'],
  ['gen_ai.assistant.message', 'assistant'],
  ['gen_ai.tool.message', 'tool'],
  ['gen_ai.choice', 'assistant'],
]);

/**
 * The message an OpenTelemetry GenAI event or a completion choice holds: a choice's `message`
 * (with the choice's finish reason), a message event's body without the event's own keys
 * (`event.name`, `gen_ai.system`, `gen_ai.message.index`), its role from the event name when the
 * body has none and a tool event's `id` as the call it answers. Any other object is the message.
 */
function eventMessage(raw: Record<string, unknown>): Record<string, unknown> {
  const event = str(raw['event.name']);
  const choice = !('role' in raw) && isObject(raw.message);
  if (event === null && !choice) return raw;
  const body = choice ? { ...(raw.message as Record<string, unknown>) } : Object.fromEntries(Object.entries(raw).filter(([key]) => !/^(?:event|gen_ai)\./.test(key)));
  body.role ??= (event === null ? undefined : EVENT_ROLES.get(event)) ?? (choice ? 'assistant' : undefined);
  if (choice && body.finish_reason === undefined && typeof raw.finish_reason === 'string') body.finish_reason = raw.finish_reason;
  if (event === 'gen_ai.tool.message' && body.tool_call_id === undefined && typeof body.id === 'string') {
    body.tool_call_id = body.id;
    delete body.id;
  }
  return body;
}

/** Content blocks only Anthropic Messages has. */
const ANTHROPIC_BLOCKS = new Set(['thinking', 'redacted_thinking', 'tool_use', 'server_tool_use', 'tool_result']);

/** True for an Anthropic Messages reply (`type: "message"` with a `stop_reason`) or a message holding a block only that API has. */
function isAnthropicMessage(raw: unknown): boolean {
  if (!isObject(raw)) return false;
  if (raw.type === 'message' && 'stop_reason' in raw) return true;
  return Array.isArray(raw.content) && raw.content.some((b) => isObject(b) && typeof b.type === 'string' && ANTHROPIC_BLOCKS.has(b.type));
}

/** Anthropic Messages messages as chat messages, a reply given as bare text being the assistant's. */
function anthropicMessagesOf(list: readonly unknown[], at: string): ChatMessage[] {
  return anthropicMessages(list.map((raw) => (typeof raw === 'string' ? { role: 'assistant', content: raw } : raw)), at);
}

/**
 * A model call's request or reply as chat messages: a list of messages, `{messages}` (with an
 * Anthropic `system`), `{choices}`, or one message; see the notes above for the shapes.
 */
function messagesOf(value: unknown, at: string): ChatMessage[] {
  const request = isObject(value) && Array.isArray(value.messages);
  const [list, listAt] = request ? [value.messages as unknown[], `${at}.messages`] : isObject(value) && Array.isArray(value.choices) ? [value.choices, `${at}.choices`] : [Array.isArray(value) ? value : value == null ? [] : [value], at];
  const out: ChatMessage[] = [];
  const system = request ? instructionsText(value.system) : '';
  if (system) out.push({ role: 'system', content: system });
  const messages = list.map((raw) => (isObject(raw) ? eventMessage(raw) : raw));
  if (messages.some(isAnthropicMessage)) return [...out, ...anthropicMessagesOf(messages, listAt)];
  messages.forEach((raw, k) => {
    const where = `${listAt}[${k}]`;
    if (typeof raw === 'string') {
      out.push({ role: 'assistant', content: raw });
      return;
    }
    if (!isObject(raw)) throw new Misfit(`${where}: expected a message object`);
    const role = str(raw.role);
    if (role === null) throw new Misfit(`${where}.role: expected a string`);
    if (!Array.isArray(raw.parts)) {
      out.push(normalizeMessage(parseWith(messageSchema, raw, where)));
      return;
    }
    const message: ChatMessage = { role, content: '' };
    const texts: string[] = [];
    const other: unknown[] = [];
    const results: ChatMessage[] = [];
    const shown: unknown[] = [];
    raw.parts.forEach((part, p) => {
      if (!isObject(part)) throw new Misfit(`${where}.parts[${p}]: expected a part object`);
      if (part.type === 'text') {
        texts.push(text(part.content));
        shown.push({ type: 'text', text: text(part.content) });
      } else if (part.type === 'reasoning' || part.type === 'thinking') message.reasoning_content = [message.reasoning_content, text(part.content)].filter((t) => t).join('\n\n');
      else if (part.type === 'tool_call') {
        const call: ToolCall = { id: str(part.id), type: 'function', function: { name: str(part.name) ?? '', arguments: argumentsText(part.arguments) } };
        message.tool_calls = [...(message.tool_calls ?? []), call];
      } else if (part.type === 'tool_call_response') results.push({ role: 'tool', tool_call_id: str(part.id), content: text(part.response !== undefined ? part.response : part.result) });
      else {
        other.push(part);
        shown.push(mediaPart(part));
      }
    });
    message.content = other.length > 0 ? shown : texts.join('\n');
    if (typeof raw.finish_reason === 'string') message.finish_reason = raw.finish_reason;
    // A tool message is its responses; a message that only answers tools is not a message of its own.
    if (results.length === 0 || texts.length > 0 || other.length > 0 || message.tool_calls) out.push(message);
    out.push(...results);
  });
  return out;
}

/**
 * A GenAI media part as the chat content part it stands for: an image `blob` (base64 `content`) as
 * a data URL, an image `uri` (or pydantic-ai's `image-url`) as its URL; any other part as it is.
 */
function mediaPart(part: Record<string, unknown>): unknown {
  const mime = str(part.mime_type) ?? str(part.media_type);
  const image = part.modality === 'image' || (mime?.startsWith('image/') ?? false) || part.type === 'image-url';
  if (!image) return part;
  if ((part.type === 'blob' || part.type === 'binary') && typeof part.content === 'string') return base64ImagePart(mime ?? 'image/*', part.content);
  const url = str(part.uri) ?? str(part.url);
  return url !== null && (part.type === 'uri' || part.type === 'image-url') ? imageUrlPart(url) : part;
}

/** What a message is when a later call sends it again (see the notes above): role, text, tool calls, answered call. */
function sentKey(m: ChatMessage): string {
  return JSON.stringify([m.role, contentAsText(m.content), (m.tool_calls ?? []).map((c) => [c.id ?? null, c.function.name, c.function.arguments]), m.tool_call_id ?? null]);
}

/**
 * How many messages at the start of a call's input the trajectory already holds: the longest
 * start that ends with the trajectory's last message and whose other messages come before it in
 * the trajectory in the same order (earlier turns may be left out). 0 when the input is all new.
 */
function heldStart(held: readonly string[], input: readonly string[]): number {
  const last = held.length - 1;
  for (let n = input.length; n > 0 && last >= 0; n--) {
    if (input[n - 1] !== held[last]) continue;
    let at = last;
    for (let k = n - 2; k >= 0 && at >= 0; k--) at = at > 0 ? held.lastIndexOf(input[k]!, at - 1) : -1;
    if (at >= 0) return n;
  }
  return 0;
}

/** One span of a trace, as the trace builder reads it (Langfuse observations and OpenTelemetry spans both become these). */
export interface Observation {
  id: string | null;
  name: string | null;
  type: string;
  start: string;
  input: unknown;
  output: unknown;
  model: string | null;
  attributes: Record<string, unknown>;
  level: string | null;
  statusMessage: string | null;
  at: string;
  /** Where its input and output are in the file, when not at `AT.input` and `AT.output` (an OpenTelemetry span's attributes). */
  inputAt?: string;
  outputAt?: string;
  /** A model call's recorded token usage and duration, when recorded. */
  stats?: CallStats | null;
}

/** The token usage the GenAI conventions record on a model call (`gen_ai.usage.*`), in the OpenAI names. */
export function genAiUsage(attributes: Record<string, unknown>): TokenUsage | undefined {
  return recordedUsage(attributes['gen_ai.usage.input_tokens'] ?? attributes['gen_ai.usage.prompt_tokens'], attributes['gen_ai.usage.output_tokens'] ?? attributes['gen_ai.usage.completion_tokens'], attributes['llm.usage.total_tokens']);
}


const inputAt = (o: Pick<Observation, 'at' | 'inputAt'>): string => o.inputAt ?? `${o.at}.input`;
const outputAt = (o: Pick<Observation, 'at' | 'outputAt'>): string => o.outputAt ?? `${o.at}.output`;

function observationOf(raw: unknown, at: string): Observation {
  if (!isObject(raw)) throw new Misfit(`${at}: expected an observation object`);
  const metadata = decoded(raw.metadata, `${at}.metadata`);
  const attributes = isObject(metadata) && isObject(metadata.attributes) ? metadata.attributes : {};
  // Langfuse counts tokens as input and output (`usageDetails`, earlier `usage`) and gives the latency in seconds.
  const counts = isObject(raw.usageDetails) ? raw.usageDetails : isObject(raw.usage) ? raw.usage : {};
  const usage = recordedUsage(counts.input, counts.output, counts.total) ?? genAiUsage(attributes);
  const [start, end] = [Date.parse(str(raw.startTime) ?? ''), Date.parse(str(raw.endTime) ?? '')];
  const seconds = num(raw.latency);
  const latencyMs = seconds !== null ? seconds * 1000 : Number.isFinite(start) && Number.isFinite(end) && end >= start ? end - start : null;
  return { id: str(raw.id), name: str(raw.name), type: str(raw.type) ?? '', start: str(raw.startTime) ?? '', input: raw.input, output: raw.output, model: str(raw.model), attributes, level: str(raw.level), statusMessage: str(raw.statusMessage), at, stats: callStats(usage, latencyMs) };
}

/** What became of an observation that cannot be read, naming it as Langfuse shows it: "the model call "chat" (id 1a2b) is left out". */
function leftOut(o: Observation, what: string): string {
  return [what, o.name === null ? null : JSON.stringify(o.name), o.id === null ? null : `(id ${o.id})`, 'is left out'].filter((p) => p !== null).join(' ');
}

/** A request's tool as a tool description: an Anthropic tool's `input_schema` is its parameters. */
function requestTool(tool: unknown): unknown {
  return isObject(tool) && tool.parameters === undefined && isObject(tool.input_schema) ? { ...tool, parameters: tool.input_schema } : tool;
}

/** A model call's input and output messages, the tools its request sends, and its recorded finish reasons. */
function modelCall(call: Observation): { input: ChatMessage[]; output: ChatMessage[]; tools: unknown[]; reasons: unknown } {
  const request = decoded(call.input, inputAt(call));
  return {
    input: messagesOf(request, inputAt(call)),
    output: messagesOf(decoded(call.output, outputAt(call)), outputAt(call)),
    tools: isObject(request) && Array.isArray(request.tools) ? request.tools.map(requestTool) : [],
    reasons: decoded(call.attributes['gen_ai.response.finish_reasons'], `${call.at}.finish_reasons`),
  };
}

/** Where a tool message for the call `id` goes: after the results already following its assistant message. */
function resultSlot(messages: readonly ChatMessage[], id: string): number | null {
  const at = messages.findIndex((m) => m.role === 'assistant' && (m.tool_calls ?? []).some((c) => c.id === id));
  if (at < 0) return null;
  let end = at + 1;
  while (end < messages.length && messages[end]!.role === 'tool') end++;
  return end;
}

/** What a trace holds besides its spans: its id, attributes, scores, and the input and output of its root. */
export interface TraceHead {
  id: string | null;
  attributes: Record<string, unknown>;
  scores: readonly unknown[];
  input: unknown;
  output: unknown;
  /** Where the trace is in the file, for the problems' paths ("" for the top level, else ending in "."). */
  at: string;
  /** The error the traced run failed with, when the trace records one: the run did not finish, and its first line is the stop reason. */
  error?: string | null;
}

function importTrace(record: unknown, at: string, fallbackId: string, index: number): Trajectory {
  if (!isTraceExport(record)) throw new Misfit(`${at || 'the top level'}: expected {trace, observations}`);
  const { trace, observations } = record as { trace: Record<string, unknown>; observations: unknown[] };
  const problems: string[] = [];
  const all = observations.flatMap((o, i) => tryParse(() => observationOf(o, `${at}observations[${i}]`), problems, 'the observation is left out') ?? []);
  const traceMeta = decoded(trace.metadata, `${at}trace.metadata`);
  const head: TraceHead = { id: str(trace.id), attributes: isObject(traceMeta) && isObject(traceMeta.attributes) ? traceMeta.attributes : {}, scores: Array.isArray(trace.scores) ? trace.scores : [], input: trace.input, output: trace.output, at };
  return traceTrajectory(head, all, problems, fallbackId, index, 'langfuse-trace');
}

/**
 * The trajectory of one trace from its spans (see the notes above); `problems` holds what was left
 * out already, and gets what is left out here. Throws a `Misfit` when none of its model calls can
 * be read.
 */
export function traceTrajectory(head: TraceHead, all: readonly Observation[], problems: string[], fallbackId: string, index: number, format: FormatId): Trajectory {
  const at = head.at;
  const order = all.map((o, i) => [o, i] as const).sort((a, b) => (a[0].start < b[0].start ? -1 : a[0].start > b[0].start ? 1 : a[1] - b[1])).map(([o]) => o);
  const operation = (o: Observation): string => str(o.attributes['gen_ai.operation.name']) ?? '';
  const calls = order.filter((o) => o.type === 'GENERATION' || CALL_OPERATIONS.has(operation(o)));
  const toolSpans = order.filter((o) => !calls.includes(o) && (o.type === 'TOOL' || operation(o) === 'execute_tool'));
  const withAttribute = (name: string): unknown => [...calls, ...order, { attributes: head.attributes }].map((o) => o.attributes[name]).find((v) => v != null);

  const messages: ChatMessage[] = [];
  // The sentKey of each message, to find what a call's input already holds.
  const sent: string[] = [];
  const add = (list: readonly ChatMessage[]): void => {
    for (const m of list) {
      messages.push(m);
      sent.push(sentKey(m));
    }
  };
  const views: Array<ChatMessage[] | null> = [];
  const stats: Array<CallStats | null> = [];
  const requestTools: unknown[] = [];
  let model: string | null = null;
  const instructions = decoded(withAttribute('gen_ai.system_instructions'), `${at}gen_ai.system_instructions`);
  const system = instructions == null ? null : instructionsText(instructions);
  const firstCallProblem = problems.length;
  let callsRead = 0;
  for (const call of calls) {
    const read = tryParse(() => modelCall(call), problems, leftOut(call, 'the model call'));
    if (!read) continue;
    callsRead += 1;
    const { input, output, reasons } = read;
    requestTools.push(...read.tools);
    if (messages.length === 0 && system && input[0]?.role !== 'system') add([{ role: 'system', content: system }]);
    add(input.slice(heldStart(sent, input.map(sentKey))));
    output.forEach((m, k) => {
      if (m.role !== 'assistant') return;
      const first = k === 0 || !output.slice(0, k).some((o) => o.role === 'assistant');
      views.push(first ? input : null);
      stats.push(first ? (call.stats ?? null) : null);
      if (m.finish_reason === undefined && Array.isArray(reasons) && typeof reasons[0] === 'string') m.finish_reason = reasons[0];
    });
    add(output);
    model ??= str(call.attributes['gen_ai.response.model']) ?? call.model ?? str(call.attributes['gen_ai.request.model']);
  }
  if (calls.length > 0 && callsRead === 0) throw new Misfit(`no model call could be read; first: ${problems[firstCallProblem]!}`);
  if (calls.length === 0) {
    const root = order.find((o) => o.type === 'AGENT') ?? { input: head.input, output: head.output, at: `${at}trace` };
    if (system) messages.push({ role: 'system', content: system });
    messages.push(...messagesOf(decoded(root.input, inputAt(root)), inputAt(root)), ...messagesOf(decoded(root.output, outputAt(root)), outputAt(root)));
  }
  for (const span of toolSpans) {
    const id = str(span.attributes['gen_ai.tool.call.id']);
    if (id !== null && messages.some((m) => m.role === 'tool' && m.tool_call_id === id)) continue;
    const read = tryParse(() => ({ output: decoded(span.output, outputAt(span)) }), problems, leftOut(span, 'the tool result'));
    if (!read) continue;
    const { output } = read;
    const result = span.level === 'ERROR' ? raisedToolContent(span.statusMessage ?? text(output)) : text(output);
    const tool: ChatMessage = { role: 'tool', tool_call_id: id, content: result };
    const name = str(span.attributes['gen_ai.tool.name']);
    if (name) tool.name = name;
    const slot = id === null ? null : resultSlot(messages, id);
    if (slot === null) messages.push(tool);
    else messages.splice(slot, 0, tool);
  }
  const scores = head.scores.filter(isObject);
  const reward = num(scores.find((s) => s.name === 'reward')?.value) ?? scores.map((s) => num(s.value)).find((v) => v !== null) ?? null;
  const t: Trajectory = { id: head.id ?? fallbackId, model: model ?? (calls.length === 0 ? (order.map((o) => o.model).find((m) => m) ?? null) : null), messages, reward, recorded: {}, source: { format, index } };
  if (views.some((v) => v !== null)) t.promptViews = views;
  if (stats.some((v) => v !== null)) t.callStats = stats;
  if (head.error) {
    t.stopReason = `error: ${head.error.trim().split('\n')[0]!}`;
    t.recorded.finished_naturally = false;
  }
  const definitions = decoded(withAttribute('gen_ai.tool.definitions'), `${at}gen_ai.tool.definitions`);
  const tools = toolSchemasOf([...(Array.isArray(definitions) ? definitions : []), ...requestTools]);
  if (tools) t.tools = tools;
  if (problems.length > 0) t.problems = problems;
  return t;
}

/**
 * A trajectory per trace (its id, head and spans); a trace that cannot be read (`unreadable` says
 * why, or {@link traceTrajectory} finds it) is named in `problems` and left out. Throws a `Misfit`
 * when none can be read (`empty` when there is none).
 */
export function traceTrajectories(traces: ReadonlyArray<{ id: string; head: TraceHead; spans: readonly Observation[]; unreadable?: string }>, fileName: string, format: FormatId, problems: string[], empty: string): Trajectory[] {
  const trajectories: Trajectory[] = [];
  traces.forEach(({ id, head, spans, unreadable }, n) => {
    try {
      if (unreadable) throw new Misfit(unreadable);
      trajectories.push(traceTrajectory(head, spans, [], `${baseName(fileName)}#${n}`, trajectories.length, format));
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      problems.push(`trace ${id}: ${error.message}`);
    }
  });
  if (trajectories.length === 0) throw new Misfit(traces.length === 0 ? empty : `no trace could be read; first: ${problems[0]}`);
  return trajectories;
}

/** A Langfuse trace export, or a list of them: one trajectory per trace; a trace that cannot be read is reported. */
export function importLangfuseTraces(data: unknown, fileName: string): TextImport {
  if (!Array.isArray(data)) return { trajectories: [importTrace(data, '', baseName(fileName), 0)], problems: [] };
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  data.forEach((record, i) => {
    try {
      trajectories.push(importTrace(record, `[${i}].`, `${baseName(fileName)}#${i}`, trajectories.length));
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      problems.push(error.message);
    }
  });
  if (trajectories.length === 0) throw new Misfit(`no trace could be read; first: ${problems[0] ?? 'the list is empty'}`);
  return { trajectories, problems };
}
