import type { PausePoint, RunEventBody } from '#shared/run/events.js';
import type { BreakpointsInput } from '#shared/run/events.js';

/**
 * The debugger's controls over a run, shared by the live loop and a recorded trajectory played
 * back: Pause (at the next pause point), Run, Step (one turn: pause before the next model call),
 * the breakpoints, and the wait at a pause point until the user lets the run go on.
 */
export class RunControl {
  private breakpoints: BreakpointsInput;
  private pauseRequested: boolean;
  private stepping = false;
  private gate: (() => void) | null = null;

  constructor(breakpoints: BreakpointsInput | undefined, startPaused: boolean) {
    this.breakpoints = { ...breakpoints };
    this.pauseRequested = startPaused;
  }

  /** Pause at the next pause point. */
  pause(): void {
    this.pauseRequested = true;
  }

  /** Go on, stopping only at breakpoints. */
  resume(): void {
    this.pauseRequested = false;
    this.stepping = false;
    this.open();
  }

  /** Go on until just before the next model call. */
  step(): void {
    this.pauseRequested = false;
    this.stepping = true;
    this.open();
  }

  /** Lets a waiting run go on so that it sees it was stopped. */
  release(): void {
    this.open();
  }

  setBreakpoints(breakpoints: BreakpointsInput): void {
    this.breakpoints = { ...breakpoints };
  }

  /** Whether the tool-error breakpoint is on (checked after each failed call). */
  get onToolError(): boolean {
    return this.breakpoints.onToolError ?? false;
  }

  /** A requested pause is served by a pause of another kind (waiting for an approval). */
  servePauseRequest(): void {
    this.pauseRequested = false;
  }

  /**
   * At pause point `at` of `turn`: waits when a pause was requested, the run is stepping (before
   * a model call) or a breakpoint is on there, reporting `paused` and `resumed` through `emit`.
   * `throwIfStopped` runs before and after the wait.
   */
  async checkpoint(turn: number, at: PausePoint, emit: (body: RunEventBody) => void, throwIfStopped: () => void): Promise<void> {
    throwIfStopped();
    if (!this.shouldPause(at)) return;
    this.pauseRequested = false;
    this.stepping = false;
    emit({ type: 'paused', turn, at });
    await new Promise<void>((resolve) => (this.gate = resolve));
    throwIfStopped();
    emit({ type: 'resumed', turn });
  }

  private shouldPause(at: PausePoint): boolean {
    if (this.pauseRequested) return true;
    if (at === 'before_model') return this.stepping || (this.breakpoints.beforeModel ?? false);
    if (at === 'before_tools') return this.breakpoints.beforeTools ?? false;
    return this.breakpoints.onToolError ?? false;
  }

  private open(): void {
    const gate = this.gate;
    this.gate = null;
    gate?.();
  }
}
