import { z } from 'zod';
import { summarizeTrajectory } from './summary.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { wellFormed } from '../python/str.js';

/**
 * One rollout of a rollout set as its table lists it and its SQL filters see it: the columns are
 * computed once per rollout, when its shard is indexed, with the same rules as a single file's
 * collection table (turns, tool errors and finished from `deriveAgentResult`, through
 * `summarizeTrajectory`). Crosses the API: the set table, `trajdbg query --format jsonl`.
 */
export const rolloutRowSchema = z.object({
  /** The row's key in the set's index (stable while its shard is unchanged). */
  rid: z.number().int().nonnegative(),
  id: z.string(),
  /** The shard file the rollout is in (absolute path). */
  source: z.string(),
  /** Its line in the shard (from 1), or its row number (from 0) in a Parquet shard. */
  line: z.number().int().nonnegative(),
  /** Byte offset and length of its line (of the decompressed text for `.gz`/`.zst`); null for Parquet. */
  line_offset: z.number().int().nonnegative().nullable(),
  line_length: z.number().int().nonnegative().nullable(),
  /** Parquet shards: the row number in the file. */
  parquet_row: z.number().int().nonnegative().nullable(),
  /** Its place among the rollouts of its line (a line may hold a group of them). */
  in_line: z.number().int().nonnegative(),
  model: z.string().nullable(),
  turns: z.number().int().nonnegative(),
  tool_calls: z.number().int().nonnegative(),
  /** `tool_calls_exec_error` of the AgentResult (recorded, or derived with the engine's rules). */
  tool_errors: z.number().int().nonnegative(),
  /** Tool errors per tool name, as a JSON object text (`{"terminal": 2}`). */
  tool_errors_by_tool: z.string(),
  tool_names: z.array(z.string()),
  /** The agent ended the run itself (see FINISHED_MEANING). */
  finished: z.boolean(),
  stop_reason: z.string().nullable(),
  /** Reward or score. */
  reward: z.number().nullable(),
  /** The group (prompt) the rollout belongs to. */
  group_id: z.string().nullable(),
  /** The training step, where the record has one. */
  step: z.number().int().nullable(),
  first_user: z.string(),
  /** Bytes of the record (its line, or its row as JSON). */
  size: z.number().int().nonnegative(),
  format: z.string(),
  /**
   * The record's own fields as a JSON object text, for filters on JSON paths into it
   * (`record->>'$.metadata.difficulty'`): every top-level field whose JSON is at most
   * {@link RECORD_FIELD_BYTES} bytes (the bulky ones, such as messages, tokens and masks, are left
   * out), up to {@link RECORD_BYTES} in all. Not among the columns a query returns unless asked,
   * hence optional here.
   */
  record: z.string().optional(),
});
export type RolloutRow = z.infer<typeof rolloutRowSchema>;

/** The columns of a rollout set's table, in order, with their SQL types (what filters may name). */
export const ROLLOUT_COLUMNS = [
  ['rid', 'BIGINT'],
  ['id', 'VARCHAR'],
  ['source', 'VARCHAR'],
  ['line', 'BIGINT'],
  ['line_offset', 'BIGINT'],
  ['line_length', 'BIGINT'],
  ['parquet_row', 'BIGINT'],
  ['in_line', 'INTEGER'],
  ['model', 'VARCHAR'],
  ['turns', 'INTEGER'],
  ['tool_calls', 'INTEGER'],
  ['tool_errors', 'INTEGER'],
  ['tool_errors_by_tool', 'JSON'],
  ['tool_names', 'VARCHAR[]'],
  ['finished', 'BOOLEAN'],
  ['stop_reason', 'VARCHAR'],
  ['reward', 'DOUBLE'],
  ['group_id', 'VARCHAR'],
  ['step', 'BIGINT'],
  ['first_user', 'VARCHAR'],
  ['size', 'BIGINT'],
  ['format', 'VARCHAR'],
  ['record', 'JSON'],
] as const satisfies ReadonlyArray<readonly [keyof RolloutRow, string]>;

export type RolloutColumn = (typeof ROLLOUT_COLUMNS)[number][0];
export const ROLLOUT_COLUMN_NAMES: readonly RolloutColumn[] = ROLLOUT_COLUMNS.map(([name]) => name);
/** The columns a query returns when it names none: all but the record's fields. */
export const DEFAULT_ROLLOUT_COLUMNS: readonly RolloutColumn[] = ROLLOUT_COLUMN_NAMES.filter((name) => name !== 'record');

/** A top-level field of a record is kept in the `record` column when its JSON is at most this long. */
export const RECORD_FIELD_BYTES = 2048;
/** The `record` column of one rollout holds at most this much. */
export const RECORD_BYTES = 16384;

/**
 * Whether the JSON text of a parsed value is surely longer than `limit` characters: a lower bound
 * of its length is summed (strings unescaped, no spaces) until it passes `limit`, so a field such
 * as `messages` is given up on after its first couple of kilobytes instead of being written out.
 */
export function jsonLongerThan(value: unknown, limit: number): boolean {
  let length = 0;
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') length += v.length + 2;
    else if (typeof v === 'number') length += Number.isFinite(v) ? String(v).length : 4;
    else if (typeof v === 'boolean') length += v ? 4 : 5;
    else if (v === null) length += 4;
    else if (Array.isArray(v)) {
      length += 1 + Math.max(1, v.length);
      for (const item of v) if (walk(item)) return true;
    } else if (typeof v === 'object') {
      length += 1;
      for (const key in v) {
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        length += key.length + 4;
        if (walk(item)) return true;
      }
    }
    return length > limit;
  };
  return walk(value);
}

/** A lone surrogate's escape, which JSON.stringify writes for one (and for nothing else it writes). */
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/;

/**
 * JSON.stringify, with each lone surrogate (an emoji cut in half in a rollout's text, which
 * Python's json.dumps writes as `\ud83d`) written as U+FFFD: DuckDB's JSON reader refuses a whole
 * file for one such escape ("no low surrogate in string"). The rows of a rollout set are made with
 * it; the rollout itself is read from its line, as it is.
 */
export function wellFormedJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (!LONE_SURROGATE_ESCAPE.test(text)) return text;
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string') return wellFormed(item);
    // Keys too (a tool named with half an emoji keys the errors by tool).
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [wellFormed(key), inner]));
    return item;
  });
}

/** The `record` column: the small top-level fields of a record (a JSON object; `{}` for anything else). */
export function recordFields(record: unknown): string {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return '{}';
  const kept: string[] = [];
  let bytes = 2;
  for (const [key, value] of Object.entries(record as Record<string, unknown>)) {
    if (value === undefined || jsonLongerThan(value, RECORD_FIELD_BYTES)) continue;
    const field = `${wellFormedJson(key)}:${wellFormedJson(value)}`;
    if (field.length > RECORD_FIELD_BYTES || bytes + field.length + 1 > RECORD_BYTES) continue;
    kept.push(field);
    bytes += field.length + 1;
  }
  return `{${kept.join(',')}}`;
}

/** Per tool: calls made and tool errors (for the tool-error rate per tool). */
export type ToolStats = Record<string, { calls: number; errors: number }>;

/** The columns a rollout's record gives, besides where it lies (rid, source, line, offset, ...). */
export type RolloutFacts = Omit<RolloutRow, 'rid' | 'source' | 'line' | 'line_offset' | 'line_length' | 'parquet_row' | 'in_line' | 'size' | 'format' | 'record'> & { record: string; tools: ToolStats };

/** Keys a record names its training step with, at its top level or in `metadata`/`info`/`meta`. */
const STEP_KEYS = ['step', 'training_step', 'global_step', 'train_step', 'policy_step', 'iteration'];
const STEP_HOLDERS = ['metadata', 'info', 'meta', 'extra_info'];

function stepIn(value: unknown): number | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const object = value as Record<string, unknown>;
  for (const key of STEP_KEYS) {
    const v = object[key];
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  }
  return null;
}

/** The training step a rollout record carries, or null. */
export function trainingStepOf(record: unknown): number | null {
  const top = stepIn(record);
  if (top !== null || record === null || typeof record !== 'object') return top;
  for (const holder of STEP_HOLDERS) {
    const found = stepIn((record as Record<string, unknown>)[holder]);
    if (found !== null) return found;
  }
  return null;
}

/** The group a rollout record names with `group_id` (a string or an integer), at its top level or in `metadata`/`info`/`meta`; else null. */
export function groupIdOf(record: unknown): string | null {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return null;
  const object = record as Record<string, unknown>;
  for (const holder of [object, ...STEP_HOLDERS.map((h) => object[h])]) {
    if (holder === null || typeof holder !== 'object' || Array.isArray(holder)) continue;
    const v = (holder as Record<string, unknown>).group_id;
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  }
  return null;
}

/** The table columns of one imported rollout, from its trajectory and the record it came from. */
export function rolloutFacts(trajectory: Trajectory, record: unknown): RolloutFacts {
  // Per tool, each call as the AgentResult classifies it (the same as `tool_calls_exec_error`).
  const tools: ToolStats = {};
  const { result } = deriveAgentResult(trajectory, undefined, (call, { outcome }) => {
    const stats = (tools[call.function.name ?? ''] ??= { calls: 0, errors: 0 });
    stats.calls += 1;
    if (outcome && outcome.status !== 'ok') stats.errors += 1;
  });
  const summary = summarizeTrajectory(trajectory, 0, result);
  const byTool = Object.fromEntries(Object.entries(tools).flatMap(([name, stats]) => (stats.errors > 0 ? [[name, stats.errors]] : [])));
  return {
    id: summary.id,
    model: summary.model,
    turns: summary.turns,
    tool_calls: summary.toolCalls,
    tool_errors: summary.toolErrors,
    tool_errors_by_tool: wellFormedJson(byTool),
    tool_names: summary.toolNames,
    finished: summary.finishedNaturally,
    stop_reason: summary.stopReason ?? null,
    reward: summary.reward !== null && Number.isFinite(summary.reward) ? summary.reward : null,
    // An RL group (a list of lists) first; else the group the record names.
    group_id: summary.groupId ?? groupIdOf(record),
    step: trainingStepOf(record),
    first_user: summary.preview,
    record: recordFields(record),
    tools,
  };
}
