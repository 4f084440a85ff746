import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ChatMessage } from '#shared/model/chat.js';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { PromptViewIndex, type PromptView } from '#shared/loop/truncate.js';
import { PyTypeError } from '#shared/python/value.js';
import { buildChatRequest, describeModelCallEdit, requestParamsOf, type RequestParams } from '#shared/loop/chat-request.js';
import { useStore } from '../../store/store.js';
import type { RunView } from '../../store/runs-slice.js';
import { useSelectedTurn } from '../../store/selectors.js';
import { Splitter } from '../../ui/splitter.js';
import { measureOrEstimate, revealIndex, useFrameVirtualizer } from '../../ui/virtual.js';
import { DroppedMarker } from './dropped-marker.js';
import { PromptMessage } from './prompt-message.js';
import { promptItems, type PromptItem } from './prompt-items.js';
import { RawRequest } from './raw-request.js';
import { TokenMeter } from './token-meter.js';
import './prompt-view.css';

/** A row's key: a message's trajectory index (and how much of it was cut), so a row the next turn's prompt shares keeps its element and its measured size. */
function itemKey(item: PromptItem | undefined): string {
  if (!item) return '';
  if (item.kind === 'dropped') return `d${item.start}`;
  return item.cut === null ? `m${item.index}` : `m${item.index}~${item.cut}`;
}

/**
 * The rows of one prompt. Going to the next turn keeps the rows both prompts share (most of them,
 * under a budget: the turns before it) and starts at the top again (`turn`).
 */
function PromptList({ items, trajectory, turn }: { items: readonly PromptItem[]; trajectory: readonly ChatMessage[]; turn: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback((index: number) => itemKey(items[index]), [items]);
  // Measured and scrolled rows render in the frame's one commit, as in the trajectory and turn list.
  const virtualizer = useFrameVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]?.kind === 'dropped' ? 40 : 96),
    overscan: 4,
    getItemKey,
    measureElement: measureOrEstimate,
  });
  const shownTurn = useRef(turn);
  useLayoutEffect(() => {
    if (shownTurn.current === turn) return;
    shownTurn.current = turn;
    // Its first rows render in this commit, not a frame after the scroll.
    revealIndex(virtualizer, 0, 'start');
  }, [turn, virtualizer]);
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
function promptOf(view: RunView, s: RunSnapshot, turn: TurnRecord): { prompt: PromptView; request: RequestParams; upcoming: boolean } | null {
  if (turn.promptView && turn.request) return { prompt: turn.promptView, request: turn.request, upcoming: false };
  const waiting = s.pausedAt?.turn === turn.turn && s.pausedAt.at === 'before_model';
  const prompt = waiting ? view.feed.upcomingPromptView() : null;
  if (!prompt) return null;
  const request = requestParamsOf(buildChatRequest({ messages: [], temperature: s.config.temperature, maxTokens: s.config.maxTokens, tools: s.tools }));
  return { prompt, request, upcoming: true };
}

/** The prompt view the engine's truncation gives the first `messageCount` messages under `budget`. */
export function recomputePromptView(messages: readonly ChatMessage[], messageCount: number, budget: number | null): PromptView {
  const index = new PromptViewIndex(budget);
  for (let i = 0; i < messageCount; i++) index.append(messages[i]!);
  return index.view();
}

interface ImportedSource {
  fileId: string;
  index: number;
  recordedPromptTurns: number[];
}

/** The exact prompt the opened file records for a turn (fetched when shown), or null. */
function useRecordedPrompt(imported: ImportedSource | undefined, turn: number, wanted: boolean): ChatMessage[] | null | 'loading' {
  const has = wanted && imported !== undefined && imported.recordedPromptTurns.includes(turn);
  const key = imported ? `${imported.fileId}#${imported.index}#${turn}` : '';
  const recorded = useStore((s) => s.recordedPrompts[key]);
  const loadRecordedPrompt = useStore((s) => s.loadRecordedPrompt);
  useEffect(() => {
    if (has && imported) void loadRecordedPrompt(imported.fileId, imported.index, turn);
  }, [has, imported, turn, loadRecordedPrompt]);
  if (!has) return null;
  return recorded ?? 'loading';
}

/** Where the prompt on show comes from, in the user's words. */
function originText(source: 'engine' | 'recorded' | 'recomputed', budget: number | null): string {
  if (source === 'engine') return 'Sent by the engine';
  if (source === 'recorded') return 'Recorded in the file';
  return budget === null ? 'Recomputed, no budget' : `Recomputed with a budget of ${budget.toLocaleString('en-US')} tokens`;
}

function TurnPrompt({ view, snapshot, turn, budget }: { view: RunView; snapshot: RunSnapshot; turn: TurnRecord; budget: number | null | undefined }) {
  const [showRaw, setShowRaw] = useState(false);
  const imported = snapshot.source.imported as ImportedSource | undefined;
  const sentView = useMemo(() => promptOf(view, snapshot, turn), [view, snapshot, turn]);
  // A budget the user set recomputes the view at once; an opened file's own prompt wins otherwise.
  const recorded = useRecordedPrompt(imported, turn.turn, budget === undefined);
  const recomputed = useMemo((): { prompt: PromptView } | { raised: string } | null => {
    if (!sentView || budget === undefined) return null;
    try {
      return { prompt: recomputePromptView(snapshot.messages, sentView.prompt.messageCount, budget) };
    } catch (error) {
      // The reference's truncation raises too (a message whose content has no len()): said, not drawn.
      if (error instanceof PyTypeError) return { raised: `${error.name}: ${error.message}` };
      throw error;
    }
  }, [sentView, budget, snapshot]);
  const shown = sentView && recomputed && 'prompt' in recomputed ? { ...sentView, prompt: recomputed.prompt } : sentView;
  const raised = recomputed && 'raised' in recomputed ? recomputed.raised : null;
  const origin = recorded !== null && recorded !== 'loading' ? 'recorded' : budget !== undefined || imported ? 'recomputed' : 'engine';
  // Nothing to list when the truncation raised: the panel says so instead.
  const prompt = raised === null ? (shown?.prompt ?? null) : null;
  // A sent turn's prompt view never changes: its rows are computed once, not on every event.
  const items = useMemo((): PromptItem[] => {
    if (Array.isArray(recorded)) return recorded.map((message, index) => ({ kind: 'message', index, message, cut: null }));
    return prompt ? promptItems(snapshot.messages, prompt) : [];
  }, [snapshot, prompt, recorded]);
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
      <p className="prompt-origin">
        <span className={`badge origin-badge ${origin === 'recorded' ? 'tone-ok' : origin === 'recomputed' ? 'tone-info' : ''}`}>{originText(origin, raised !== null ? (budget ?? null) : shown.prompt.budget)}</span>
      </p>
      {raised !== null ? (
        <p role="alert" className="form-alert">
          The engine&apos;s truncation raises under this budget, as the reference loop would: {raised}. A message this turn was sent holds
          a content or tool call list that is a number or true, which Python cannot take the len() of; the loop stops here.
        </p>
      ) : origin === 'recorded' ? <p className="muted">The exact messages the file records for this model call.</p> : <TokenMeter view={shown.prompt} />}
      {turn.callEdit && (
        <p role="note" className="muted">
          This call was changed before it was sent ({describeModelCallEdit(turn.callEdit)}): the turn&apos;s API request shows what went out; this is the prompt the loop built.
        </p>
      )}
      {raised !== null ? null : showRaw ? (
        <RawRequest sent={sent} request={shown.request} tools={snapshot.tools} turn={turn.turn} />
      ) : (
        <PromptList key={`${snapshot.runId}:${origin === 'recorded' ? turn.turn : ''}:${origin}`} items={items} trajectory={snapshot.messages} turn={turn.turn} />
      )}
    </>
  );
}

/** A context budget typed by the user: a whole number of tokens, '' for none; null when it is not one. */
function parseBudget(text: string): number | null | 'invalid' {
  if (text.trim() === '') return null;
  return /^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : 'invalid';
}

/** The right column: the exact messages sent on the selected turn, aligned with the trajectory. */
export function PromptViewPanel() {
  const { view, snapshot, turn } = useSelectedTurn();
  // A budget belongs to the run it was typed for: each run keeps its own, and another run starts with none.
  const runId = snapshot?.runId ?? null;
  const [budgets, setBudgets] = useState<Record<string, string>>({});
  const budgetText = runId !== null ? (budgets[runId] ?? null) : null;
  const setBudgetText = (text: string | null) => {
    if (runId === null) return;
    setBudgets(({ [runId]: _old, ...others }) => (text === null ? others : { ...others, [runId]: text }));
  };
  // undefined: the run's own prompt views; a number or null: recomputed under that budget.
  const parsed = budgetText === null ? undefined : parseBudget(budgetText);
  const budget = parsed === 'invalid' ? undefined : parsed;
  return (
    <section aria-label="Prompt view" className="panel prompt-panel">
      <Splitter panel="prompt" label="Resize the prompt view" orientation="vertical" grow={-1} min={240} max={() => window.innerWidth * 0.45} />
      <h2 className="panel-title">Prompt view</h2>
      <div className="panel-tools">
        <label className="budget-field">
          Context budget
          <input
            type="text"
            inputMode="numeric"
            value={budgetText ?? ''}
            placeholder={snapshot?.config.maxContextTokens?.toString() ?? 'none'}
            aria-invalid={parsed === 'invalid'}
            aria-describedby="budget-hint"
            onChange={(e) => setBudgetText(e.target.value)}
          />
        </label>
        {budgetText !== null && (
          <button type="button" onClick={() => setBudgetText(null)}>
            Use the run’s own
          </button>
        )}
        <span id="budget-hint" className={parsed === 'invalid' ? 'field-error' : 'muted'}>
          {parsed === 'invalid' ? 'A whole number of tokens above 0, or empty for none' : budgetText !== null ? 'Recomputed for this run only' : 'Recompute with the engine’s truncation'}
        </span>
      </div>
      {view && snapshot && turn ? <TurnPrompt view={view} snapshot={snapshot} turn={turn} budget={budget} /> : <p className="empty">Select a turn to see the prompt it sent.</p>}
    </section>
  );
}
