import { callStats, isObject, lineValues, setOwn, str, type TextImport } from './import-common.js';
import { CALL_OPERATIONS, genAiUsage, traceTrajectories, type Observation } from './import-langfuse.js';
import type { FormatId, Trajectory } from './trajectory.js';

// OpenTelemetry traces in OTLP's JSON encoding: `{"resourceSpans": [{resource, scopeSpans: [{scope,
// spans}]}]}`, as an OTLP/HTTP JSON request carries them, or one such object per line as the
// Collector's file exporter writes them (a trace's spans may be spread over lines). Spans are
// grouped by `traceId`, one trajectory per trace, and read as Langfuse's observations are (see
// import-langfuse.ts): the GenAI semantic conventions' model calls and tool executions.
//
// A span's attributes are OTLP `AnyValue`s, read to JSON values. A model call's messages are the
// `gen_ai.input.messages` and `gen_ai.output.messages` attributes, else its GenAI message events
// (`gen_ai.user.message`, ..., `gen_ai.choice`), else OpenLLMetry's indexed attributes
// (`gen_ai.prompt.N.role`, `gen_ai.completion.N.tool_calls.K.name`, ...). A tool execution's
// result is `gen_ai.tool.call.result`. A span with status ERROR is at level ERROR.

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
  const attributes = attributesOf(span.attributes);
  const operation = str(attributes['gen_ai.operation.name']) ?? '';
  const status = isObject(span.status) ? span.status : {};
  const failed = status.code === 2 || status.code === 'STATUS_CODE_ERROR';
  const common = { id: str(span.spanId), name: str(span.name), start: startOf(span), model: str(attributes['gen_ai.request.model']), attributes, level: failed ? 'ERROR' : null, statusMessage: str(status.message), at, stats: callStats(genAiUsage(attributes), durationMs(span)) };
  const attribute = (name: string): string => `${at}.attributes[${JSON.stringify(name)}]`;
  if (operation === 'execute_tool') return { ...common, type: 'TOOL', input: attributes['gen_ai.tool.call.arguments'], output: attributes['gen_ai.tool.call.result'], outputAt: attribute('gen_ai.tool.call.result') };
  const [input, inputAt] = attributes['gen_ai.input.messages'] != null ? [attributes['gen_ai.input.messages'], attribute('gen_ai.input.messages')] : eventMessages(span.events, false) ? [eventMessages(span.events, false), `${at}.events`] : [indexedMessages(attributes, 'gen_ai.prompt'), attribute('gen_ai.prompt')];
  const [output, outputAt] = attributes['gen_ai.output.messages'] != null ? [attributes['gen_ai.output.messages'], attribute('gen_ai.output.messages')] : eventMessages(span.events, true) ? [eventMessages(span.events, true), `${at}.events`] : [indexedMessages(attributes, 'gen_ai.completion'), attribute('gen_ai.completion')];
  // OpenLLMetry names no operation: a span with messages in or out is a model call.
  const call = CALL_OPERATIONS.has(operation) || (operation === '' && (input != null || output != null) && str(attributes['gen_ai.system']) !== null);
  if (operation === 'invoke_agent') return { ...common, type: 'AGENT', input, output, inputAt, outputAt };
  return { ...common, type: call ? 'GENERATION' : '', input, output, inputAt, outputAt };
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
  const read = [...traces].map(([id, { spans, resource }]) => ({ id, spans, head: { id: id || null, attributes: resource, scores: [], input: undefined, output: undefined, at: '' } }));
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
