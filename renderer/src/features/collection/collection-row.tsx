import { memo } from 'react';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import type { ColumnSpec } from './collection-columns.js';
import { MarkedText } from '../../ui/marked-text.js';

/** Every row has this height, so the table can place 20,000 of them without measuring any. */
export const ROW_HEIGHT = 30;

/**
 * One trajectory in the collection table. Memoized: scrolling and filtering render only the rows
 * whose place or selection changed. Clicks and keys are handled by the table (event delegation),
 * which finds the trajectory by `data-trajectory`.
 */
export const CollectionRow = memo(function CollectionRow({ columns, row, position, top, selected, tabbable }: { columns: readonly ColumnSpec[]; row: TrajectorySummary; position: number; top: number; selected: boolean; tabbable: boolean }) {
  return (
    <div
      role="row"
      aria-rowindex={position + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      data-position={position}
      data-trajectory={row.index}
      className="virtual-row collection-row"
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
    >
      {columns.map((column) => {
        const text = column.text(row);
        const tone = column.tone?.(row);
        return (
          <div key={column.key} role="gridcell" className={`collection-cell${column.numeric ? ' is-number' : ''}${tone ? ` ${tone}` : ''}`} title={column.title?.(row) ?? (column.numeric ? undefined : text)}>
            {column.numeric ? text : <MarkedText text={text} />}
          </div>
        );
      })}
    </div>
  );
});
