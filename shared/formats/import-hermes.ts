import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { pyJsonDumps, pyJsonLoads } from '../python/json.js';
import { hasTooManyDigits, isPyDict, type PyValue } from '../python/value.js';
import { argumentsText, checkNesting, isObject, Misfit, normalizeMessage, parseWith, str, toolCallSchema, toolSchemasOf, type FileMessage } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// hermes-agent's two JSONL formats: session exports and ShareGPT trajectories (see FORMATS.md).

const hermesMessage = z.looseObject({
  role: z.string(),
  content: z.unknown(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
  tool_name: z.string().nullable().optional(),
});
const hermesSession = z.looseObject({
  id: z.string(),
  model: z.string().nullable().optional(),
  system_prompt: z.string().nullable().optional(),
  end_reason: z.string().nullable().optional(),
  messages: z.array(hermesMessage),
});

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
const sharegptLine = z.looseObject({
  conversations: z.array(z.looseObject({ from: z.string(), value: z.string() })),
  model: z.string().nullable().optional(),
  completed: z.boolean().nullable().optional(),
  api_calls: z.number().int().nullable().optional(),
  prompt_index: z.number().int().nullable().optional(),
});

const toolCallBlock = z.looseObject({ name: z.string(), arguments: z.unknown() });
const toolResponseBlock = z.looseObject({ tool_call_id: z.string().nullable().optional(), name: z.string().optional(), content: z.unknown() });

const THINK = /^\s*<think>\n?([\s\S]*?)\n?<\/think>\n?/;

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
 * The tool list of a generated system prompt: the first `<tools>` block that holds a JSON array.
 * hermes-agent's prompt names the tags in prose before the list ("within <tools> </tools> XML tags").
 */
function systemPromptTools(text: string, t: number): Trajectory['tools'] {
  for (const block of tagBlocks(text, 'tools')) {
    if (!block.inner.trimStart().startsWith('[')) continue;
    let list: unknown;
    try {
      list = JSON.parse(block.inner);
    } catch {
      continue;
    }
    if (!Array.isArray(list)) continue;
    checkNesting(list, `conversations[${t}].tools`, block.inner);
    return toolSchemasOf(list);
  }
  return undefined;
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

/** What a `<tool_response>` block says: the call it answers (when it says) and the result text. */
export interface ToolResponse {
  toolCallId: string | null | undefined;
  content: string | null;
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
  const parsed = parseWith(toolResponseBlock, isPyDict(response) ? Object.fromEntries(response) : response, `conversations[${t}].tool_response[${k}]`);
  return { toolCallId: parsed.tool_call_id, content: toolResultText(parsed.content) };
}

/** A run of more digits than Python reads as an int (json.loads raises on it). */

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
  if (!isObject(value) || Object.hasOwn(value, '__proto__') || typeof value.content !== 'string') return readToolResponseExact(inner, t, k);
  const id = value.tool_call_id;
  if ((id !== undefined && id !== null && typeof id !== 'string') || (value.name !== undefined && typeof value.name !== 'string')) return readToolResponseExact(inner, t, k);
  return { toolCallId: id, content: value.content };
}

/**
 * One hermes ShareGPT line (trajectory samples, failed trajectories, batch-runner output):
 * `<think>` blocks become reasoning, `<tool_call>` blocks tool calls, merged `<tool_response>` turns
 * one tool message each; a compressed line's `[CONTEXT SUMMARY]:` human turn stays a user message.
 */
export function importShareGpt(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(sharegptLine, data);
  const messages: ChatMessage[] = [];
  const roles: Record<string, string> = { system: 'system', human: 'user', gpt: 'assistant', tool: 'tool' };
  let tools: Trajectory['tools'];
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
        const parsed = parseWith(toolCallBlock, call, at);
        calls.push({ id: null, type: 'function', function: { name: parsed.name, arguments: argumentsText(parsed.arguments) } });
      }
      message.content = withoutBlocks(text, blocks).trim();
      if (calls.length > 0) message.tool_calls = calls;
      pendingCalls = calls;
      messages.push(message);
      return;
    }
    if (role === 'tool') {
      let k = 0;
      for (const block of tagBlocks(turn.value, 'tool_response')) {
        const response = readToolResponse(block.inner, t, k);
        const callId = response.toolCallId ?? `call_${t}_${k}`;
        const call = pendingCalls[k];
        if (call && call.id === null) call.id = callId;
        messages.push({ role: 'tool', tool_call_id: callId, content: response.content });
        k += 1;
      }
      if (k === 0) throw new Misfit(`conversations[${t}]: a tool turn without <tool_response> blocks`);
      return;
    }
    // A human or system turn ends the previous turn's calls: responses after it are not theirs.
    pendingCalls = [];
    if (role === 'system') tools ??= systemPromptTools(turn.value, t);
    messages.push({ role, content: turn.value });
  });
  const recorded: Trajectory['recorded'] = {};
  if (line.completed != null) recorded.finished_naturally = line.completed;
  if (line.api_calls != null) recorded.turns_used = line.api_calls;
  const model = line.model ?? (isObject(line.metadata) ? str(line.metadata.model) : null);
  const trajectory: Trajectory = { id: line.prompt_index != null ? `${id}#${line.prompt_index}` : id, model, messages, reward: null, recorded, source: { format: 'hermes-sharegpt-jsonl', index } };
  if (tools) trajectory.tools = tools;
  return [trajectory];
}
