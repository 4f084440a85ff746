import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, callStats, checkNesting, isObject, Misfit, num, parseJson, parseWith, raisedToolContent, recordedUsage, str, toolSchemasOf, tryParse } from './import-common.js';
import { zipEntries, zipEntryBytes, zipEntrySpan, type ZipEntry } from './import-zip.js';
import { endsWithEndTool, type CallStats, type Trajectory } from './trajectory.js';

// Inspect AI logs: `.json` (every sample inline) and `.eval` (a zip with one entry per sample).
// One trajectory per sample and epoch, the model from `eval.model`.
//
// Choices:
// - A tool message with `error: {type, message}` is a tool that failed: Inspect's providers send
//   the model "Error: <message>" instead of the content. The trajectory records it as the
//   reference loop records a tool that raised, `{"error": "Tool execution failed: <type>:
//   <message>"}`, so the derived AgentResult counts an exec error and lists the Inspect error type
//   and message in `tool_errors`. Keeping the text would count it as a tool that returned fine.
// - Reward from `scores`: the first scorer whose value is a number or one of Inspect's scalar
//   values, converted as Inspect's `value_to_float` does: C(orrect) 1, I(ncorrect) 0, P(artial)
//   0.5, N(o answer) 0, booleans and "yes"/"no"/"true"/"false" 1/0, numeric strings their number.
//   Other values (lists, dicts, unknown strings) give no reward rather than Inspect's 0.
// - `promptViews`: the k-th model event outside scorers (a model-graded scorer calls the model too)
//   is turn k's prompt, paired by the assistant message id where the log records ids; `tools` are
//   those events' tool definitions as OpenAI function schemas.
// - Finished (see FINISHED_MEANING): a sample that hit a limit or raised an error records
//   `finished_naturally: false`; one whose last reply calls `submit()` records `true` (the agent
//   ended it). The stop reason is `limit: <type>`, `error: <message>`, `submit`, or the last
//   model output's `stop_reason`; `max_tokens` and `model_length` there (a reply or a context cut
//   by a limit) record `finished_naturally: false` too.
// - The target, every scorer's value, answer, explanation and metadata, and the sample's metadata
//   are kept as the trajectory's `evaluation`, as Inspect View shows them.
// - Content other than text (images, audio, video, documents) is kept as content parts: an image
//   as an OpenAI `image_url` part, the others as Inspect wrote them. Text-only content stays a string.
// - Older logs (Inspect 0.3.41, autumn 2024) keep a sample's events under `transcript.events` and
//   the content they refer to as `tc://<hash>` under `transcript.content`. They are read as
//   `events` and `attachments`, as Inspect itself migrates them, so their turns get recorded prompts.
//   Older still, a tool message's error was the string `tool_error`: read as an error of type
//   `unknown`, as Inspect migrates it.
// - Newer logs store each message the model was sent once per sample, in `events_data.messages`
//   (`message_pool` in the releases before), and leave a model event's `input` empty with
//   `input_refs` into that pool (see pooledInput): the prompt is read from the pool.
// - A tool call whose arguments did not parse is recorded with `arguments: {}` and the text the
//   model wrote inside `parse_error`; that text is its arguments here, so the call counts as one
//   with arguments that are not valid JSON rather than as a valid call with none.
// - Server-side tool use (web search, code execution, MCP calls run by the provider) is a
//   `tool_use` content part of the reply that holds the call and its result: it becomes a tool call
//   of the turn, answered by a tool message right after the reply (a tool that raised when it
//   records an `error`).
// - Samples written before the log knew its first scorer's name keep that score under the
//   placeholder `88F74D2C`; it is shown under the name in the log's results, as Inspect does.

const content = z.lazy(() => z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]));
const inspectToolCall = z.lazy(() => z.looseObject({ id: z.string(), function: z.string(), arguments: z.unknown(), parse_error: z.string().nullable().optional() }));
const inspectMessage = z.lazy(() => z.looseObject({
  id: z.string().nullable().optional(),
  role: z.string(),
  content,
  tool_calls: z.array(inspectToolCall).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
  function: z.string().nullable().optional(),
  error: z.looseObject({ type: z.string(), message: z.string() }).nullable().optional(),
  tool_error: z.string().nullable().optional(),
  reasoning: z.string().nullable().optional(),
}));
type InspectMessage = z.infer<typeof inspectMessage>;

const modelEvent = z.lazy(() => z.looseObject({
  event: z.literal('model'),
  input: z.array(inspectMessage),
  tools: z.array(z.unknown()).nullable().optional(),
  output: z.looseObject({ choices: z.array(z.looseObject({ message: z.looseObject({ id: z.string().nullable().optional() }) })).nullable().optional() }).nullable().optional(),
}));

const inspectEvent = z.lazy(() => z.looseObject({ event: z.string() }));

/** A model event's recorded usage (`output.usage`, input and output tokens) and duration (`output.time`, seconds). */
function modelCallStats(output: unknown): CallStats | null {
  if (!isObject(output)) return null;
  const usage = isObject(output.usage) ? recordedUsage(output.usage.input_tokens, output.usage.output_tokens, output.usage.total_tokens) : undefined;
  const seconds = num(output.time);
  return callStats(usage, seconds === null ? null : seconds * 1000);
}

const inspectSample = z.lazy(() => z.looseObject({
  id: z.union([z.string(), z.number()]),
  epoch: z.number().int().nullable().optional(),
  messages: z.array(inspectMessage),
  events: z.array(inspectEvent).nullable().optional(),
  transcript: z.looseObject({ events: z.array(inspectEvent).optional() }).nullable().optional(),
  scores: z.record(z.string(), z.looseObject({ value: z.unknown(), answer: z.string().nullable().optional(), explanation: z.string().nullable().optional(), metadata: z.record(z.string(), z.unknown()).nullable().optional() }).nullable()).nullable().optional(),
  target: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  output: z.looseObject({ choices: z.array(z.looseObject({ stop_reason: z.string().nullable().optional() })).nullable().optional() }).nullable().optional(),
  error: z.unknown().optional(),
  limit: z.unknown().optional(),
}));

/** The start of a reference to deduplicated content: `attachment://`, or `tc://` in older logs. */
const REFERENCE = /^(?:attachment|tc):\/\//;

/**
 * `value` with every `attachment://<hash>` or `tc://<hash>` string replaced by the sample's
 * attachment, the hash being all that follows the protocol, as Inspect's `resolve_sample_attachments`
 * reads it. A reference to a missing attachment stays as it is, as Inspect View leaves it.
 */
function resolveAttachments(value: unknown, attachments: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const ref = REFERENCE.exec(value);
    const found = ref ? attachments[value.slice(ref[0].length)] : undefined;
    return typeof found === 'string' ? found : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveAttachments(v, attachments));
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveAttachments(v, attachments);
    return out;
  }
  return value;
}

/** The text parts of Inspect content joined by newlines (Inspect's `ChatMessage.text`). */
function textOf(value: z.infer<typeof content>): string {
  if (typeof value === 'string') return value;
  return value.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' ? [part.text] : [])).join('\n');
}

/**
 * Inspect content as message content: a string when it is text only (parts joined as Inspect's
 * `text` does); else every part but reasoning (which goes to `reasoning_content`) and server tool
 * use (a tool call and its result, see serverToolUse) as an OpenAI-style content part, an image as
 * `{type: 'image_url', image_url: {url, detail}}`.
 */
function contentOf(value: z.infer<typeof content>): ChatMessage['content'] {
  if (typeof value === 'string') return value;
  const parts = value.filter((part) => part.type !== 'reasoning' && part.type !== 'tool_use');
  if (parts.every((part) => part.type === 'text')) return textOf(value);
  return parts.map((part) => {
    if (part.type === 'text') return { type: 'text', text: typeof part.text === 'string' ? part.text : '' };
    if (part.type === 'image' && typeof part.image === 'string') return { type: 'image_url', image_url: { url: part.image, ...(typeof part.detail === 'string' ? { detail: part.detail } : {}) } };
    return part;
  });
}

/** Readable reasoning of a message: its reasoning parts (a redacted one by its summary), or `reasoning`. */
function reasoningOf(message: InspectMessage): string | null {
  if (Array.isArray(message.content)) {
    const parts = message.content.flatMap((part) => {
      if (part.type !== 'reasoning') return [];
      const text = part.redacted === true ? part.summary : (part.reasoning ?? part.summary);
      return typeof text === 'string' && text !== '' ? [text] : [];
    });
    if (parts.length > 0) return parts.join('\n');
  }
  return message.reasoning || null;
}

/** The start of the text Inspect's `tool_parse_error_message` writes before the arguments it could not parse. */
const PARSE_ERROR_START = 'Error parsing the following tool call arguments:\n\n';
/** What it writes after them, before the parser's error. */
const PARSE_ERROR_DETAILS = '\n\nError details: ';

/**
 * The arguments of an Inspect tool call as the model wrote them: for a call that did not parse
 * (recorded with `arguments: {}`), the text quoted in its `parse_error`; else the arguments as JSON.
 */
function callArguments(call: z.infer<typeof inspectToolCall>): string {
  const error = call.parse_error;
  const end = error ? error.lastIndexOf(PARSE_ERROR_DETAILS) : -1;
  if (error && error.startsWith(PARSE_ERROR_START) && end >= PARSE_ERROR_START.length) return error.slice(PARSE_ERROR_START.length, end);
  return argumentsText(call.arguments);
}

/**
 * The server-side tool uses of a reply (`tool_use` parts: `{tool_type, id, name, arguments,
 * result, error}`) as its tool calls and the tool messages that answer them.
 */
function serverToolUse(value: z.infer<typeof content>): { calls: ToolCall[]; results: ChatMessage[] } {
  const calls: ToolCall[] = [];
  const results: ChatMessage[] = [];
  if (typeof value === 'string') return { calls, results };
  for (const part of value) {
    if (part.type !== 'tool_use' || typeof part.id !== 'string' || typeof part.name !== 'string') continue;
    calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: argumentsText(part.arguments) } });
    const result = typeof part.result === 'string' ? part.result : part.result == null ? '' : JSON.stringify(part.result);
    const error = str(part.error);
    results.push({ role: 'tool', tool_call_id: part.id, name: part.name, content: error ? raisedToolContent(error) : result });
  }
  return { calls, results };
}

/**
 * An Inspect chat message as OpenAI chat messages (see the choices above for tool errors): one,
 * or a reply followed by the results of the server-side tools it used.
 */
function chatMessages(message: InspectMessage): ChatMessage[] {
  const out: ChatMessage = { role: message.role, content: contentOf(message.content) };
  const server = message.role === 'assistant' ? serverToolUse(message.content) : { calls: [], results: [] };
  if (message.role === 'assistant') {
    const reasoning = reasoningOf(message);
    if (reasoning) out.reasoning_content = reasoning;
    const calls = [...server.calls, ...(message.tool_calls ?? []).map((call): ToolCall => ({ id: call.id, type: 'function', function: { name: call.function, arguments: callArguments(call) } }))];
    if (calls.length > 0) out.tool_calls = calls;
  }
  if (message.role === 'tool') {
    out.tool_call_id = message.tool_call_id ?? null;
    if (message.function) out.name = message.function;
    const error = message.error ?? (message.tool_error ? { type: 'unknown', message: message.tool_error } : null);
    if (error) out.content = raisedToolContent(`${error.type}: ${error.message}`);
  }
  return [out, ...server.results];
}

/** A score value as a reward, as Inspect's default `value_to_float` converts scalars; else null. */
export function inspectScoreValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return null;
  if (value === 'C') return 1;
  if (value === 'P') return 0.5;
  if (value === 'I' || value === 'N') return 0;
  const lower = value.toLowerCase();
  if (lower === 'yes' || lower === 'true') return 1;
  if (lower === 'no' || lower === 'false') return 0;
  // Python's `value.replace(".", "").isnumeric()`: digits and dots only, so no sign.
  return /^\d*\.?\d*$/.test(value) && /\d/.test(value) ? Number(value) : null;
}

/**
 * The indices of the agent's model events, in order: those outside scorer spans (and, in older
 * logs, outside `step` events of type scorer).
 */
function agentModelEvents(events: ReadonlyArray<Record<string, unknown>>): number[] {
  const spans = new Map<string, { type: unknown; parent: unknown }>();
  for (const e of events) if (e.event === 'span_begin' && typeof e.id === 'string') spans.set(e.id, { type: e.type, parent: e.parent_id });
  const inScorerSpan = (spanId: unknown): boolean => {
    for (let id = spanId, depth = 0; typeof id === 'string' && depth < 1000; depth++) {
      const span = spans.get(id);
      if (!span) return false;
      if (span.type === 'scorer' || span.type === 'scorers') return true;
      id = span.parent;
    }
    return false;
  };
  let scorerSteps = 0;
  const found: number[] = [];
  events.forEach((e, i) => {
    if (e.event === 'step' && e.type === 'scorer') scorerSteps += e.action === 'begin' ? 1 : e.action === 'end' ? -1 : 0;
    else if (e.event === 'model' && scorerSteps <= 0 && !inScorerSpan(e.span_id)) found.push(i);
  });
  return found;
}

/** The last output's stop reasons that say a limit cut the run: Inspect's `max_tokens` and `model_length` (`length` in older logs). */
const CUT_STOP_REASONS: ReadonlySet<string> = new Set(['max_tokens', 'model_length', 'length']);

/** Why a sample was stopped before the agent ended it (`limit: message`, `error: ...`), or null. */
function stopOf(sample: z.infer<typeof inspectSample>): string | null {
  if (sample.limit != null) return `limit: ${isObject(sample.limit) ? (str(sample.limit.type) ?? 'unknown') : String(sample.limit)}`;
  if (sample.error != null) return `error: ${isObject(sample.error) ? (str(sample.error.message) ?? 'unknown') : String(sample.error)}`.split('\n')[0]!;
  return null;
}

/**
 * The messages a sample's model events refer to by `input_refs`: `events_data.messages`, or
 * `message_pool` in the releases that named it so; null when the sample has neither.
 */
function messagePool(raw: Record<string, unknown>): unknown[] | null {
  const data = raw.events_data;
  if (isObject(data) && Array.isArray(data.messages)) return data.messages;
  return Array.isArray(raw.message_pool) ? raw.message_pool : null;
}

/**
 * A model event with its `input` read from the message pool when it was condensed (empty, with
 * `input_refs`: `[start, end)` ranges into the pool, in order), as Inspect's
 * `resolve_model_event_inputs` reads it; the event as it is when it holds its input itself. Null
 * when the ranges are not such ranges or reach past the pool: what the call was sent is not in the file.
 */
function pooledInput(event: unknown, pool: unknown[] | null): unknown {
  if (!isObject(event) || !Array.isArray(event.input_refs) || (Array.isArray(event.input) && event.input.length > 0)) return event;
  const input: unknown[] = [];
  for (const range of event.input_refs) {
    const [start, end] = Array.isArray(range) && range.length === 2 ? range : [];
    if (pool === null || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > pool.length) return null;
    input.push(...pool.slice(start, end));
  }
  return { ...event, input };
}

/** The key Inspect writes a sample's scores under before it knows the first scorer's name (`SCORER_PLACEHOLDER`). */
const SCORER_PLACEHOLDER = '88F74D2C';

/** Scores with the placeholder key renamed to `scorer` (the log's first scorer), in place, as Inspect's `populate_scorer_name_for_samples` does. */
function withScorerName(scores: unknown, scorer: string | null): unknown {
  if (!isObject(scores) || scorer === null || !(SCORER_PLACEHOLDER in scores)) return scores;
  return Object.fromEntries(Object.entries(scores).map(([key, value]) => [key === SCORER_PLACEHOLDER ? scorer : key, value]));
}

/** What a sample is read with from the rest of its log: the model, and the name of the first scorer in the results. */
interface LogContext {
  model: string | null;
  firstScorer: string | null;
}

/** The name of the first scorer of a log's `results`, or null. */
function firstScorerOf(results: unknown): string | null {
  const scores = isObject(results) ? results.scores : undefined;
  return Array.isArray(scores) && isObject(scores[0]) ? str(scores[0].name) : null;
}

/** One Inspect sample (its attachments resolved) as a trajectory; `at` is its field path in the file. */
function importSample(raw: unknown, at: string, log: LogContext, index: number): Trajectory {
  // A `transcript` stands in for both `events` and `attachments`, as in Inspect's `migrate_deprecated`.
  const transcript = isObject(raw) && isObject(raw.transcript) ? raw.transcript : null;
  const table = transcript ? transcript.content : isObject(raw) ? raw.attachments : undefined;
  const attachments = isObject(table) ? table : {};
  const resolved = isObject(raw) ? { ...raw, messages: resolveAttachments(raw.messages, attachments), scores: withScorerName(resolveAttachments(raw.scores, attachments), log.firstScorer) } : raw;
  const sample = parseWith(inspectSample, resolved, at);
  const messages = sample.messages.flatMap(chatMessages);
  const trajectory: Trajectory = { id: `${sample.id}#${sample.epoch ?? 1}`, model: log.model, messages, reward: null, recorded: {}, source: { format: 'inspect-log', index } };
  for (const score of Object.values(sample.scores ?? {})) {
    const reward = inspectScoreValue(score?.value);
    if (reward !== null) {
      trajectory.reward = reward;
      break;
    }
  }
  const stopped = stopOf(sample);
  if (stopped !== null) {
    trajectory.recorded.finished_naturally = false;
    trajectory.stopReason = stopped;
  } else if (endsWithEndTool(messages)) {
    trajectory.recorded.finished_naturally = true;
    trajectory.stopReason = 'submit';
  } else {
    const stop = sample.output?.choices?.[0]?.stop_reason ?? null;
    trajectory.stopReason = stop;
    // A last reply cut by the token limit, or a context window that overflowed (how basic_agent and
    // react end on a too-long conversation), is a run stopped by a limit, not ended by the agent.
    if (stop !== null && CUT_STOP_REASONS.has(stop)) trajectory.recorded.finished_naturally = false;
  }
  const scores = Object.entries(sample.scores ?? {}).flatMap(([scorer, score]) => (score ? [{ scorer, value: score.value, answer: score.answer ?? null, explanation: score.explanation ?? null, metadata: score.metadata ?? null }] : []));
  if (sample.target !== undefined || scores.length > 0 || sample.metadata) {
    trajectory.evaluation = { scores, ...(sample.target !== undefined ? { target: sample.target } : {}), ...(sample.metadata ? { metadata: sample.metadata } : {}) };
  }

  const events = (sample.transcript ? sample.transcript.events : sample.events) ?? [];
  const eventsAt = `${at}${at ? '.' : ''}${sample.transcript ? 'transcript.events' : 'events'}`;
  const pool = isObject(raw) ? messagePool(raw) : null;
  const problems: string[] = [];
  // Model events whose prompt the file does not hold (their pooled messages are missing).
  const unknownInput = new Set<object>();
  const modelEvents = agentModelEvents(events).map((i) => {
    const pooled = pooledInput(events[i], pool);
    if (pooled !== null) return parseWith(modelEvent, resolveAttachments(pooled, attachments), `${eventsAt}[${i}]`);
    problems.push(`${eventsAt}[${i}].input_refs: not ranges of the sample's message pool (events_data.messages); that call's recorded prompt is left out`);
    const event = parseWith(modelEvent, resolveAttachments({ ...events[i], input: [] }, attachments), `${eventsAt}[${i}]`);
    unknownInput.add(event);
    return event;
  });
  const assistants = sample.messages.filter((m) => m.role === 'assistant');
  const byId = new Map(modelEvents.flatMap((e) => {
    const id = e.output?.choices?.[0]?.message.id;
    return id ? [[id, e] as const] : [];
  }));
  const callEvents = assistants.map((m, k) => (byId.size > 0 ? (m.id ? byId.get(m.id) : undefined) : modelEvents[k]));
  const views = callEvents.map((event) => (event && !unknownInput.has(event) ? event.input.flatMap(chatMessages) : null));
  if (views.some((v) => v !== null)) trajectory.promptViews = views;
  const stats = callEvents.map((event) => (event ? modelCallStats(event.output) : null));
  if (stats.some((v) => v !== null)) trajectory.callStats = stats;
  const tools = toolSchemasOf(modelEvents.flatMap((e) => e.tools ?? []));
  if (tools) trajectory.tools = tools;
  if (problems.length > 0) trajectory.problems = problems;
  return trajectory;
}

const inspectLog = z.lazy(() => z.looseObject({
  eval: z.looseObject({ model: z.string().nullable().optional() }),
  results: z.unknown().optional(),
  samples: z.array(z.unknown()).nullable().optional(),
}));

/**
 * The samples that can be read, and one problem per sample that cannot (it is left out, the
 * others open); a `Misfit` naming the first when none can.
 */
function eachSample<T>(items: readonly T[], read: (item: T, i: number) => Trajectory): { trajectories: Trajectory[]; problems: string[] } {
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  items.forEach((item, i) => {
    const t = tryParse(() => read(item, i), problems, SAMPLE_LEFT_OUT);
    if (t) trajectories.push({ ...t, source: { ...t.source, index: trajectories.length } });
  });
  if (trajectories.length === 0) throw new Misfit(problems[0]!.slice(0, -`; ${SAMPLE_LEFT_OUT}`.length));
  return { trajectories, problems };
}

/** An Inspect `.json` log: one trajectory per sample; a sample that cannot be read is a problem. */
export function importInspectLog(data: unknown): { trajectories: Trajectory[]; problems: string[] } {
  const log = parseWith(inspectLog, data);
  const samples = log.samples ?? [];
  if (samples.length === 0) throw new Misfit('samples: the log holds no samples (written without them, or before one finished)');
  const context = { model: log.eval.model ?? null, firstScorer: firstScorerOf(log.results) };
  return eachSample(samples, (sample, i) => importSample(sample, `samples[${i}]`, context, i));
}

let collator: Intl.Collator | undefined;

/** A sample entry as Inspect names it, `samples/ID_epoch_N.json`, with a whole-number id and epoch. */
const NUMBERED_SAMPLE = /^samples\/(0|[1-9]\d*)_epoch_(0|[1-9]\d*)\.json$/;

/** Two whole numbers written without leading zeros, compared by value however many digits they have. */
function byValue(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The entries in sample id and epoch order: numbers by value, so `2_epoch_1` comes before
 * `10_epoch_1`. Names that are all numbered as Inspect numbers them are compared by id, then epoch,
 * the order a numeric collator gives them. Any other name is compared by that collator, made on
 * first use: making it loads ICU data, a cost every `trajdbg` command that imports a log would
 * otherwise pay at start-up.
 */
export function inSampleOrder<T extends { name: string }>(entries: T[]): T[] {
  const numbers = entries.map((e) => NUMBERED_SAMPLE.exec(e.name));
  if (numbers.every((n) => n !== null)) {
    const order = entries.map((_, i) => i).sort((i, j) => byValue(numbers[i]![1]!, numbers[j]![1]!) || byValue(numbers[i]![2]!, numbers[j]![2]!));
    return order.map((i) => entries[i]!);
  }
  collator ??= new Intl.Collator('en', { numeric: true });
  return [...entries].sort((a, b) => collator!.compare(a.name, b.name));
}

/** What a sample that cannot be read is said to be: the log's other samples open. */
export const SAMPLE_LEFT_OUT = 'the sample is left out';

/** An Inspect `.eval` zip opened to read its samples one at a time, in any order. */
export interface InspectEvalLog {
  /** The sample entries, in sample and epoch order. */
  samples: readonly ZipEntry[];
  /** Sample `i` of {@link samples}, numbered `index`; throws a `Misfit` naming its entry when it cannot be read. */
  read(i: number, index: number): Trajectory;
  /** The bytes of the archive that hold sample `i` (its local header and compressed data). */
  span(i: number): { start: number; end: number };
}

/**
 * Opens an Inspect `.eval` zip: its central directory, and the model from `header.json` (or
 * `_journal/start.json` for a log still being written). Throws a `Misfit` for a broken zip and for a
 * log without samples. Nothing else is inflated until a sample is read.
 */
export function openInspectEval(bytes: Uint8Array): InspectEvalLog {
  const entries = zipEntries(bytes);
  const byEntryName = new Map(entries.map((e) => [e.name, e]));
  const readJson = (name: string): unknown => {
    const entry = byEntryName.get(name);
    if (!entry) return undefined;
    const text = new TextDecoder('utf-8').decode(zipEntryBytes(bytes, entry));
    const parsed = parseJson(text);
    if (!parsed.ok) throw new Misfit(`${name}: ${parsed.error}`);
    try {
      checkNesting(parsed.value, '', text);
    } catch (error) {
      if (error instanceof Misfit) throw new Misfit(`${name}: ${error.message}`);
      throw error;
    }
    return parsed.value;
  };
  const header = readJson('header.json') ?? readJson('_journal/start.json');
  const context = { model: isObject(header) && isObject(header.eval) ? str(header.eval.model) : null, firstScorer: isObject(header) ? firstScorerOf(header.results) : null };
  const samples = inSampleOrder(entries.filter((e) => /^samples\/[^/]+\.json$/.test(e.name)));
  if (samples.length === 0) throw new Misfit('samples/: the log holds no samples (written without them, or before one finished)');
  return {
    samples,
    read(i, index) {
      const entry = samples[i]!;
      try {
        return { ...importSample(readJson(entry.name), '', context, i), source: { format: 'inspect-eval' as const, index } };
      } catch (error) {
        if (error instanceof Misfit && !error.message.startsWith(`${entry.name}: `)) throw new Misfit(`${entry.name}: ${error.message}`);
        throw error;
      }
    },
    span: (i) => zipEntrySpan(bytes, samples[i]!),
  };
}

/** An Inspect `.eval` zip whole: one trajectory per `samples/*.json` entry, in sample and epoch order. */
export function importInspectEval(bytes: Uint8Array): { trajectories: Trajectory[]; problems: string[] } {
  const log = openInspectEval(bytes);
  return eachSample(log.samples, (_, i) => log.read(i, i));
}
