import type { TrajectorySummary } from '../../../../shared/formats/summary.js';
import type { CollectionColumn } from './collection-order.js';

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
}

function formatReward(reward: number | null): string {
  return reward === null ? '' : reward.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The table's columns, in display order. `#` is the position in the file, from 0, as `convert --list` prints it. */
export const COLUMNS: readonly ColumnSpec[] = [
  { key: 'index', label: '#', numeric: true, text: (r) => String(r.index) },
  { key: 'id', label: 'ID', numeric: false, text: (r) => r.id },
  { key: 'model', label: 'Model', numeric: false, text: (r) => r.model ?? '' },
  { key: 'turns', label: 'Turns', numeric: true, text: (r) => String(r.turns) },
  { key: 'toolCalls', label: 'Tool calls', numeric: true, text: (r) => String(r.toolCalls) },
  { key: 'toolErrors', label: 'Tool errors', numeric: true, text: (r) => String(r.toolErrors), tone: (r) => (r.toolErrors > 0 ? 'is-bad' : undefined) },
  {
    key: 'finishedNaturally', label: 'Finished', numeric: false, text: (r) => (r.finishedNaturally ? 'yes' : 'no'), tone: (r) => (r.finishedNaturally ? undefined : 'is-warn'),
    // The file's own words for the end: an exit status, a limit, an end reason.
    title: (r) => (r.stopReason ? `${r.finishedNaturally ? 'yes' : 'no'} (stop reason: ${r.stopReason})` : undefined),
  },
  { key: 'reward', label: 'Reward', numeric: true, text: (r) => formatReward(r.reward) },
  { key: 'preview', label: 'First user message', numeric: false, text: (r) => r.preview },
];
