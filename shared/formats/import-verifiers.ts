import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { checkNesting, isObject, Misfit, messageSchema, normalizeMessage, parseJson, parseWith, promptHash, str, toolSchemasOf } from './import-common.js';
import type { Evaluation, Trajectory } from './trajectory.js';

// RL results files as verifiers writes them (`results.jsonl`): one rollout per line with its
// `prompt` and `completion` (message lists, or strings for completion-style environments),
// `reward` and metrics.
//
// - Tool calls are stored as JSON strings: each is parsed into an OpenAI tool call (or, in the
//   provider-neutral messages of later versions, `{id, name, arguments}`, read as one). Tool
//   messages of earlier versions carry no `tool_call_id`: each gets the id of the call at its
//   position after the assistant message that made the calls.
// - Rollouts of one prompt share a group: ids are `example E.LINE` from `example_id` (or `id`),
//   else `prompt H.LINE` with H a hash of the prompt.
// - Tools from `tool_defs`, `oai_tools` or `tools` (later versions write them on the line), else
//   `info.oai_tools` (`info` may be a JSON text); `is_truncated: true` records
//   `finished_naturally: false`, and `stop_condition` is the stop reason.
// - A rollout that failed keeps `error` (`{error, error_chain_repr, error_chain_str}`, or a text)
//   and may have no `completion` (null), or no prompt: it is read with what it has, the error as
//   its stop reason, so that it is not mistaken for a rollout that ran to its end.
// - The per-function rewards and other metrics (`metrics`, and the same numbers flattened to the
//   top level, the only place earlier versions wrote them) are the evaluation's scores, `answer`
//   its target.

/** The keys of a results line that are not metrics. */
const LINE_KEYS = new Set(['id', 'example_id', 'prompt', 'completion', 'task', 'answer', 'info', 'reward', 'generation_ms', 'scoring_ms', 'total_ms', 'timing', 'is_completed', 'is_truncated', 'stop_condition', 'metrics', 'error', 'error_chain', 'long_error_chain', 'tools', 'oai_tools', 'tool_defs', 'token_usage', 'trajectory', 'advantage']);

/** True for a verifiers results line: a `prompt` and a `completion`, each a message list or a text. */
export function isVerifiersResult(record: unknown): boolean {
  const turns = (v: unknown): boolean => Array.isArray(v) || typeof v === 'string';
  if (!isObject(record)) return false;
  if (turns(record.prompt) && turns(record.completion)) return true;
  // A failed rollout: one side (or both) null, beside the error that stopped it.
  return 'prompt' in record && 'completion' in record && (turns(record.prompt) || record.prompt === null) && (turns(record.completion) || record.completion === null) && record.error != null;
}

const resultLine = z.lazy(() => z.looseObject({
  prompt: z.union([z.string(), z.array(z.unknown())]).nullable(),
  completion: z.union([z.string(), z.array(z.unknown())]).nullable(),
  reward: z.number().nullable().optional(),
  example_id: z.union([z.string(), z.number()]).nullable().optional(),
  id: z.union([z.string(), z.number()]).nullable().optional(),
  is_truncated: z.boolean().nullable().optional(),
}));

/** A tool call as verifiers wrote it: OpenAI's shape as it is, the provider-neutral `{id, name, arguments}` as an OpenAI call. */
function openAiCall(call: unknown): unknown {
  if (!isObject(call) || 'function' in call || typeof call.name !== 'string') return call;
  const { id, name, arguments: args, ...rest } = call;
  return { ...rest, id, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } };
}

/**
 * A verifiers message list (tool calls parsed from their JSON strings), or a text as one message
 * of `role`; a message of role `text` (the provider-neutral messages' plain text) is of `role` too.
 */
function messagesFrom(value: string | unknown[] | null, field: string, role: string): ChatMessage[] {
  if (value === null) return [];
  if (typeof value === 'string') return [{ role, content: value }];
  return value.map((raw, k) => {
    const at = `${field}[${k}]`;
    if (!isObject(raw)) throw new Misfit(`${at}: expected a message object`);
    const message: Record<string, unknown> = { ...raw };
    if (raw.role === 'text') message.role = role;
    if (Array.isArray(raw.tool_calls)) {
      message.tool_calls = raw.tool_calls.map((call, c) => {
        if (typeof call !== 'string') return openAiCall(call);
        const parsed = parseJson(call);
        if (!parsed.ok) throw new Misfit(`${at}.tool_calls[${c}]: ${parsed.error}`);
        return openAiCall(parsed.value);
      });
    }
    return normalizeMessage(parseWith(messageSchema, message, at));
  });
}

/** What a failed rollout's `error` says: the error chain verifiers writes, else the error as given. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isObject(error)) return str(error.error_chain_str) ?? str(error.error_chain_repr) ?? str(error.error) ?? JSON.stringify(error);
  return JSON.stringify(error);
}

/** The rollout's scores: its `metrics`, else the numbers earlier versions flattened to the top level (one per reward function). */
function metricScores(line: Record<string, unknown>): Evaluation['scores'] {
  const metrics = isObject(line.metrics) ? Object.entries(line.metrics) : Object.entries(line).filter(([key, value]) => !LINE_KEYS.has(key) && typeof value === 'number');
  return metrics.map(([scorer, value]) => ({ scorer, value }));
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
  const group = example != null ? `example ${example}` : `prompt ${promptHash(JSON.stringify(line.prompt ?? ''))}`;
  const lineNumber = /:(\d+)$/.exec(id)?.[1] ?? String(index);
  const t: Trajectory = { id: `${group}.${lineNumber}`, model: null, messages, reward: line.reward ?? null, recorded: {}, source: { format: 'verifiers-results', index } };
  // The place in the group is the line's: rollouts of one prompt are written one per line.
  t.group = { id: group, index: Number(lineNumber), size: null, score: line.reward ?? null };
  if (line.is_truncated === true) t.recorded.finished_naturally = false;
  const stop = str(line.stop_condition);
  if (stop !== null) t.stopReason = stop;
  if (line.error != null) {
    const error = errorText(line.error);
    t.recorded.finished_naturally = false;
    t.stopReason = `error: ${error}`;
  }
  const info = typeof line.info === 'string' ? parseJson(line.info) : { ok: true as const, value: line.info };
  if (info.ok && typeof line.info === 'string') checkNesting(info.value, 'info', line.info);
  const listed = [line.tool_defs, line.oai_tools, line.tools, info.ok && isObject(info.value) ? info.value.oai_tools : undefined].find((v) => Array.isArray(v) && v.length > 0);
  if (Array.isArray(listed)) {
    // The provider-neutral tool definitions are `{name, description, parameters}`: the function of an OpenAI tool.
    const tools = toolSchemasOf(listed.map((tool) => (isObject(tool) && tool.type === undefined && typeof tool.name === 'string' ? { type: 'function', function: tool } : tool)));
    if (tools) t.tools = tools;
  }
  const scores = metricScores(line);
  const target = typeof line.answer === 'string' && line.answer !== '' ? line.answer : undefined;
  if (scores.length > 0 || target !== undefined) t.evaluation = target !== undefined ? { target, scores } : { scores };
  return [t];
}
