import { ApiError } from '#shared/rpc/errors.js';
import type { RunSettings, RunSummary } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import type { RunHandle } from '../loop/run-handle.js';
import { readRunFile } from '../persistence/run-file.js';

/** Where a run's model and tools came from, so a branch can get the same again. */
export type RunOrigin = { kind: 'settings'; settings: RunSettings } | { kind: 'demo'; workspace: string };

/** How a run is listed and where its events are written. */
export interface RunMeta {
  title: string;
  rootTitle?: string;
  parentRunId: string | null;
  change?: string | null;
  origin: RunOrigin | null;
  /** Append to this run file (the root run's) instead of starting a new one. */
  appendTo?: string | null;
  /** Keep its events from the event listeners: a run adopted already ended, fetched with `run.events`. */
  quiet?: boolean;
}

/** A run the service knows of, live or ended; ended runs with a run file are read back from it. */
export interface ManagedRun {
  readonly runId: string;
  readonly title: string;
  /** The title of the run its branch tree starts from (its own title for a root run). */
  readonly rootTitle: string;
  readonly startedAt: number;
  readonly parentRunId: string | null;
  /** What a branch changed, in words (run.branch only). */
  readonly change: string | null;
  /** The run's settings (without the key) or demo workspace; null for an opened trajectory or a replay. */
  readonly origin: RunOrigin | null;
  /** The run file its events go to (its root run's), once written; null for runs without one. */
  readonly runFile: { path: string | null };
  /** The live handle, or null once the run has ended and been released to its run file. */
  handle: RunHandle | null;
  /** Its events are fetched, never pushed (an opened trajectory, built a slice at a time). */
  readonly quiet: boolean;
  /** Persisted events while held in memory (empty once released). */
  events: RunEvent[];
  /** How it is listed once released (computed as it ended). */
  ended: RunSummary | null;
  finished: Promise<void>;
}

/** The runs of the service: live ones in memory, ended ones on disk with a summary in memory. */
export interface RunRegistry {
  /** Lists a run, keeps its persisted events while it is live, and forwards its events. */
  add(handle: RunHandle, meta: RunMeta, runFile: { path: string | null }, release: () => Promise<void>): string;
  find(runId: string): ManagedRun;
  /** A run's persisted events, from memory or its run file. */
  eventsOf(run: ManagedRun): RunEvent[];
  /**
   * Whether a quiet run (an opened trajectory, whose events are fetched, never pushed) is still
   * being built: the events it holds are not all it will have.
   */
  building(run: ManagedRun): boolean;
  /** Resolves once a run holds more than `count` events, or has ended. */
  eventsPast(run: ManagedRun, count: number): Promise<void>;
  /**
   * The run, once whole: a quiet run still being built is waited for, so what is read from it
   * (to branch, continue, ask or export) is all of it.
   */
  findBuilt(runId: string): Promise<ManagedRun>;
  /** A run's current state, from its handle or its run file. */
  stateOf(run: ManagedRun): RunSnapshot;
  /** The live handle of a run; throws once the run has ended and been released. */
  handleOf(run: ManagedRun): RunHandle;
  list(): RunSummary[];
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** How many events are held in memory across all runs (the memory bound's measure). */
  heldEvents(): number;
  /** Stops every live run and waits for each to be released. */
  close(): Promise<void>;
}

/** Ended runs without a run file (opened trajectories played as runs) kept in memory; older ones are forgotten. */
export const UNFILED_RUNS_KEPT = 32;

/** How a live or just-ended run is listed. */
function summaryOf(run: ManagedRun, state: RunSnapshot | null): RunSummary {
  const forkTurn = state?.source.forkTurn;
  return {
    runId: run.runId,
    title: run.title,
    startedAt: run.startedAt,
    state: state?.end ? 'ended' : state?.pausedAt ? 'paused' : 'running',
    parentRunId: run.parentRunId,
    forkTurn: typeof forkTurn === 'number' ? forkTurn : null,
    change: run.change,
    outcome: state
      ? { turnsUsed: state.end?.turnsUsed ?? state.turns.length, toolErrors: state.counters.execError, finishedNaturally: state.end?.reason === 'finished_naturally', endReason: state.end?.reason ?? null }
      : null,
  };
}

/**
 * Builds the run registry. A run that has ended and whose run file is closed keeps only its
 * summary in memory: its events and state are read back from the file when asked for, so a
 * long-lived service holds the events of its live runs only.
 */
export function createRunRegistry(options: { unfiledKept?: number } = {}): RunRegistry {
  const unfiledKept = options.unfiledKept ?? UNFILED_RUNS_KEPT;
  const runs = new Map<string, ManagedRun>();
  const unfiledEnded: string[] = [];
  const listeners = new Set<(event: RunEvent) => void>();
  /** Calls waiting for a run to hold more than `count` events, by run id (see eventsPast). */
  const waiting = new Map<string, Array<{ count: number; resolve: () => void }>>();

  function wake(run: ManagedRun): void {
    const waiters = waiting.get(run.runId);
    if (!waiters) return;
    const done = ended(run);
    const still: typeof waiters = [];
    for (const waiter of waiters) {
      if (done || run.events.length > waiter.count) waiter.resolve();
      else still.push(waiter);
    }
    if (still.length > 0) waiting.set(run.runId, still);
    else waiting.delete(run.runId);
  }

  function ended(run: ManagedRun): boolean {
    return !run.handle || (run.handle.state.started && run.handle.state.current.end !== null);
  }

  function building(run: ManagedRun): boolean {
    return run.quiet && !ended(run);
  }

  /** The run's own part of its run file (a file holds a root run and its branches). */
  function fromFile(run: ManagedRun, path: string): { events: RunEvent[]; state: RunSnapshot } {
    const found = readRunFile(path).runs.find((r) => r.runId === run.runId);
    if (!found || !found.state.started) throw new Error(`run file ${path}: run ${run.runId} is missing from it`);
    return { events: found.events, state: found.state.current };
  }

  /** After the run has ended and its file is closed: drop what the file holds, or bound unfiled runs. */
  function settle(run: ManagedRun): void {
    const handle = run.handle;
    if (!handle || !handle.state.started || !handle.state.current.end) return;
    if (run.runFile.path !== null) {
      run.ended = summaryOf(run, handle.state.current);
      run.handle = null;
      run.events = [];
      return;
    }
    unfiledEnded.push(run.runId);
    while (unfiledEnded.length > unfiledKept) runs.delete(unfiledEnded.shift()!);
  }

  function find(runId: string): ManagedRun {
    const run = runs.get(runId);
    if (!run) throw new ApiError('not_found', `no run with id ${runId}`);
    return run;
  }

  return {
    add(handle, meta, runFile, release) {
      const run: ManagedRun = {
        runId: handle.runId,
        title: meta.title,
        rootTitle: meta.rootTitle ?? meta.title,
        startedAt: Date.now(),
        parentRunId: meta.parentRunId,
        change: meta.change ?? null,
        quiet: meta.quiet ?? false,
        origin: meta.origin,
        runFile,
        handle,
        events: [],
        ended: null,
        finished: Promise.resolve(),
      };
      run.finished = handle.done.then(release).then(() => settle(run));
      const push = (event: RunEvent): void => {
        if (event.type !== 'model_delta' && run.handle) run.events.push(event);
        if (!meta.quiet) for (const listener of listeners) listener(event);
        wake(run);
      };
      // A handle that emitted before it was returned (a recording built at once or its first slice) hands that over.
      if (handle.recorded) for (const event of handle.recorded()) push(event);
      handle.subscribe(push);
      void handle.done.then(() => wake(run));
      runs.set(handle.runId, run);
      return handle.runId;
    },
    find,
    eventsOf(run) {
      if (run.handle || run.runFile.path === null) return run.events;
      return fromFile(run, run.runFile.path).events;
    },
    building,
    async findBuilt(runId) {
      const run = find(runId);
      if (building(run)) await run.handle!.done;
      return run;
    },
    eventsPast(run, count) {
      if (ended(run) || run.events.length > count) return Promise.resolve();
      return new Promise((resolve) => waiting.set(run.runId, [...(waiting.get(run.runId) ?? []), { count, resolve }]));
    },
    stateOf(run) {
      if (run.handle || run.runFile.path === null) return run.handle!.state.current;
      return fromFile(run, run.runFile.path).state;
    },
    handleOf(run) {
      if (!run.handle) throw new Error(`run "${run.title}" (${run.runId}) has ended`);
      return run.handle;
    },
    list() {
      return [...runs.values()].map((run) => run.ended ?? summaryOf(run, run.handle?.state.started ? run.handle.state.current : null));
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    heldEvents() {
      let n = 0;
      for (const run of runs.values()) n += run.events.length;
      return n;
    },
    async close() {
      for (const run of runs.values()) run.handle?.stop();
      await Promise.allSettled([...runs.values()].map((run) => run.finished));
      listeners.clear();
    },
  };
}

/**
 * Whether a run plays a recording (an opened file's replay, or `run.replay`): its model and tools
 * answer from the recording whatever they are sent, so its calls are changed in a branch, not in it.
 */
export function playsRecording(registry: RunRegistry, run: ManagedRun): boolean {
  return registry.stateOf(run).source.replayOf !== undefined;
}
