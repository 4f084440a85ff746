import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { RunSnapshot } from '../../../../shared/run/run-state.js';
import type { LiveReply } from '../../store/run-feed.js';
import { snapshotOf, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { measureOrEstimate } from '../../ui/virtual.js';
import { turnSearchText } from '../turns/turn-filter.js';
import { MessageCard } from './message-card.js';
import { TurnCard } from './turn-card.js';
import './trajectory.css';

/** Messages before the first turn (system, user) are cards of their own; then one card per turn. */
function initialCount(s: RunSnapshot): number {
  return s.turns[0]?.messageRange[0] ?? s.messages.length;
}

function TrajectoryList({ snapshot, live, version }: { snapshot: RunSnapshot; live: LiveReply | null; version: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const selectedTurn = useStore((s) => s.selectedTurn);
  const needle = useStore((s) => s.findText.trim().toLowerCase());
  const initial = initialCount(snapshot);
  const currentTurn = selectedTurn ?? (snapshot.turns.length || null);
  const virtualizer = useVirtualizer({
    // Render measured rows in React's own batch rather than a synchronous flush per scroll event.
    useFlushSync: false,
    count: initial + snapshot.turns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (index < initial ? 120 : 320),
    overscan: 3,
    getItemKey: (index) => (index < initial ? `m${index}` : `t${index - initial + 1}`),
    measureElement: measureOrEstimate,
  });

  // Bring the selected turn to the top (only when the selection changes, not on every event).
  useEffect(() => {
    if (currentTurn !== null) virtualizer.scrollToIndex(initial + currentTurn - 1, { align: 'start' });
  }, [currentTurn, initial, virtualizer]);

  return (
    <div ref={scrollRef} className="scroller" data-virtual-scroller="">
      <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row card-row" style={{ transform: `translateY(${item.start}px)` }}>
            {item.index < initial ? (
              <MessageCard message={snapshot.messages[item.index]!} index={item.index} runId={snapshot.runId} />
            ) : (
              <TurnCardAt snapshot={snapshot} version={version} number={item.index - initial + 1} live={live?.turn === item.index - initial + 1 ? live : null} current={currentTurn === item.index - initial + 1} needle={needle} />
            )}
          </div>
        ))}
      </div>
    </div>
  );
}

/**
 * One turn's card. Memoized so that scrolling renders only the cards that come into view; the
 * run's snapshot is mutated in place, so `version` is what says the card may have changed.
 */
const TurnCardAt = memo(function TurnCardAt({ snapshot, number, live, current, needle }: { snapshot: RunSnapshot; version: number; number: number; live: LiveReply | null; current: boolean; needle: string }) {
  const turn = snapshot.turns[number - 1]!;
  const match = needle !== '' && turnSearchText(snapshot, turn).includes(needle);
  return <TurnCard snapshot={snapshot} turn={turn} live={live} current={current} match={match} />;
});

/** The center column: the selected run's full trajectory as cards, following the selected turn. */
export function TrajectoryPanel() {
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  return (
    <section aria-label="Trajectory" className="panel trajectory-panel">
      <h2 className="panel-title">Trajectory</h2>
      {view?.feed.error && (
        <p role="alert" className="tool-error-text">
          This run's record is inconsistent: {view.feed.error}
        </p>
      )}
      {snapshot ? <TrajectoryList snapshot={snapshot} live={view?.live ?? null} version={view?.version ?? 0} /> : <p className="empty">No run selected.</p>}
    </section>
  );
}
