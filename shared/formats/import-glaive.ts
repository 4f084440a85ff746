import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { checkNesting, isObject, Misfit, parseWith, toolSchemasOf } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// glaive-function-calling-v2 rows (and the sets made in its layout): `{system, chat}`, the whole
// conversation one text of turns each opened by its speaker,
//
//   USER: What is the factorial of 5?
//
//
//   ASSISTANT: <functioncall> {"name": "factorial", "arguments": '{"number": 5}'} <|endoftext|>
//
//
//   FUNCTION RESPONSE: {"result": 120}
//
//
//   ASSISTANT: It is 120. <|endoftext|>
//
// and `system` the prompt (`SYSTEM: ...`) with the function schemas as JSON objects after it. The
// call's `arguments` is usually the JSON text in single quotes (so the call is not JSON), sometimes
// an object. `<|endoftext|>` closes an assistant turn.

/** True for a glaive row: a `chat` text that opens with a speaker. */
export function isGlaiveRow(record: unknown): boolean {
  return isObject(record) && typeof record.chat === 'string' && /^\s*(?:SYSTEM|USER|ASSISTANT):/.test(record.chat) && !('messages' in record) && !('conversations' in record);
}

const row = z.lazy(() => z.looseObject({ system: z.string().nullable().optional(), chat: z.string() }));

/**
 * A turn boundary: a speaker after whitespace. glaive leaves two blank lines before each; copies
 * whose whitespace was collapsed keep one space ("... <|endoftext|> FUNCTION RESPONSE: ...").
 */
const SPEAKER = /(?:^|(?<=\s))(SYSTEM|USER|ASSISTANT|FUNCTION RESPONSE|FUNCTION):[ \t]?/g;
const END = /\s*<\|endoftext\|>\s*$/;

/** One glaive row (`id` is `FILE:LINE`). */
export function importGlaiveRow(data: unknown, id: string, index: number): Trajectory[] {
  const { system, chat } = parseWith(row, data);
  const messages: ChatMessage[] = [];
  const problems: string[] = [];
  const tools = system ? toolSchemasOf(jsonObjectsIn(system)) : undefined;
  if (system && system.trim() !== '') messages.push({ role: 'system', content: system.replace(/^\s*SYSTEM:\s*/, '').trim() });
  // The id of the call the next function response answers, if one is waiting: a turn makes one call.
  let open: string | null = null;
  const turns = [...chat.matchAll(SPEAKER)];
  turns.forEach((turn, k) => {
    const speaker = turn[1]!;
    const text = chat.slice(turn.index + turn[0].length, turns[k + 1]?.index ?? chat.length).replace(END, '').trim();
    if (speaker === 'ASSISTANT') {
      const at = text.indexOf('<functioncall>');
      const call = at >= 0 ? callOf(text.slice(at + '<functioncall>'.length), `chat: turn ${k + 1}`, problems) : null;
      const message: ChatMessage = { role: 'assistant', content: at >= 0 && call ? text.slice(0, at).trim() : text };
      open = call ? `call_${k}` : null;
      if (call) message.tool_calls = [{ id: open, type: 'function', function: call }];
      messages.push(message);
    } else if (speaker === 'FUNCTION RESPONSE' || speaker === 'FUNCTION') {
      if (open !== null) messages.push({ role: 'tool', tool_call_id: open, content: text });
      else {
        problems.push(`chat: turn ${k + 1}: a function response that answers no call; shown as the user's`);
        messages.push({ role: 'user', content: text });
      }
      open = null;
    } else {
      open = null;
      messages.push({ role: speaker === 'SYSTEM' ? 'system' : 'user', content: text });
    }
  });
  if (!turns.some((turn) => turn[1] === 'ASSISTANT')) problems.push('chat: no ASSISTANT: turn, so no reply of the model is shown');
  if (turns.length === 0 && chat.trim() !== '') messages.push({ role: 'user', content: chat.trim() });
  const t: Trajectory = { id, model: null, messages, reward: null, recorded: {}, source: { format: 'glaive-function-calling', index } };
  if (tools) t.tools = tools;
  if (problems.length > 0) t.problems = problems;
  return [t];
}

/**
 * The call of `<functioncall> {...}`: JSON, or JSON but for `arguments` given as the JSON text in
 * single quotes. Null (with a problem) when neither reads: the turn stays text.
 */
function callOf(text: string, at: string, problems: string[]): { name: string; arguments: string } | null {
  const body = text.trim();
  try {
    const call: unknown = JSON.parse(body);
    if (isObject(call) && typeof call.name === 'string') {
      return { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) };
    }
  } catch {
    // The usual case: arguments in single quotes.
  }
  const name = /^\{\s*"name"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(body);
  const args = /"arguments"\s*:\s*'([\s\S]*)'\s*\}$/.exec(body);
  if (name) {
    try {
      return { name: JSON.parse(name[1]!) as string, arguments: args ? args[1]! : '{}' };
    } catch {
      // Falls through to the problem below.
    }
  }
  problems.push(`${at}: the function call is neither JSON nor JSON with quoted arguments; kept as text`);
  return null;
}

/** The JSON objects written one after another in a text (a system prompt's function schemas). */
function jsonObjectsIn(text: string): unknown[] {
  const objects: unknown[] = [];
  for (let start = text.indexOf('{'); start >= 0; ) {
    const end = objectEnd(text, start);
    if (end < 0) break;
    try {
      const object: unknown = JSON.parse(text.slice(start, end));
      // A schema nested too deep for the views is left out, as one that is not JSON.
      checkNesting(object, 'system', text.slice(start, end));
      objects.push(object);
    } catch (error) {
      // A balanced block that is not JSON is passed over whole: looking inside it again and again would be quadratic.
      if (!(error instanceof SyntaxError || error instanceof RangeError || error instanceof Misfit)) throw error;
    }
    start = text.indexOf('{', end);
  }
  return objects;
}

/** The end (exclusive) of the balanced `{...}` starting at `start`, strings skipped; -1 when it does not close. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}
