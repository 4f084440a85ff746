import type { ApiParams, ApiResult, BranchChange, Breakpoints, RunSettingsInput, RunSummary } from '#shared/api/contract.js';
import type { ModelCallEdit } from '#shared/loop/chat-request.js';
import type { ApprovalDecision } from '#shared/run/events.js';
import type { ToolCallInterventionRequest } from '#shared/run/intervention.js';
import { hasErrorCode } from '#shared/rpc/errors.js';
import type { ConnectionState, EngineClient } from '../api/engine-client.js';
import { requestFrameRender } from './frame.js';
import type { SliceCreator } from './store.js';
import { messageOf } from '#shared/rpc/errors.js';

/** A debugger control of the top bar. */
export type RunAction = 'pause' | 'resume' | 'step' | 'stop';

/** The engine connection, what it said about itself and its runs, and the calls that change runs. */
export interface EngineSlice {
  client: EngineClient | null;
  connection: ConnectionState;
  appInfo: ApiResult<'app.info'> | null;
  runList: RunSummary[];
  /** The breakpoint toggles: sent with new runs and to the selected run when changed. */
  breakpoints: Breakpoints;
  /** The last failed call of the top bar, shown until dismissed or replaced. */
  actionError: string | null;
  /** Attaches the client, then catches up: app info, the run list and the latest run's events. */
  connect(client: EngineClient): Promise<void>;
  /** After a reconnect: refresh the run list and fetch what was pushed while the connection was down. */
  resync(): Promise<void>;
  refreshRunList(): Promise<void>;
  startDemo(): Promise<void>;
  /** Starts a run from the New run form; rejects with the engine's error for the form to show. */
  startRun(settings: RunSettingsInput, startPaused: boolean): Promise<string>;
  /** Starts a run that continues `runId` after its failed turn; rejects like {@link startRun}. */
  retryRun(runId: string, settings: RunSettingsInput): Promise<string>;
  /** Starts a live branch of `runId` from the end of `turn`; rejects like {@link startRun}. */
  continueRun(runId: string, turn: number, settings: RunSettingsInput): Promise<string>;
  /**
   * Starts a branch of `runId` with `change`, on the run's own model and tools, or on `settings`.
   * A run with no model of its own (an opened file) opens the form to choose one; resolves with
   * the branch's id, or null when the form was opened instead. Rejects with the engine's message.
   */
  branchRun(runId: string, change: BranchChange, options?: { settings?: RunSettingsInput; reuseToolResults?: boolean; startPaused?: boolean }): Promise<string | null>;
  control(action: RunAction): Promise<void>;
  /** Stops `runId` (Cancel of a recording that is loading); a failure is shown as the top bar's error. */
  stopRun(runId: string): Promise<void>;
  /**
   * Decides on the command `runId` waits for: run it, run `command` instead (`edit`), or refuse
   * it. A failure is shown as the top bar's error.
   */
  decideCommand(runId: string, decision: ApprovalDecision, command?: string): Promise<void>;
  /**
   * Changes tool call `index` of `turn` before it runs (the run is paused before its tools):
   * edit its arguments or skip it. Rejects with the engine's message, for the caller to show.
   */
  interveneToolCall(runId: string, turn: number, index: number, change: ToolCallInterventionRequest): Promise<void>;
  setBreakpoint(name: keyof Breakpoints, on: boolean): Promise<void>;
  /** Sends the model call `runId` is paused before with `edit` applied (nothing changed: as built). Rejects with the engine's message. */
  editModelCall(runId: string, edit: ModelCallEdit): Promise<void>;
  /** Asks the model once with a turn's prompt and `edit`; the run is not touched. Rejects with the engine's error. */
  askOnce(params: ApiParams<'run.askOnce'>): Promise<ApiResult<'run.askOnce'>>;
  reportError(message: string | null): void;
}

/** Builds the engine slice. */
export const createEngineSlice: SliceCreator<EngineSlice> = (set, get) => {
  function requireClient(): EngineClient {
    const client = get().client;
    if (!client) throw new Error('Not connected to the engine');
    return client;
  }

  /**
   * A run this UI just started: list it, and at the next frame, in one commit with its first
   * events, close the New run form that started it and select it (one DOM update, not three).
   */
  function adopt(runId: string): string {
    requestFrameRender(() => {
      get().closeNewRun();
      get().selectRun(runId);
    });
    void get().refreshRunList();
    return runId;
  }

  async function attempt(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
      set({ actionError: null });
    } catch (error) {
      // A lost connection is already what the status line says.
      if (get().connection !== 'closed') set({ actionError: `${what}: ${messageOf(error)}` });
    }
  }

  return {
    client: null,
    connection: 'connecting',
    appInfo: null,
    runList: [],
    breakpoints: { beforeModel: false, beforeTools: false, onToolError: false },
    actionError: null,

    async connect(client) {
      set({ client, connection: client.connection });
      client.onConnectionChange((connection) => {
        const reconnected = connection === 'open' && get().connection !== 'open';
        set({ connection });
        if (reconnected) void get().resync();
      });
      client.onEvent((event) => get().receiveEvent(event));
      await attempt('Could not reach the engine', async () => {
        const [appInfo, { runs }] = await Promise.all([client.call('app.info', {}), client.call('run.list', {})]);
        set({ appInfo, runList: runs });
        const latest = [...runs].sort((a, b) => b.startedAt - a.startedAt)[0];
        if (latest && get().selectedRunId === null) get().selectRun(latest.runId);
        // The selected run and runs still going are caught up now; ended ones when selected.
        const now = runs.filter((r) => r.state !== 'ended' || r.runId === get().selectedRunId);
        await Promise.all([...now.map((r) => get().catchUp(r.runId)), get().attachFiles(client)]);
      });
    },

    async resync() {
      for (const view of Object.values(get().runs)) view.feed.resync();
      await attempt('Could not reach the engine', async () => {
        await get().refreshRunList();
        const selected = get().selectedRunId;
        const stale = Object.values(get().runs).filter((v) => v.feed.catchUp === 'needed' && (v.feed.runId === selected || !v.feed.snapshot?.end));
        await Promise.all(stale.map((v) => get().catchUp(v.feed.runId)));
      });
    },

    async refreshRunList() {
      const client = get().client;
      if (!client) return;
      try {
        const { runs } = await client.call('run.list', {});
        // In the frame's one commit: a run that starts or ends lists itself with the events that say so.
        requestFrameRender(() => set({ runList: runs }));
      } catch (error) {
        set({ actionError: `Could not list runs: ${messageOf(error)}` });
      }
    },

    async startDemo() {
      await attempt('Could not start the demo', async () => {
        const { runId } = await requireClient().call('run.demo', { breakpoints: get().breakpoints });
        adopt(runId);
      });
    },

    async startRun(settings, startPaused) {
      const { runId } = await requireClient().call('run.start', { settings, startPaused });
      set({ actionError: null });
      return adopt(runId);
    },

    async retryRun(runId, settings) {
      const result = await requireClient().call('run.retry', { runId, settings });
      set({ actionError: null });
      return adopt(result.runId);
    },

    async continueRun(runId, turn, settings) {
      const result = await requireClient().call('run.continue', { runId, turn, settings });
      set({ actionError: null });
      return adopt(result.runId);
    },

    async branchRun(runId, change, options = {}) {
      try {
        const result = await requireClient().call('run.branch', {
          runId,
          change,
          reuseToolResults: options.reuseToolResults ?? false,
          startPaused: options.startPaused ?? false,
          // The breakpoints set in the top bar apply to the branch as to any run.
          breakpoints: get().breakpoints,
          ...(options.settings ? { settings: options.settings } : {}),
        });
        set({ actionError: null });
        return adopt(result.runId);
      } catch (error) {
        // The run has no endpoint of its own to branch with: ask for one in the New run form.
        if (options.settings || !hasErrorCode(error, 'needs_endpoint')) throw error;
        get().openNewRun({ runId, turn: 'turn' in change ? change.turn : 0, mode: 'branch', change, reuseToolResults: options.reuseToolResults ?? false });
        return null;
      }
    },

    async control(action) {
      const runId = get().selectedRunId;
      if (!runId) return;
      await attempt(`Could not ${action} the run`, () => requireClient().call('run.control', { runId, action }));
    },

    async stopRun(runId) {
      await attempt('Could not cancel loading', () => requireClient().call('run.control', { runId, action: 'stop' }));
    },

    async decideCommand(runId, decision, command) {
      const verb = decision === 'edit' ? 'run the edited command' : `${decision} the command`;
      await attempt(`Could not ${verb}`, () => requireClient().call('run.approve', { runId, decision, ...(decision === 'edit' ? { command } : {}) }));
    },

    async interveneToolCall(runId, turn, index, change) {
      await requireClient().call('run.intervene', { runId, turn, index, change });
    },

    async setBreakpoint(name, on) {
      const breakpoints = { ...get().breakpoints, [name]: on };
      set({ breakpoints });
      const runId = get().selectedRunId;
      const snapshot = runId ? get().runs[runId]?.feed.snapshot : null;
      if (!runId || !snapshot || snapshot.end) return;
      await attempt('Could not set the breakpoints', () => requireClient().call('run.breakpoints', { runId, breakpoints }));
    },

    async editModelCall(runId, edit) {
      await requireClient().call('run.editModelCall', { runId, edit });
      set({ actionError: null });
    },

    askOnce: (params) => requireClient().call('run.askOnce', params),

    reportError: (actionError) => set({ actionError }),
  };
};
