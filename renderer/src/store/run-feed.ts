import type { RunEvent } from '#shared/run/events.js';
import { RunState, type RunSnapshot } from '#shared/run/run-state.js';
import { PromptViewIndex, type PromptView } from '#shared/loop/truncate.js';

type DeltaEvent = Extract<RunEvent, { type: 'model_delta' }>;

/** What the model has streamed so far on its current turn, before its reply is recorded. */
export interface LiveReply {
  turn: number;
  content: string;
  reasoning: string;
  toolCalls: Array<{ index: number; id?: string; name: string; arguments: string }>;
}

/**
 * One run's events as they reach the UI, folded into the shared {@link RunState}. Live events
 * that arrive before the run's catch-up (`run.events`) wait for it; events already seen are
 * skipped by sequence number (catch-up and live pushes overlap). Deltas are buffered here and
 * turned into a {@link LiveReply} once per frame by the store.
 */
export class RunFeed {
  readonly state = new RunState();
  /** Set when an event could not be applied: the run's record is inconsistent. */
  error: string | null = null;
  /**
   * Whether the run's earlier events still have to be fetched: 'cancelled' when the user stopped
   * fetching them (selecting the run again goes on from where it stopped).
   */
  catchUp: 'needed' | 'loading' | 'cancelled' | 'done' = 'needed';
  /** Cancel was asked for while catching up: fetching stops after the slice being applied. */
  cancelling = false;
  /** The catch-up in flight, for callers that want to wait for it. */
  catchingUp: Promise<void> | null = null;
  /** Something changed since the store last published this run. */
  dirty = false;
  /** The run has paused at least once: a recording played that way is being stepped through, not loaded. */
  pausedOnce = false;
  private held: RunEvent[] = [];
  private deltas: DeltaEvent[] = [];
  private liveEnded = false;
  private nextPrompt: PromptViewIndex | null = null;
  private nextPromptBroken = false;

  constructor(readonly runId: string) {}

  /** The run's state, or null before its `run_started` arrived. */
  get snapshot(): RunSnapshot | null {
    return this.state.started ? this.state.current : null;
  }

  /** The sequence number catch-up starts from. */
  get nextSeq(): number {
    return this.state.started ? this.state.current.lastSeq + 1 : 0;
  }

  /** Takes one pushed event. */
  receive(event: RunEvent): void {
    // A run seen from its first event needs no catch-up.
    if (event.type === 'run_started' && !this.state.started) this.catchUp = 'done';
    // Until the earlier events are in, later ones wait: applying them first would leave a gap.
    if (this.catchUp !== 'done') {
      this.held.push(event);
      return;
    }
    this.apply(event);
  }

  /**
   * Takes one page of what `run.events` returned; after the last page, the pushed events that
   * waited for it.
   */
  receiveCatchUp(events: readonly RunEvent[], complete: boolean): void {
    for (const event of events) this.apply(event);
    if (!complete) return;
    const held = this.held.sort((a, b) => a.seq - b.seq);
    this.held = [];
    for (const event of held) this.apply(event);
    this.catchUp = 'done';
  }

  /** After a lost connection: events pushed meanwhile were missed, so fetch from where this left off. */
  resync(): void {
    if (this.catchUp === 'done' && !this.snapshot?.end) this.catchUp = 'needed';
  }

  /** The live reply after the deltas buffered since `previous` was published. */
  takeLive(previous: LiveReply | null): LiveReply | null {
    let live = this.liveEnded ? null : previous;
    this.liveEnded = false;
    for (const { turn, delta } of this.deltas) {
      live = live && live.turn === turn ? { ...live } : { turn, content: '', reasoning: '', toolCalls: [] };
      if (delta.kind === 'content') live.content += delta.text;
      else if (delta.kind === 'reasoning') live.reasoning += delta.text;
      else {
        const calls = [...live.toolCalls];
        const at = calls.findIndex((c) => c.index === delta.index);
        const call = at >= 0 ? { ...calls[at]! } : { index: delta.index, name: '', arguments: '' };
        if (delta.id) call.id = delta.id;
        if (delta.name) call.name += delta.name;
        if (delta.arguments) call.arguments += delta.arguments;
        if (at >= 0) calls[at] = call;
        else calls.push(call);
        live.toolCalls = calls;
      }
    }
    this.deltas = [];
    return live;
  }

  /**
   * The prompt the engine would send now. A turn paused before its model call has no prompt view
   * yet; this computes it the engine's way from the trajectory so far (incrementally).
   */
  upcomingPromptView(): PromptView | null {
    const s = this.snapshot;
    if (!s || this.nextPromptBroken) return null;
    this.nextPrompt ??= new PromptViewIndex(s.config.maxContextTokens);
    try {
      for (let i = this.nextPrompt.length; i < s.messages.length; i++) this.nextPrompt.append(s.messages[i]!);
      return this.nextPrompt.view();
    } catch {
      this.nextPromptBroken = true;
      return null;
    }
  }

  private apply(event: RunEvent): void {
    if (this.state.started ? event.seq <= this.state.current.lastSeq : event.type !== 'run_started') return;
    try {
      this.state.apply(event);
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      return;
    }
    this.dirty = true;
    if (event.type === 'paused') this.pausedOnce = true;
    if (event.type === 'model_delta') this.deltas.push(event);
    else if (event.type === 'model_reply' || event.type === 'turn_started') {
      // The reply is now in the trajectory: what streamed is superseded.
      this.deltas = [];
      this.liveEnded = true;
    }
  }
}
