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

/** Events a recording built in slices emits per task: the first slice covers a page's first screenful. */
const SLICE = 1_000;

/**
 * Builds the run of a recorded trajectory with no pause points, a slice of events per task: the
 * first slice at once (what it cannot build is thrown here), the rest while the engine answers
 * other calls. A view of the recording is data to fetch (`run.events`), not a run to watch, and
 * its first turns can be fetched while its later ones are still being computed: a trajectory of
 * any length shows at once. `bodies` may be computed lazily. Use {@link playRecordedRun} to step
 * through a recording.
 */
export function recordedRunInSlices(bodies: Iterable<RunEventBody>, options: Omit<RecordedRunOptions, 'startPaused' | 'breakpoints'> = {}): RunHandle {
  const run = new RecordedRun(options.runId ?? randomUUID(), options);
  run.playInSlices(bodies[Symbol.iterator]());
  return run;
}

class Stopped extends Error {}

/**
 * Plays the events of a recorded trajectory (see `eachTrajectoryRunEvent`) as a run with the
 * debugger's controls: the same pause points as a live run (before a model call, before tools,
 * on a tool error), Step, Run to end and Stop, so the views fill in turn by turn as if it were
 * running. Nothing is executed: the model replies and tool results are the file's. `bodies` may
 * be computed lazily, each as the run gets to it: a long recording pauses before its first turn
 * at once. The first event is built here (what it cannot build is thrown here); a later one that
 * cannot be built ends the run as failed, with the reason.
 */
export function playRecordedRun(bodies: Iterable<RunEventBody>, options: RecordedRunOptions = {}): RunHandle {
  const rest = bodies[Symbol.iterator]();
  const first = rest.next();
  const run = new RecordedRun(options.runId ?? randomUUID(), options);
  function* all(): Generator<RunEventBody, void, undefined> {
    if (first.done) return;
    yield first.value;
    for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
  }
  queueMicrotask(() => void run.play(all()));
  return run;
}

class RecordedRun extends ControlledRun {
  private stopped = false;

  constructor(runId: string, options: RecordedRunOptions) {
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

  /**
   * Emits the first slice of `bodies` now (kept for {@link recorded}, as nobody has subscribed
   * yet), then a slice per task until the recording's end. Stop ends it where it got to; an event
   * that cannot be built after the first slice ends it as failed, with the reason.
   */
  playInSlices(bodies: Iterator<RunEventBody>): void {
    this.kept = [];
    const end = (reason: EndReason, turnsUsed: number, error?: string): void => {
      this.emit({ type: 'run_finished', reason, turnsUsed, ...(error !== undefined ? { error } : {}) });
      this.finish({ reason, result: agentResultOf(this.state.current) });
    };
    const turns = (): number => (this.state.started ? this.state.current.turns.length : 0);
    /** Emits up to one slice; whether the recording goes on. */
    const slice = (): boolean => {
      for (let n = 0; n < SLICE; n++) {
        if (this.stopped) {
          end('stopped', turns());
          return false;
        }
        const next = bodies.next();
        if (next.done) {
          end('recording_ended', turns());
          return false;
        }
        const body = next.value;
        if (body.type === 'run_finished') {
          end(body.reason, body.turnsUsed);
          return false;
        }
        this.emit(body);
      }
      return true;
    };
    const later = (): void => {
      try {
        if (slice()) setImmediate(later);
      } catch (error) {
        end('failed', turns(), error instanceof Error ? error.message : String(error));
      }
    };
    if (slice()) setImmediate(later);
  }

  async play(bodies: Iterable<RunEventBody>): Promise<void> {
    let end: { reason: EndReason; turnsUsed: number; error?: string } = { reason: 'recording_ended', turnsUsed: 0 };
    let turn = 0;
    let toolsStarted = false;
    // Whether the turn started waits for its before-model pause point.
    let beforeModel = false;
    try {
      for (const body of bodies) {
        if (body.type === 'run_finished') {
          end = { reason: body.reason, turnsUsed: body.turnsUsed };
          break;
        }
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
      const turnsUsed = this.state.started ? this.state.current.turns.length : 0;
      end = error instanceof Stopped ? { reason: 'stopped', turnsUsed } : { reason: 'failed', turnsUsed, error: error instanceof Error ? error.message : String(error) };
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
