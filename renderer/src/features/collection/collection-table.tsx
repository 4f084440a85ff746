import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import { columnsFor } from './collection-columns.js';
import { CollectionFilters, type FilterValues } from './collection-filters.js';
import { CollectionGrid } from './collection-grid.js';
import { filterRows, nextSort, sortRows, toolNamesOf, type CollectionColumn, type CollectionFilter, type CollectionSort } from './collection-order.js';
import { GroupView } from './group-view.js';
import { GROUP_ORDERS, groupRollouts, hasGroups, orderGroups, type GroupOrder } from './rollout-groups.js';
import { useTextSearch } from './use-text-search.js';
import { useTrajectoryKeys } from './use-trajectory-keys.js';
import './collection.css';

export interface CollectionTableProps {
  fileName: string;
  /** One summary per trajectory; pass a new array as indexing adds rows. */
  rows: readonly TrajectorySummary[];
  /** TrajectorySummary.index of the open trajectory. */
  selectedIndex: number | null;
  /** Open that trajectory (click, Enter, H/L). */
  onOpen(index: number): void;
  /** Indices matching a full-text search, or null when no text search is active (the parent runs the search). */
  textMatches: ReadonlySet<number> | null;
  /** The trimmed search text, once typing pauses (at once when cleared). */
  onTextSearch(text: string): void;
  /** The trajectory indices as shown (sorted and filtered), whenever that order changes. */
  onOrderChange?(order: readonly number[]): void;
}

const NO_FILTERS: FilterValues = { errorsOnly: false, unfinishedOnly: false, tool: null, text: '' };

function indicesOf(rows: readonly TrajectorySummary[]): number[] {
  return rows.map((row) => row.index);
}

/**
 * The collection table: one row per trajectory of a file, sortable by any column, filtered by
 * errors, unfinished, tool and search text; `H` / `L` open the previous / next trajectory as shown.
 */
export function CollectionTable({ fileName, rows, selectedIndex, onOpen, textMatches, onTextSearch, onOrderChange }: CollectionTableProps) {
  const [sort, setSort] = useState<CollectionSort | null>(null);
  const [filters, setFilters] = useState<FilterValues>(NO_FILTERS);
  const matches = useTextSearch(filters.text, textMatches, onTextSearch);

  // Sorting 20,000 rows happens only when the rows or the sort change; filtering (every keystroke)
  // runs over the sorted rows and keeps their order.
  const sorted = useMemo(() => sortRows(rows, sort), [rows, sort]);
  const filter = useMemo<CollectionFilter>(() => ({ ...filters, textMatches: matches }), [filters, matches]);
  const shown = useMemo(() => filterRows(sorted, filter), [sorted, filter]);
  const toolNames = useMemo(() => toolNamesOf(rows), [rows]);
  const columns = useMemo(() => columnsFor(rows), [rows]);
  // Rollout groups (several rollouts of one prompt): the table or the groups side by side.
  const grouped = useMemo(() => hasGroups(rows), [rows]);
  const [view, setView] = useState<'table' | 'groups'>('table');
  const [groupOrder, setGroupOrder] = useState<GroupOrder>('file');
  const showGroups = grouped && view === 'groups';
  const groups = useMemo(() => (showGroups ? orderGroups(groupRollouts(shown), groupOrder) : null), [showGroups, shown, groupOrder]);
  // H and L follow what is shown: the rollouts group by group in the group view.
  const order = useMemo(() => (groups ? groups.flatMap((g) => g.rows.map((row) => row.index)) : indicesOf(shown)), [groups, shown]);
  const fullOrder = useMemo(() => (groups ? order : indicesOf(sorted)), [groups, order, sorted]);

  useTrajectoryKeys(order, fullOrder, selectedIndex, onOpen);

  const reportOrder = useRef(onOrderChange);
  useLayoutEffect(() => {
    reportOrder.current = onOrderChange;
  });
  useEffect(() => reportOrder.current?.(order), [order]);

  const onSort = useCallback((column: CollectionColumn) => setSort((current) => nextSort(current, column)), []);
  const onFilter = useCallback((patch: Partial<FilterValues>) => setFilters((current) => ({ ...current, ...patch })), []);

  return (
    <div className="collection">
      <CollectionFilters values={filters} toolNames={toolNames} onChange={onFilter} />
      <div className="panel-tools collection-view">
        <p role="status" className="collection-count">
          {shown.length.toLocaleString('en-US')} of {rows.length.toLocaleString('en-US')} {rows.length === 1 ? 'trajectory' : 'trajectories'}
          {groups ? ` in ${groups.length.toLocaleString('en-US')} ${groups.length === 1 ? 'group' : 'groups'}` : ''}
        </p>
        {grouped && (
          <div role="group" aria-label="Show as" className="segmented">
            <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>
              Table
            </button>
            <button type="button" aria-pressed={view === 'groups'} onClick={() => setView('groups')}>
              Groups
            </button>
          </div>
        )}
        {showGroups && (
          <label className="toggle">
            Order groups by
            <select value={groupOrder} onChange={(e) => setGroupOrder(GROUP_ORDERS.find((o) => o === e.target.value) ?? 'file')}>
              <option value="file">file order</option>
              <option value="mean">mean reward</option>
              <option value="spread">reward spread</option>
            </select>
          </label>
        )}
      </div>
      {groups ? (
        <GroupView label={`Rollout groups in ${fileName}`} groups={groups} selectedIndex={selectedIndex} onOpen={onOpen} />
      ) : (
        <CollectionGrid columns={columns} label={`Trajectories in ${fileName}`} rows={shown} selectedIndex={selectedIndex} sort={sort} onSort={onSort} onOpen={onOpen} />
      )}
      {shown.length === 0 && <p className="empty">{rows.length === 0 ? 'No trajectories yet.' : 'No trajectory matches the filters.'}</p>}
    </div>
  );
}
