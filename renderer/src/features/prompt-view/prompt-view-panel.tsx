import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '../../../../shared/model/chat.js';
import type { RunSnapshot, TurnRecord } from '../../../../shared/run/run-state.js';
import type { PromptView } from '../../../../shared/loop/truncate.js';
import type { RunView } from '../../store/runs-slice.js';
import { useSelectedTurn } from '../../store/selectors.js';
import { measureOrEstimate } from '../../ui/virtual.js';
import { DroppedMarker } from './dropped-marker.js';
import { PromptMessage } from './prompt-message.js';
import { promptItems, type PromptItem } from './prompt-items.js';
import { RawRequest } from './raw-request.js';
import { TokenMeter } from './token-meter.js';

function PromptList({ items, trajectory }: { items: readonly PromptItem[]; trajectory: readonly ChatMessage[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    // Render measured rows in React's own batch rather than a synchronous flush per scroll event.
    useFlushSync: false,
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]?.kind === 'dropped' ? 40 : 96),
    overscan: 4,
    measureElement: measureOrEstimate,
  });
  return (
    <div ref={scrollRef} className="scroller" data-virtual-scroller="">
      <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index]!;
          return (
            <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="virtual-row card-row" style={{ transform: `translateY(${row.start}px)` }}>
              {item.kind === 'dropped' ? (
                <DroppedMarker trajectory={trajectory} start={item.start} end={item.end} />
              ) : (
                <PromptMessage message={item.message} index={item.index} cut={item.cut} />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The prompt a turn sent, or (paused before its model call) the one it is about to send. */
function promptOf(view: RunView, s: RunSnapshot, turn: TurnRecord): { prompt: PromptView; request: { temperature: number; max_tokens?: number; tools: boolean }; upcoming: boolean } | null {
  if (turn.promptView && turn.request) return { prompt: turn.promptView, request: turn.request, upcoming: false };
  const waiting = s.pausedAt?.turn === turn.turn && s.pausedAt.at === 'before_model';
  const prompt = waiting ? view.feed.upcomingPromptView() : null;
  if (!prompt) return null;
  const request = { temperature: s.config.temperature, tools: s.tools.length > 0, ...(s.config.maxTokens !== null ? { max_tokens: s.config.maxTokens } : {}) };
  return { prompt, request, upcoming: true };
}

function TurnPrompt({ view, snapshot, turn }: { view: RunView; snapshot: RunSnapshot; turn: TurnRecord }) {
  const [showRaw, setShowRaw] = useState(false);
  const shown = useMemo(() => promptOf(view, snapshot, turn), [view, snapshot, turn]);
  const prompt = shown?.prompt ?? null;
  // A sent turn's prompt view never changes: its rows are computed once, not on every event.
  const items = useMemo(() => (prompt ? promptItems(snapshot.messages, prompt) : []), [snapshot, prompt]);
  const sent = useMemo(() => items.flatMap((i) => (i.kind === 'message' ? [i.message] : [])), [items]);
  if (!shown) return <p className="empty">Turn {turn.turn} has no prompt yet.</p>;
  return (
    <>
      <div className="panel-tools prompt-head">
        <h3>
          Turn {turn.turn} prompt{shown.upcoming ? ' (not sent yet)' : ''}
        </h3>
        <button type="button" aria-pressed={showRaw} onClick={() => setShowRaw(!showRaw)}>
          Raw request
        </button>
      </div>
      <TokenMeter view={shown.prompt} />
      {showRaw ? (
        <RawRequest sent={sent} request={shown.request} tools={snapshot.tools} turn={turn.turn} />
      ) : (
        <PromptList key={`${snapshot.runId}:${turn.turn}`} items={items} trajectory={snapshot.messages} />
      )}
    </>
  );
}

/** The right column: the exact messages sent on the selected turn, aligned with the trajectory. */
export function PromptViewPanel() {
  const { view, snapshot, turn } = useSelectedTurn();
  return (
    <section aria-label="Prompt view" className="panel prompt-panel">
      <h2 className="panel-title">Prompt view</h2>
      {view && snapshot && turn ? <TurnPrompt view={view} snapshot={snapshot} turn={turn} /> : <p className="empty">Select a turn to see the prompt it sent.</p>}
    </section>
  );
}
