import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TrajectorySummary } from '../../../../shared/formats/summary.js';
import { CollectionFilters, type FilterValues } from './collection-filters.js';
import { CollectionGrid } from './collection-grid.js';
import { filterRows, nextSort, sortRows, toolNamesOf, type CollectionColumn, type CollectionFilter, type CollectionSort } from './collection-order.js';
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
  const order = useMemo(() => indicesOf(shown), [shown]);
  const fullOrder = useMemo(() => indicesOf(sorted), [sorted]);

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
      <p role="status" className="collection-count">
        {shown.length.toLocaleString('en-US')} of {rows.length.toLocaleString('en-US')} {rows.length === 1 ? 'trajectory' : 'trajectories'}
      </p>
      <CollectionGrid label={`Trajectories in ${fileName}`} rows={shown} selectedIndex={selectedIndex} sort={sort} onSort={onSort} onOpen={onOpen} />
      {shown.length === 0 && <p className="empty">{rows.length === 0 ? 'No trajectories yet.' : 'No trajectory matches the filters.'}</p>}
    </div>
  );
}
