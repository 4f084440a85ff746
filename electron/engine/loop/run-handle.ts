// The loop's surface: what a run is built from, what it is asked to do, and the handle the
// debugger holds on it. Shared by the live loop and recorded playback.
import type { ToolSchema, ChatMessage } from '#shared/model/chat.js';
import type { ToolOutcome } from '#shared/loop/tool-outcome.js';
import type { PyValue } from '#shared/python/value.js';
import { stampEvent, type ApprovalDecision, type BreakpointsInput, type EndReason, type LoopConfig, type RunEvent, type RunEventBody } from '#shared/run/events.js';
import { RunState, type AgentResult } from '#shared/run/run-state.js';
import type { ToolCallInterventionRequest } from '#shared/run/intervention.js';
import type { ModelClient } from '../model/model-client.js';
import type { ToolCallContext } from '../tools/tool-provider.js';
import type { ModelCallEdit } from '#shared/loop/chat-request.js';
import { RunControl } from './run-control.js';

/** The tools a run offers: their schemas, the names that count as valid, and how to call them. */
export interface EngineTools {
  readonly schemas: readonly ToolSchema[];
  readonly validNames: ReadonlySet<string>;
  call(name: string, args: PyValue, context: ToolCallContext): Promise<string>;
}

/** Receives every event of a run, persisted or not, in order. */
export type RunListener = (event: RunEvent) => void;

/** Where persisted events go (a run file); `append` must have written the event when it returns. */
export interface RunSink {
  append(event: RunEvent): void;
}

/** What an engine is built from; tests hand it a scripted model and scripted tools. */
export interface EngineDeps {
  model: ModelClient;
  tools: EngineTools;
  now?: () => number;
  newId?: () => string;
  sink?: RunSink;
}

/** Events a run may start with (a branch's copy of its parent's turns before the fork). */
export const PREFIX_EVENT_TYPES: ReadonlySet<RunEventBody['type']> = new Set([
  'turn_started',
  'prompt_view',
  'model_call_edited',
  'model_reply',
  'tool_started',
  'tool_finished',
  'turn_finished',
  'messages_appended',
  'tool_call_intervened',
]);

/** Where the loop picks up after a prefix: a turn's model call, or the tool calls of its reply. */
export interface ResumePoint {
  turn: number;
  /** `model`: the turn starts as usual; `tools`: the prefix holds the turn's reply, whose tool calls run now. */
  phase: 'model' | 'tools';
}

/** How a tool call ended in a recording, for a call that may reuse it instead of running. */
export interface RecordedToolResult {
  status: ToolOutcome['status'];
  result: string;
  toolError: ToolOutcome['toolError'];
}

/** A tool call as {@link RunRequest.recordedToolResult} is asked about it. */
export interface ToolCallKey {
  turn: number;
  index: number;
  name: string;
  arguments: string;
}

/**
 * Which tool calls wait for the user before they run: calls of `tool` whose normalized arguments
 * hold a string `argument` (the command shown, and replaced by an edit).
 */
export interface CommandApproval {
  tool: string;
  argument: string;
}

/** The user's decision on the command that waits; `command` is the edited command (edit only). */
export interface CommandDecision {
  decision: ApprovalDecision;
  command?: string;
}

/**
 * The error a rejected command is recorded with, as if the tool had raised it: the call's result
 * is `{"error": "Tool execution failed: PermissionError: the user rejected the command"}`, its
 * status `exception`, and it counts as an exec error and a `tool_errors` entry.
 */
export const REJECTED_COMMAND_ERROR = 'PermissionError: the user rejected the command';

/** What to run: the initial messages and the reference loop's settings. */
export interface RunRequest {
  messages: ChatMessage[];
  config?: Partial<LoopConfig>;
  source?: Record<string, unknown>;
  breakpoints?: BreakpointsInput;
  /** Start paused before the first model call (to step from the first turn). */
  startPaused?: boolean;
  /**
   * Events emitted right after `run_started`, before the loop (see {@link PREFIX_EVENT_TYPES}):
   * a branch's copy of its parent's turns, so its log and views cover the whole trajectory.
   */
  prefix?: readonly RunEventBody[];
  /** Where the loop continues after the prefix (default: the model call of the turn after it). */
  resume?: ResumePoint;
  /**
   * A known tool call's recorded result to use instead of calling the tool, or null to call it
   * (a branch that reuses its parent's results for identical calls).
   */
  recordedToolResult?: (call: ToolCallKey) => RecordedToolResult | null;
  /**
   * Ask before each command of a tool (the terminal's): the run pauses at `approval` until
   * {@link RunHandle.approve}. Left out (the CLI, the demo, the conformance cases), every call
   * runs at once, exactly as the reference loop runs it.
   */
  approval?: CommandApproval;
}

/** How a run ended and its `AgentResult`. */
export interface RunOutcome {
  reason: EndReason;
  error?: string;
  result: AgentResult;
}

/** A run in progress: its state, its events, and the debugger's controls. */
export interface RunHandle {
  readonly runId: string;
  readonly state: RunState;
  /** Settles when the run ends, however it ends (it never rejects). */
  readonly done: Promise<RunOutcome>;
  subscribe(listener: RunListener): () => void;
  /** Pause at the next pause point. */
  pause(): void;
  /** Continue, stopping only at breakpoints. */
  resume(): void;
  /** Run one turn: continue and pause before the next model call. */
  step(): void;
  /** End the run now, aborting a model call or tool in flight. */
  stop(): void;
  setBreakpoints(breakpoints: BreakpointsInput): void;
  /**
   * Decides on the command the run waits for (paused at `approval`); throws when none waits or
   * an edit has no command. Resume and step never decide. Absent on runs that never ask (a recording).
   */
  approve?(decision: CommandDecision): void;
  /**
   * Changes tool call `index` of `turn` before it runs (edit its arguments, or skip it), while the
   * run is paused before that turn's tools; throws otherwise. Absent on runs that play a recording.
   */
  intervene?(turn: number, index: number, request: ToolCallInterventionRequest): void;
  /**
   * The events a run emitted before anyone could subscribe (a recording built already ended),
   * handed over once. Absent on runs that emit only after they are returned.
   */
  recorded?(): RunEvent[];
  /**
   * Changes the model call the run is paused before (at `before_model`), then lets it go on: the
   * edit is applied to that one call and recorded on its turn. Throws when the run waits elsewhere.
   * Absent on runs that call no model (a recording).
   */
  editModelCall?(edit: ModelCallEdit): void;
}

/**
 * What the live loop and recorded playback share as a {@link RunHandle}: the state folded from
 * the events, the listeners, the debugger's controls and the `done` promise. Subclasses play the
 * run and say how it stops.
 */
export abstract class ControlledRun implements RunHandle {
  readonly state = new RunState();
  readonly done: Promise<RunOutcome>;
  protected readonly controls: RunControl;
  private resolveDone!: (outcome: RunOutcome) => void;
  private readonly listeners = new Set<RunListener>();
  private seq = 0;

  constructor(
    readonly runId: string,
    protected readonly now: () => number,
    breakpoints: BreakpointsInput | undefined,
    startPaused: boolean,
  ) {
    this.controls = new RunControl(breakpoints, startPaused);
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  abstract stop(): void;

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

  setBreakpoints(breakpoints: BreakpointsInput): void {
    this.controls.setBreakpoints(breakpoints);
  }

  /** Settles {@link done}. */
  protected finish(outcome: RunOutcome): void {
    this.resolveDone(outcome);
  }

  /** Stamps an event with the run id, the next sequence number and the time, applies it, then tells the listeners. */
  protected emit(body: RunEventBody): RunEvent {
    const event = stampEvent(body, this.runId, this.seq++, this.now());
    this.state.apply(event);
    this.record(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Writes an applied event where the run keeps them (nowhere by default), before the listeners see it. */
  protected record(_event: RunEvent): void {}
}
