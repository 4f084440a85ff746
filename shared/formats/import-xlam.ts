import { z } from 'zod';
import type { ToolCall } from '../model/chat.js';
import { argumentsText, checkNesting, isObject, Misfit, parseJson, parseWith, toolSchemasOf } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// Function-calling rows in the layout of Salesforce's xlam-function-calling-60k (APIGen):
// `{id, query, answers, tools}`, `answers` the calls that answer the query (`[{name, arguments}]`)
// and `tools` the schemas offered, each a list or the list's JSON text. A row is one model call:
// the query as the user's message and the answers as the assistant's tool calls, which no result
// follows (the set records none).

/** True for an xLAM row: a `query` text, with `answers` and `tools`. */
export function isXlamRow(record: unknown): boolean {
  return isObject(record) && typeof record.query === 'string' && 'answers' in record && 'tools' in record && !('messages' in record) && !('conversations' in record);
}

const row = z.lazy(() => z.looseObject({ id: z.union([z.string(), z.number()]).nullable().optional(), query: z.string(), answers: z.unknown(), tools: z.unknown() }));
const answer = z.lazy(() => z.looseObject({ name: z.string(), arguments: z.unknown().optional() }));

/** A list, or the list's JSON text (`field` names it in messages). */
function listOf(value: unknown, field: string): unknown[] {
  let list = value;
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    if (!parsed.ok) throw new Misfit(`${field}: ${parsed.error} in the JSON text`);
    checkNesting(parsed.value, field, value);
    list = parsed.value;
  }
  if (!Array.isArray(list)) throw new Misfit(`${field}: expected a list${typeof value === 'string' ? ' in the JSON text' : ''}`);
  return list;
}

/** One xLAM row (`id` is `FILE:LINE` when it has none). */
export function importXlamRow(data: unknown, id: string, index: number): Trajectory[] {
  const { id: rowId, query, answers, tools } = parseWith(row, data);
  const calls = listOf(answers, 'answers').map((item, k): ToolCall => {
    const call = parseWith(answer, item, `answers[${k}]`);
    return { id: `call_${k}`, type: 'function', function: { name: call.name, arguments: argumentsText(call.arguments) } };
  });
  const t: Trajectory = {
    id: rowId != null ? String(rowId) : id,
    model: null,
    messages: [{ role: 'user', content: query }, calls.length > 0 ? { role: 'assistant', content: '', tool_calls: calls } : { role: 'assistant', content: '' }],
    reward: null,
    recorded: {},
    source: { format: 'xlam-function-calling', index },
  };
  const schemas = toolSchemasOf(listOf(tools, 'tools'));
  if (schemas) t.tools = schemas;
  return [t];
}
