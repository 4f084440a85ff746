import type { TrajectorySummary } from '#shared/formats/summary.js';

/** The rollouts of one prompt (a GRPO-style group), with the statistics a researcher reads first. */
export interface RolloutGroup {
  id: string;
  /** The group's rollouts, in their order within the group. */
  rows: TrajectorySummary[];
  /** Mean reward over the rollouts that have one; null when none has. */
  mean: number | null;
  /** Population standard deviation of those rewards (what group-relative advantages divide by). */
  spread: number | null;
  min: number | null;
  max: number | null;
  /** Rollouts that ended on their own. */
  finished: number;
}

/** How groups are ordered: as the file lists them, by mean reward, or by spread (a spread of 0 gives no learning signal). */
export const GROUP_ORDERS = ['file', 'mean', 'spread'] as const;
export type GroupOrder = (typeof GROUP_ORDERS)[number];

/** Whether any row belongs to a group, so the group view is offered. */
export function hasGroups(rows: readonly TrajectorySummary[]): boolean {
  return rows.some((row) => row.groupId != null);
}

function statsOf(rows: readonly TrajectorySummary[]): Pick<RolloutGroup, 'mean' | 'spread' | 'min' | 'max' | 'finished'> {
  const rewards = rows.flatMap((row) => (row.reward === null ? [] : [row.reward]));
  const finished = rows.filter((row) => row.finishedNaturally).length;
  if (rewards.length === 0) return { mean: null, spread: null, min: null, max: null, finished };
  const mean = rewards.reduce((sum, r) => sum + r, 0) / rewards.length;
  const spread = Math.sqrt(rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / rewards.length);
  return { mean, spread, min: Math.min(...rewards), max: Math.max(...rewards), finished };
}

/**
 * The rows as groups, in the order each group first appears in `rows`. A row without a group is a
 * group of its own (named by its id), so filtering never hides a rollout from the view.
 */
export function groupRollouts(rows: readonly TrajectorySummary[]): RolloutGroup[] {
  const byId = new Map<string, TrajectorySummary[]>();
  for (const row of rows) {
    const id = row.groupId ?? `${row.id} (no group)`;
    let members = byId.get(id);
    if (!members) byId.set(id, (members = []));
    members.push(row);
  }
  return [...byId].map(([id, members]) => {
    const ordered = members.slice().sort((a, b) => (a.groupIndex ?? a.index) - (b.groupIndex ?? b.index) || a.index - b.index);
    return { id, rows: ordered, ...statsOf(ordered) };
  });
}

/** Groups in `order`: by mean or spread descending (groups without rewards last), else as given. */
export function orderGroups(groups: readonly RolloutGroup[], order: GroupOrder): readonly RolloutGroup[] {
  if (order === 'file') return groups;
  const key = (g: RolloutGroup) => (order === 'mean' ? g.mean : g.spread);
  return groups.slice().sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  });
}

/**
 * A rollout's group-relative advantage as GRPO computes it: its reward minus the group's mean,
 * divided by the group's spread (just the difference when the spread is 0). Null without a reward.
 */
export function advantageOf(row: TrajectorySummary, group: RolloutGroup): number | null {
  if (row.reward === null || group.mean === null) return null;
  const difference = row.reward - group.mean;
  return group.spread ? difference / group.spread : difference;
}

/** A reward or score as the collection and the group view print it: up to 3 decimals, a sign when asked. */
export function formatScore(value: number | null, signed = false): string {
  if (value === null) return '–';
  // Three decimals would show a reward of 0.00001 as 0, and 1e308 as 309 digits: those are written 1e-5 and 1e+308.
  const magnitude = Math.abs(value);
  const text = magnitude !== 0 && (magnitude < 0.001 || magnitude >= 1e15) ? value.toExponential(2).replace(/\.?0+e/, 'e') : value.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return signed && value > 0 ? `+${text}` : text;
}
