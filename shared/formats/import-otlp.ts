import { callStats, checkNesting, isObject, lineValues, parseJson, recordedUsage, setOwn, str, type TextImport } from './import-common.js';
import { CALL_OPERATIONS, genAiUsage, traceTrajectories, type Observation } from './import-langfuse.js';
import type { FormatId, Trajectory } from './trajectory.js';
import { imageUrlPart } from './content-parts.js';

// OpenTelemetry traces in OTLP's JSON encoding: `{"resourceSpans": [{resource, scopeSpans: [{scope,
// spans}]}]}`, as an OTLP/HTTP JSON request carries them, or one such object per line as the
// Collector's file exporter writes them (a trace's spans may be spread over lines). Spans are
// grouped by `traceId`, one trajectory per trace, and read as Langfuse's observations are (see
// import-langfuse.ts): the GenAI semantic conventions' model calls and tool executions.
//
// A span's attributes are OTLP `AnyValue`s, read to JSON values. A model call's messages are the
// `gen_ai.input.messages` and `gen_ai.output.messages` attributes (on the span, or on its
// `gen_ai.client.inference.operation.details` event, where newer instrumentations record content
// with `gen_ai.system_instructions`), else its GenAI message events (`gen_ai.user.message`, ...,
// `gen_ai.choice`: OTLP events, or the JSON list of them pydantic-ai and Logfire keep in an
// `events` attribute), else OpenLLMetry's indexed attributes (`gen_ai.prompt.N.role`,
// `gen_ai.completion.N.tool_calls.K.name`, ...), else OpenInference's (Arize Phoenix:
// `llm.input_messages.N.message.role`, `...message.tool_calls.K.tool_call.function.name`, with
// `openinference.span.kind` LLM, TOOL or AGENT, `llm.model_name` and `llm.token_count.*`).
// A tool execution's result is `gen_ai.tool.call.result` (pydantic-ai's `running tool` spans:
// `tool_response`; OpenInference: `output.value`). A span with status ERROR is at level ERROR.
// A trace none of whose spans records messages (content capture is off by default in most
// instrumentations) cannot be read, and says so.

/** True for an OTLP traces object: `resourceSpans`, a list. */
export function isOtlpTraces(record: unknown): boolean {
  return isObject(record) && Array.isArray(record.resourceSpans);
}

/** An OTLP `AnyValue` as a JSON value. */
function anyValue(value: unknown): unknown {
  if (!isObject(value)) return value;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return typeof value.intValue === 'string' && /^-?\d{1,15}$/.test(value.intValue) ? Number(value.intValue) : value.intValue;
  if ('doubleValue' in value) return value.doubleValue;
  if ('bytesValue' in value) return value.bytesValue;
  if ('arrayValue' in value) return isObject(value.arrayValue) && Array.isArray(value.arrayValue.values) ? value.arrayValue.values.map(anyValue) : [];
  if ('kvlistValue' in value) return isObject(value.kvlistValue) && Array.isArray(value.kvlistValue.values) ? attributesOf(value.kvlistValue.values) : {};
  return null;
}

/** OTLP `KeyValue`s as an object. */
function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') setOwn(out, kv.key, anyValue(kv.value));
  return out;
}


/**
 * OpenLLMetry's indexed attributes under `prefix` (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`,
 * `gen_ai.completion.0.tool_calls.1.name`) as a list of messages; null when there are none.
 */
function indexedMessages(attributes: Record<string, unknown>, prefix: string): unknown[] | null {
  // Keyed by index, then put in index order: an index of a billion makes one entry, not a billion holes.
  const messages = new Map<number, { fields: Record<string, unknown>; calls: Map<number, { id?: unknown; function: Record<string, unknown> }> }>();
  const pattern = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.(.+)$`);
  for (const [key, value] of Object.entries(attributes)) {
    const m = pattern.exec(key);
    if (!m) continue;
    const at = Number(m[1]);
    const message = messages.get(at) ?? { fields: {}, calls: new Map() };
    messages.set(at, message);
    const call = /^tool_calls\.(\d+)\.(.+)$/.exec(m[2]!);
    if (!call) {
      setOwn(message.fields, m[2]!, value);
      continue;
    }
    const k = Number(call[1]);
    const entry = message.calls.get(k) ?? { function: {} };
    message.calls.set(k, entry);
    if (call[2] === 'id') entry.id = value;
    else setOwn(entry.function, call[2]!, value);
  }
  const inOrder = <T>(map: Map<number, T>): T[] => [...map.keys()].sort((x, y) => x - y).map((k) => map.get(k)!);
  const list = inOrder(messages).map(({ fields, calls }) => (calls.size > 0 ? { ...fields, tool_calls: inOrder(calls).map((c) => ({ ...(c.id !== undefined ? { id: c.id } : {}), type: 'function', function: c.function })) } : fields));
  return list.length > 0 ? list : null;
}

/** A span's GenAI message events as the event objects the trace builder reads (`event.name` and the event's attributes). */
function eventMessages(events: unknown, output: boolean): unknown[] | null {
  if (!Array.isArray(events)) return null;
  const list = events.filter((e) => isObject(e) && typeof e.name === 'string' && e.name.startsWith('gen_ai.') && (e.name === 'gen_ai.choice') === output && e.name.endsWith(output ? '.choice' : '.message'));
  return list.length > 0 ? list.map((e) => ({ 'event.name': (e as Record<string, unknown>).name, ...attributesOf((e as Record<string, unknown>).attributes) })) : null;
}

/** The attributes of a span's `gen_ai.client.inference.operation.details` event, or an empty object. */
function operationDetails(events: unknown): Record<string, unknown> {
  const event = Array.isArray(events) ? events.find((e) => isObject(e) && e.name === 'gen_ai.client.inference.operation.details') : undefined;
  return isObject(event) ? attributesOf(event.attributes) : {};
}

/**
 * The GenAI message events pydantic-ai and Logfire keep as a JSON list in a span's `events`
 * attribute (each with its `event.name`), split into what was sent and the `gen_ai.choice`s.
 */
function eventsAttribute(value: unknown, at: string): { input: unknown[] | null; output: unknown[] | null } {
  let list = value;
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    if (!parsed.ok) return { input: null, output: null };
    checkNesting(parsed.value, at, value);
    list = parsed.value;
  }
  if (!Array.isArray(list)) return { input: null, output: null };
  const named = list.filter((e): e is Record<string, unknown> => isObject(e) && typeof e['event.name'] === 'string' && e['event.name'].startsWith('gen_ai.'));
  const [input, output] = [named.filter((e) => e['event.name'] !== 'gen_ai.choice'), named.filter((e) => e['event.name'] === 'gen_ai.choice')];
  return { input: input.length > 0 ? input : null, output: output.length > 0 ? output : null };
}

/**
 * Dotted attributes under `prefix` as nested values, a level whose keys are all indexes being a
 * list in index order (`llm.input_messages.0.message.role` is `[{message: {role}}]`); null when
 * there are none.
 */
function unflattened(attributes: Record<string, unknown>, prefix: string): unknown {
  const root: Record<string, unknown> = {};
  let any = false;
  for (const [key, value] of Object.entries(attributes)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const path = key.slice(prefix.length + 1).split('.');
    let at = root;
    for (const step of path.slice(0, -1)) {
      const next = Object.hasOwn(at, step) ? at[step] : undefined;
      if (!isObject(next)) setOwn(at, step, {});
      at = at[step] as Record<string, unknown>;
    }
    setOwn(at, path.at(-1)!, value);
    any = true;
  }
  // Keyed by index, then put in index order: an index of a billion makes one entry, not a billion holes.
  const listed = (v: unknown): unknown => {
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return keys.sort((x, y) => Number(x) - Number(y)).map((k) => listed(v[k]));
    return Object.fromEntries(keys.map((k) => [k, listed(v[k])]));
  };
  return any ? listed(root) : null;
}

/** An OpenInference content item (`message_content.type` text, image or reasoning) as a chat content part. */
function openInferencePart(item: unknown): Record<string, unknown> | null {
  const content = isObject(item) && isObject(item.message_content) ? item.message_content : null;
  if (!content) return null;
  const image = isObject(content.image) && isObject(content.image.image) ? str(content.image.image.url) : null;
  if (image !== null) return imageUrlPart(image);
  return { type: String(content.type ?? 'text'), text: str(content.text) ?? '' };
}

/** OpenInference's indexed messages under `prefix` (`llm.input_messages`, `llm.output_messages`) as chat messages; null when there are none. */
function openInferenceMessages(attributes: Record<string, unknown>, prefix: string): unknown[] | null {
  const list = unflattened(attributes, prefix);
  if (!Array.isArray(list)) return null;
  return list.map((entry) => {
    const m = isObject(entry) && isObject(entry.message) ? entry.message : {};
    const message: Record<string, unknown> = { role: m.role };
    const parts = (Array.isArray(m.contents) ? m.contents : []).map(openInferencePart).filter((p) => p !== null);
    const reasoning = parts.filter((p) => p.type === 'reasoning').map((p) => p.text);
    const shown = parts.filter((p) => p.type !== 'reasoning');
    message.content = typeof m.content === 'string' ? m.content : shown.length > 0 && shown.every((p) => p.type === 'text') ? shown.map((p) => p.text).join('\n') : shown.length > 0 ? shown : '';
    if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
    const calls = (Array.isArray(m.tool_calls) ? m.tool_calls : []).map((c) => {
      const call = isObject(c) && isObject(c.tool_call) ? c.tool_call : {};
      const fn = isObject(call.function) ? call.function : {};
      return { id: str(call.id), type: 'function', function: { name: str(fn.name) ?? '', arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}) } };
    });
    if (calls.length > 0) message.tool_calls = calls;
    if (m.tool_call_id !== undefined) message.tool_call_id = m.tool_call_id;
    if (typeof m.name === 'string') message.name = m.name;
    return message;
  });
}

/** The token usage a span records: the GenAI conventions' `gen_ai.usage.*`, else OpenInference's `llm.token_count.*`. */
function spanUsage(attributes: Record<string, unknown>): ReturnType<typeof genAiUsage> {
  return genAiUsage(attributes) ?? recordedUsage(attributes['llm.token_count.prompt'], attributes['llm.token_count.completion'], attributes['llm.token_count.total']);
}

/** Nanoseconds since the epoch, padded so that text order is time order. */
function startOf(span: Record<string, unknown>): string {
  const nanos = span.startTimeUnixNano;
  const digits = typeof nanos === 'number' ? String(Math.trunc(nanos)) : typeof nanos === 'string' && /^\d+$/.test(nanos) ? nanos : '';
  return digits.padStart(24, '0');
}

/** A span's duration in milliseconds, from its start and end times in nanoseconds; null when either is missing. */
function durationMs(span: Record<string, unknown>): number | null {
  const nanos = (v: unknown): bigint | null => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : null);
  const [start, end] = [nanos(span.startTimeUnixNano), nanos(span.endTimeUnixNano)];
  return start !== null && end !== null && end >= start ? Number(end - start) / 1e6 : null;
}

/** One OTLP span as the trace builder's observation. */
function spanObservation(span: Record<string, unknown>, at: string): Observation {
  const details = operationDetails(span.events);
  const own = attributesOf(span.attributes);
  // What the details event records counts as the span's own, so that the system instructions are found as a span's are.
  const attributes = { ...details, ...own };
  const operation = str(attributes['gen_ai.operation.name']) ?? '';
  const kind = str(attributes['openinference.span.kind']) ?? '';
  const status = isObject(span.status) ? span.status : {};
  const failed = status.code === 2 || status.code === 'STATUS_CODE_ERROR';
  const model = str(attributes['gen_ai.request.model']) ?? str(attributes['llm.model_name']);
  const common = { id: str(span.spanId), name: str(span.name), start: startOf(span), model, attributes, level: failed ? 'ERROR' : null, statusMessage: str(status.message), at, stats: callStats(spanUsage(attributes), durationMs(span)) };
  const attribute = (name: string): string => (name in own || !(name in details) ? `${at}.attributes[${JSON.stringify(name)}]` : `${at}.events[gen_ai.client.inference.operation.details].attributes[${JSON.stringify(name)}]`);
  if (operation === 'execute_tool') return { ...common, type: 'TOOL', input: attributes['gen_ai.tool.call.arguments'], output: attributes['gen_ai.tool.call.result'], outputAt: attribute('gen_ai.tool.call.result') };
  // pydantic-ai's tool spans before it named the operation: `running tool`, the result as `tool_response`.
  if (operation === '' && str(attributes['gen_ai.tool.call.id']) !== null && 'tool_response' in attributes) return { ...common, type: 'TOOL', input: attributes.tool_arguments, output: attributes.tool_response, outputAt: attribute('tool_response') };
  if (kind === 'TOOL') {
    // OpenInference names the call a result answers only sometimes (`tool.id`); a result it does not name is in the next model input.
    const id = str(attributes['tool.id']) ?? str(attributes['tool_call.id']);
    const named = { ...attributes, 'gen_ai.tool.call.id': id, 'gen_ai.tool.name': str(attributes['tool.name']) };
    return { ...common, attributes: named, type: id === null ? '' : 'TOOL', input: attributes['input.value'], output: attributes['output.value'], outputAt: attribute('output.value') };
  }
  const events = eventsAttribute(attributes.events, attribute('events'));
  // One side's messages and where they are, as each instrumentation keeps them, tried in this order:
  // the current attribute, the older per-message events, pydantic-ai's `events` attribute,
  // OpenLLMetry's indexed attributes, OpenInference's.
  const side = (output: boolean): [unknown, string] => {
    const [current, indexed, openInference] = output ? ['gen_ai.output.messages', 'gen_ai.completion', 'llm.output_messages'] : ['gen_ai.input.messages', 'gen_ai.prompt', 'llm.input_messages'];
    if (attributes[current] != null) return [attributes[current], attribute(current)];
    const fromEvents = eventMessages(span.events, output);
    if (fromEvents) return [fromEvents, `${at}.events`];
    const inEvents = output ? events.output : events.input;
    if (inEvents) return [inEvents, attribute('events')];
    const fromIndexed = indexedMessages(attributes, indexed);
    if (fromIndexed) return [fromIndexed, attribute(indexed)];
    return [openInferenceMessages(attributes, openInference), attribute(openInference)];
  };
  const [input, inputAt] = side(false);
  const [output, outputAt] = side(true);
  // OpenLLMetry names no operation: a span with messages in or out is a model call, as is OpenInference's LLM span.
  const call = CALL_OPERATIONS.has(operation) || kind === 'LLM' || (operation === '' && (input != null || output != null) && str(attributes['gen_ai.system']) !== null);
  if (operation === 'invoke_agent') return { ...common, type: 'AGENT', input, output, inputAt, outputAt };
  return { ...common, type: call ? 'GENERATION' : '', input, output, inputAt, outputAt };
}

/** Whether a span records messages the trace builder reads: a model call's or an agent's, or a tool's result. */
function recordsMessages(o: Observation): boolean {
  return o.type === 'TOOL' || ((o.type === 'GENERATION' || o.type === 'AGENT') && (o.input != null || o.output != null));
}

/** The trajectories of OTLP traces objects (each with where it is in the file), one per trace id. */
function otlpTrajectories(records: ReadonlyArray<{ value: unknown; at: string }>, fileName: string, format: FormatId, problems: string[]): Trajectory[] {
  const traces = new Map<string, { spans: Observation[]; resource: Record<string, unknown> }>();
  for (const { value, at } of records) {
    if (!isOtlpTraces(value)) {
      problems.push(`${at || fileName}: expected an object with resourceSpans; it is left out`);
      continue;
    }
    (value as { resourceSpans: unknown[] }).resourceSpans.forEach((rs, r) => {
      if (!isObject(rs)) return;
      const resource = isObject(rs.resource) ? attributesOf(rs.resource.attributes) : {};
      const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
      scopes.forEach((ss, s) => {
        if (!isObject(ss) || !Array.isArray(ss.spans)) return;
        ss.spans.forEach((span, k) => {
          const where = `${at}resourceSpans[${r}].scopeSpans[${s}].spans[${k}]`;
          if (!isObject(span)) {
            problems.push(`${where}: expected a span object; it is left out`);
            return;
          }
          const traceId = str(span.traceId) ?? '';
          const trace = traces.get(traceId) ?? { spans: [], resource };
          traces.set(traceId, trace);
          trace.spans.push(spanObservation(span, where));
        });
      });
    });
  }
  const silent = 'none of its spans records messages (gen_ai.input.messages, GenAI message events, gen_ai.prompt.N.*, llm.input_messages.N.*): the instrumentation may have been set not to capture content';
  const read = [...traces].map(([id, { spans, resource }]) => ({ id, spans, head: { id: id || null, attributes: resource, scores: [], input: undefined, output: undefined, at: '' }, unreadable: spans.some(recordsMessages) ? undefined : silent }));
  return traceTrajectories(read, fileName, format, problems, 'it holds no spans');
}

/** An OTLP traces document (`{resourceSpans}`): a trajectory per trace. */
export function importOtlpDocument(data: unknown, fileName: string): TextImport {
  const problems: string[] = [];
  return { trajectories: otlpTrajectories([{ value: data, at: '' }], fileName, 'otlp-traces', problems), problems };
}

/** OTLP traces one object per line (the Collector's file exporter): a trajectory per trace, its spans gathered from every line. */
export function importOtlpLines(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  const records = lineValues(text, fileName, problems).map(({ value, at }) => ({ value, at: `${at}: ` }));
  return { trajectories: otlpTrajectories(records, fileName, 'otlp-traces-jsonl', problems), problems };
}
