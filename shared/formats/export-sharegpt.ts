import { contentAsText } from './content-parts.js';
import type { ChatMessage, ToolSchema } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import { pyJsonDumps, pyJsonLoads } from '../python/json.js';
import { escapeLoneSurrogates, pyStrip } from '../python/str.js';
import type { PyDict, PyValue } from '../python/value.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { INTERVENTION_MARK_KEY, interventionMarkOf } from '../run/intervention.js';

/*
 * hermes-agent's ShareGPT trajectory line, as its `convert_to_trajectory_format` and
 * `save_trajectory` (agent/agent_runtime_helpers.py, agent/trajectory.py) write it: the line is
 * Python's `json.dumps(entry, ensure_ascii=False)`, so it is built here with the Python JSON encoder
 * and matches byte for byte where hermes and a trajectory agree. Where they do not, we keep data
 * that hermes would drop, on purpose:
 * - hermes never writes the agent's own system prompt (its first turn is a generated tool-calling
 *   prompt); we write that generated prompt when the trajectory records `tools` and no system
 *   message already lists them in `<tools>` (as one imported from hermes does), and keep every
 *   system message of the trajectory as a `system` turn after it;
 * - hermes writes `{}` for tool call arguments that are not JSON (it validated them during the
 *   run); we write the raw string as `arguments`, so a malformed call survives the export;
 * - hermes drops tool messages that follow no tool-calling turn; we write them as a `tool` turn
 *   with the name "unknown" (the name hermes uses when results outnumber calls);
 * - tool results and arguments are parsed as JSON the way hermes does it, but only kept parsed
 *   when they dump as standard JSON: Python also reads NaN, Infinity and 1e400 (as inf), which
 *   would make the line unreadable to JSON readers; such text is written as a string.
 * Messages with other roles (hermes has none) are not written.
 */

const TRAJECTORY_SYSTEM_PROMPT_HEAD =
  'You are a function calling AI model. You are provided with function signatures within <tools> </tools> XML tags. ' +
  'You may call one or more functions to assist with the user query. If available tools are not relevant in assisting ' +
  "with user query, just respond in natural conversational language. Don't make assumptions about what values to plug " +
  'into functions. After calling & executing the functions, you will be provided with function results within ' +
  '<tool_response> </tool_response> XML tags. Here are the available tools:\n<tools>\n';
const TRAJECTORY_SYSTEM_PROMPT_TAIL =
  '\n</tools>\n' +
  'For each function call return a JSON object, with the following pydantic model json schema for each:\n' +
  "{'title': 'FunctionCall', 'type': 'object', 'properties': {'name': {'title': 'Name', 'type': 'string'}, " +
  "'arguments': {'title': 'Arguments', 'type': 'object'}}, 'required': ['name', 'arguments']}\n" +
  'Each function call should be enclosed within <tool_call> </tool_call> XML tags.\n' +
  "Example:\n<tool_call>\n{'name': <function-name>,'arguments': <args-dict>}\n</tool_call>";

/**
 * The tool calls changed at a breakpoint (their turn from 1, their position in it from 0, what
 * the user did and the model's arguments): the `<tool_call>` of each holds the arguments that ran.
 */
function interventionMarks(messages: readonly ChatMessage[]): PyValue[] {
  const marks: PyValue[] = [];
  let turn = 0;
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    turn += 1;
    (message.tool_calls ?? []).forEach((call, index) => {
      const mark = interventionMarkOf(call);
      if (mark) marks.push(new Map<string, PyValue>([['turn', BigInt(turn)], ['call', BigInt(index)], ['action', mark.action], ['model_arguments', mark.model_arguments]]));
    });
  }
  return marks;
}

/** hermes-agent's generated system turn: the tool-calling instructions and the tool schemas in `<tools>`. */
export function hermesToolsPrompt(tools: readonly ToolSchema[]): string {
  // `_format_tools_for_system_message`: name, description, parameters and a constant `required: None`.
  const formatted: PyValue[] = tools.map((tool) =>
    new Map<string, PyValue>([
      ['name', tool.function.name],
      ['description', tool.function.description ?? ''],
      ['parameters', toPyValue(tool.function.parameters ?? {})],
      ['required', null],
    ]),
  );
  return `${TRAJECTORY_SYSTEM_PROMPT_HEAD}${pyJsonDumps(formatted, { ensureAscii: false })}${TRAJECTORY_SYSTEM_PROMPT_TAIL}`;
}

/**
 * A JSON value read by `JSON.parse` as the Python value `json.loads` makes of its `JSON.stringify`
 * text: whole numbers below 1e21 (written without an exponent) as ints, others as floats (the
 * source's `1.0` cannot be told from `1` any more). Iterative, so depth is no limit.
 */
function toPyValue(root: unknown): PyValue {
  const convert = (v: unknown, push: (from: unknown, into: PyValue[] | PyDict, key: string | null) => void): PyValue => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(String(v)) : v;
    if (Array.isArray(v)) {
      const list: PyValue[] = [];
      for (const item of v) push(item, list, null);
      return list;
    }
    if (typeof v === 'object') {
      const dict: PyDict = new Map();
      for (const [key, item] of Object.entries(v)) if (item !== undefined) push(item, dict, key);
      return dict;
    }
    return String(v);
  };
  // Children are queued with their slot and filled in after their parent: no recursion.
  const queue: Array<{ from: unknown; into: PyValue[] | PyDict; key: string | null; at: number }> = [];
  const push = (from: unknown, into: PyValue[] | PyDict, key: string | null): void => {
    if (Array.isArray(into)) {
      into.push(null);
      queue.push({ from, into, key, at: into.length - 1 });
    } else {
      into.set(key!, null);
      queue.push({ from, into, key, at: -1 });
    }
  };
  const top = convert(root, push);
  while (queue.length > 0) {
    const { from, into, key, at } = queue.pop()!;
    const value = convert(from, push);
    if (Array.isArray(into)) into[at] = value;
    else into.set(key!, value);
  }
  return top;
}

/** A message's content as text: text parts joined, images and other parts as placeholders (see content-parts.ts). */
function contentText(content: unknown): string {
  return contentAsText(content, '');
}

/** hermes' `convert_scratchpad_to_think`: models reasoning in XML when native thinking is off. */
function scratchpadToThink(content: string): string {
  return content.replaceAll('<REASONING_SCRATCHPAD>', '<think>').replaceAll('</REASONING_SCRATCHPAD>', '</think>');
}

/** Python's `str.rstrip()`: a leading non-space keeps `pyStrip` from touching the start. */
function pyRstrip(s: string): string {
  return pyStrip(`x${s}`).slice(1);
}

/** A `gpt` turn: `<think>` block (empty without reasoning), the text, one `<tool_call>` per call. */
function gptValue(message: ChatMessage): string {
  const reasoning = extractReasoning(message);
  let value = typeof reasoning === 'string' && pyStrip(reasoning) !== '' ? `<think>\n${reasoning}\n</think>\n` : '';
  const content = contentText(message.content);
  const calls = message.tool_calls ?? [];
  const withThink = (text: string): string => (text.includes('<think>') ? text : `<think>\n</think>\n${text}`);
  if (calls.length === 0) return pyStrip(withThink(value + scratchpadToThink(content)));
  if (pyStrip(content) !== '') value += `${scratchpadToThink(content)}\n`;
  for (const call of calls) {
    const raw = call.function.arguments;
    const loaded = loadsStandard(raw);
    const args = loaded ? loaded.value : raw;
    value += `<tool_call>\n${pyJsonDumps(new Map<string, PyValue>([['name', call.function.name], ['arguments', args]]), { ensureAscii: false })}\n</tool_call>\n`;
  }
  return pyRstrip(withThink(value));
}

/**
 * Python's `json.loads` of a text, or null when that fails or when the value would not be standard
 * JSON once dumped: Python also reads NaN, Infinity and numbers too large for a float (as inf).
 */
function loadsStandard(text: string): { value: PyValue } | null {
  let value: PyValue;
  try {
    value = pyJsonLoads(text);
  } catch {
    return null;
  }
  const stack: PyValue[] = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v instanceof Map) for (const item of v.values()) stack.push(item);
  }
  return { value };
}

/** A tool result's content as hermes writes it: parsed when it looks like JSON, else as it is. */
function toolContent(content: unknown): PyValue {
  if (typeof content !== 'string') return toPyValue(content);
  if (!/^[{[]/.test(pyStrip(content))) return content;
  const loaded = loadsStandard(content);
  return loaded ? loaded.value : content;
}

/** The `tool` turn for a run of tool messages: one `<tool_response>` per message, names by position. */
function toolValue(results: readonly ChatMessage[], calls: ChatMessage['tool_calls']): string {
  return results
    .map((result, k) => {
      const payload = new Map<string, PyValue>([
        ['tool_call_id', 'tool_call_id' in result ? (result.tool_call_id ?? null) : ''],
        ['name', calls?.[k]?.function.name ?? 'unknown'],
        ['content', toolContent(result.content)],
      ]);
      return `<tool_response>\n${pyJsonDumps(payload, { ensureAscii: false })}\n</tool_response>`;
    })
    .join('\n');
}

/** Python's `datetime.now().isoformat()`: local time, microseconds unless they are zero. */
export function pythonIsoformat(date: Date): string {
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  const base = `${p(date.getFullYear(), 4)}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
  return date.getMilliseconds() === 0 ? base : `${base}.${p(date.getMilliseconds(), 3)}000`;
}

/**
 * One hermes ShareGPT JSONL line (without the newline) for a trajectory:
 * `{conversations, timestamp, model, completed}`, `completed` being `finished_naturally`.
 */
export function shareGptLine(t: Trajectory, now: Date): string {
  const turns: Array<[from: string, value: string]> = [];
  const messages = t.messages;
  const listsTools = messages.some((m) => m.role === 'system' && contentText(m.content).includes('<tools>'));
  if (t.tools && !listsTools) turns.push(['system', hermesToolsPrompt(t.tools)]);
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role === 'system') turns.push(['system', contentText(message.content)]);
    else if (message.role === 'user') turns.push(['human', contentText(message.content)]);
    else if (message.role === 'assistant' || message.role === 'tool') {
      const calls = message.role === 'assistant' ? message.tool_calls : undefined;
      if (message.role === 'assistant') turns.push(['gpt', gptValue(message)]);
      // Tool results after a turn with calls are merged into one tool turn; so is a run of tool
      // messages that follows no call (see the file comment).
      if (message.role === 'assistant' && !calls?.length) continue;
      const results: ChatMessage[] = [];
      let j = message.role === 'assistant' ? i + 1 : i;
      for (; j < messages.length && messages[j]!.role === 'tool'; j++) results.push(messages[j]!);
      if (results.length > 0) turns.push(['tool', toolValue(results, calls)]);
      i = j - 1;
    }
  }
  const entry = new Map<string, PyValue>([
    ['conversations', turns.map(([from, value]) => new Map<string, PyValue>([['from', from], ['value', value]]))],
    ['timestamp', pythonIsoformat(now)],
    ['model', t.model],
    ['completed', deriveAgentResult(t).result.finished_naturally],
  ]);
  // The conversation has no room for a mark: the calls the user changed are listed beside it.
  const marks = interventionMarks(messages);
  if (marks.length > 0) entry.set(INTERVENTION_MARK_KEY, marks);
  return escapeLoneSurrogates(pyJsonDumps(entry, { ensureAscii: false }));
}
