import { memo } from 'react';
import type { ColumnSpec } from './collection-columns.js';
import type { CollectionColumn, CollectionSort } from './collection-order.js';

/** The header row's height; the header sticks to the top of the scrolled table. */
export const HEADER_HEIGHT = 32;

const SORT_MARK = { ascending: '▲', descending: '▼' } as const;

/** The column headers; each is a button that cycles its column's sort. */
export const CollectionHeader = memo(function CollectionHeader({ columns, sort, onSort }: { columns: readonly ColumnSpec[]; sort: CollectionSort | null; onSort(column: CollectionColumn): void }) {
  return (
    <div role="rowgroup" className="collection-head" style={{ height: HEADER_HEIGHT }}>
      <div role="row" aria-rowindex={1} className="collection-header-row" style={{ height: HEADER_HEIGHT }}>
        {columns.map((column) => {
          const direction = sort?.column === column.key ? sort.direction : undefined;
          return (
            <div key={column.key} role="columnheader" aria-sort={direction} className={`collection-cell${column.numeric ? ' is-number' : ''}`}>
              <button type="button" className="collection-sort" onClick={() => onSort(column.key)}>
                {column.label}
                <span aria-hidden="true" className="sort-mark">
                  {direction ? SORT_MARK[direction] : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
});
