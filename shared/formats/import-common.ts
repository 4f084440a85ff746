import { z } from 'zod';
import type { ChatMessage, TokenUsage, ToolCall, ToolSchema } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import { AGENT_RESULT_FIELDS, type CallStats, type Trajectory } from './trajectory.js';
import { fromAiSdk, fromAiSdkModel, isAiSdkMessage, isAiSdkModelMessage } from './ai-sdk-messages.js';
import { fromSemanticKernel, isSemanticKernelMessage } from './semantic-kernel-messages.js';
import { autoGenEnd, fromAutoGen, isAutoGenMessage } from './autogen-messages.js';
import { fromConverse, isConverseMessage } from './converse-messages.js';
import { fromHaystack, isHaystackMessage } from './haystack-messages.js';
import { fromLlamaIndex, isLlamaIndexMessage } from './llamaindex-messages.js';
import { fromPydanticAi, isPydanticAiMessage, pydanticAiEnd } from './pydantic-ai-messages.js';
import { fromGeminiContents, isGeminiContent } from './gemini-contents.js';
import { fromLangChainMessages, isLangChainMessage } from './langchain-messages.js';
import { argumentsText, callStats, isObject, namedUsage, num, raisedToolContent, recordedUsage, str } from './values.js';

// The readers of JSON values every importer takes from here (they live in values.ts).
export { argumentsText, callStats, isObject, namedUsage, num, raisedToolContent, recordedUsage, str };

// What every importer shares: errors, JSON positions, zod helpers and the chat message shape.

/** A file that is not a supported trajectory format, or is broken: the message names the file. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}

/**
 * The first thing in a file that did not fit its format, as "field path: what is wrong". Importers
 * throw it; `importText`/`importBytes` turn it into a `FormatError` naming the file and format.
 */
export class Misfit extends Error {}

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

/** Whether a text parses as JSON. */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `JSON.parse`, with a failure described as "not valid JSON at line L, column C: what". */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  // Parsing builds every nested array first: millions of levels would exhaust memory before
  // checkNesting could refuse them, so such a text is refused from its characters (a text no
  // longer than the limit cannot hold that many brackets: most lines are not counted).
  if (text.length > PARSE_DEPTH_LIMIT && !bracketsAtMost(text, PARSE_DEPTH_LIMIT)) {
    const deep = offsetDeeperThan(text, PARSE_DEPTH_LIMIT);
    if (deep !== null) {
      const { line, column } = lineColumn(text, deep);
      return { ok: false, error: `at line ${line}, column ${column}: nested deeper than ${MAX_NESTING} levels` };
    }
  }
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

/**
 * Parses `data` with a zod schema, or throws a `Misfit` naming the first field that did not fit,
 * its path prefixed with `prefix` (the path of `data` inside the file).
 */
export function parseWith<T>(schema: z.ZodType<T>, data: unknown, prefix = ''): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const text = describeIssue(issue);
    throw new Misfit(prefix && issue.path.length ? `${prefix}${text.startsWith('[') ? '' : '.'}${text}` : prefix ? `${prefix}: ${text.replace(/^the top level: /, '')}` : text);
  }
  return parsed.data;
}

/**
 * How deep a file's JSON may nest, counted in objects and arrays from the top of the document (or
 * of a JSON text stored inside it). Deeper values are refused by {@link checkNesting}.
 */
// JSON.parse reads any depth, but JSON.stringify, structuredClone (IPC, workers) and recursive
// helpers overflow V8's stack a few thousand levels down: on Node 20's main thread JSON.stringify
// fails past about 4,100 levels and structuredClone of objects past about 1,900, fewer when the
// call stack is already deep. Python's json cannot read or write much past 1,000 levels either
// (RecursionError), so no file a Python agent wrote nests deeper.
export const MAX_NESTING = 1000;

/** The path segments shown for a value nested too deep: the rest is the same key over and over. */
const NESTING_PATH_SHOWN = 8;

/**
 * Throws a `Misfit` "PATH: nested deeper than 1000 levels" when `value` nests deeper than
 * {@link MAX_NESTING}; `prefix` is the path of `value` inside the file. Iterative, once per value;
 * given the JSON `text` the value was read from, skipped when the text has too few brackets to nest that deep.
 */
export function checkNesting(value: unknown, prefix = '', text?: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (text !== undefined && (text.length <= MAX_NESTING || bracketsAtMost(text, MAX_NESTING))) return;
  // One frame per open container: the frames are the path to where the walk is.
  const frames: Array<{ container: Record<string, unknown> | unknown[]; keys: string[] | null; i: number }> = [];
  const open = (container: object): void => {
    frames.push(Array.isArray(container) ? { container, keys: null, i: 0 } : { container: container as Record<string, unknown>, keys: Object.keys(container), i: 0 });
  };
  open(value);
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!;
    const size = top.keys ? top.keys.length : (top.container as unknown[]).length;
    if (top.i >= size) {
      frames.pop();
      continue;
    }
    const key = top.keys ? top.keys[top.i]! : top.i;
    top.i += 1;
    const child = (top.container as Record<string | number, unknown>)[key];
    if (typeof child !== 'object' || child === null) continue;
    if (frames.length >= MAX_NESTING) throw new Misfit(`${nestingPath(prefix, frames)}: nested deeper than ${MAX_NESTING} levels`);
    open(child);
  }
}

/** Depth past which a text is refused before it is parsed (see {@link parseJson}). */
const PARSE_DEPTH_LIMIT = 100_000;

/**
 * The offset of the first bracket that opens level `limit` + 1 of a JSON-like text (strings
 * skipped), or null. A string is skipped by searching for its closing quote (a quote after an
 * even run of backslashes), not char by char: trajectories are mostly string, and this walk runs
 * over every big document opened.
 */
export function offsetDeeperThan(text: string, limit: number): number | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (;;) {
        const quote = text.indexOf('"', i + 1);
        if (quote < 0) return null;
        let backslashes = 0;
        for (let k = quote - 1; k > i && text.charCodeAt(k) === 92; k--) backslashes++;
        i = quote;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return null;
}

/** True when the text holds at most `limit` opening brackets (so no JSON in it nests deeper): a quicker test than the walk. */
function bracketsAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['[', '{']) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) if (++count > limit) return false;
  }
  return true;
}

/** "a.b[0].c…" for the path the frames of {@link checkNesting} stand on, its start only. */
function nestingPath(prefix: string, frames: ReadonlyArray<{ keys: string[] | null; i: number }>): string {
  let path = prefix;
  for (const frame of frames.slice(0, NESTING_PATH_SHOWN)) {
    const key = frame.keys ? frame.keys[frame.i - 1]! : frame.i - 1;
    path += typeof key === 'number' ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return frames.length > NESTING_PATH_SHOWN ? `${path}…` : path;
}

/** An OpenAI tool call as files store it (arguments may be a string or already parsed). */
export const toolCallSchema = z.looseObject({
  id: z.string().nullable().optional(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string(), arguments: z.unknown() }),
});

/** An OpenAI chat message as files store it: a role, the rest loose. */
export const messageSchema = z.looseObject({
  role: z.string(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
});
/** A chat message as a file stores it, before {@link normalizeMessage}. */
export type FileMessage = z.infer<typeof messageSchema>;

/** A call a model wrote in its text (OpenHands markup, a Python call list, a ReAct action): the tool and its arguments as JSON text. */
export interface WrittenCall {
  name: string;
  arguments: string;
}

/** Written calls as tool calls, without ids: each gets the id of the result that answers it. */
export function writtenToolCalls(calls: readonly WrittenCall[]): ToolCall[] {
  return calls.map((call) => ({ id: null, type: 'function', function: { name: call.name, arguments: call.arguments } }));
}

/**
 * OpenAI's function calling before tool calls (and its fine-tuning format, which still takes it):
 * an assistant's `function_call` becomes its one tool call (without an id: its result is the
 * next `function` message), and a `function` message a tool message naming the function.
 */
function legacyFunctionCall(message: ChatMessage & { function_call?: unknown }): void {
  const call = message.function_call;
  if (message.role === 'assistant' && isObject(call) && typeof call.name === 'string' && !(Array.isArray(message.tool_calls) && message.tool_calls.length > 0)) {
    message.tool_calls = [{ id: null, type: 'function', function: { name: call.name, arguments: argumentsText(call.arguments) } }];
    delete message.function_call;
  }
  if (message.role === 'function') message.role = 'tool';
}

/**
 * A message in the trajectory model: tool call arguments as strings, reasoning as
 * `reasoning_content` (from `reasoning` or `reasoning_details` when that is absent).
 */
export function normalizeMessage(message: FileMessage): ChatMessage {
  const out: ChatMessage = { ...message } as ChatMessage;
  if (message.tool_calls === null) delete out.tool_calls;
  else if (message.tool_calls) {
    out.tool_calls = message.tool_calls.map((call): ToolCall => ({ ...call, id: call.id ?? null, type: 'function', function: { ...call.function, arguments: argumentsText(call.function.arguments) } }));
  }
  legacyFunctionCall(out);
  if (out.role === 'assistant' && out.reasoning_content === undefined) {
    const reasoning = extractReasoning(out);
    if (typeof reasoning === 'string') out.reasoning_content = reasoning;
  }
  return out;
}

const messageListSchema = z.array(messageSchema);

/** A JSON object zod's loose objects would read key by key as they are (a `__proto__` key is not). */
function plainObject(value: unknown): value is Record<string, unknown> {
  return isObject(value) && !Object.hasOwn(value, '__proto__');
}

/** Copies the keys of `from` that are not `shape` keys onto `to`, in order (as a loose object does). */
function copyRest(to: Record<string, unknown>, from: Record<string, unknown>, shape: readonly string[]): Record<string, unknown> {
  for (const key of Object.keys(from)) if (!shape.includes(key)) to[key] = from[key];
  return to;
}

const MESSAGE_KEYS = ['role', 'tool_calls', 'tool_call_id'] as const;
const TOOL_CALL_KEYS = ['id', 'type', 'function'] as const;
const FUNCTION_KEYS = ['name', 'arguments'] as const;

/** A tool call as {@link toolCallSchema} parses it, or null when it does not plainly fit (zod then says why). */
function quickToolCall(call: unknown): Record<string, unknown> | null {
  if (!plainObject(call)) return null;
  const fn = call.function;
  if (!plainObject(fn) || typeof fn.name !== 'string' || !Object.hasOwn(fn, 'arguments')) return null;
  const out: Record<string, unknown> = {};
  if (Object.hasOwn(call, 'id')) {
    if (call.id !== null && typeof call.id !== 'string') return null;
    out.id = call.id;
  }
  if (Object.hasOwn(call, 'type')) {
    if (typeof call.type !== 'string') return null;
    out.type = call.type;
  }
  out.function = copyRest({ name: fn.name, arguments: fn.arguments }, fn, FUNCTION_KEYS);
  return copyRest(out, call, TOOL_CALL_KEYS);
}

/**
 * A list of chat messages as `messageListSchema` parses it (the same objects, keys in the same
 * order), without zod's generic walk, or null when anything in it does not plainly fit: zod then
 * parses it and names what is wrong.
 */
function quickMessageList(data: unknown): FileMessage[] | null {
  if (!Array.isArray(data)) return null;
  const out: FileMessage[] = [];
  for (const message of data) {
    if (!plainObject(message) || typeof message.role !== 'string') return null;
    // A framework's message with a role keeps its content or calls in fields of its own: converted
    // first. A message with text content and none of those fields is no such message (most are).
    const ownFields = typeof message.content !== 'string' || 'parts' in message || 'toolInvocations' in message || 'additional_kwargs' in message;
    if (ownFields && ROLED_FRAMEWORKS.some((framework) => framework.is(message))) return null;
    const parsed: Record<string, unknown> = { role: message.role };
    if (Object.hasOwn(message, 'tool_calls')) {
      const calls = message.tool_calls;
      if (calls === null) parsed.tool_calls = null;
      else if (!Array.isArray(calls)) return null;
      else {
        const list: Array<Record<string, unknown>> = [];
        for (const call of calls) {
          const quick = quickToolCall(call);
          if (quick === null) return null;
          list.push(quick);
        }
        parsed.tool_calls = list;
      }
    }
    if (Object.hasOwn(message, 'tool_call_id')) {
      if (message.tool_call_id !== null && typeof message.tool_call_id !== 'string') return null;
      parsed.tool_call_id = message.tool_call_id;
    }
    out.push(copyRest(parsed, message, MESSAGE_KEYS) as FileMessage);
  }
  return out;
}

/** How a list of framework messages says its run ended: in its own words, and whether the agent ended it itself where the list tells. */
export interface FrameworkEnd {
  stopReason: string;
  finished?: boolean;
}

/**
 * An agent framework's message shape: how to tell one, its converter to chat messages (`usage`
 * gets each reply's tokens by its place in the list returned), and how the list says the run ended
 * when a message records it (a reply cut by a limit, a team's termination notice).
 */
interface Framework {
  is(value: unknown): boolean;
  from(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[];
  end?(list: readonly unknown[]): FrameworkEnd | null;
}

/**
 * The frameworks whose messages have a role but keep their content or calls in parts or blocks of
 * their own (the quick reader refuses them), in the order they are told apart.
 */
const ROLED_FRAMEWORKS: readonly Framework[] = [
  { is: isAiSdkMessage, from: fromAiSdk },
  { is: isAiSdkModelMessage, from: fromAiSdkModel },
  { is: isGeminiContent, from: fromGeminiContents },
  { is: isHaystackMessage, from: fromHaystack },
  { is: isLlamaIndexMessage, from: fromLlamaIndex },
  { is: isConverseMessage, from: fromConverse },
  { is: isSemanticKernelMessage, from: fromSemanticKernel },
];

/** Every framework, those writing messages without a `role` last. */
const FRAMEWORKS: readonly Framework[] = [
  ...ROLED_FRAMEWORKS,
  { is: isPydanticAiMessage, from: fromPydanticAi, end: pydanticAiEnd },
  { is: isAutoGenMessage, from: fromAutoGen, end: autoGenEnd },
  { is: isLangChainMessage, from: fromLangChainMessages },
];

/**
 * A list holding messages of an agent framework ({@link FRAMEWORKS}), with each of them as the
 * chat messages it stands for (by the first framework the list holds a message of); `data` itself
 * otherwise.
 */
function fromFrameworkMessages(data: unknown, usage?: Map<number, TokenUsage>): unknown {
  if (!Array.isArray(data)) return data;
  const framework = FRAMEWORKS.find((f) => data.some(f.is));
  return framework ? framework.from(data, usage) : data;
}

/**
 * What a list of framework messages records beside its messages: the tokens of each model call
 * (AutoGen's `models_usage`, LangChain's `usage_metadata`, Pydantic AI's `usage`, Haystack's
 * `meta.usage`), by turn, when it records any; and how the run ended, when a message says (see
 * {@link Framework}). Nothing for a list of chat messages, told at once by its first message
 * (which the quick reader reads).
 */
export function frameworkDetails(data: unknown): { stats?: Array<CallStats | null>; end?: FrameworkEnd } {
  if (!Array.isArray(data) || data.length === 0 || quickMessageList(data.slice(0, 1)) !== null) return {};
  const framework = FRAMEWORKS.find((f) => data.some(f.is));
  if (!framework) return {};
  const usage = new Map<number, TokenUsage>();
  const list = framework.from(data, usage);
  const stats = usage.size > 0 ? list.flatMap((message, i) => (isObject(message) && message.role === 'assistant' ? [callStats(usage.get(i), null)] : [])) : undefined;
  const end = framework.end?.(data) ?? undefined;
  return { ...(stats ? { stats } : {}), ...(end ? { end } : {}) };
}

/**
 * The messages of `data` with each `tool_calls` kept as the JSON text of its list (as Parquet and
 * Arrow exports keep nested fields: ART's trajectories, for one) replaced by the list; `data`
 * itself when none is. Text that is not a JSON list is a `Misfit` naming the message.
 */
function callListsParsed(data: unknown, prefix: string): unknown {
  if (!Array.isArray(data) || !data.some((m) => isObject(m) && typeof m.tool_calls === 'string')) return data;
  return data.map((message: unknown, i) => {
    if (!isObject(message) || typeof message.tool_calls !== 'string') return message;
    const at = `${prefix}[${i}].tool_calls`;
    // An empty text is no calls, as an empty list would be.
    if (message.tool_calls.trim() === '') return { ...message, tool_calls: null };
    const parsed = parseJson(message.tool_calls);
    if (!parsed.ok) throw new Misfit(`${at}: ${parsed.error} in the JSON text of the tool calls`);
    if (!Array.isArray(parsed.value) && parsed.value !== null) throw new Misfit(`${at}: expected a list of tool calls in the JSON text`);
    checkNesting(parsed.value, at, message.tool_calls);
    return { ...message, tool_calls: parsed.value };
  });
}

/** Parses a list of chat messages found at `prefix` in the file, as `messageListSchema` does; throws a `Misfit` naming what does not fit. */
export function parseMessageList(data: unknown, prefix = 'messages'): FileMessage[] {
  // A plain chat list (nearly every list of an indexed file) is read at once; only one the quick
  // reader refuses is looked at again for framework messages and call lists kept as JSON text.
  const quick = quickMessageList(data);
  if (quick) return quick;
  const list = callListsParsed(fromFrameworkMessages(data), prefix);
  return (list === data ? null : quickMessageList(list)) ?? parseWith(messageListSchema, list, prefix);
}

/** {@link parseMessageList} through zod alone: the rule its quick path must agree with. */
export function parseMessageListWithZod(data: unknown, prefix = 'messages'): FileMessage[] {
  return parseWith(messageListSchema, callListsParsed(fromFrameworkMessages(data), prefix), prefix);
}

/** Parses and normalizes a list of chat messages found at `prefix` in the file. */
export function messagesOf(data: unknown, prefix = 'messages'): ChatMessage[] {
  return parseMessageList(data, prefix).map(normalizeMessage);
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
export function recordedOf(object: Record<string, unknown>): Trajectory['recorded'] {
  const picked: Record<string, unknown> = {};
  for (const field of AGENT_RESULT_FIELDS) if (field in object) picked[field] = object[field];
  return parseWith(recordedSchema, picked) as Trajectory['recorded'];
}

/**
 * Sets `key` as an own property, as JSON.parse does: a `__proto__` key is a key like any other,
 * not the object's prototype. For objects built from a file's keys by other means than JSON.parse.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A verdict as Python may have written it: a boolean, or the `str()` of one ("True", "False"); else null. */
export function pyBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  return v === 'True' ? true : v === 'False' ? false : null;
}

/** The file name without folders or trajectory extensions, for trajectory ids. */
export function baseName(fileName: string): string {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  return name.replace(/\.(?:traj\.json|jsonl|json|traj|eval)$/i, '') || name;
}

/**
 * An OpenAI function schema from a tool description that is either one already
 * (`{type, function: {...}}`) or a bare `{name, description, parameters}`; null when it is neither.
 */
export function toolSchemaOf(tool: unknown): ToolSchema | null {
  if (!isObject(tool)) return null;
  if (isObject(tool.function) && typeof tool.function.name === 'string') {
    // Kept as the file has it, but for a description or parameters of the wrong type, left out:
    // a tool whose `parameters` is a list is still the tool of that name, with no schema to check.
    const { description, parameters, ...rest } = tool.function;
    const fn: ToolSchema['function'] = { ...rest, name: tool.function.name };
    if (typeof description === 'string') fn.description = description;
    if (isObject(parameters)) fn.parameters = parameters;
    return { ...tool, type: 'function', function: fn };
  }
  if (typeof tool.name !== 'string') return null;
  const fn: ToolSchema['function'] = { name: tool.name };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (isObject(tool.parameters)) fn.parameters = tool.parameters;
  return { type: 'function', function: fn };
}

/** Tool schemas from a list, first of each name kept; undefined when the list gives none. */
export function toolSchemasOf(tools: unknown[]): ToolSchema[] | undefined {
  const byName = new Map<string, ToolSchema>();
  for (const tool of tools) {
    const schema = toolSchemaOf(tool);
    if (schema && !byName.has(schema.function.name)) byName.set(schema.function.name, schema);
  }
  return byName.size > 0 ? [...byName.values()] : undefined;
}

/**
 * Parses each item of a list on its own: the items that fit, with their positions, and one problem
 * per item that does not ("PREFIX[i].field: what is wrong; WHAT"), so one odd item does not make
 * the whole file unreadable. `what` says what became of the item ("the message is left out").
 */
export function parseEach<T>(schema: z.ZodType<T>, items: readonly unknown[], prefix: string, problems: string[], what: string): Array<{ index: number; value: T }> {
  const read: Array<{ index: number; value: T }> = [];
  items.forEach((item, index) => {
    const value = tryParse(() => parseWith(schema, item, `${prefix}[${index}]`), problems, what);
    if (value !== undefined) read.push({ index, value });
  });
  return read;
}

/** Runs a read that may not fit: its value, or undefined with the problem "field: what is wrong; WHAT" added. */
export function tryParse<T>(read: () => T, problems: string[], what: string): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    problems.push(`${error.message}; ${what}`);
    return undefined;
  }
}

// --- JSONL texts read whole ------------------------------------------------------------------

/** What a whole-file importer gives: trajectories, and `FILE:LINE: what` per line it skipped. */
export interface TextImport {
  trajectories: Trajectory[];
  problems: string[];
}

/** Each non-blank line of a JSONL text parsed, or the problem that line has; nesting checked. */
export function* jsonLines(text: string, fileName: string): Generator<{ line: number; value: unknown } | { problem: string }> {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const parsed = parseJson(raw);
    if (!parsed.ok) {
      yield { problem: `${fileName}:${i + 1}: ${parsed.error.replace(/ at line 1, column/, ' at column')}` };
      continue;
    }
    try {
      checkNesting(parsed.value, '', raw);
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      yield { problem: `${fileName}:${i + 1}: ${error.message}` };
      continue;
    }
    yield { line: i + 1, value: parsed.value };
  }
}

/** The values of a JSONL text's lines, each with where it is (`FILE:LINE`); a line that cannot be read goes to `problems`. */
export function lineValues(text: string, fileName: string, problems: string[]): Array<{ value: unknown; at: string }> {
  const values: Array<{ value: unknown; at: string }> = [];
  for (const entry of jsonLines(text, fileName)) {
    if ('problem' in entry) problems.push(entry.problem);
    else values.push({ value: entry.value, at: `${fileName}:${entry.line}` });
  }
  return values;
}

/** Runs `read` for one line, turning its `Misfit` into the problem `FILE:LINE: what`. */
export function readLine(problems: string[], fileName: string, line: number, read: () => void): void {
  try {
    read();
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    problems.push(`${fileName}:${line}: ${error.message}`);
  }
}

/**
 * Reads each JSON object line of a JSONL text with `read`; a line that does not parse, is not an
 * object or does not fit is reported in `problems` as `FILE:LINE: what`. Returns the object lines read.
 */
export function eachObjectLine(text: string, fileName: string, problems: string[], read: (value: Record<string, unknown>) => void): number {
  let count = 0;
  for (const entry of jsonLines(text, fileName)) {
    if ('problem' in entry) {
      problems.push(entry.problem);
      continue;
    }
    const { line, value } = entry;
    readLine(problems, fileName, line, () => {
      if (!isObject(value)) throw new Misfit('expected a JSON object');
      count += 1;
      read(value);
    });
  }
  return count;
}

/** FNV-1a of a text, 8 hex digits: a short, stable group name for a prompt (rollouts of one prompt share it). */
export function promptHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
