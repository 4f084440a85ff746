import { randomUUID } from 'node:crypto';
import type { EndReason, PausePoint, RunEvent, RunEventBody } from '../../../shared/run/events.js';
import { agentResultOf, RunState } from '../../../shared/run/run-state.js';
import type { BreakpointsInput } from '../../../shared/run/events.js';
import type { RunHandle, RunListener, RunOutcome } from './run-handle.js';
import { RunControl } from './run-control.js';

/** Options of {@link playRecordedRun}. */
export interface RecordedRunOptions {
  runId?: string;
  now?: () => number;
  breakpoints?: BreakpointsInput;
  /** Pause before the first turn, to step through the recording from the start. */
  startPaused?: boolean;
}

class Stopped extends Error {}

/**
 * Plays the events of a recorded trajectory (see `trajectoryRunEvents`) as a run with the
 * debugger's controls: the same pause points as a live run (before a model call, before tools,
 * on a tool error), Step, Run to end and Stop, so the views fill in turn by turn as if it were
 * running. Nothing is executed: the model replies and tool results are the file's.
 */
export function playRecordedRun(bodies: readonly RunEventBody[], options: RecordedRunOptions = {}): RunHandle {
  const run = new RecordedRun(options.runId ?? randomUUID(), bodies, options);
  queueMicrotask(() => void run.play());
  return run;
}

class RecordedRun implements RunHandle {
  readonly state = new RunState();
  readonly done: Promise<RunOutcome>;
  private resolveDone!: (outcome: RunOutcome) => void;
  private readonly listeners = new Set<RunListener>();
  private readonly now: () => number;
  private seq = 0;
  private readonly controls: RunControl;
  private stopped = false;

  constructor(
    readonly runId: string,
    private readonly bodies: readonly RunEventBody[],
    options: RecordedRunOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.controls = new RunControl(options.breakpoints, options.startPaused ?? false);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  subscribe(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pause(): void {
    this.controls.pause();
  }

  resume(): void {
    this.controls.resume();
  }

  step(): void {
    this.controls.step();
  }

  stop(): void {
    this.stopped = true;
    this.controls.release();
  }

  setBreakpoints(breakpoints: BreakpointsInput): void {
    this.controls.setBreakpoints(breakpoints);
  }

  async play(): Promise<void> {
    const last = this.bodies[this.bodies.length - 1];
    let end: { reason: EndReason; turnsUsed: number } = last?.type === 'run_finished' ? { reason: last.reason, turnsUsed: last.turnsUsed } : { reason: 'recording_ended', turnsUsed: 0 };
    let turn = 0;
    let toolsStarted = false;
    try {
      for (const body of this.bodies) {
        if (body.type === 'run_finished') break;
        if (body.type === 'turn_started') {
          // Let I/O run between turns, as the engine does.
          await new Promise<void>((resolve) => setImmediate(resolve));
          turn = body.turn;
          toolsStarted = false;
          this.emit(body);
          await this.checkpoint(turn, 'before_model');
          continue;
        }
        if (body.type === 'tool_started' && !toolsStarted) {
          toolsStarted = true;
          await this.checkpoint(turn, 'before_tools');
        }
        this.emit(body);
        if (body.type === 'tool_finished' && body.status !== 'ok' && this.controls.onToolError) await this.checkpoint(turn, 'tool_error');
      }
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
      end = { reason: 'stopped', turnsUsed: this.state.started ? this.state.current.turns.length : 0 };
    }
    this.emit({ type: 'run_finished', ...end });
    this.resolveDone({ reason: end.reason, result: agentResultOf(this.state.current) });
  }

  private checkpoint(turn: number, at: PausePoint): Promise<void> {
    return this.controls.checkpoint(
      turn,
      at,
      (body) => this.emit(body),
      () => {
        if (this.stopped) throw new Stopped();
      },
    );
  }

  private emit(body: RunEventBody): void {
    const event = { ...body, runId: this.runId, seq: this.seq++, time: this.now() } as RunEvent;
    this.state.apply(event);
    for (const listener of this.listeners) listener(event);
  }
}
