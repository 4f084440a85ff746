import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import { AGENT_RESULT_FIELDS, type FormatId, type Trajectory } from './trajectory.js';

/** A file that is not a supported trajectory format, or is broken: the message names the file. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/** What an import produced: the trajectories of the good parts and one problem per skipped line. */
export interface ImportResult {
  format: FormatId;
  trajectories: Trajectory[];
  /** `FILE:LINE: what is wrong`, one per skipped JSONL line. */
  problems: string[];
}

/** Formats recognised from content but not imported yet. */
const UNSUPPORTED = {
  'swe-agent-traj': 'a SWE-agent .traj',
  'inspect-log': 'an Inspect AI log',
  'inspect-eval': 'an Inspect AI .eval zip',
  'openhands-events': 'an OpenHands event list',
} as const;
type UnsupportedId = keyof typeof UNSUPPORTED;

/** What each format is called in messages ("looked like ..."). */
export const FORMAT_DESCRIPTIONS: Record<FormatId, string> = {
  'agent-result': 'an AgentResult JSON',
  'chat-messages': 'a JSON list of chat messages',
  'messages-jsonl': 'JSONL of objects with messages',
  'hermes-session-jsonl': 'a hermes-agent session export JSONL',
  'hermes-sharegpt-jsonl': 'a hermes ShareGPT trajectory JSONL',
  'swe-agent-traj': 'a SWE-agent .traj',
  'mini-swe-agent': 'a mini-swe-agent trajectory',
  'inspect-log': 'an Inspect AI log',
  'inspect-eval': 'an Inspect AI .eval zip',
  'openhands-events': 'an OpenHands event list',
};
const DESCRIPTIONS = FORMAT_DESCRIPTIONS;

/** How many leading characters `detectFormat` looks at. */
export const DETECT_BYTES = 65536;

/**
 * The format of a file judged from its first bytes (and name): a supported `FormatId`, a known but
 * unsupported format, or null when it looks like nothing known.
 */
export function detectFormat(firstBytes: string, fileName?: string): FormatId | UnsupportedId | null {
  if (firstBytes.startsWith('PK')) return 'inspect-eval';
  const text = firstBytes.replace(/^\uFEFF/, '').trimStart();
  const newline = text.indexOf('\n');
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const jsonl = /\.jsonl$/i.test(fileName ?? '') || (newline >= 0 && text.slice(newline).trim() !== '' && isJson(firstLine.trim()));
  if (text.startsWith('[')) {
    if (/"tool_call_metadata"|"observation"\s*:|"action"\s*:/.test(text) && !/^\[\s*\{\s*"role"/.test(text)) return 'openhands-events';
    return 'chat-messages';
  }
  if (!text.startsWith('{')) return null;
  const head = jsonl ? firstLine : text;
  const has = (key: string): boolean => new RegExp(`"${key}"\\s*:`).test(head);
  if (jsonl) {
    if (has('conversations')) return 'hermes-sharegpt-jsonl';
    if (has('started_at') && has('end_reason') && has('messages')) return 'hermes-session-jsonl';
    if (has('messages')) return 'messages-jsonl';
    return null;
  }
  if (/^\{\s*"history"\s*:/.test(head) || (has('history') && (has('trajectory') || has('replay_config')))) return 'swe-agent-traj';
  if (has('eval') && (has('samples') || has('plan') || has('results'))) return 'inspect-log';
  if (has('messages')) return 'agent-result';
  if (has('conversations')) return 'hermes-sharegpt-jsonl';
  return null;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Line and column (1-based) of a UTF-16 offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `JSON.parse`, with a failure described as "not valid JSON at line L, column C: what". */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of JSON input/i.test(message) ? text.length : jsonErrorOffset(text);
    const where = offset === null ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, offset));
    const what = message.replace(/,? ?(?:in JSON )?at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
    return { ok: false, error: `not valid JSON${where}: ${what}` };
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The offset of the first JSON syntax error in a text (V8 does not always say), or null. */
export function jsonErrorOffset(s: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= s.length) fail();
      const c = s[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = s[i + 1] ?? '';
        if ('bfnrt"\\/'.includes(e) && e !== '') i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) i += 6;
        else {
          i++;
          fail();
        }
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail();
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (s[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (s[i] !== '"') fail();
          string();
          ws();
          if (s[i] !== ':') fail();
          i++;
        }
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === close) {
          i++;
          return;
        }
        fail();
      }
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (s.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(s);
    if (number) {
      i += number[0].length;
      return;
    }
    fail();
  };
  try {
    value();
    ws();
    return i < s.length ? i : null;
  } catch (error) {
    if (typeof error === 'number') return error;
    return null;
  }
}

/** A zod issue as "field X: what is wrong", naming array items by index. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'the top level' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${field}: ${issue.message}`;
}

const toolCallSchema = z.looseObject({
  id: z.string().nullable().optional(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.unknown() }),
});
const messageSchema = z.looseObject({
  role: z.string(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
});
const messagesSchema = z.array(messageSchema);

class Misfit extends Error {}

function parseWith<T>(schema: z.ZodType<T>, data: unknown, prefix = ''): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const text = describeIssue(issue);
    throw new Misfit(prefix && issue.path.length ? `${prefix}${text.startsWith('[') ? '' : '.'}${text}` : prefix ? `${prefix}: ${text.replace(/^the top level: /, '')}` : text);
  }
  return parsed.data;
}

/**
 * A message in the trajectory model: tool call arguments as strings, reasoning as
 * `reasoning_content` (from `reasoning` or `reasoning_details` when that is absent).
 */
function normalizeMessage(message: z.infer<typeof messageSchema>): ChatMessage {
  const out: ChatMessage = { ...message } as ChatMessage;
  if (message.tool_calls === null) delete out.tool_calls;
  else if (message.tool_calls) {
    out.tool_calls = message.tool_calls.map((call): ToolCall => {
      const args = call.function.arguments;
      return { ...call, id: call.id ?? null, type: 'function', function: { ...call.function, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } };
    });
  }
  if (out.role === 'assistant' && out.reasoning_content === undefined) {
    const reasoning = extractReasoning(out);
    if (typeof reasoning === 'string') out.reasoning_content = reasoning;
  }
  return out;
}

function messagesOf(data: unknown, prefix = 'messages'): ChatMessage[] {
  return parseWith(messagesSchema, data, prefix).map(normalizeMessage);
}

const recordedSchema = z.object({
  managed_state: z.record(z.string(), z.unknown()).nullable().optional(),
  turns_used: z.number().int().optional(),
  finished_naturally: z.boolean().optional(),
  reasoning_per_turn: z.array(z.unknown()).optional(),
  tool_errors: z.array(z.looseObject({ turn: z.number(), tool_name: z.string(), arguments: z.string(), error: z.string(), tool_result: z.string() })).optional(),
  tool_calls_attempted: z.number().int().optional(),
  tool_calls_schema_valid: z.number().int().optional(),
  tool_calls_executed_ok: z.number().int().optional(),
  tool_calls_exec_error: z.number().int().optional(),
});

/** The AgentResult fields an object records. */
function recordedOf(object: Record<string, unknown>): Trajectory['recorded'] {
  const picked: Record<string, unknown> = {};
  for (const field of AGENT_RESULT_FIELDS) if (field in object) picked[field] = object[field];
  return parseWith(recordedSchema, picked) as Trajectory['recorded'];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The file name without folders or extensions, for trajectory ids. */
function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return name.replace(/\.(?:traj\.json|jsonl|json)$/i, '') || name;
}

// --- one JSON document ------------------------------------------------------------------------

function importAgentResult(data: unknown, id: string): Trajectory[] {
  const object = parseWith(z.looseObject({ messages: z.unknown() }), data);
  return [{ id: str(object.id) ?? id, model: str(object.model), messages: messagesOf(object.messages), reward: num(object.reward), recorded: recordedOf(object), source: { format: 'agent-result', index: 0 } }];
}

function importChatMessages(data: unknown, id: string): Trajectory[] {
  return [{ id, model: null, messages: messagesOf(data, ''), reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } }];
}

// --- JSONL --------------------------------------------------------------------------------------

function importMessagesLine(data: unknown, id: string, index: number): Trajectory[] {
  const object = parseWith(z.looseObject({ messages: z.array(z.unknown()) }), data);
  const model = str(object.model);
  const groups = object.messages.length > 0 && object.messages.every(Array.isArray);
  if (!groups) {
    return [{ id: str(object.id) ?? id, model, messages: messagesOf(object.messages), reward: num(object.reward) ?? num(object.score), recorded: recordedOf(object), source: { format: 'messages-jsonl', index } }];
  }
  const scores = Array.isArray(object.scores) ? object.scores : [];
  return object.messages.map((rollout, k) => ({
    id: `${str(object.id) ?? id}.${k}`,
    model,
    messages: messagesOf(rollout, `messages[${k}]`),
    reward: num(scores[k]),
    recorded: {},
    source: { format: 'messages-jsonl' as const, index: index + k },
  }));
}

const hermesMessage = z.looseObject({
  role: z.string(),
  content: z.unknown(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
  tool_name: z.string().nullable().optional(),
});
const hermesSession = z.looseObject({ id: z.string(), model: z.string().nullable().optional(), messages: z.array(hermesMessage) });

function importHermesSession(data: unknown, _id: string, index: number): Trajectory[] {
  const session = parseWith(hermesSession, data);
  const messages: ChatMessage[] = [];
  for (const m of session.messages) {
    if (m.role === 'session_meta') continue;
    const message: ChatMessage = { role: m.role, content: m.content ?? null };
    if (m.tool_calls) message.tool_calls = m.tool_calls as ChatMessage['tool_calls'];
    if (m.role === 'tool') message.tool_call_id = m.tool_call_id ?? null;
    if (m.tool_name) message.name = m.tool_name;
    for (const key of ['reasoning_content', 'reasoning', 'reasoning_details']) if (m[key] != null) message[key] = m[key];
    messages.push(normalizeMessage(message as z.infer<typeof messageSchema>));
  }
  return [{ id: session.id, model: session.model ?? null, messages, reward: null, recorded: {}, source: { format: 'hermes-session-jsonl', index } }];
}

const sharegptLine = z.looseObject({
  conversations: z.array(z.looseObject({ from: z.string(), value: z.string() })),
  model: z.string().nullable().optional(),
  completed: z.boolean().optional(),
  api_calls: z.number().int().optional(),
  prompt_index: z.number().int().optional(),
});

const THINK = /^\s*<think>\n?([\s\S]*?)\n?<\/think>\n?/;
const TOOL_CALL = /<tool_call>\n?([\s\S]*?)\n?<\/tool_call>/g;
const TOOL_RESPONSE = /<tool_response>\n?([\s\S]*?)\n?<\/tool_response>/g;

function importShareGpt(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(sharegptLine, data);
  const messages: ChatMessage[] = [];
  const roles: Record<string, string> = { system: 'system', human: 'user', gpt: 'assistant', tool: 'tool' };
  let pendingCalls: ToolCall[] = [];
  line.conversations.forEach((turn, t) => {
    const role = roles[turn.from];
    if (!role) throw new Misfit(`conversations[${t}].from: expected system, human, gpt or tool, got '${turn.from}'`);
    if (role === 'assistant') {
      let text = turn.value;
      const message: ChatMessage = { role: 'assistant', content: '' };
      const think = THINK.exec(text);
      if (think) {
        text = text.slice(think[0].length);
        if (think[1]!.trim() !== '') message.reasoning_content = think[1]!;
      }
      const calls: ToolCall[] = [];
      for (const match of text.matchAll(TOOL_CALL)) {
        let call: unknown;
        try {
          call = JSON.parse(match[1]!);
        } catch {
          throw new Misfit(`conversations[${t}]: tool call ${calls.length + 1} is not valid JSON`);
        }
        const parsed = parseWith(z.looseObject({ name: z.string(), arguments: z.unknown() }), call, `conversations[${t}].tool_call[${calls.length}]`);
        const args = parsed.arguments;
        calls.push({ id: null, type: 'function', function: { name: parsed.name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } });
      }
      message.content = text.replace(TOOL_CALL, '').trim();
      if (calls.length > 0) message.tool_calls = calls;
      pendingCalls = calls;
      messages.push(message);
      return;
    }
    if (role === 'tool') {
      let k = 0;
      for (const match of turn.value.matchAll(TOOL_RESPONSE)) {
        let response: unknown;
        try {
          response = JSON.parse(match[1]!);
        } catch {
          throw new Misfit(`conversations[${t}]: tool response ${k + 1} is not valid JSON`);
        }
        const parsed = parseWith(z.looseObject({ tool_call_id: z.string().nullable().optional(), name: z.string().optional(), content: z.unknown() }), response, `conversations[${t}].tool_response[${k}]`);
        const callId = parsed.tool_call_id ?? `call_${t}_${k}`;
        const call = pendingCalls[k];
        if (call && call.id === null) call.id = callId;
        messages.push({ role: 'tool', tool_call_id: callId, content: typeof parsed.content === 'string' ? parsed.content : JSON.stringify(parsed.content) });
        k += 1;
      }
      if (k === 0) throw new Misfit(`conversations[${t}]: a tool turn without <tool_response> blocks`);
      return;
    }
    messages.push({ role, content: turn.value });
  });
  const recorded: Trajectory['recorded'] = {};
  if (line.completed !== undefined) recorded.finished_naturally = line.completed;
  if (line.api_calls !== undefined) recorded.turns_used = line.api_calls;
  return [{ id: line.prompt_index !== undefined ? `${id}#${line.prompt_index}` : id, model: line.model ?? null, messages, reward: null, recorded, source: { format: 'hermes-sharegpt-jsonl', index } }];
}

const LINE_IMPORTERS: Partial<Record<FormatId, (data: unknown, id: string, index: number) => Trajectory[]>> = {
  'messages-jsonl': importMessagesLine,
  'hermes-session-jsonl': importHermesSession,
  'hermes-sharegpt-jsonl': importShareGpt,
};

/** True for the formats with one JSON value per line (imported, and indexed, line by line). */
export function isLineFormat(format: FormatId): boolean {
  return format in LINE_IMPORTERS;
}

/**
 * Imports one JSONL line (`lineNumber` from 1) of a line format: its trajectories, numbered from
 * `firstIndex`, or the problem `FILE:LINE: what is wrong`. A blank line gives no trajectories.
 */
export function importLine(format: FormatId, text: string, fileName: string, lineNumber: number, firstIndex: number): { trajectories: Trajectory[] } | { problem: string } {
  const importer = LINE_IMPORTERS[format];
  if (!importer) throw new FormatError(`${fileName}: ${DESCRIPTIONS[format]} is not a JSONL format`);
  if (text.trim() === '') return { trajectories: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) return { problem: `${fileName}:${lineNumber}: ${parsed.error.replace(/ at line 1, column/, ' at column')}` };
  try {
    return { trajectories: importer(parsed.value, `${baseName(fileName)}:${lineNumber}`, firstIndex) };
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    return { problem: `${fileName}:${lineNumber}: ${error.message}` };
  }
}

/** Imports JSONL lines; a bad line becomes a problem `FILE:LINE: what` and is skipped. */
export function importJsonl(lines: readonly string[], format: FormatId, fileName: string): ImportResult {
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  lines.forEach((text, i) => {
    const imported = importLine(format, text, fileName, i + 1, trajectories.length);
    if ('problem' in imported) problems.push(imported.problem);
    else trajectories.push(...imported.trajectories);
  });
  return { format, trajectories, problems };
}

/**
 * Imports a whole file's bytes: zip containers (Inspect `.eval`) by their entries, everything else
 * as UTF-8 text (see {@link importText}); invalid UTF-8 is reported with its byte offset.
 */
export function importBytes(bytes: Uint8Array, fileName: string): ImportResult {
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) throw new FormatError(`${fileName}: looks like ${UNSUPPORTED['inspect-eval']}, which cannot be imported yet`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FormatError(`${fileName}: not UTF-8 text: invalid byte at offset ${invalidUtf8Offset(bytes)}`);
  }
  return importText(text, fileName);
}

/** The offset of the first byte that is not valid UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Imports a whole file's text. Throws `FormatError` naming the file, the format it looked like and
 * the first thing that did not fit; bad JSONL lines are skipped and listed in `problems`.
 */
export function importText(text: string, fileName: string): ImportResult {
  const detected = detectFormat(text.slice(0, DETECT_BYTES), fileName);
  if (detected === null) {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    const what = start === '' ? 'it is empty' : !/^[[{]/.test(start) ? 'it is not JSON or JSONL' : 'it has none of messages, conversations or a list of chat messages';
    throw new FormatError(`${fileName}: not a known trajectory format: ${what}`);
  }
  if (detected in UNSUPPORTED) throw new FormatError(`${fileName}: looks like ${UNSUPPORTED[detected as UnsupportedId]}, which cannot be imported yet`);
  const format = detected as FormatId;
  if (format in LINE_IMPORTERS) {
    const result = importJsonl(text.replace(/^\uFEFF/, '').split(/\r?\n/), format, fileName);
    if (result.trajectories.length === 0) {
      throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[format]}): no line could be imported${result.problems[0] ? `; first: ${result.problems[0]}` : ''}`);
    }
    return result;
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[format]}): ${parsed.error}`);
  try {
    const id = baseName(fileName);
    const trajectories = format === 'chat-messages' ? importChatMessages(parsed.value, id) : importAgentResult(parsed.value, id);
    return { format, trajectories, problems: [] };
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[format]}): ${error.message}`);
  }
}
