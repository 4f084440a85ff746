import type { ApiMethod, ApiParams, ApiResult, OpenedFile, RunSummary } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { Listeners, type ConnectionState, type EngineClient } from './engine-client.js';

/** A scripted reply for one method; throwing (or rejecting) makes the call fail. */
export type FakeReply<M extends ApiMethod> = (params: ApiParams<M>) => ApiResult<M> | Promise<ApiResult<M>>;

/**
 * An in-memory engine for tests: runs are lists of scripted events, every call is recorded, and
 * any method's reply can be replaced. Events reach listeners only through {@link emit}.
 */
export class FakeClient implements EngineClient {
  connection: ConnectionState = 'open';
  /** Every call made, in order. */
  readonly calls: Array<{ method: ApiMethod; params: unknown }> = [];
  /** Replies that replace the defaults below. */
  readonly replies: { [M in ApiMethod]?: FakeReply<M> } = {};
  private readonly runs = new Map<string, { summary: RunSummary; events: RunEvent[] }>();
  private readonly events = new Listeners<RunEvent>();
  private readonly files = new Listeners<OpenedFile>();
  /** Paths `fileRef` gives for dropped files, by file name. */
  readonly dropPaths = new Map<string, string>();
  private readonly connectionChanges = new Listeners<ConnectionState>();
  private nextRun = 1;

  /** Adds a run that `run.list` and `run.events` report (its events are not pushed). */
  addRun(events: RunEvent[], summary: Partial<RunSummary> = {}): string {
    const runId = events[0]?.runId ?? summary.runId ?? `run-${this.nextRun++}`;
    const ended = events.some((e) => e.type === 'run_finished');
    this.runs.set(runId, {
      summary: { runId, title: runId, startedAt: events[0]?.time ?? 0, state: ended ? 'ended' : 'running', parentRunId: null, forkTurn: null, change: null, outcome: null, ...summary },
      events: [...events],
    });
    return runId;
  }

  /** Pushes an event to listeners, as the engine does while a run goes on. */
  emit(event: RunEvent): void {
    if (!this.runs.has(event.runId)) this.addRun([], { runId: event.runId });
    this.runs.get(event.runId)!.events.push(event);
    this.events.emit(event);
  }

  setConnection(state: ConnectionState): void {
    this.connection = state;
    this.connectionChanges.emit(state);
  }

  /** The calls made to one method, with their parameters. */
  callsOf<M extends ApiMethod>(method: M): Array<ApiParams<M>> {
    return this.calls.filter((c) => c.method === method).map((c) => c.params as ApiParams<M>);
  }

  onEvent(listener: (event: RunEvent) => void): () => void {
    return this.events.add(listener);
  }

  onFile(listener: (file: OpenedFile) => void): () => void {
    return this.files.add(listener);
  }

  /** Pushes a file status to listeners, as the engine does while it indexes. */
  emitFile(file: OpenedFile): void {
    this.files.emit(file);
  }

  async fileRef(file: File): Promise<string> {
    const path = this.dropPaths.get(file.name);
    if (!path) throw new Error(`${file.name}: this file has no path on disk`);
    return path;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.connectionChanges.add(listener);
  }

  async call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>> {
    this.calls.push({ method, params });
    const reply = this.replies[method] as FakeReply<M> | undefined;
    if (reply) return reply(params);
    return this.defaultReply(method, params) as ApiResult<M>;
  }

  /**
   * Holds every `run.events` page after a run's first until the returned release is called, as a
   * long run's later pages wait on a busy host.
   */
  holdLaterPages(): () => void {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    this.replies['run.events'] = async (params) => {
      if ((params.fromSeq ?? 0) > 0) await held;
      return this.defaultReply('run.events', params) as ApiResult<'run.events'>;
    };
    return release;
  }

  /** What the fake answers when a test has not scripted `replies[method]`. */
  defaultReply(method: ApiMethod, params: unknown): unknown {
    switch (method) {
      case 'app.info':
        return { mode: 'serve', version: 'test', keyStorage: 'memory', retryPolicy: '', notices: [] };
      case 'settings.load':
        return { settings: null, hasApiKey: false };
      case 'run.list':
        return { runs: [...this.runs.values()].map((r) => r.summary) };
      case 'run.events': {
        const { runId, fromSeq = 0, limit = 5_000 } = params as { runId: string; fromSeq?: number; limit?: number };
        const events = (this.runs.get(runId)?.events ?? []).filter((e) => e.seq >= fromSeq && e.type !== 'model_delta');
        return { events: events.slice(0, limit), complete: events.length <= limit };
      }
      case 'run.start':
      case 'run.demo':
      case 'run.replay':
      case 'run.retry':
      case 'run.continue':
      case 'run.branch':
      case 'file.view':
        return { runId: `run-${this.nextRun++}` };
      case 'run.control':
      case 'run.approve':
      case 'run.intervene':
      case 'run.breakpoints':
      case 'file.cancel':
      case 'file.close':
        return {};
      case 'file.list':
      case 'file.recent':
      case 'run.interrupted':
        return { files: [] };
      case 'file.rows':
        return { rows: [] };
      case 'file.search':
        return { indices: [] };
      case 'file.recordedPrompt':
        return { messages: null };
      case 'file.pick':
        return { path: null };
      case 'file.open':
      case 'export.write':
        throw new Error(`${method}: not scripted in this test`);
    }
  }
}
