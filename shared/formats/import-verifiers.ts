import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { checkNesting, isObject, Misfit, messageSchema, normalizeMessage, parseJson, parseWith, promptHash, toolSchemasOf } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// RL results files as verifiers writes them (`results.jsonl`): one rollout per line with its
// `prompt` and `completion` (message lists, or strings for completion-style environments),
// `reward` and metrics.
//
// - Tool calls are stored as JSON strings: each is parsed into an OpenAI tool call. Tool messages
//   carry no `tool_call_id`: each gets the id of the call at its position after the assistant
//   message that made the calls.
// - Rollouts of one prompt share a group: ids are `example E.LINE` from `example_id` (or `id`),
//   else `prompt H.LINE` with H a hash of the prompt.
// - Tools from `info.oai_tools` (`info` may be a JSON text); `is_truncated: true` records
//   `finished_naturally: false`.

/** True for a verifiers results line: a `prompt` and a `completion`, each a message list or a text. */
export function isVerifiersResult(record: unknown): boolean {
  const turns = (v: unknown): boolean => Array.isArray(v) || typeof v === 'string';
  return isObject(record) && turns(record.prompt) && turns(record.completion);
}

const resultLine = z.lazy(() => z.looseObject({
  prompt: z.union([z.string(), z.array(z.unknown())]),
  completion: z.union([z.string(), z.array(z.unknown())]),
  reward: z.number().nullable().optional(),
  example_id: z.union([z.string(), z.number()]).nullable().optional(),
  id: z.union([z.string(), z.number()]).nullable().optional(),
  is_truncated: z.boolean().nullable().optional(),
}));

/** A verifiers message list (tool calls parsed from their JSON strings), or a text as one message of `role`. */
function messagesFrom(value: string | unknown[], field: string, role: string): ChatMessage[] {
  if (typeof value === 'string') return [{ role, content: value }];
  return value.map((raw, k) => {
    const at = `${field}[${k}]`;
    if (!isObject(raw)) throw new Misfit(`${at}: expected a message object`);
    const message: Record<string, unknown> = { ...raw };
    if (Array.isArray(raw.tool_calls)) {
      message.tool_calls = raw.tool_calls.map((call, c) => {
        if (typeof call !== 'string') return call;
        const parsed = parseJson(call);
        if (!parsed.ok) throw new Misfit(`${at}.tool_calls[${c}]: ${parsed.error}`);
        return parsed.value;
      });
    }
    return normalizeMessage(parseWith(messageSchema, message, at));
  });
}

/** Gives each tool message without an id the id of the call at its position. */
function pairByPosition(messages: ChatMessage[]): void {
  let calls: ChatMessage['tool_calls'] = [];
  let k = 0;
  for (const m of messages) {
    if (m.role === 'assistant') {
      calls = m.tool_calls ?? [];
      k = 0;
    } else if (m.role === 'tool') {
      if (m.tool_call_id == null && calls[k]) m.tool_call_id = calls[k]!.id;
      k += 1;
    }
  }
}

/** One verifiers results line (`id` is `FILE:LINE`). */
export function importVerifiersResult(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(resultLine, data);
  const messages = [...messagesFrom(line.prompt, 'prompt', 'user'), ...messagesFrom(line.completion, 'completion', 'assistant')];
  pairByPosition(messages);
  const example = line.example_id ?? line.id;
  const group = example != null ? `example ${example}` : `prompt ${promptHash(JSON.stringify(line.prompt))}`;
  const lineNumber = /:(\d+)$/.exec(id)?.[1] ?? String(index);
  const t: Trajectory = { id: `${group}.${lineNumber}`, model: null, messages, reward: line.reward ?? null, recorded: {}, source: { format: 'verifiers-results', index } };
  // The place in the group is the line's: rollouts of one prompt are written one per line.
  t.group = { id: group, index: Number(lineNumber), size: null, score: line.reward ?? null };
  if (line.is_truncated === true) t.recorded.finished_naturally = false;
  const info = typeof line.info === 'string' ? parseJson(line.info) : { ok: true as const, value: line.info };
  if (info.ok && typeof line.info === 'string') checkNesting(info.value, 'info', line.info);
  if (info.ok && isObject(info.value) && Array.isArray(info.value.oai_tools)) {
    const tools = toolSchemasOf(info.value.oai_tools);
    if (tools) t.tools = tools;
  }
  return [t];
}
