import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, callStats, isObject, num, parseWith, recordedUsage, str, writtenToolCalls } from './import-common.js';
import { pythonCalls } from './python-calls.js';
import type { CallStats, Trajectory } from './trajectory.js';

// Result files of the Berkeley Function Calling Leaderboard (`bfcl generate`):
// `result/MODEL/CATEGORY/BFCL_v4_TEST_result.json`, JSONL despite the name, one test entry per
// line: `{id, result, input_token_count, output_token_count, latency}`. `result` is what the model
// called: a list of `{NAME: ARGUMENTS_JSON}` (function-calling models), or the text it wrote
// (prompting models write a Python list of calls, `[get_weather(city='Oslo')]`). The question is
// in the test set, not here: a single-turn entry is the model's reply alone.
//
// A multi-turn entry also has `inference_log`: the environment's state (`state_info` lists, before
// each turn and after the last), and per turn `{begin_of_turn_query: [user messages], step_0:
// [...], step_1: [...]}`, each step the model's reply (`assistant`, as `result` writes a reply),
// the harness's notes on decoding it (`handler_log`), and a `tool` message per call it executed,
// in call order. The steps of a turn go on until the model calls nothing.

/** True for a BFCL result line: an `id` and a `result`, with the token counts or latency or log the harness writes beside it. */
export function isBfclResult(record: unknown): boolean {
  return (
    isObject(record) &&
    typeof record.id === 'string' &&
    'result' in record &&
    ('inference_log' in record || 'latency' in record || 'input_token_count' in record) &&
    !('messages' in record) &&
    !('conversations' in record)
  );
}

const resultLine = z.lazy(() => z.looseObject({ id: z.string(), result: z.unknown(), inference_log: z.array(z.unknown()).optional() }));

/** An assistant reply as BFCL records it: calls as `{NAME: ARGUMENTS}`, or the text the model wrote (its calls read from it when it is a Python list of calls). */
function replyOf(reply: unknown, callId: (k: number) => string): ChatMessage {
  if (Array.isArray(reply) && reply.every((call) => isObject(call) && Object.keys(call).length === 1)) {
    if (reply.length === 0) return { role: 'assistant', content: '' };
    const calls = reply.map((call, k): ToolCall => {
      const [[name, args]] = Object.entries(call as Record<string, unknown>) as [[string, unknown]];
      return { id: callId(k), type: 'function', function: { name, arguments: argumentsText(args) } };
    });
    return { role: 'assistant', content: '', tool_calls: calls };
  }
  const text = typeof reply === 'string' ? reply : JSON.stringify(reply);
  const written = pythonCalls(text);
  if (!written || written.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text, tool_calls: writtenToolCalls(written).map((call, k) => ({ ...call, id: callId(k) })) };
}

/** The steps of a turn of the log, in their order (`step_0`, `step_1`, ... `step_10`). */
function stepsOf(turn: Record<string, unknown>): unknown[][] {
  return Object.keys(turn)
    .filter((key) => /^step_\d+$/.test(key))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
    .map((key) => (Array.isArray(turn[key]) ? (turn[key] as unknown[]) : []));
}

/** The conversation a multi-turn entry's log records, with the notes the harness wrote on replies it could not use. */
function logMessages(log: readonly unknown[]): { messages: ChatMessage[]; notes: string[] } {
  const messages: ChatMessage[] = [];
  const notes: string[] = [];
  let turnNumber = 0;
  for (const turn of log) {
    if (!isObject(turn)) continue; // the environment's state, between turns
    turnNumber += 1;
    const query = Array.isArray(turn.begin_of_turn_query) ? turn.begin_of_turn_query : [];
    for (const message of query) if (isObject(message) && typeof message.role === 'string') messages.push({ role: message.role, content: message.content ?? '' } as ChatMessage);
    stepsOf(turn).forEach((step, s) => {
      let reply: ChatMessage | null = null;
      let answered = 0;
      for (const entry of step) {
        if (!isObject(entry)) continue;
        if (entry.role === 'assistant') {
          reply = replyOf(entry.content, (k) => `call_${turnNumber}_${s}_${k}`);
          messages.push(reply);
        } else if (entry.role === 'tool') {
          const call = reply?.tool_calls?.[answered];
          answered += 1;
          const result: ChatMessage = { role: 'tool', content: typeof entry.content === 'string' ? entry.content : JSON.stringify(entry.content) };
          if (call) result.tool_call_id = call.id;
          messages.push(result);
        } else if (entry.role === 'handler_log') {
          const text = str(entry.content);
          // Decoding went well, or the model called nothing and the turn ended as it should.
          if (text && !text.startsWith('Successfully decoded') && !text.startsWith('Empty response from the model')) notes.push(`turn ${turnNumber}, step ${s}: ${text}${typeof entry.error === 'string' ? ` (${entry.error})` : ''}`);
        }
      }
    });
  }
  return { messages, notes };
}

/**
 * The recorded token counts and latency (seconds) of each model call: numbers for a single-turn
 * entry, lists by turn and step for a multi-turn one (a step is a model call), flattened in order.
 */
function callStatsOf(line: Record<string, unknown>): Array<CallStats | null> {
  const flat = (value: unknown): unknown[] => (Array.isArray(value) ? value.flatMap(flat) : [value]);
  const [prompt, completion, latency] = [flat(line.input_token_count), flat(line.output_token_count), flat(line.latency)];
  return Array.from({ length: Math.max(prompt.length, completion.length, latency.length) }, (_, k): CallStats | null => {
    const seconds = num(latency[k]);
    return callStats(recordedUsage(prompt[k], completion[k]), seconds === null ? null : seconds * 1000);
  });
}

/** One BFCL result line (its `id` is the test entry's). */
export function importBfclResult(data: unknown, _id: string, index: number): Trajectory[] {
  const line = parseWith(resultLine, data);
  const t: Trajectory = { id: line.id, model: null, messages: [], reward: null, recorded: {}, source: { format: 'bfcl-result', index } };
  if (line.inference_log && line.inference_log.some(isObject)) {
    const { messages, notes } = logMessages(line.inference_log);
    t.messages = messages;
    if (notes.length > 0) t.evaluation = { scores: [], metadata: { handler_log: notes } };
  } else {
    t.messages = [replyOf(line.result, (k) => `call_${k}`)];
  }
  // The figures follow the model calls one for one: kept only when they count as many as the replies.
  const stats = callStatsOf(line);
  if (stats.some((s) => s !== null) && stats.length === t.messages.filter((m) => m.role === 'assistant').length) t.callStats = stats;
  return [t];
}
