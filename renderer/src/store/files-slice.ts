import type { ApiParams, ApiResult, OpenedFile } from '#shared/api/contract.js';
import type { ChatMessage } from '#shared/model/chat.js';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import type { EngineClient } from '../api/engine-client.js';
import { activeFileOf, shownTrajectory, type RunOrigin } from './shown.js';
import type { SliceCreator } from './store.js';
import { messageOf } from '#shared/rpc/errors.js';

/** An opened file as the UI holds it: its progress and the rows indexed so far. */
export interface FileView {
  status: OpenedFile;
  rows: TrajectorySummary[];
  /** Indices matching the collection's full-text search, or null when none is active. */
  textMatches: ReadonlySet<number> | null;
  /** The user cancelled the file's load: its trajectory is not opened by itself (a row still opens it). */
  loadCancelled?: boolean;
}

/** A run file of an earlier session that never ended, offered for reopening. */
export type InterruptedRun = ApiResult<'run.interrupted'>['files'][number];

/** Rows fetched per `file.rows` call while a file is indexed. */
const ROWS_PAGE = 5_000;

/** Opened trajectory files, their collection rows, and which trajectory is on show. */
export interface FilesSlice {
  files: Record<string, FileView>;
  /**
   * The file picked or opened last. The collection shows the selected run's file instead when
   * there is one (see activeFileOf): the selected run is the one selection.
   */
  activeFileId: string | null;
  /** Which file trajectory each run shows, for the runs this UI asked the engine to show. */
  runOrigins: Record<string, RunOrigin>;
  /** The file trajectory being asked for (one request at a time per file load), or null. */
  viewing: RunOrigin | null;
  recentFiles: Array<{ path: string; openedAt: number }>;
  /** Runs of earlier sessions that never ended (listed once connected). */
  interrupted: InterruptedRun[];
  /** The exact prompts files record, by `fileId#index#turn`: 'loading', or null when there is none. */
  recordedPrompts: Record<string, ChatMessage[] | null | 'loading'>;
  /** Files whose rows are being fetched: one fetch at a time, each from where the last ended. */
  fetchingRows: Record<string, true>;
  /** Runs already showing a trajectory, by `fileId#index`: reopening a row selects its run instead of replaying it. */
  shownRuns: Record<string, string>;
  /** Counts viewTrajectory calls: only the latest may change what is shown (a slower earlier load must not win). */
  viewRequests: number;
  /** Listens for file progress and lists the files the engine already has open (on connect). */
  attachFiles(client: EngineClient): Promise<void>;
  /** Opens a file on the engine's machine; rejects with the engine's message. */
  openFile(path: string, index?: number): Promise<void>;
  /** Opens a file dropped on the window (its path, or an upload of it in the browser). */
  openDropped(file: File): Promise<void>;
  receiveFile(status: OpenedFile): void;
  /** Shows trajectory `index` of a file as a run (played to the end, or paused to step through). */
  viewTrajectory(fileId: string, index: number, options?: { startPaused?: boolean }): Promise<void>;
  searchFile(fileId: string, text: string): Promise<void>;
  cancelFile(fileId: string): Promise<void>;
  closeFile(fileId: string): Promise<void>;
  /** Picks a file in the collection panel: selects the run last shown from it, or shows its first trajectory. */
  setActiveFile(fileId: string | null): void;
  refreshRecent(): Promise<void>;
  /** Lists the interrupted runs of earlier sessions (a failure leaves the list as it was). */
  loadInterrupted(): Promise<void>;
  /** Opens an interrupted run's file and takes it off the list; a failure is reported. */
  reopenInterrupted(path: string): Promise<void>;
  /** Fetches the prompt a file records for a turn into `recordedPrompts` (once). */
  loadRecordedPrompt(fileId: string, index: number, turn: number): Promise<void>;
  /** Asks the desktop for a path with its native picker: null when cancelled or not connected. */
  pickFile(purpose: 'open' | 'save', defaultPath?: string): Promise<string | null>;
  exportTo(params: ApiParams<'export.write'>): Promise<string>;
}

/** Builds the files slice. */
export const createFilesSlice: SliceCreator<FilesSlice> = (set, get) => {
  function client(): EngineClient {
    const c = get().client;
    if (!c) throw new Error('Not connected to the engine');
    return c;
  }

  async function fetchRows(fileId: string): Promise<void> {
    if (get().fetchingRows[fileId]) return;
    set((s) => ({ fetchingRows: { ...s.fetchingRows, [fileId]: true } }));
    try {
      for (;;) {
        const file = get().files[fileId];
        if (!file || file.rows.length >= file.status.trajectories) return;
        const { rows } = await client().call('file.rows', { fileId, from: file.rows.length, limit: ROWS_PAGE });
        if (rows.length === 0) return;
        const now = get().files[fileId];
        if (!now) return;
        set((s) => ({ files: { ...s.files, [fileId]: { ...now, rows: [...now.rows, ...rows] } } }));
        afterRows(fileId);
      }
    } catch (error) {
      get().reportError(`Could not list the trajectories of the file: ${messageOf(error)}`);
    } finally {
      set((s) => {
        const { [fileId]: _done, ...fetchingRows } = s.fetchingRows;
        return { fetchingRows };
      });
    }
  }

  /** The first trajectory (or the one asked for) goes on screen as soon as its row is indexed. */
  function afterRows(fileId: string): void {
    const file = get().files[fileId];
    if (!file || file.loadCancelled || activeFileOf(get()) !== fileId) return;
    if (shownTrajectory(get())?.fileId === fileId || get().viewing?.fileId === fileId) return;
    const wanted = file.status.focusIndex ?? 0;
    if (file.rows.length > wanted) void get().viewTrajectory(fileId, wanted);
  }

  return {
    files: {},
    activeFileId: null,
    runOrigins: {},
    viewing: null,
    recentFiles: [],
    interrupted: [],
    recordedPrompts: {},
    fetchingRows: {},
    shownRuns: {},
    viewRequests: 0,

    async attachFiles(c) {
      c.onFile((status) => get().receiveFile(status));
      const [{ files }, recent] = await Promise.all([c.call('file.list', {}), c.call('file.recent', {})]);
      set({ recentFiles: recent.files });
      for (const status of files) get().receiveFile(status);
    },

    async openFile(path, index) {
      const status = await client().call('file.open', { path, ...(index !== undefined ? { index } : {}) });
      set({ activeFileId: status.fileId, openFileOpen: false });
      // Opened again after a cancelled load: it loads as it did the first time.
      const cancelled = get().files[status.fileId];
      if (cancelled?.loadCancelled) set((s) => ({ files: { ...s.files, [status.fileId]: { ...cancelled, loadCancelled: false } } }));
      const existing = get().files[status.fileId];
      const shown = shownTrajectory(get());
      // Opened again: show the trajectory asked for (or the first) once more.
      if (existing && shown?.fileId === status.fileId) void get().viewTrajectory(status.fileId, index ?? shown.index);
      // Another run on show: this file's trajectory replaces it (the page says it is loading meanwhile).
      else if (shown?.fileId !== status.fileId) get().selectRun(null);
      get().receiveFile(status);
      void get().refreshRecent();
    },

    async openDropped(file) {
      try {
        const path = await client().fileRef(file);
        await get().openFile(path);
      } catch (error) {
        get().reportError(`Could not open ${file.name}: ${messageOf(error)}`);
      }
    },

    receiveFile(status) {
      const existing = get().files[status.fileId];
      const file: FileView = existing ? { ...existing, status } : { status, rows: [], textMatches: null };
      set((s) => ({ files: { ...s.files, [status.fileId]: file }, activeFileId: s.activeFileId ?? status.fileId }));
      if (!existing && get().activeFileId !== status.fileId) set({ activeFileId: status.fileId });
      if (file.rows.length < status.trajectories) void fetchRows(status.fileId);
      else afterRows(status.fileId);
    },

    async viewTrajectory(fileId, index, options = {}) {
      const key = `${fileId}#${index}`;
      const known = options.startPaused ? undefined : get().shownRuns[key];
      const request = get().viewRequests + 1;
      set({ viewRequests: request, viewing: { fileId, index } });
      try {
        const runId = known && get().runs[known] ? known : (await client().call('file.view', { fileId, index, startPaused: options.startPaused ?? false, breakpoints: get().breakpoints })).runId;
        set((s) => ({ runOrigins: { ...s.runOrigins, [runId]: { fileId, index } }, ...(options.startPaused ? {} : { shownRuns: { ...s.shownRuns, [key]: runId } }) }));
        if (request !== get().viewRequests) return;
        set({ activeFileId: fileId });
        get().selectRun(runId);
        void get().refreshRunList();
      } catch (error) {
        get().reportError(`Could not open trajectory ${index}: ${messageOf(error)}`);
      } finally {
        if (request === get().viewRequests) set({ viewing: null });
      }
    },

    async searchFile(fileId, text) {
      const file = get().files[fileId];
      if (!file) return;
      if (text.trim() === '') {
        set((s) => ({ files: { ...s.files, [fileId]: { ...s.files[fileId]!, textMatches: null } } }));
        return;
      }
      try {
        const { indices } = await client().call('file.search', { fileId, text });
        set((s) => ({ files: { ...s.files, [fileId]: { ...s.files[fileId]!, textMatches: new Set(indices) } } }));
      } catch (error) {
        get().reportError(`Could not search the file: ${messageOf(error)}`);
      }
    },

    async cancelFile(fileId) {
      // The load the user sees is the index and then the first trajectory opening by itself: Cancel
      // stops both, whichever is under way (the index may have ended as the press was made).
      const file = get().files[fileId];
      if (file) set((s) => ({ files: { ...s.files, [fileId]: { ...file, loadCancelled: true } } }));
      if (get().viewing?.fileId === fileId) set((s) => ({ viewRequests: s.viewRequests + 1, viewing: null }));
      const shown = shownTrajectory(get());
      const runId = get().selectedRunId;
      if (shown?.fileId === fileId && runId !== null && get().runs[runId]?.feed.catchUp === 'loading') void get().cancelLoading(runId);
      if (file && file.status.state !== 'indexing') return;
      try {
        await client().call('file.cancel', { fileId });
      } catch (error) {
        get().reportError(`Could not cancel: ${messageOf(error)}`);
      }
    },

    async closeFile(fileId) {
      try {
        await client().call('file.close', { fileId });
      } catch (error) {
        get().reportError(`Could not close the file: ${messageOf(error)}`);
      }
      const ofOthers = <T>(byKey: Record<string, T>) => Object.fromEntries(Object.entries(byKey).filter(([key]) => !key.startsWith(`${fileId}#`)));
      set((s) => {
        const { [fileId]: _closed, ...files } = s.files;
        return {
          files,
          shownRuns: ofOthers(s.shownRuns),
          recordedPrompts: ofOthers(s.recordedPrompts),
          activeFileId: s.activeFileId === fileId ? (Object.keys(files)[0] ?? null) : s.activeFileId,
        };
      });
    },

    setActiveFile(fileId) {
      set({ activeFileId: fileId });
      if (!fileId || activeFileOf(get()) === fileId) return;
      // The run last shown from this file, else its first trajectory (or, once indexed, the one asked for).
      const last = Object.entries(get().shownRuns)
        .filter(([key, runId]) => key.startsWith(`${fileId}#`) && get().runs[runId])
        .at(-1)?.[1];
      if (last) return get().selectRun(last);
      get().selectRun(null);
      afterRows(fileId);
    },

    async refreshRecent() {
      try {
        set({ recentFiles: (await client().call('file.recent', {})).files });
      } catch {
        // The list is a convenience: a failure here leaves the old one.
      }
    },

    async loadInterrupted() {
      const c = get().client;
      if (!c) return;
      try {
        set({ interrupted: (await c.call('run.interrupted', {})).files });
      } catch {
        // An offer to reopen: without the list there is nothing to offer.
      }
    },

    async reopenInterrupted(path) {
      try {
        await get().openFile(path);
        set((s) => ({ interrupted: s.interrupted.filter((f) => f.path !== path) }));
      } catch (error) {
        get().reportError(`Could not reopen ${path}: ${messageOf(error)}`);
      }
    },

    async loadRecordedPrompt(fileId, index, turn) {
      const key = `${fileId}#${index}#${turn}`;
      const c = get().client;
      if (!c || get().recordedPrompts[key] !== undefined) return;
      set((s) => ({ recordedPrompts: { ...s.recordedPrompts, [key]: 'loading' } }));
      let messages: ChatMessage[] | null;
      try {
        messages = (await c.call('file.recordedPrompt', { fileId, index, turn })).messages as ChatMessage[] | null;
      } catch {
        // Shown as a recomputed prompt instead.
        messages = null;
      }
      set((s) => ({ recordedPrompts: { ...s.recordedPrompts, [key]: messages } }));
    },

    async pickFile(purpose, defaultPath) {
      const c = get().client;
      if (!c) return null;
      return (await c.call('file.pick', { purpose, ...(defaultPath ? { defaultPath } : {}) })).path;
    },

    async exportTo(params) {
      const written = await client().call('export.write', params);
      return `Wrote ${written.trajectories.toLocaleString('en-US')} ${written.trajectories === 1 ? 'trajectory' : 'trajectories'} (${written.bytes.toLocaleString('en-US')} bytes) to ${written.path}`;
    },
  };
};
