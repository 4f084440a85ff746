import { useCallback, useLayoutEffect, useRef } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';
import { measureOrEstimate, revealIndex, useFrameVirtualizer } from '../../ui/virtual.js';
import { TurnRow } from './turn-row.js';

/**
 * The turn list: one row per visible turn, only the rows in view are in the DOM. `currentTurn` is
 * marked current; `revealTurn` is kept in view (null: the list stays where it is).
 */
export function TurnList({ snapshot, turns, currentTurn, revealTurn }: { snapshot: RunSnapshot; turns: readonly number[]; currentTurn: number | null; revealTurn: number | null }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectTurn = useStore((s) => s.selectTurn);
  const turnKey = useCallback((index: number) => turns[index]!, [turns]);
  const virtualizer = useFrameVirtualizer({
    count: turns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 6,
    getItemKey: turnKey,
    measureElement: measureOrEstimate,
  });

  // Keep the selected turn in view when it changes (keyboard, find, a click elsewhere).
  useLayoutEffect(() => {
    const index = revealTurn === null ? -1 : turns.indexOf(revealTurn);
    if (index >= 0) revealIndex(virtualizer, index, 'auto');
  }, [revealTurn, turns, virtualizer]);

  return (
    <div ref={scrollRef} className="scroller" data-virtual-scroller="">
      <div role="list" aria-label="Turns" className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const turn = snapshot.turns[turns[item.index]! - 1]!;
          const selected = turn.turn === currentTurn;
          return (
            <div
              key={item.key}
              role="listitem"
              aria-current={selected ? 'true' : undefined}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="virtual-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <TurnRow turn={turn} selected={selected} onSelect={selectTurn} runEnd={snapshot.end?.reason ?? null} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
