import type { OpenedSet } from '#shared/api/contract.js';
import type { SetCharts } from '#shared/api/rollout-set.js';
import type { ExportFormat } from '#shared/formats/export.js';
import type { RolloutColumn, RolloutRow } from '#shared/formats/rollout-row.js';
import type { SliceCreator } from './store.js';
import { messageOf } from '#shared/rpc/errors.js';

/** Rows a set's table asks for at first, and adds with each "Show more rows". */
export const SET_PAGE = 200;
/** The most rows the table asks for (the engine's limit for one `set.query`). */
const MAX_ROWS = 5_000;
/** How often a shown set is asked how far it got (ms): new lines and shards show without a reload. */
export const SET_POLL_MS = 1_000;

/** What a set's table shows: the filter (a SQL expression and a text search), the order and how many rows. */
export interface SetQuery {
  where: string;
  search: string;
  orderBy?: RolloutColumn;
  descending: boolean;
  limit: number;
}

/** A rollout set as its panel shows it: the rows and charts of its filter, and its last export. */
export interface SetView {
  /** The filter and order last asked for: charts and exports follow it, rows once it has answered. */
  query: SetQuery;
  /** The rows of the last filter that worked (a bad filter keeps them). */
  rows: RolloutRow[];
  total: number;
  /** Why the last filter failed (DuckDB's message), or null. */
  filterError: string | null;
  charts: SetCharts | null;
  /** How many rollouts the set held when first shown indexed: what arrived since is counted from it. */
  seen: number | null;
  /** "Exporting…", then what was written or why it failed; null before the first export. */
  exportMessage: string | null;
  /** The latest `set.query`, `set.charts` and `set.export` asked for: only their answers may land. */
  requests: { query: number; charts: number; export: number };
  /** The last `set.query` answered (rows or an error): the rows are being fetched while it is not `requests.query`. */
  answered: number;
  /** The status poll running for this set, or null when the set is not on show. */
  watcher: number | null;
}

/** The rollout sets open in the engine, and the one on show. */
export interface SetsSlice {
  sets: Record<string, OpenedSet>;
  activeSetId: string | null;
  /** The table, charts and export of each set shown, by set id (kept while the set is open). */
  setViews: Record<string, SetView>;
  /** Lists the sets the engine has open (`trajdbg serve --open DIR`, another tab). */
  loadSets(): Promise<void>;
  /** Opens a path typed in Open: a folder, glob, Parquet or compressed shard as a set, anything else as a file. */
  openPath(path: string): Promise<void>;
  /** Takes a set's status; when a shown set grew, its rows and charts are asked for again. */
  receiveSet(set: OpenedSet): void;
  /** Shows rollout `rid` of a set as a run, in every view. */
  viewRollout(setId: string, rid: number): Promise<void>;
  closeSet(setId: string): Promise<void>;
  /**
   * Shows a set: asks for its rows and charts and polls its status every {@link SET_POLL_MS} until
   * the returned function is called, the set is closed or the store is reset.
   */
  startWatching(setId: string): () => void;
  /** Asks the engine how far the set got (ignored once the set is closed; a failure waits for the next poll). */
  pollStatus(setId: string): Promise<void>;
  /**
   * Fetches the set's rows for its query changed by `change`. A bad filter keeps the last good rows
   * and sets `filterError`; an answer to an earlier call that lands after a later one is dropped.
   */
  queryRollouts(setId: string, change?: Partial<SetQuery>): Promise<void>;
  /** Fetches the charts of the set's filter (a failure keeps the charts shown; earlier answers never win). */
  loadCharts(setId: string): Promise<void>;
  /** A new filter: its first page of rows, and its charts. */
  filterRollouts(setId: string, filter: { where: string; search: string }): Promise<void>;
  /** Orders the rows by `column`; the same column again flips the direction. Reward and tool errors start highest first. */
  sortRollouts(setId: string, column: RolloutColumn): Promise<void>;
  /** One more page of rows. */
  showMoreRollouts(setId: string): Promise<void>;
  /** Writes the rollouts the set's filter keeps, in its order, to `path`; the outcome is the view's `exportMessage`. */
  exportSet(setId: string, format: ExportFormat, path: string): Promise<void>;
}

function newView(): SetView {
  return {
    query: { where: '', search: '', descending: false, limit: SET_PAGE },
    rows: [],
    total: 0,
    filterError: null,
    charts: null,
    seen: null,
    exportMessage: null,
    requests: { query: 0, charts: 0, export: 0 },
    answered: 0,
    watcher: null,
  };
}

/** Builds the sets slice. */
export const createSetsSlice: SliceCreator<SetsSlice> = (set, get) => {
  /**
   * Numbers requests and watchers. One sequence for the store's whole life (it outlives a reset),
   * so an answer to a request made before a reset can never pass for a newer one.
   */
  let sequence = 0;

  function updateView(setId: string, change: (view: SetView) => Partial<SetView>): void {
    set((s) => {
      const view = s.setViews[setId];
      return view ? { setViews: { ...s.setViews, [setId]: { ...view, ...change(view) } } } : {};
    });
  }

  /** Records a new request of `kind` for the set: its number, which is the latest until another is made. */
  function begin(setId: string, kind: keyof SetView['requests']): number {
    const request = ++sequence;
    updateView(setId, (view) => ({ requests: { ...view.requests, [kind]: request } }));
    return request;
  }

  /** Whether `request` is still the set's latest of its kind (not superseded, the set not closed, the store not reset). */
  function isLatest(setId: string, kind: keyof SetView['requests'], request: number): boolean {
    return get().setViews[setId]?.requests[kind] === request;
  }

  return {
    sets: {},
    activeSetId: null,
    setViews: {},

    async loadSets() {
      const c = get().client;
      if (!c) return;
      try {
        const { sets } = await c.call('set.list', {});
        for (const s of sets) get().receiveSet(s);
      } catch {
        // No sets to show: the file views work as before.
      }
    },

    async openPath(path) {
      const c = get().client;
      if (!c) throw new Error('Not connected to the engine');
      const { set: opened } = await c.call('set.open', { sources: [path], onlyIfSet: true });
      if (!opened) return get().openFile(path);
      get().receiveSet(opened);
      set({ activeSetId: opened.setId, openFileOpen: false });
    },

    receiveSet(opened) {
      const before = get().sets[opened.setId]?.status.rollouts;
      set((s) => ({ sets: { ...s.sets, [opened.setId]: opened }, activeSetId: s.activeSetId ?? opened.setId }));
      const view = get().setViews[opened.setId];
      if (!view) return;
      if (view.seen === null && !opened.status.indexing) updateView(opened.setId, () => ({ seen: opened.status.rollouts }));
      if (before !== undefined && before !== opened.status.rollouts) {
        void get().queryRollouts(opened.setId);
        void get().loadCharts(opened.setId);
      }
    },

    async viewRollout(setId, rid) {
      const c = get().client;
      if (!c) return;
      try {
        const { runId } = await c.call('set.view', { setId, rid, breakpoints: get().breakpoints });
        get().selectRun(runId);
        void get().refreshRunList();
      } catch (error) {
        get().reportError(`Could not open rollout ${rid}: ${messageOf(error)}`);
      }
    },

    async closeSet(setId) {
      try {
        await get().client?.call('set.close', { setId });
      } catch (error) {
        get().reportError(`Could not close the set: ${messageOf(error)}`);
      }
      set((s) => {
        const { [setId]: _closed, ...sets } = s.sets;
        // Its view goes too: its poll stops at the next tick and answers still on their way are dropped.
        const { [setId]: _shown, ...setViews } = s.setViews;
        return { sets, setViews, activeSetId: s.activeSetId === setId ? (Object.keys(sets)[0] ?? null) : s.activeSetId };
      });
    },

    startWatching(setId) {
      const watcher = ++sequence;
      const opened = get().sets[setId];
      set((s) => {
        const view = s.setViews[setId] ?? newView();
        const seen = view.seen ?? (opened && !opened.status.indexing ? opened.status.rollouts : null);
        return { setViews: { ...s.setViews, [setId]: { ...view, seen, watcher } } };
      });
      void get().queryRollouts(setId);
      void get().loadCharts(setId);
      let polling = false;
      const timer = setInterval(() => {
        // Closed, shown by a newer watcher, or the store reset: this poll is no longer wanted.
        if (get().setViews[setId]?.watcher !== watcher) return clearInterval(timer);
        // One status call at a time: a slow engine is not asked again before it answered.
        if (polling) return;
        polling = true;
        void get()
          .pollStatus(setId)
          .finally(() => (polling = false));
      }, SET_POLL_MS);
      return () => {
        clearInterval(timer);
        updateView(setId, (view) => (view.watcher === watcher ? { watcher: null } : {}));
      };
    },

    async pollStatus(setId) {
      const c = get().client;
      if (!c) return;
      try {
        const status = await c.call('set.status', { setId });
        // Closed while the answer was on its way: it must not come back.
        if (get().sets[setId]) get().receiveSet(status);
      } catch {
        // The next poll asks again.
      }
    },

    async queryRollouts(setId, change = {}) {
      const c = get().client;
      if (!c || !get().setViews[setId]) return;
      updateView(setId, (view) => ({ query: { ...view.query, ...change } }));
      const request = begin(setId, 'query');
      const { limit, ...query } = get().setViews[setId]!.query;
      try {
        const result = await c.call('set.query', { setId, ...query, limit });
        if (isLatest(setId, 'query', request)) updateView(setId, () => ({ rows: result.rows, total: result.total, filterError: null, answered: request }));
      } catch (error) {
        if (isLatest(setId, 'query', request)) updateView(setId, () => ({ filterError: messageOf(error), answered: request }));
      }
    },

    async loadCharts(setId) {
      const c = get().client;
      const view = get().setViews[setId];
      if (!c || !view) return;
      const request = begin(setId, 'charts');
      try {
        const charts = await c.call('set.charts', { setId, where: view.query.where, search: view.query.search });
        if (isLatest(setId, 'charts', request)) updateView(setId, () => ({ charts }));
      } catch {
        // A bad filter is already the table's alert: the last charts stay.
      }
    },

    async filterRollouts(setId, filter) {
      await Promise.all([get().queryRollouts(setId, { ...filter, limit: SET_PAGE }), get().loadCharts(setId)]);
    },

    async sortRollouts(setId, column) {
      const query = get().setViews[setId]?.query;
      if (!query) return;
      const descending = query.orderBy === column ? !query.descending : column === 'reward' || column === 'tool_errors';
      await get().queryRollouts(setId, { orderBy: column, descending });
    },

    async showMoreRollouts(setId) {
      const query = get().setViews[setId]?.query;
      if (!query) return;
      await get().queryRollouts(setId, { limit: Math.min(MAX_ROWS, query.limit + SET_PAGE) });
    },

    async exportSet(setId, format, path) {
      const c = get().client;
      const view = get().setViews[setId];
      if (!view) return;
      const request = begin(setId, 'export');
      const report = (exportMessage: string): void => {
        if (isLatest(setId, 'export', request)) updateView(setId, () => ({ exportMessage }));
      };
      report('Exporting…');
      try {
        if (!c) throw new Error('Not connected to the engine');
        const { limit: _all, ...query } = view.query;
        const written = await c.call('set.export', { setId, ...query, format, path });
        report(`Wrote ${written.trajectories.toLocaleString('en-US')} rollouts (${written.bytes.toLocaleString('en-US')} bytes) to ${written.path}`);
      } catch (error) {
        report(`Export failed: ${messageOf(error)}`);
      }
    },
  };
};
