import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { pyJsonDumps, pyJsonLoads } from '../python/json.js';
import { hasTooManyDigits, isPyDict, type PyValue } from '../python/value.js';
import { argumentsText, checkNesting, isObject, messageSchema, Misfit, normalizeMessage, parseWith, str, toolCallSchema, toolSchemasOf, writtenToolCalls, type FileMessage, type WrittenCall } from './import-common.js';
import type { Trajectory } from './trajectory.js';
import { markupCalls, markupResult } from './function-markup.js';
import { splitThink } from './values.js';
import { pythonCalls, pythonLiteralAt } from './python-calls.js';

// hermes-agent's two JSONL formats: session exports and ShareGPT trajectories (see FORMATS.md).

const hermesMessage = z.lazy(() => z.looseObject({
  role: z.string(),
  content: z.unknown(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
  tool_name: z.string().nullable().optional(),
}));
const hermesSession = z.lazy(() => z.looseObject({
  id: z.string(),
  model: z.string().nullable().optional(),
  system_prompt: z.string().nullable().optional(),
  end_reason: z.string().nullable().optional(),
  messages: z.array(hermesMessage),
}));

/**
 * One hermes-agent session export line: its messages without the `session_meta` rows. The export
 * keeps the system prompt beside the messages (`system_prompt`), not in them: it is put back as the
 * first message, as the model received it. `end_reason` is the stop reason.
 */
export function importHermesSession(data: unknown, _id: string, index: number): Trajectory[] {
  const session = parseWith(hermesSession, data);
  const messages: ChatMessage[] = [];
  const hasSystem = session.messages.some((m) => m.role === 'system');
  if (session.system_prompt && !hasSystem) messages.push({ role: 'system', content: session.system_prompt });
  for (const m of session.messages) {
    if (m.role === 'session_meta') continue;
    const message: FileMessage = { role: m.role, content: m.content ?? null };
    if (m.tool_calls) message.tool_calls = m.tool_calls;
    if (m.role === 'tool') message.tool_call_id = m.tool_call_id ?? null;
    if (m.tool_name) message.name = m.tool_name;
    for (const key of ['reasoning_content', 'reasoning', 'reasoning_details']) if (m[key] != null) message[key] = m[key];
    messages.push(normalizeMessage(message));
  }
  return [{ id: session.id, model: session.model ?? null, messages, reward: null, recorded: {}, source: { format: 'hermes-session-jsonl', index }, stopReason: session.end_reason ?? null }];
}

// Batch-runner lines add prompt_index, metadata, partial, api_calls, toolsets_used, tool_stats and
// tool_error_counts, and may leave out model and timestamp; the extra fields are kept out of the model.
// Other ShareGPT datasets (LLaMA-Factory's, ToolACE) keep the system prompt and the tool schemas
// beside the conversation: `system`, and `tools` as a list or as its JSON text.
const sharegptLine = z.lazy(() => z.looseObject({
  conversations: z.array(z.unknown()),
  system: z.string().nullable().optional(),
  tools: z.unknown().optional(),
  model: z.string().nullable().optional(),
  completed: z.boolean().nullable().optional(),
  api_calls: z.number().int().nullable().optional(),
  prompt_index: z.number().int().nullable().optional(),
}));
const sharegptTurn = z.lazy(() => z.looseObject({ from: z.string(), value: z.string() }));

const toolCallBlock = z.lazy(() => z.looseObject({ name: z.string(), arguments: z.unknown() }));
const toolResponseBlock = z.lazy(() => z.looseObject({ tool_call_id: z.string().nullable().optional(), name: z.string().optional(), content: z.unknown() }));

/** One `<tag>...</tag>` block of a turn: where it starts and ends, and the text between the tags. */
interface TagBlock {
  start: number;
  end: number;
  /** The text between the tags, less one newline after the opening tag and one before the closing tag. */
  inner: string;
}

/**
 * The `<tag>` blocks of a turn as the lazy pattern `<tag>\n?([\s\S]*?)\n?</tag>` finds them (each
 * from an opening tag to the first closing tag after it), in linear time: the pattern rescans to
 * the end of the turn from every opening tag that is never closed.
 */
function tagBlocks(text: string, tag: string): TagBlock[] {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const blocks: TagBlock[] = [];
  for (let from = 0; ; ) {
    const start = text.indexOf(open, from);
    if (start < 0) break;
    const at = text.indexOf(close, start + open.length);
    // No closing tag after this opening tag, so none after any later one either.
    if (at < 0) break;
    let inner = text.slice(start + open.length, at);
    if (inner.startsWith('\n')) inner = inner.slice(1);
    if (inner.endsWith('\n')) inner = inner.slice(0, -1);
    from = at + close.length;
    blocks.push({ start, end: from, inner });
  }
  return blocks;
}

/** The text with the blocks cut out. */
function withoutBlocks(text: string, blocks: readonly TagBlock[]): string {
  let out = '';
  let from = 0;
  for (const block of blocks) {
    out += text.slice(from, block.start);
    from = block.end;
  }
  return out + text.slice(from);
}

/**
 * The tool list of a generated system prompt: the first `<tools>` block that holds a JSON array,
 * else (ToolBench) the Python list of API dicts it ends with.
 * hermes-agent's prompt names the tags in prose before the list ("within <tools> </tools> XML tags").
 * `at` is where the prompt is in the file (`conversations[0]`, `system`).
 */
function systemPromptTools(text: string, at: string): Trajectory['tools'] {
  for (const block of tagBlocks(text, 'tools')) {
    if (!block.inner.trimStart().startsWith('[')) continue;
    let list: unknown;
    try {
      list = JSON.parse(block.inner);
    } catch {
      continue;
    }
    if (!Array.isArray(list)) continue;
    checkNesting(list, `${at}.tools`, block.inner);
    return toolSchemasOf(list);
  }
  // ToolBench's prompt ends with the APIs as a Python list of dicts (the repr of its function list).
  const listed = text.lastIndexOf("[{'name': ");
  const read = listed >= 0 ? pythonLiteralAt(text, listed) : null;
  return read && Array.isArray(read.value) ? toolSchemasOf(read.value) : undefined;
}

/**
 * A line's top-level `tools`: a list of schemas, or its JSON text as LLaMA-Factory and
 * hermes_reasoning_tool_use write it. Text that does not parse leaves the tools unrecorded, as a
 * broken `<tools>` list does: the conversation is still worth reading.
 */
function toolsField(tools: unknown): Trajectory['tools'] {
  let list = tools;
  if (typeof tools === 'string') {
    try {
      list = JSON.parse(tools);
    } catch {
      return undefined;
    }
    // The text is a string in the line, so the line's own nesting check did not look inside it.
    checkNesting(list, 'tools', tools);
  }
  return Array.isArray(list) ? toolSchemasOf(list) : undefined;
}

/**
 * A tool result's text as the tool returned it. hermes-agent parses a result that looks like JSON
 * (`json.loads`) and writes it parsed; the tool wrote it with `json.dumps`, so dumping the value
 * again with Python's defaults gives back its text, floats (`1.0`), big ints and exception shape
 * (`{"error": "Tool execution failed: ..."}`) included. A tool that used other `json.dumps` options
 * (indent, compact separators, `ensure_ascii=False`) comes back in the default layout.
 */
function toolResultText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  return content === undefined ? null : pyJsonDumps(content as PyValue);
}

/** What a `<tool_response>` block says: the call it answers and the tool it names (when it says), and the result text. */
export interface ToolResponse {
  toolCallId: string | null | undefined;
  name?: string | undefined;
  content: string | null;
}

/**
 * A block that is not hermes-agent's `{tool_call_id, name, content}` wrapper: the result itself
 * (hermes-function-calling and hermes_reasoning_tool_use write `{"temp": 25}` between the tags),
 * kept as written since no `json.dumps` layout is known for it.
 */
function bareToolResponse(inner: string): ToolResponse {
  return { toolCallId: undefined, content: inner };
}

/**
 * A `<tool_response>` block (turn `t`, block `k`) read with Python's reader, so that the content's
 * floats and big ints survive (see toolResultText); throws a `Misfit` when it does not fit.
 */
export function readToolResponseExact(inner: string, t: number, k: number): ToolResponse {
  let response: PyValue;
  try {
    response = pyJsonLoads(inner);
  } catch {
    throw new Misfit(`conversations[${t}]: tool response ${k + 1} is not valid JSON`);
  }
  if (!isPyDict(response) || !response.has('content')) return bareToolResponse(inner);
  const parsed = parseWith(toolResponseBlock, Object.fromEntries(response), `conversations[${t}].tool_response[${k}]`);
  return { toolCallId: parsed.tool_call_id, name: parsed.name, content: toolResultText(parsed.content) };
}

/**
 * {@link readToolResponseExact}, quicker for the common block whose content is a string: V8's
 * JSON.parse reads it, since json.loads reads any text JSON.parse reads to the same strings (only
 * numbers differ, and none is kept). Anything else (content that is not a string, a key of the
 * wrong type, text JSON.parse refuses, a digit run Python refuses) is read the exact way.
 */
export function readToolResponse(inner: string, t: number, k: number): ToolResponse {
  if (hasTooManyDigits(inner)) return readToolResponseExact(inner, t, k);
  let value: unknown;
  try {
    value = JSON.parse(inner);
  } catch {
    return readToolResponseExact(inner, t, k);
  }
  if (!isObject(value) || !Object.hasOwn(value, 'content')) return bareToolResponse(inner);
  if (Object.hasOwn(value, '__proto__') || typeof value.content !== 'string') return readToolResponseExact(inner, t, k);
  const { tool_call_id: id, name } = value;
  if ((id !== undefined && id !== null && typeof id !== 'string') || (name !== undefined && typeof name !== 'string')) return readToolResponseExact(inner, t, k);
  return { toolCallId: id, name, content: value.content };
}

/** What a ShareGPT speaker is: hermes-agent's names, the OpenAI names (ToolACE) and LLaMA-Factory's tool turns. */
const SPEAKERS = new Map<string, 'system' | 'user' | 'assistant' | 'function_call' | 'tool' | 'observation'>([
  ['system', 'system'],
  ['human', 'user'],
  ['user', 'user'],
  ['gpt', 'assistant'],
  ['assistant', 'assistant'],
  ['function_call', 'function_call'],
  ['tool', 'tool'],
  ['observation', 'observation'],
  // ToolBench (ToolLLaMA) gives each result as a `function` turn.
  ['function', 'observation'],
]);

/**
 * A ReAct call as ToolBench's assistant turns write it, the turn ending in
 * `Action: NAME` and `Action Input: ARGUMENTS` lines: the call, and the text before the `Action:`
 * line (the `Thought:`); null for any other turn.
 */
function reactCall(text: string): { content: string; calls: WrittenCall[] } | null {
  const action = /(?:^|\n)Action:[ \t]*([^\n]+)\nAction Input:[ \t]*/.exec(text);
  if (!action) return null;
  const name = action[1]!.trim();
  if (name === '') return null;
  return { content: text.slice(0, action.index).trim(), calls: [{ name, arguments: text.slice(action.index + action[0].length).trim() }] };
}

/**
 * The calls a turn without `<tool_call>` blocks writes in its text, by the first convention that
 * reads it: OpenHands' markup (SFT sets made with it), a Python list of calls that is the whole
 * turn (ToolACE), or a ReAct `Action:` and `Action Input:` that end it (ToolBench); with the text
 * left as the content.
 */
function writtenCalls(text: string): { content: string; calls: WrittenCall[] } | null {
  const listed = (): { content: string; calls: WrittenCall[] } | null => {
    const calls = pythonCalls(text);
    return calls && { content: '', calls };
  };
  return markupCalls(text) ?? listed() ?? reactCall(text);
}

/** The results of a tool turn that lists one per call, `[{"name": ..., "results": ...}]`, each as its JSON text; null for any other turn. */
function resultList(value: string, at: string): ToolResponse[] | null {
  if (!value.trimStart().startsWith('[')) return null;
  let list: unknown;
  try {
    list = JSON.parse(value);
  } catch {
    return null;
  }
  checkNesting(list, at, value);
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => isObject(item) && typeof item.name === 'string' && 'results' in item)) return null;
  return list.map((item: Record<string, unknown>) => ({ toolCallId: undefined, name: item.name as string, content: JSON.stringify(item) }));
}

/** A `{name, arguments}` call found at `at` in the file, as a tool call without an id (the id comes from its result). */
function callOf(value: unknown, at: string): ToolCall {
  const parsed = parseWith(toolCallBlock, value, at);
  return { id: null, type: 'function', function: { name: parsed.name, arguments: argumentsText(parsed.arguments) } };
}

/** A `gpt` turn: `<think>` reasoning, the text, and one tool call per `<tool_call>` block. */
function gptMessage(value: string, t: number): ChatMessage {
  const { reasoning, text } = splitThink(value);
  const message: ChatMessage = { role: 'assistant', content: '' };
  if (reasoning !== null) message.reasoning_content = reasoning;
  const calls: ToolCall[] = [];
  const blocks = tagBlocks(text, 'tool_call');
  for (const block of blocks) {
    let call: unknown;
    try {
      call = JSON.parse(block.inner);
    } catch {
      throw new Misfit(`conversations[${t}]: tool call ${calls.length + 1} is not valid JSON`);
    }
    const at = `conversations[${t}].tool_call[${calls.length}]`;
    checkNesting(call, at, block.inner);
    calls.push(callOf(call, at));
  }
  message.content = withoutBlocks(text, blocks).trim();
  const written = blocks.length === 0 ? writtenCalls(message.content as string) : null;
  if (written) {
    message.content = written.content;
    calls.push(...writtenToolCalls(written.calls));
  }
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/**
 * A LLaMA-Factory `function_call` turn: the assistant's call as JSON `{name, arguments}`, or a list
 * of them for parallel calls, after the reasoning when the template has thought words.
 */
function functionCallMessage(value: string, t: number): ChatMessage {
  const { reasoning, text } = splitThink(value);
  const message: ChatMessage = { role: 'assistant', content: '' };
  if (reasoning !== null) message.reasoning_content = reasoning;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Misfit(`conversations[${t}].value: the function call is not valid JSON`);
  }
  checkNesting(parsed, `conversations[${t}].value`, text);
  const calls = Array.isArray(parsed) ? parsed.map((call, i) => callOf(call, `conversations[${t}].value[${i}]`)) : [callOf(parsed, `conversations[${t}].value`)];
  if (calls.length > 0) message.tool_calls = calls;
  return message;
}

/**
 * One ShareGPT line: hermes-agent's (trajectory samples, failed trajectories, batch-runner output)
 * and the other datasets in that layout. `<think>` blocks become reasoning, `<tool_call>` blocks and
 * `function_call` turns tool calls, each `<tool_response>` block (or a `tool` or `observation` turn
 * without one) a tool message; a compressed line's `[CONTEXT SUMMARY]:` human turn stays a user
 * message; items written as OpenAI chat messages (`role`, `content`) are read as such.
 */
export function importShareGpt(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(sharegptLine, data);
  const messages: ChatMessage[] = [];
  let tools = toolsField(line.tools);
  // The calls of the last assistant turn that no result has answered yet, in order. The results
  // come in call order, in one tool turn (hermes-agent) or in one turn each (hermes-function-calling,
  // LLaMA-Factory); a result that names one of the open calls' tools answers the first of them.
  let openCalls: ToolCall[] = [];
  const answer = (response: ToolResponse, t: number, k: number): void => {
    const named = response.name === undefined ? -1 : openCalls.findIndex((call) => call.function.name === response.name);
    const call = openCalls.splice(named >= 0 ? named : 0, 1)[0];
    const callId = response.toolCallId ?? `call_${t}_${k}`;
    if (call && call.id === null) call.id = callId;
    messages.push({ role: 'tool', tool_call_id: callId, content: response.content });
  };
  line.conversations.forEach((item, t) => {
    if (isObject(item) && !Object.hasOwn(item, 'from') && Object.hasOwn(item, 'role')) {
      // A chat message carries its own call ids: nothing after it is paired by position.
      openCalls = [];
      messages.push(normalizeMessage(parseWith(messageSchema, item, `conversations[${t}]`)));
      return;
    }
    const turn = parseWith(sharegptTurn, item, `conversations[${t}]`);
    const speaker = SPEAKERS.get(turn.from);
    if (!speaker) throw new Misfit(`conversations[${t}].from: expected system, human, user, gpt, assistant, function_call, tool, observation or function, got '${turn.from}'`);
    if (speaker === 'assistant' || speaker === 'function_call') {
      const message = speaker === 'assistant' ? gptMessage(turn.value, t) : functionCallMessage(turn.value, t);
      openCalls = [...(message.tool_calls ?? [])];
      messages.push(message);
      return;
    }
    if (speaker === 'tool') {
      const blocks = tagBlocks(turn.value, 'tool_response');
      blocks.forEach((block, k) => answer(readToolResponse(block.inner, t, k), t, k));
      if (blocks.length > 0) return;
      // ToolACE lists a result per call, `[{"name": ..., "results": ...}]`; each answers its call.
      const results = openCalls.length > 0 ? resultList(turn.value, `conversations[${t}].value`) : null;
      if (results) results.forEach((result, k) => answer(result, t, k));
      // Other datasets write the result itself in the turn, without the tags.
      else answer(bareToolResponse(turn.value), t, 0);
      return;
    }
    if (speaker === 'observation') {
      answer(bareToolResponse(turn.value), t, 0);
      return;
    }
    // A result in OpenHands' markup comes as a human turn (`EXECUTION RESULT of [TOOL]:`).
    const result = speaker === 'user' && openCalls.length > 0 ? markupResult(turn.value) : null;
    if (result) {
      answer({ toolCallId: undefined, name: result.name, content: result.content }, t, 0);
      return;
    }
    // A human or system turn ends the previous turn's calls: responses after it are not theirs.
    openCalls = [];
    if (speaker === 'system') tools ??= systemPromptTools(turn.value, `conversations[${t}]`);
    messages.push({ role: speaker, content: turn.value });
  });
  // A prompt kept beside the conversation is what the model saw first, unless a turn overrides it.
  if (line.system && !messages.some((m) => m.role === 'system')) {
    messages.unshift({ role: 'system', content: line.system });
    tools ??= systemPromptTools(line.system, 'system');
  }
  const recorded: Trajectory['recorded'] = {};
  if (line.completed != null) recorded.finished_naturally = line.completed;
  if (line.api_calls != null) recorded.turns_used = line.api_calls;
  const model = line.model ?? (isObject(line.metadata) ? str(line.metadata.model) : null);
  const trajectory: Trajectory = { id: line.prompt_index != null ? `${id}#${line.prompt_index}` : id, model, messages, reward: null, recorded, source: { format: 'hermes-sharegpt-jsonl', index } };
  if (tools) trajectory.tools = tools;
  return [trajectory];
}
