import { randomUUID } from 'node:crypto';
import type { EndReason, PausePoint, RunEvent, RunEventBody } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import type { BreakpointsInput } from '#shared/run/events.js';
import { ControlledRun, type RunHandle } from './run-handle.js';

/** Options of {@link playRecordedRun}. */
export interface RecordedRunOptions {
  runId?: string;
  now?: () => number;
  breakpoints?: BreakpointsInput;
  /** Pause before the first turn, to step through the recording from the start. */
  startPaused?: boolean;
}

/**
 * Builds the run of a recorded trajectory already ended, in one go: every event is emitted and
 * applied at once, with no pause points and no yield between turns, so a view of the recording
 * is data to fetch (`run.events`), not a run to watch. Use {@link playRecordedRun} to step through it.
 */
export function recordedRunAtOnce(bodies: readonly RunEventBody[], options: Omit<RecordedRunOptions, 'startPaused' | 'breakpoints'> = {}): RunHandle {
  const run = new RecordedRun(options.runId ?? randomUUID(), bodies, options);
  run.playAtOnce();
  return run;
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

class RecordedRun extends ControlledRun {
  private stopped = false;

  constructor(
    runId: string,
    private readonly bodies: readonly RunEventBody[],
    options: RecordedRunOptions,
  ) {
    super(runId, options.now ?? Date.now, options.breakpoints, options.startPaused ?? false);
  }

  stop(): void {
    this.stopped = true;
    this.controls.release();
  }

  private kept: RunEvent[] | null = null;

  recorded(): RunEvent[] {
    const kept = this.kept ?? [];
    this.kept = null;
    return kept;
  }

  protected override record(event: RunEvent): void {
    this.kept?.push(event);
  }

  /** Emits every event now, ending the run (no controls can act in between); {@link recorded} hands them over. */
  playAtOnce(): void {
    this.kept = [];
    const last = this.bodies[this.bodies.length - 1];
    const end: { reason: EndReason; turnsUsed: number } = last?.type === 'run_finished' ? { reason: last.reason, turnsUsed: last.turnsUsed } : { reason: 'recording_ended', turnsUsed: 0 };
    for (const body of this.bodies) {
      if (body.type === 'run_finished') break;
      this.emit(body);
    }
    this.emit({ type: 'run_finished', ...end });
    this.finish({ reason: end.reason, result: agentResultOf(this.state.current) });
  }

  async play(): Promise<void> {
    const last = this.bodies[this.bodies.length - 1];
    let end: { reason: EndReason; turnsUsed: number } = last?.type === 'run_finished' ? { reason: last.reason, turnsUsed: last.turnsUsed } : { reason: 'recording_ended', turnsUsed: 0 };
    let turn = 0;
    let toolsStarted = false;
    // Whether the turn started waits for its before-model pause point.
    let beforeModel = false;
    try {
      for (const body of this.bodies) {
        if (body.type === 'run_finished') break;
        if (body.type === 'turn_started') {
          // Let I/O run between turns, as the engine does.
          await new Promise<void>((resolve) => setImmediate(resolve));
          turn = body.turn;
          toolsStarted = false;
          this.emit(body);
          beforeModel = true;
          continue;
        }
        if (beforeModel) {
          beforeModel = false;
          // The recording holds the turn's prompt: it is there at the pause, as the call a branch
          // from this turn would send (the engine builds it after the pause, from the trajectory).
          if (body.type === 'prompt_view') {
            this.emit(body);
            await this.checkpoint(turn, 'before_model');
            continue;
          }
          await this.checkpoint(turn, 'before_model');
        }
        if (body.type === 'tool_started' && !toolsStarted) {
          toolsStarted = true;
          await this.checkpoint(turn, 'before_tools');
        }
        this.emit(body);
        if (body.type === 'tool_finished' && body.status !== 'ok' && this.controls.onToolError) await this.checkpoint(turn, 'tool_error');
      }
      if (beforeModel) await this.checkpoint(turn, 'before_model');
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
      end = { reason: 'stopped', turnsUsed: this.state.started ? this.state.current.turns.length : 0 };
    }
    this.emit({ type: 'run_finished', ...end });
    this.finish({ reason: end.reason, result: agentResultOf(this.state.current) });
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
}
