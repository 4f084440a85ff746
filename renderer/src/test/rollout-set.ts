import type { OpenedSet } from '#shared/api/contract.js';
import type { SetCharts } from '#shared/api/rollout-set.js';
import type { RolloutRow } from '#shared/formats/rollout-row.js';

/** Set `s1`'s status holding `rollouts` rollouts, indexed unless `extra` says otherwise. */
export function openedSet(rollouts: number, extra: Partial<OpenedSet['status']> = {}): OpenedSet {
  return { setId: 's1', name: 'rollouts', status: { sources: ['/data/rollouts'], rollouts, shards: [], unreadable: [], badLines: 0, indexing: false, elapsedMs: 0, error: null, ...extra } };
}

/** A row of a set's table: rollout `r{rid}` of the first shard. */
export function rolloutRow(rid: number): RolloutRow {
  return {
    rid,
    id: `r${rid}`,
    source: '/data/rollouts/step-000.jsonl',
    line: rid + 1,
    line_offset: 0,
    line_length: 10,
    parquet_row: null,
    in_line: 0,
    model: 'm',
    turns: 2,
    tool_calls: 1,
    tool_errors: 0,
    tool_errors_by_tool: '{}',
    tool_names: ['terminal'],
    finished: true,
    stop_reason: null,
    reward: 0.5,
    group_id: null,
    step: 0,
    first_user: 'fix it',
    size: 10,
    format: 'openai-jsonl',
  };
}

/** Charts of `total` rollouts, with no bars. */
export function setCharts(total: number): SetCharts {
  return { total, reward: [], turns: [], tools: [], steps: [] };
}
