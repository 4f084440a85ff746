import { z } from 'zod';

/** One shard of a rollout set as the set's status lists it. */
export const setShardSchema = z.object({
  path: z.string(),
  kind: z.enum(['jsonl', 'jsonl.gz', 'jsonl.zst', 'parquet']),
  size: z.number().nonnegative(),
  rollouts: z.number().int().nonnegative(),
  /** Lines (or rows) that could not be read: counted all, the first few in `problems`. */
  badLines: z.number().int().nonnegative(),
  problems: z.array(z.string()),
  format: z.string().nullable(),
  /** Why the shard cannot be read at all (the rest of the set opens). */
  error: z.string().nullable(),
  state: z.enum(['indexing', 'done', 'failed']),
});
export type SetShard = z.infer<typeof setShardSchema>;

/** A rollout set: what it holds so far, and how its indexing goes. */
export const setStatusSchema = z.object({
  sources: z.array(z.string()),
  rollouts: z.number().int().nonnegative(),
  shards: z.array(setShardSchema),
  /** `PATH: reason` for each source or shard that cannot be read. */
  unreadable: z.array(z.string()),
  badLines: z.number().int().nonnegative(),
  indexing: z.boolean(),
  elapsedMs: z.number().nonnegative(),
  /** Why the last indexing pass stopped short (the rollouts indexed so far stay), or null. */
  error: z.string().nullable(),
});
export type SetStatus = z.infer<typeof setStatusSchema>;

/** Charts of a filtered set. */
export const setChartsSchema = z.object({
  total: z.number().int().nonnegative(),
  /** Reward distribution: bins `[from, to)` (the last one closed). */
  reward: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
  turns: z.array(z.object({ turns: z.number().int(), count: z.number().int() })),
  /** Tool calls and tool errors per tool, most called first. */
  tools: z.array(z.object({ tool: z.string(), calls: z.number().int(), errors: z.number().int() })),
  /** Over the training step (bucketed when there are many): rollouts, mean reward, mean turns, share with a tool error. */
  steps: z.array(z.object({ from: z.number().int(), to: z.number().int(), count: z.number().int(), meanReward: z.number().nullable(), meanTurns: z.number(), errorRate: z.number() })),
});
export type SetCharts = z.infer<typeof setChartsSchema>;
