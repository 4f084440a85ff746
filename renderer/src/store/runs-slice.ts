import type { RunEvent } from '#shared/run/events.js';
import { requestFrameFlush, requestFrameRender } from './frame.js';
import { RunFeed, type LiveReply } from './run-feed.js';
import type { SliceCreator } from './store.js';

/**
 * One run as components see it. `feed` holds the mutable run state; `version` changes whenever it
 * did, so components re-render without the store copying the trajectory.
 */
export interface RunView {
  feed: RunFeed;
  version: number;
  live: LiveReply | null;
}

/** Every run the UI has seen, fed by pushed events and catch-up. */
export interface RunsSlice {
  runs: Record<string, RunView>;
  /** Takes one pushed event; components see it at the next frame. */
  receiveEvent(event: RunEvent): void;
  /**
   * Fetches a run's events that this UI has not seen (once; a second call waits for the first).
   * After a cancel, a new call goes on from where it stopped.
   */
  catchUp(runId: string): Promise<void>;
  /**
   * Cancel of a loading run: stops fetching its earlier events (what arrived stays on show), or,
   * for a recording the engine plays straight through, stops playing it.
   */
  cancelLoading(runId: string): Promise<void>;
  /** Publishes every run changed since the last frame (one store update). */
  flushUpdates(): void;
}

/** Events of the first `run.events` page: enough for a screenful of turns, quick to show. */
const FIRST_PAGE = 500;
/**
 * Events per later page (about a thousand turns). Small enough that parsing and checking one is a
 * short task and the host builds the next while this one is applied; pages are not shown one by
 * one (see {@link SHOW_EVERY_MS}).
 */
const CATCH_UP_PAGE = 5_000;
/**
 * While catching up, what arrived is shown at most this often: each showing re-renders every
 * panel, which costs more than applying a page.
 */
const SHOW_EVERY_MS = 250;
/** Events applied in one task while catching up; the browser paints and takes input in between. */
const APPLY_SLICE = 1_000;

/**
 * Lets the browser run what waits (input, a frame) before the next slice of work, and no longer:
 * `scheduler.yield()` where the browser has it, else a posted message. Not `setTimeout(0)`, which
 * the browser delays by 4 ms once nested five deep: 80 slices of a 10,000-turn run idled 320 ms.
 */
function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Builds the runs slice. */
export const createRunsSlice: SliceCreator<RunsSlice> = (set, get) => {
  function viewOf(runId: string): { view: RunView; isNew: boolean } {
    const existing = get().runs[runId];
    if (existing) return { view: existing, isNew: false };
    const view: RunView = { feed: new RunFeed(runId), version: 0, live: null };
    set((s) => ({ runs: { ...s.runs, [runId]: view } }));
    return { view, isNew: true };
  }

  return {
    runs: {},

    receiveEvent(event) {
      const { view, isNew } = viewOf(event.runId);
      view.feed.receive(event);
      // Joined mid-run (e.g. after a reload): fetch what came before.
      if (view.feed.catchUp === 'needed') void get().catchUp(event.runId);
      if (isNew || event.type === 'run_finished') void get().refreshRunList();
      // The first run seen is selected in the frame's commit, with its events.
      if (isNew) requestFrameRender(() => get().selectedRunId === null && get().selectRun(event.runId));
      requestFrameFlush(() => get().flushUpdates());
    },

    catchUp(runId) {
      const client = get().client;
      const { feed } = viewOf(runId).view;
      if (!client || feed.catchUp === 'done') return Promise.resolve();
      if (feed.catchingUp) {
        // Asked for again before a cancel took effect: the load goes on.
        feed.cancelling = false;
        return feed.catchingUp;
      }
      feed.catchUp = 'loading';
      feed.catchingUp = (async () => {
        try {
          // A page at a time, painting in between: a long run shows its first turns at once. The
          // next page is asked for before this one is applied, so the host reads and sends it
          // while the page works (two cores, not one after the other).
          let next = client.call('run.events', { runId, fromSeq: feed.nextSeq, limit: FIRST_PAGE });
          let shown = 0;
          for (let first = true; ; first = false) {
            const page = await next;
            const after = page.events.at(-1)?.seq;
            if (!page.complete) {
              next = client.call('run.events', { runId, fromSeq: after === undefined ? feed.nextSeq : after + 1, limit: CATCH_UP_PAGE });
              // It may fail while this page is applied: it is awaited (and its failure reported) after.
              next.catch(() => undefined);
            }
            for (let at = 0; ; at += APPLY_SLICE) {
              const last = at + APPLY_SLICE >= page.events.length;
              feed.receiveCatchUp(page.events.slice(at, at + APPLY_SLICE), page.complete && last);
              feed.dirty = true;
              if (feed.cancelling && !(page.complete && last)) {
                // The page asked for next is dropped: going on asks again from here.
                feed.cancelling = false;
                feed.catchUp = 'cancelled';
                get().flushUpdates();
                return;
              }
              if (last) break;
              await yieldToBrowser();
            }
            // The first page is shown at once, the last one too; the ones between at the next frame,
            // at most every SHOW_EVERY_MS.
            if (first || page.complete) {
              get().flushUpdates();
              shown = performance.now();
            } else if (performance.now() - shown >= SHOW_EVERY_MS) {
              requestFrameFlush(() => get().flushUpdates());
              shown = performance.now();
            }
            if (page.complete) break;
          }
        } catch (error) {
          feed.catchUp = 'needed';
          // What arrived before the failure stays on show, also the pages not shown yet.
          get().flushUpdates();
          get().reportError(`Could not load the run: ${error instanceof Error ? error.message : String(error)}`);
        } finally {
          feed.catchingUp = null;
          // A cancel that came as the last page landed has nothing left to stop.
          feed.cancelling = false;
        }
      })();
      return feed.catchingUp;
    },

    async cancelLoading(runId) {
      const feed = get().runs[runId]?.feed;
      if (feed?.catchUp === 'loading') feed.cancelling = true;
      else await get().stopRun(runId);
    },

    flushUpdates() {
      const runs = get().runs;
      let next: Record<string, RunView> | null = null;
      for (const [runId, view] of Object.entries(runs)) {
        if (!view.feed.dirty) continue;
        view.feed.dirty = false;
        next ??= { ...runs };
        next[runId] = { feed: view.feed, version: view.version + 1, live: view.feed.takeLive(view.live) };
      }
      if (next) set({ runs: next });
    },
  };
};
