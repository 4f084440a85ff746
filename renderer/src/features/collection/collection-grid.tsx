import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import { gridTemplateOf, type ColumnSpec } from './collection-columns.js';
import { CollectionHeader, HEADER_HEIGHT } from './collection-header.js';
import type { CollectionColumn, CollectionSort } from './collection-order.js';
import { CollectionRow, ROW_HEIGHT } from './collection-row.js';

function rowElementOf(target: EventTarget): HTMLElement | null {
  return target instanceof Element ? target.closest<HTMLElement>('[data-trajectory]') : null;
}

/**
 * The virtualized grid: a sticky header and only the rows in view. One row is in the tab order
 * (the focused one, else the open one); arrow keys, Page Up/Down, Home and End move between rows,
 * Enter or a click opens one.
 */
export function CollectionGrid({ columns, label, rows, selectedIndex, sort, onSort, onOpen }: { columns: readonly ColumnSpec[]; label: string; rows: readonly TrajectorySummary[]; selectedIndex: number | null; sort: CollectionSort | null; onSort(column: CollectionColumn): void; onOpen(index: number): void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const positions = useMemo(() => new Map(rows.map((row, position) => [row.index, position])), [rows]);
  // The row focused by keyboard or click, as long as the open trajectory stays the one it was set under.
  const [focused, setFocused] = useState<{ index: number; selected: number | null } | null>(null);
  const active = focused && focused.selected === selectedIndex ? focused.index : selectedIndex;
  const focusPending = useRef(false);

  // Stable while the rows are: a new key function makes the virtualizer lay out every row again.
  const rowKey = useCallback((position: number) => rows[position]!.index, [rows]);
  const virtualizer = useVirtualizer({
    // Render rows in React's own batch rather than a synchronous flush per scroll event.
    useFlushSync: false,
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: rowKey,
    // The rows start below the sticky header, and scrolling to a row keeps it clear of the header.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();

  // Bring the open trajectory into view when it changes (H/L, a click elsewhere), once it is listed.
  const scrolledTo = useRef<number | null>(null);
  const selectedPosition = selectedIndex === null ? undefined : positions.get(selectedIndex);
  useEffect(() => {
    if (selectedPosition === undefined || scrolledTo.current === selectedIndex) return;
    scrolledTo.current = selectedIndex;
    virtualizer.scrollToIndex(selectedPosition, { align: 'auto' });
  }, [selectedIndex, selectedPosition, virtualizer]);

  // A keyboard move focuses its row as soon as the row is rendered.
  const activePosition = active === null ? undefined : positions.get(active);
  useLayoutEffect(() => {
    if (!focusPending.current || activePosition === undefined) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-position="${activePosition}"]`);
    if (element) {
      focusPending.current = false;
      element.focus({ preventScroll: true });
    }
  });

  function moveTo(position: number): void {
    const to = Math.max(0, Math.min(rows.length - 1, position));
    const row = rows[to];
    if (!row) return;
    focusPending.current = true;
    setFocused({ index: row.index, selected: selectedIndex });
    virtualizer.scrollToIndex(to, { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const element = rowElementOf(event.target);
    if (!element) {
      // From the header, Arrow Down enters the rows.
      if (event.key === 'ArrowDown' && rows.length > 0) {
        event.preventDefault();
        moveTo(activePosition ?? 0);
      }
      return;
    }
    const position = Number(element.dataset.position);
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: position + 1, ArrowUp: position - 1, PageDown: position + page, PageUp: position - page, Home: 0, End: rows.length - 1 };
    if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(Number(element.dataset.trajectory));
    } else if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    }
  }

  function onClick(event: MouseEvent<HTMLDivElement>): void {
    const element = rowElementOf(event.target);
    if (!element) return;
    const index = Number(element.dataset.trajectory);
    setFocused({ index, selected: selectedIndex });
    onOpen(index);
  }

  // The tab stop: the active row when it is rendered, else the first rendered row.
  const firstShown = items[0]?.index ?? 0;
  const lastShown = items[items.length - 1]?.index ?? -1;
  const tabPosition = activePosition !== undefined && activePosition >= firstShown && activePosition <= lastShown ? activePosition : firstShown;

  return (
    <div
      ref={scrollRef}
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
      className="scroller collection-grid"
      style={{ '--collection-columns': gridTemplateOf(columns) } as CSSProperties}
      data-virtual-scroller=""
      onKeyDown={onKeyDown}
      onClick={onClick}
    >
      <CollectionHeader columns={columns} sort={sort} onSort={onSort} />
      <div role="rowgroup" className="virtual-body collection-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return <CollectionRow key={item.key} columns={columns} row={row} position={item.index} top={item.start - HEADER_HEIGHT} selected={row.index === selectedIndex} tabbable={item.index === tabPosition} />;
        })}
      </div>
    </div>
  );
}
