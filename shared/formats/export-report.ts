import { contentAsText, hasNonTextParts } from './content-parts.js';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import type { ToolCallStatus, ToolError } from '../loop/tool-outcome.js';
import { pyJsonLoads } from '../python/json.js';
import { pyStr } from '../python/repr.js';
import { isPyDict } from '../python/value.js';
import { FORMAT_DESCRIPTIONS } from './import.js';
import { interventionMarkOf, type InterventionMark } from '../run/intervention.js';
import { classifyRecordedCall, deriveAgentResult, validToolNames, type AgentResultField, type Trajectory } from './trajectory.js';

/*
 * What the HTML and Markdown reports show, computed once so both say the same thing: the
 * AgentResult fields with where each came from, and the trajectory turn by turn with every tool
 * call paired to its result and classified with the engine's rules.
 */

/** Strings longer than this (characters) are folded in the HTML report and sized in both. */
export const FOLD_CHARS = 4000;

/** One AgentResult field of the report: its value, and whether the file recorded it. */
export interface ReportField {
  field: AgentResultField;
  value: unknown;
  origin: 'recorded' | 'derived';
  /** For a recorded field, the value the engine's rules derive, when it differs. */
  derivedValue?: unknown;
}

/** One tool call of a turn, with its result and how it ended. */
export interface ReportToolCall {
  id: string | number | null;
  /** As the model sent it: null when the call has no name. */
  name: string | null;
  arguments: string;
  /** The arguments re-indented, when they are a JSON object or array. */
  prettyArguments: string | null;
  /** The tool message content, or null when the file records no result for the call. */
  result: string | null;
  prettyResult: string | null;
  status: ToolCallStatus | 'no_result';
  /** What went wrong, for any status but `ok` and `no_result`. */
  error: string | null;
  /** The user's change at a breakpoint (the arguments above are the ones that ran), or null. */
  intervention: InterventionMark | null;
}

/** A message outside an assistant turn (system, user, other roles, a tool result no call matches). */
export interface ReportMessage {
  kind: 'message';
  role: string;
  text: string;
  pretty: string | null;
}

/** One assistant turn: its reasoning, text, tool calls, and tool results no call matches. */
export interface ReportTurn {
  kind: 'turn';
  turn: number;
  reasoning: string | null;
  text: string;
  calls: ReportToolCall[];
  unmatchedResults: string[];
}

/** Everything one report shows about a trajectory. */
export interface TrajectoryReport {
  id: string;
  model: string | null;
  format: string;
  formatDescription: string;
  /** Position of the trajectory in its file, from 0. */
  index: number;
  reward: number | null;
  fields: ReportField[];
  toolErrors: ToolError[];
  managedState: unknown;
  /** The recorded tool schemas as pretty JSON, when the file records them. */
  tools: string | null;
  entries: Array<ReportMessage | ReportTurn>;
}

/**
 * A message's content as text (non-string content as JSON), as the model saw it; content with
 * images or other non-text parts as its text with a placeholder per part (`[image: image/png, 12 KB]`).
 */
function contentText(content: unknown): string {
  if (hasNonTextParts(content)) return contentAsText(content);
  return typeof content === 'string' ? content : JSON.stringify(content ?? '') ?? '';
}

/** Deepest nesting re-indented: deeper JSON is shown as it is (indentation would dwarf it). */
const MAX_PRETTY_DEPTH = 64;

/**
 * A JSON object or array re-indented by two spaces, or null when the text is not one. Only the
 * whitespace between tokens changes: numbers, escapes and key order stay exactly as written (a
 * parse and stringify would round large integers).
 */
export function prettyJson(text: string): string | null {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return null;
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const out: string[] = [];
  let depth = 0;
  const newline = (): void => {
    out.push('\n', '  '.repeat(depth));
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '{' || c === '[') {
      let j = i + 1;
      while (/\s/.test(text[j] ?? '')) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out.push(c === '{' ? '{}' : '[]');
        i = j + 1;
        continue;
      }
      depth++;
      if (depth > MAX_PRETTY_DEPTH) return null;
      out.push(c);
      newline();
      i++;
    } else if (c === '}' || c === ']') {
      depth--;
      newline();
      out.push(c);
      i++;
    } else if (c === ',') {
      out.push(',');
      newline();
      i++;
    } else if (c === ':') {
      out.push(': ');
      i++;
    } else {
      let j = i + 1;
      while (j < text.length && !/[\s,:{}[\]"]/.test(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out.join('');
}

/** Pairs calls with tool messages as `pairToolResults` does (by id, then by position), keeping the leftovers. */
function pairMessages(calls: readonly ToolCall[], results: readonly ChatMessage[]): { paired: Array<ChatMessage | undefined>; unmatched: ChatMessage[] } {
  const unused = [...results];
  const byId = calls.map((call) => {
    const at = unused.findIndex((m) => call.id !== null && m.tool_call_id === call.id);
    return at < 0 ? undefined : unused.splice(at, 1)[0];
  });
  const paired = byId.map((found) => found ?? unused.shift());
  return { paired, unmatched: unused };
}

/** The error text of a returned error result: its JSON `error`, as Python's `str()` would print it. */
function returnedErrorText(result: string): string {
  try {
    const data = pyJsonLoads(result);
    if (isPyDict(data) && data.get('error') != null) return pyStr(data.get('error')!);
  } catch {
    // not JSON: fall through
  }
  return result;
}

function reportCall(turn: number, call: ToolCall, message: ChatMessage | undefined, names: ReadonlySet<string>): ReportToolCall {
  const result = message === undefined ? null : contentText(message.content);
  const { outcome } = classifyRecordedCall(turn, call, result ?? undefined, names);
  const status = outcome?.status ?? 'no_result';
  let error: string | null = null;
  if (outcome && outcome.status !== 'ok') error = outcome.toolError?.error ?? returnedErrorText(result ?? '');
  return {
    id: call.id ?? null,
    name: call.function.name,
    arguments: call.function.arguments,
    prettyArguments: prettyJson(call.function.arguments),
    result,
    prettyResult: result === null ? null : prettyJson(result),
    status,
    error,
    intervention: interventionMarkOf(call),
  };
}

function reasoningText(message: ChatMessage): string | null {
  const reasoning = extractReasoning(message);
  if (reasoning === null || reasoning === undefined) return null;
  return typeof reasoning === 'string' ? reasoning : JSON.stringify(reasoning, null, 2);
}

/** The report of one trajectory (see {@link TrajectoryReport}). */
export function trajectoryReport(t: Trajectory): TrajectoryReport {
  const derived = deriveAgentResult(t);
  const recomputed = derived.recorded.length > 0 ? deriveAgentResult({ ...t, recorded: {} }).result : derived.result;
  const fields: ReportField[] = [...derived.recorded, ...derived.derived]
    .sort((a, b) => FIELD_ORDER.indexOf(a) - FIELD_ORDER.indexOf(b))
    .map((field) => {
      const value = derived.result[field];
      if (!derived.recorded.includes(field)) return { field, value, origin: 'derived' };
      const again = recomputed[field];
      return JSON.stringify(again) === JSON.stringify(value) ? { field, value, origin: 'recorded' } : { field, value, origin: 'recorded', derivedValue: again };
    });
  const names = validToolNames(t);
  const entries: Array<ReportMessage | ReportTurn> = [];
  const messages = t.messages;
  let turn = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'assistant') {
      const text = contentText(message.content);
      entries.push({ kind: 'message', role: message.role, text, pretty: message.role === 'tool' ? prettyJson(text) : null });
      continue;
    }
    turn += 1;
    const calls = message.tool_calls ?? [];
    const results: ChatMessage[] = [];
    let j = i + 1;
    for (; calls.length > 0 && j < messages.length && messages[j]!.role === 'tool'; j++) results.push(messages[j]!);
    const { paired, unmatched } = pairMessages(calls, results);
    entries.push({
      kind: 'turn',
      turn,
      reasoning: reasoningText(message),
      text: contentText(message.content ?? ''),
      calls: calls.map((call, k) => reportCall(turn, call, paired[k], names)),
      unmatchedResults: unmatched.map((m) => contentText(m.content)),
    });
    i = j - 1;
  }
  return {
    id: t.id,
    model: t.model,
    format: t.source.format,
    formatDescription: FORMAT_DESCRIPTIONS[t.source.format] ?? t.source.format,
    index: t.source.index,
    reward: t.reward,
    fields,
    toolErrors: derived.result.tool_errors,
    managedState: derived.result.managed_state,
    tools: t.tools ? JSON.stringify(t.tools, null, 2) : null,
    entries,
  };
}

const FIELD_ORDER: readonly AgentResultField[] = [
  'turns_used',
  'finished_naturally',
  'tool_calls_attempted',
  'tool_calls_schema_valid',
  'tool_calls_executed_ok',
  'tool_calls_exec_error',
  'tool_errors',
  'reasoning_per_turn',
  'managed_state',
];

/** A field's value in one short line: scalars as JSON, lists and objects by their size. */
export function fieldSummary(field: AgentResultField, value: unknown): string {
  if (field === 'reasoning_per_turn' && Array.isArray(value)) {
    const withReasoning = value.filter((r) => r !== null && r !== '').length;
    return `${value.length} ${value.length === 1 ? 'entry' : 'entries'}, ${withReasoning} with reasoning`;
  }
  if (field === 'tool_errors' && Array.isArray(value)) return value.length === 0 ? 'none' : `${value.length}, listed below`;
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? `a list of ${value.length}` : 'an object, shown below';
  return JSON.stringify(value) ?? String(value);
}

/** How the report names a call's status. */
export const STATUS_LABELS: Record<ReportToolCall['status'], string> = {
  ok: 'ok',
  error_result: 'error',
  exception: 'exception',
  unknown_tool: 'unknown tool',
  no_result: 'no result recorded',
};

/** A size for a folded string's summary: "12,345 characters, 67 lines". */
export function sizeLabel(text: string): string {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return `${groupDigits(text.length)} characters, ${groupDigits(lines)} ${lines === 1 ? 'line' : 'lines'}`;
}

function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
