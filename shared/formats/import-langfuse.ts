import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, baseName, checkNesting, isObject, Misfit, messageSchema, normalizeMessage, num, parseJson, parseWith, raisedToolContent, str, toolSchemasOf, type TextImport } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// OpenTelemetry GenAI traces as Langfuse stores them: `{trace, observations[]}` (or a list of
// them), one trajectory per trace.
//
// - Model calls are the GENERATION observations (or spans whose `gen_ai.operation.name` is chat,
//   text_completion or generate_content), in start order. Each call's recorded input is that
//   turn's recorded prompt view; the trajectory adds the part of the input it does not already
//   end with (a call may send the whole history or only what is new), then the call's output.
// - Messages come in either OpenAI shape (`content`, `tool_calls`) or the GenAI `parts` shape
//   (`text`, `reasoning`, `tool_call`, `tool_call_response` parts). Langfuse stores inputs,
//   outputs and metadata as JSON texts, sometimes encoded twice; they are decoded.
// - A tool span (TOOL, or `execute_tool`) is the result of the call with its
//   `gen_ai.tool.call.id` only when no model input already holds that result: a call counts once.
//   A tool span no model call asked for stays as a tool message at the end. A span at level ERROR
//   is recorded as a tool that raised.
// - `gen_ai.system_instructions` is the first message; `gen_ai.tool.definitions` the tools; the
//   reward is the trace's score named `reward`, else its first numeric score; the model the first
//   call's response model; `gen_ai.response.finish_reasons` is kept as the turn's `finish_reason`.

const CALL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);

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

/** GenAI messages (either shape) as chat messages. */
function messagesOf(value: unknown, at: string): ChatMessage[] {
  const list = isObject(value) && Array.isArray(value.messages) ? value.messages : Array.isArray(value) ? value : value == null ? [] : [value];
  const out: ChatMessage[] = [];
  list.forEach((raw, k) => {
    const where = `${at}[${k}]`;
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
    raw.parts.forEach((part, p) => {
      if (!isObject(part)) throw new Misfit(`${where}.parts[${p}]: expected a part object`);
      if (part.type === 'text') texts.push(text(part.content));
      else if (part.type === 'reasoning') message.reasoning_content = [message.reasoning_content, text(part.content)].filter((t) => t).join('\n\n');
      else if (part.type === 'tool_call') {
        const call: ToolCall = { id: str(part.id), type: 'function', function: { name: str(part.name) ?? '', arguments: argumentsText(part.arguments) } };
        message.tool_calls = [...(message.tool_calls ?? []), call];
      } else if (part.type === 'tool_call_response') results.push({ role: 'tool', tool_call_id: str(part.id), content: text(part.response) });
      else other.push(part);
    });
    message.content = other.length > 0 ? raw.parts.filter((p) => isObject(p) && p.type !== 'tool_call' && p.type !== 'tool_call_response' && p.type !== 'reasoning') : texts.join('\n');
    if (typeof raw.finish_reason === 'string') message.finish_reason = raw.finish_reason;
    // A tool message is its responses; a message that only answers tools is not a message of its own.
    if (results.length === 0 || texts.length > 0 || other.length > 0 || message.tool_calls) out.push(message);
    out.push(...results);
  });
  return out;
}

const same = (a: ChatMessage, b: ChatMessage): boolean => JSON.stringify(a) === JSON.stringify(b);

interface Observation {
  type: string;
  start: string;
  input: unknown;
  output: unknown;
  model: string | null;
  attributes: Record<string, unknown>;
  level: string | null;
  statusMessage: string | null;
  at: string;
}

function observationOf(raw: unknown, at: string): Observation {
  if (!isObject(raw)) throw new Misfit(`${at}: expected an observation object`);
  const metadata = decoded(raw.metadata, `${at}.metadata`);
  const attributes = isObject(metadata) && isObject(metadata.attributes) ? metadata.attributes : {};
  return { type: str(raw.type) ?? '', start: str(raw.startTime) ?? '', input: raw.input, output: raw.output, model: str(raw.model), attributes, level: str(raw.level), statusMessage: str(raw.statusMessage), at };
}

/** Where a tool message for the call `id` goes: after the results already following its assistant message. */
function resultSlot(messages: readonly ChatMessage[], id: string): number | null {
  const at = messages.findIndex((m) => m.role === 'assistant' && (m.tool_calls ?? []).some((c) => c.id === id));
  if (at < 0) return null;
  let end = at + 1;
  while (end < messages.length && messages[end]!.role === 'tool') end++;
  return end;
}

function importTrace(record: unknown, at: string, fallbackId: string, index: number): Trajectory {
  if (!isTraceExport(record)) throw new Misfit(`${at || 'the top level'}: expected {trace, observations}`);
  const { trace, observations } = record as { trace: Record<string, unknown>; observations: unknown[] };
  const all = observations.map((o, i) => observationOf(o, `${at}observations[${i}]`));
  const order = all.map((o, i) => [o, i] as const).sort((a, b) => (a[0].start < b[0].start ? -1 : a[0].start > b[0].start ? 1 : a[1] - b[1])).map(([o]) => o);
  const operation = (o: Observation): string => str(o.attributes['gen_ai.operation.name']) ?? '';
  const calls = order.filter((o) => o.type === 'GENERATION' || CALL_OPERATIONS.has(operation(o)));
  const toolSpans = order.filter((o) => !calls.includes(o) && (o.type === 'TOOL' || operation(o) === 'execute_tool'));
  const traceMeta = decoded(trace.metadata, `${at}trace.metadata`);
  const traceAttributes = isObject(traceMeta) && isObject(traceMeta.attributes) ? traceMeta.attributes : {};
  const withAttribute = (name: string): unknown => [...calls, ...order, { attributes: traceAttributes }].map((o) => o.attributes[name]).find((v) => v != null);

  const messages: ChatMessage[] = [];
  const views: Array<ChatMessage[] | null> = [];
  let model: string | null = null;
  const instructions = decoded(withAttribute('gen_ai.system_instructions'), `${at}gen_ai.system_instructions`);
  const system = instructions == null ? null : Array.isArray(instructions) ? instructions.map((p) => (isObject(p) ? text(p.content ?? p.text) : text(p))).join('\n') : text(instructions);
  for (const call of calls) {
    const input = messagesOf(decoded(call.input, `${call.at}.input`), `${call.at}.input`);
    const output = messagesOf(decoded(call.output, `${call.at}.output`), `${call.at}.output`);
    if (messages.length === 0 && system && input[0]?.role !== 'system') messages.push({ role: 'system', content: system });
    let overlap = Math.min(messages.length, input.length);
    while (overlap > 0 && !input.slice(0, overlap).every((m, k) => same(m, messages[messages.length - overlap + k]!))) overlap--;
    messages.push(...input.slice(overlap));
    const reasons = decoded(call.attributes['gen_ai.response.finish_reasons'], `${call.at}.finish_reasons`);
    output.forEach((m, k) => {
      if (m.role !== 'assistant') return;
      views.push(k === 0 || !output.slice(0, k).some((o) => o.role === 'assistant') ? input : null);
      if (m.finish_reason === undefined && Array.isArray(reasons) && typeof reasons[0] === 'string') m.finish_reason = reasons[0];
    });
    messages.push(...output);
    model ??= str(call.attributes['gen_ai.response.model']) ?? call.model ?? str(call.attributes['gen_ai.request.model']);
  }
  if (calls.length === 0) {
    const root = order.find((o) => o.type === 'AGENT') ?? { input: trace.input, output: trace.output, at: `${at}trace` };
    if (system) messages.push({ role: 'system', content: system });
    messages.push(...messagesOf(decoded(root.input, `${root.at}.input`), `${root.at}.input`), ...messagesOf(decoded(root.output, `${root.at}.output`), `${root.at}.output`));
  }
  for (const span of toolSpans) {
    const id = str(span.attributes['gen_ai.tool.call.id']);
    if (id !== null && messages.some((m) => m.role === 'tool' && m.tool_call_id === id)) continue;
    const output = decoded(span.output, `${span.at}.output`);
    const result = span.level === 'ERROR' ? raisedToolContent(span.statusMessage ?? text(output)) : text(output);
    const tool: ChatMessage = { role: 'tool', tool_call_id: id, content: result };
    const name = str(span.attributes['gen_ai.tool.name']);
    if (name) tool.name = name;
    const slot = id === null ? null : resultSlot(messages, id);
    if (slot === null) messages.push(tool);
    else messages.splice(slot, 0, tool);
  }
  const scores = Array.isArray(trace.scores) ? trace.scores.filter(isObject) : [];
  const reward = num(scores.find((s) => s.name === 'reward')?.value) ?? scores.map((s) => num(s.value)).find((v) => v !== null) ?? null;
  const t: Trajectory = { id: str(trace.id) ?? fallbackId, model: model ?? (calls.length === 0 ? (order.map((o) => o.model).find((m) => m) ?? null) : null), messages, reward, recorded: {}, source: { format: 'langfuse-trace', index } };
  if (views.some((v) => v !== null)) t.promptViews = views;
  const definitions = decoded(withAttribute('gen_ai.tool.definitions'), `${at}gen_ai.tool.definitions`);
  const tools = toolSchemasOf(Array.isArray(definitions) ? definitions : []);
  if (tools) t.tools = tools;
  return t;
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
