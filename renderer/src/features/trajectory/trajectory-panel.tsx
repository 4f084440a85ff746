import { memo, useCallback, useLayoutEffect, useRef } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';
import type { LiveReply } from '../../store/run-feed.js';
import { currentTurnOf, snapshotOf, useSelectedRunLoading, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { measureOrEstimate, revealIndex, useFrameVirtualizer } from '../../ui/virtual.js';
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
  const reveals = useStore((s) => s.turnReveals);
  const followScroll = useStore((s) => s.followScroll);
  // Set by the user's own scrolling (wheel, touch, keys, scrollbar drag); a scroll this panel makes itself leaves it unset.
  const userScrolling = useRef(false);
  const needle = useStore((s) => s.findText.trim().toLowerCase());
  const initial = initialCount(snapshot);
  // A run still loading shows its top, turn 1 current, and goes to its latest turn once it has loaded, not page by page.
  const loading = useSelectedRunLoading();
  const currentTurn = currentTurnOf(snapshot, selectedTurn, loading);
  const cardKey = useCallback((index: number) => (index < initial ? `m${index}` : `t${index - initial + 1}`), [initial]);
  const virtualizer = useFrameVirtualizer({
    count: initial + snapshot.turns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (index < initial ? 120 : 320),
    overscan: 3,
    getItemKey: cardKey,
    measureElement: measureOrEstimate,
  });

  // Bring the selected turn to the top each time it is picked (again too), and follow the latest
  // turn while none is picked; not when the selection follows the user's scrolling, which ends
  // the following (`following` turns null) without a pick: the view stays where the user put it.
  const following = selectedTurn === null && !loading ? currentTurn : null;
  const revealsSeen = useRef<number | null>(null);
  useLayoutEffect(() => {
    const picked = revealsSeen.current !== reveals;
    revealsSeen.current = reveals;
    const turn = following ?? (picked ? useStore.getState().selectedTurn : null);
    if (turn === null) return;
    userScrolling.current = false;
    revealIndex(virtualizer, initial + turn - 1, 'start');
  }, [reveals, following, initial, virtualizer]);

  /** The user scrolled: the turn at the top of the view becomes the selected one. */
  function onScroll(): void {
    const scroller = scrollRef.current;
    if (!userScrolling.current || !scroller) return;
    const top = virtualizer.getVirtualItems().find((item) => item.end > scroller.scrollTop + 1);
    if (top && top.index >= initial) followScroll(top.index - initial + 1);
  }

  const userScroll = () => {
    userScrolling.current = true;
  };

  return (
    <div ref={scrollRef} className="scroller" data-virtual-scroller="" onScroll={onScroll} onWheel={userScroll} onTouchMove={userScroll} onKeyDown={userScroll} onPointerDown={userScroll}>
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
