import type { TrajectorySummary } from '#shared/formats/summary.js';
import { FAILED_CALLS_NAME } from '#shared/loop/error-counts.js';
import type { CollectionColumn } from './collection-order.js';
import { formatScore } from './rollout-groups.js';

/** How one column of the collection table reads. */
export interface ColumnSpec {
  key: CollectionColumn;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric: boolean;
  text(row: TrajectorySummary): string;
  /** A tone class for the cell (e.g. failed tool calls). */
  tone?(row: TrajectorySummary): string | undefined;
  /** The cell's tooltip, when it says more than the text. */
  title?(row: TrajectorySummary): string | undefined;
  /** The column's width in the grid template. */
  width: string;
}

function formatReward(reward: number | null): string {
  return reward === null ? '' : formatScore(reward);
}

/** The table's columns, in display order. `#` is the position in the file, from 0, as `convert --list` prints it. */
const COLUMNS: readonly ColumnSpec[] = [
  { key: 'index', width: '4.5em', label: '#', numeric: true, text: (r) => String(r.index) },
  { key: 'id', width: 'minmax(9em, 1.2fr)', label: 'ID', numeric: false, text: (r) => r.id },
  { key: 'model', width: 'minmax(8em, 1fr)', label: 'Model', numeric: false, text: (r) => r.model ?? '' },
  { key: 'turns', width: '4.5em', label: 'Turns', numeric: true, text: (r) => String(r.turns) },
  { key: 'toolCalls', width: '5.5em', label: 'Tool calls', numeric: true, text: (r) => String(r.toolCalls) },
  { key: 'toolErrors', width: '6em', label: FAILED_CALLS_NAME, numeric: true, text: (r) => String(r.toolErrors), tone: (r) => (r.toolErrors > 0 ? 'is-bad' : undefined) },
  {
    key: 'finishedNaturally', width: '5em', label: 'Finished', numeric: false, text: (r) => (r.finishedNaturally ? 'yes' : 'no'), tone: (r) => (r.finishedNaturally ? undefined : 'is-warn'),
    // The file's own words for the end: an exit status, a limit, an end reason.
    title: (r) => (r.stopReason ? `${r.finishedNaturally ? 'yes' : 'no'} (stop reason: ${r.stopReason})` : undefined),
  },
  { key: 'reward', width: '5.5em', label: 'Reward', numeric: true, text: (r) => formatReward(r.reward) },
  { key: 'preview', width: 'minmax(14em, 3fr)', label: 'First user message', numeric: false, text: (r) => r.preview },
];

/** A rollout's group and its place in it (files of rollout groups only). */
const GROUP_COLUMN: ColumnSpec = { key: 'groupId', width: 'minmax(7em, 0.8fr)', label: 'Group', numeric: false, text: (r) => (r.groupId == null ? '' : `${r.groupId} · ${r.groupIndex ?? ''}`) };

/** What a branch or a subagent forked from: its parent's id and the parent's turns before the fork. */
const PARENT_COLUMN: ColumnSpec = {
  key: 'parentId', width: 'minmax(7em, 0.8fr)', label: 'Parent', numeric: false,
  text: (r) => (r.parentId == null ? '' : `${r.parentId} @ turn ${r.forkTurn ?? 0}`),
  title: (r) => (r.parentId == null ? undefined : `Forked from ${r.parentId} after its turn ${r.forkTurn ?? 0}`),
};

/** The columns for these rows: the fixed ones, plus Group and Parent when some row has one. */
export function columnsFor(rows: readonly TrajectorySummary[]): readonly ColumnSpec[] {
  const groups = rows.some((r) => r.groupId != null);
  const parents = rows.some((r) => r.parentId != null);
  if (!groups && !parents) return COLUMNS;
  const at = COLUMNS.findIndex((c) => c.key === 'preview');
  return [...COLUMNS.slice(0, at), ...(groups ? [GROUP_COLUMN] : []), ...(parents ? [PARENT_COLUMN] : []), ...COLUMNS.slice(at)];
}

/** The grid template of these columns. */
export function gridTemplateOf(columns: readonly ColumnSpec[]): string {
  return columns.map((c) => c.width).join(' ');
}
