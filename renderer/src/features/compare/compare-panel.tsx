import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { measureOrEstimate } from '../../ui/virtual.js';
import { CompareMetrics } from './compare-metrics.js';
import { compareRows, earlierText, initialMessages, sameInitialMessages, turnsByNumber, type CompareRow } from './compare-model.js';
import { InitialComparison, TurnComparison } from './turn-comparison.js';
import './compare.css';

/** What the compare panel compares: two runs, one a branch of the other (or both of a common parent). */
export interface ComparePanelProps {
  left: RunSnapshot;
  right: RunSnapshot;
  leftLabel: string;
  rightLabel: string;
  /** The last turn both runs share; the rows start there, the turns before it are folded into one row. */
  forkTurn: number;
  onClose(): void;
}

/** The folded turns before the fork: says whether they are the same, and opens them. */
function EarlierRow({ row, onToggle, position, total }: { row: Extract<CompareRow, { kind: 'earlier' }>; onToggle(): void; position: number; total: number }) {
  const headingId = useId();
  const range = row.last === 1 ? 'turn 1' : `turns 1–${row.last}`;
  return (
    <article className={`compare-earlier${row.differing > 0 ? ' is-changed' : ''}`} aria-labelledby={headingId} aria-posinset={position} aria-setsize={total} tabIndex={0}>
      <h3 id={headingId}>{earlierText(row)}</h3>
      <button type="button" className="small-button" aria-expanded={row.open} onClick={onToggle}>
        {row.open ? `Hide ${range}` : `Show ${range}`}
      </button>
    </article>
  );
}

function estimateRow(row: CompareRow | undefined, calls: (turn: number) => number): number {
  if (!row || row.kind === 'earlier') return 56;
  if (row.kind === 'initial') return 240;
  return 150 + 190 * calls(row.turn);
}

/**
 * Two runs side by side: their metrics, then their turns aligned by turn number from the fork on
 * (the turns before it folded into one row), each part of a turn in two columns with what differs
 * marked. The turns are a virtualized feed of articles: Page Down and Page Up move between them,
 * Escape closes the panel.
 */
export function ComparePanel({ left, right, leftLabel, rightLabel, forkTurn, onClose }: ComparePanelProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [earlierOpen, setEarlierOpen] = useState(false);
  // A running branch's snapshot changes in place: its last sequence number says when.
  const version = `${left.runId}:${left.lastSeq}/${right.runId}:${right.lastSeq}`;
  const model = useMemo(() => {
    const leftTurns = turnsByNumber(left);
    const rightTurns = turnsByNumber(right);
    const leftInitial = initialMessages(left);
    const rightInitial = initialMessages(right);
    const initialDiffer = !sameInitialMessages(leftInitial, rightInitial);
    const rows = compareRows(leftTurns, rightTurns, forkTurn, { earlierOpen, initialDiffer });
    return { leftTurns, rightTurns, leftInitial, rightInitial, rows };
  }, [left, right, forkTurn, earlierOpen, version]);
  const { rows } = model;
  const calls = (turn: number): number => Math.max(model.leftTurns.get(turn)?.toolCalls.length ?? 0, model.rightTurns.get(turn)?.toolCalls.length ?? 0);
  const rowKey = useCallback(
    (index: number) => {
      const row = rows[index]!;
      return row.kind === 'turn' ? `t${row.turn}` : row.kind;
    },
    [rows],
  );
  const virtualizer = useVirtualizer({
    // Render measured rows in React's own batch rather than a synchronous flush per scroll event.
    useFlushSync: false,
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => estimateRow(rows[index], calls),
    overscan: 2,
    getItemKey: rowKey,
    measureElement: measureOrEstimate,
  });

  // A Page Down or Page Up focuses the next or previous article as soon as it is rendered.
  const focusPending = useRef<number | null>(null);
  const articleAt = (index: number): HTMLElement | null => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] > article`) ?? null;
  useLayoutEffect(() => {
    if (focusPending.current === null) return;
    const article = articleAt(focusPending.current);
    if (article) {
      focusPending.current = null;
      article.focus({ preventScroll: true });
    }
  });

  function onFeedKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'PageDown' && event.key !== 'PageUp') return;
    const current = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!current) return;
    const to = Number(current.dataset.index) + (event.key === 'PageDown' ? 1 : -1);
    if (to < 0 || to >= rows.length) return;
    event.preventDefault();
    virtualizer.scrollToIndex(to, { align: 'start' });
    const article = articleAt(to);
    if (article) article.focus({ preventScroll: true });
    else focusPending.current = to;
  }

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      onClose();
    }
  }

  return (
    <section aria-label="Compare" className="panel compare-panel" onKeyDown={onKeyDown}>
      <header className="compare-head">
        <h2 className="compare-title">
          Compare {leftLabel} with {rightLabel}
        </h2>
        <span className="muted">{forkTurn > 0 ? `fork at turn ${forkTurn.toLocaleString('en-US')}` : 'fork before turn 1'}</span>
        <button type="button" className="small-button" aria-label="Close compare" onClick={onClose}>
          Close
        </button>
      </header>
      <CompareMetrics left={left} right={right} leftLabel={leftLabel} rightLabel={rightLabel} version={version} />
      <div className="compare-columns" aria-hidden="true">
        <span />
        <span>{leftLabel}</span>
        <span>{rightLabel}</span>
      </div>
      <div ref={scrollRef} className="scroller" data-virtual-scroller="" role="feed" aria-label="Turns compared" onKeyDown={onFeedKeyDown}>
        <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="virtual-row card-row" style={{ transform: `translateY(${item.start}px)` }}>
                {row.kind === 'initial' ? (
                  <InitialComparison left={model.leftInitial} right={model.rightInitial} leftLabel={leftLabel} rightLabel={rightLabel} position={item.index + 1} total={rows.length} />
                ) : row.kind === 'earlier' ? (
                  <EarlierRow row={row} onToggle={() => setEarlierOpen(!earlierOpen)} position={item.index + 1} total={rows.length} />
                ) : (
                  <TurnComparison turn={row.turn} left={model.leftTurns.get(row.turn)} right={model.rightTurns.get(row.turn)} leftLabel={leftLabel} rightLabel={rightLabel} position={item.index + 1} total={rows.length} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
