import { randomUUID } from 'node:crypto';
import type { AssistantReply, ReplyToolCall } from '#shared/model/chat.js';
import { normalizeToolArgs } from '#shared/loop/normalize-args.js';
import { describeException, exceptionOutcome, isKnownTool, returnedOutcome, unknownToolOutcome, type ToolOutcome } from '#shared/loop/tool-outcome.js';
import { PromptViewIndex } from '#shared/loop/truncate.js';
import { pyJsonDumps } from '#shared/python/json.js';
import { isPyDict, type PyValue } from '#shared/python/value.js';
import { isPersistedEvent, type EndReason, type LoopConfig, type PausePoint, type PendingApproval, type RunEvent, type ToolCallApproval } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import type { ModelResponse } from '../model/model-client.js';
import { applyModelCallEdit, buildChatRequest, isEmptyEdit, requestParamsOf, type ModelCallEdit } from '#shared/loop/chat-request.js';
import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';
import { ControlledRun, PREFIX_EVENT_TYPES, REJECTED_COMMAND_ERROR, type ResumePoint, type CommandDecision, type EngineDeps, type RunHandle, type RunRequest } from './run-handle.js';
import type { ToolCallInterventionRequest } from '#shared/run/intervention.js';
import { interventionEvent, interventionOn, SKIPPED_CALL_ERROR } from './tool-intervention.js';

class StopRequested extends Error {
  constructor() {
    super('the run was stopped');
  }
}

/**
 * Builds the engine: a faithful port of the reference loop (`HermesAgentLoop.run`) that emits
 * every step as an event and can be paused, stepped and stopped between steps.
 */
export function createEngine(deps: EngineDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;

  function start(request: RunRequest): RunHandle {
    const runId = newId();
    const config: LoopConfig = { ...LOOP_DEFAULTS, taskId: newId(), ...request.config };
    const run = new LoopRun(runId, config, request, deps, now);
    // Start on the next microtask so that the caller can subscribe before the first event.
    queueMicrotask(() => void run.execute());
    return run;
  }

  return { start };
}

/** One execution of the loop. Private to this module; callers see a {@link RunHandle}. */
class LoopRun extends ControlledRun {
  private readonly index: PromptViewIndex;
  private readonly abort = new AbortController();
  /** The user's change to the model call of a turn, given while paused before it. */
  private callEdit: { turn: number; edit: ModelCallEdit } | null = null;
  /** Set while a command waits for the user; resolves with the decision, or null on stop. */
  private approvalGate: ((decision: CommandDecision | null) => void) | null = null;

  constructor(
    runId: string,
    private readonly config: LoopConfig,
    private readonly request: RunRequest,
    private readonly deps: EngineDeps,
    now: () => number,
  ) {
    super(runId, now, request.breakpoints, request.startPaused ?? false);
    this.index = new PromptViewIndex(config.maxContextTokens);
  }

  stop(): void {
    this.abort.abort(new StopRequested());
    this.controls.release();
    this.decide(null);
  }

  approve(decision: CommandDecision): void {
    if (!this.approvalGate) throw new Error(`run ${this.runId} is not waiting for approval of a command`);
    if (decision.decision === 'edit' && !decision.command?.trim()) throw new Error('command: an edit needs the command to run instead');
    this.decide(decision);
  }

  intervene(turn: number, index: number, request: ToolCallInterventionRequest): void {
    this.emit(interventionEvent(this.state.current, turn, index, request));
  }

  editModelCall(edit: ModelCallEdit): void {
    const paused = this.state.started ? this.state.current.pausedAt : null;
    if (paused?.at !== 'before_model') throw new Error(`run ${this.runId} is not paused before a model call`);
    this.callEdit = isEmptyEdit(edit) ? null : { turn: paused.turn, edit: structuredClone(edit) };
    this.resume();
  }

  /** The edit given for `turn`'s model call, taken once. */
  private takeCallEdit(turn: number): ModelCallEdit | null {
    const pending = this.callEdit;
    this.callEdit = null;
    return pending?.turn === turn ? pending.edit : null;
  }

  async execute(): Promise<void> {
    let end: { reason: EndReason; turnsUsed: number; error?: string };
    try {
      end = await this.loop();
    } catch (error) {
      const turnsUsed = this.state.started ? this.state.current.turns.length : 0;
      end = error instanceof StopRequested || this.abort.signal.aborted
        ? { reason: 'stopped', turnsUsed }
        : { reason: 'failed', turnsUsed, error: describeException(error) };
    }
    try {
      this.emit({ type: 'run_finished', ...end });
    } catch (error) {
      // The sink failed on the last event: the outcome is still reported to the caller.
      end = { ...end, error: end.error ?? describeException(error) };
    }
    this.finish({ reason: end.reason, ...(end.error ? { error: end.error } : {}), result: agentResultOf(this.state.current) });
  }

  /** `HermesAgentLoop.run`, step by step. */
  private async loop(): Promise<{ reason: EndReason; turnsUsed: number; error?: string }> {
    const { config, deps } = this;
    this.emit({
      type: 'run_started',
      format: 'trajdbg-run/1',
      config,
      source: this.request.source ?? {},
      tools: [...deps.tools.schemas],
      validToolNames: [...deps.tools.validNames],
      messages: this.request.messages,
    });
    this.syncIndex();
    let first = 1;
    if (this.request.prefix || this.request.resume) {
      const resume = this.emitPrefix();
      if (resume.phase === 'tools') {
        const end = await this.finishTurn(resume.turn, this.state.current.turns[resume.turn - 1]!.reply!);
        if (end) return end;
      }
      first = resume.phase === 'tools' ? resume.turn + 1 : resume.turn;
    }
    for (let turn = first; turn <= config.maxTurns; turn++) {
      // Let I/O run between turns: a replay's model and tools answer at once, and without this a
      // long replay would hold the event loop (and every socket and window waiting on it).
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.emit({ type: 'turn_started', turn });
      await this.checkpoint(turn, 'before_model');
      const view = this.index.view();
      let chat = buildChatRequest({ messages: this.index.promptMessages(view), temperature: config.temperature, maxTokens: config.maxTokens, tools: deps.tools.schemas });
      this.emit({ type: 'prompt_view', turn, view, request: requestParamsOf(chat) });
      const edit = this.takeCallEdit(turn);
      if (edit) {
        chat = applyModelCallEdit(chat, edit);
        this.emit({ type: 'model_call_edited', turn, edit });
      }

      const started = this.now();
      let response: ModelResponse | null;
      try {
        response = await deps.model.chatCompletion(chat, {
          signal: this.abort.signal,
          onDelta: (delta) => this.emit({ type: 'model_delta', turn, delta }),
        });
      } catch (error) {
        this.throwIfStopped();
        const failure = error as { status?: unknown; code?: unknown };
        this.emit({
          type: 'model_failed',
          turn,
          kind: 'error',
          error: error instanceof Error ? error.message : String(error),
          ...(typeof failure?.status === 'number' ? { status: failure.status } : {}),
          ...(typeof failure?.code === 'string' ? { code: failure.code } : {}),
          latencyMs: this.now() - started,
        });
        return { reason: 'model_error', turnsUsed: turn };
      }
      this.throwIfStopped();
      const choice = response?.choices?.[0];
      if (!choice) {
        this.emit({ type: 'model_failed', turn, kind: 'empty', error: 'the response had no choices', latencyMs: this.now() - started });
        return { reason: 'empty_response', turnsUsed: turn };
      }
      this.emit({
        type: 'model_reply',
        turn,
        message: choice.message,
        latencyMs: this.now() - started,
        usage: response?.usage ?? null,
        finishReason: choice.finish_reason ?? null,
        ...(response?.model ? { model: response.model } : {}),
      });
      this.syncIndex();
      const end = await this.finishTurn(turn, choice.message);
      if (end) return end;
    }
    return { reason: 'max_turns', turnsUsed: config.maxTurns };
  }

  /** The rest of a turn once its reply is in: its tool calls, or the natural end of the run. */
  private async finishTurn(turn: number, reply: AssistantReply): Promise<{ reason: EndReason; turnsUsed: number } | null> {
    const toolCalls = reply.tool_calls;
    if (!toolCalls || toolCalls.length === 0) {
      this.emit({ type: 'turn_finished', turn });
      return { reason: 'finished_naturally', turnsUsed: turn };
    }
    await this.checkpoint(turn, 'before_tools');
    for (const [index, call] of toolCalls.entries()) {
      const outcome = await this.runToolCall(turn, index, call);
      this.syncIndex();
      if (outcome.status !== 'ok' && this.controls.onToolError) await this.checkpoint(turn, 'tool_error');
    }
    this.emit({ type: 'turn_finished', turn });
    return null;
  }

  /**
   * Emits the request's prefix and checks that it ends where the loop resumes: after whole turns
   * (`model`), or after the resumed turn's reply with none of its tools started (`tools`).
   */
  private emitPrefix(): ResumePoint {
    for (const body of this.request.prefix ?? []) {
      if (!PREFIX_EVENT_TYPES.has(body.type)) throw new TypeError(`a run cannot start with a '${body.type}' event`);
      this.emit(structuredClone(body));
    }
    // The prompt view index sees exactly the messages the state holds after the prefix.
    this.syncIndex();
    const turns = this.state.current.turns;
    const last = turns[turns.length - 1];
    const resume = this.request.resume ?? { turn: turns.length + 1, phase: 'model' };
    const where = `resuming at turn ${resume.turn} (${resume.phase})`;
    if (resume.phase === 'model') {
      if (turns.length !== resume.turn - 1 || (last && !last.finished)) throw new Error(`${where}: the prefix must hold turns 1 to ${resume.turn - 1}, each finished; it holds ${turns.length}`);
      return resume;
    }
    if (turns.length !== resume.turn || !last?.reply || last.toolCalls.length > 0 || last.finished) {
      throw new Error(`${where}: the prefix must end with turn ${resume.turn}'s reply, before its tools`);
    }
    return resume;
  }

  /** One tool call, classified and counted as the reference does. */
  private async runToolCall(turn: number, index: number, call: ReplyToolCall): Promise<ToolOutcome> {
    // The user may have changed the call at a breakpoint: it runs with their arguments, or not at all.
    const intervention = interventionOn(this.state.current, turn, index);
    const { name } = call.function;
    const raw = intervention?.action === 'edit' ? intervention.arguments : call.function.arguments;
    if (typeof raw !== 'string') throw new TypeError(`turn ${turn}: the arguments of tool call ${index} are not a string`);
    const id = call.id ?? null;
    let started = this.now();
    if (!isKnownTool(this.deps.tools.validNames, name)) {
      this.emit({ type: 'tool_started', turn, index, id, name, arguments: raw, known: false, normalizedArguments: null, schemaValid: null });
      // An unknown tool runs nothing: skipped or not, the model hears what the reference tells it.
      const outcome = unknownToolOutcome(turn, name, raw, this.deps.tools.validNames);
      this.emit({ type: 'tool_finished', turn, index, status: outcome.status, result: outcome.result, toolError: outcome.toolError, durationMs: 0 });
      return outcome;
    }
    const normalized = normalizeToolArgs(name, raw);
    const { schemaValid } = normalized;
    let args = normalized.args;
    const skipped = intervention?.action === 'skip';
    const recorded = skipped ? null : (this.request.recordedToolResult?.({ turn, index, name, arguments: raw }) ?? null);
    // A reused result or a skipped call runs nothing, so there is nothing to ask about.
    const command = recorded || skipped ? null : this.commandToApprove(name, args);
    let approval: ToolCallApproval | undefined;
    if (command !== null) {
      const decision = await this.awaitApproval(turn, { index, tool: name, command });
      // The time spent deciding is the user's, not the tool's.
      started = this.now();
      approval = { decision: decision.decision, command: decision.decision === 'edit' ? decision.command! : command };
      if (decision.decision === 'edit') args = new Map(args as Map<string, PyValue>).set(this.request.approval!.argument, approval.command);
    }
    this.emit({
      type: 'tool_started',
      turn,
      index,
      id,
      name,
      arguments: raw,
      known: true,
      normalizedArguments: pyJsonDumps(args, { ensureAscii: false }),
      schemaValid,
      ...(approval ? { approval } : {}),
    });
    if (recorded) {
      this.emit({ type: 'tool_finished', turn, index, status: recorded.status, result: recorded.result, toolError: recorded.toolError, durationMs: 0 });
      return { status: recorded.status, result: recorded.result, toolError: recorded.toolError };
    }
    if (approval?.decision === 'reject' || skipped) {
      const outcome = exceptionOutcome(turn, name, raw, skipped ? SKIPPED_CALL_ERROR : REJECTED_COMMAND_ERROR);
      this.emit({ type: 'tool_finished', turn, index, status: outcome.status, result: outcome.result, toolError: outcome.toolError, durationMs: 0 });
      return outcome;
    }
    let outcome: ToolOutcome;
    try {
      const result: unknown = await this.deps.tools.call(name, args, { taskId: this.config.taskId, signal: this.abort.signal });
      this.throwIfStopped();
      if (typeof result !== 'string') throw new TypeError(`tool '${name}' returned a ${typeof result}, not a string`);
      outcome = returnedOutcome(turn, name, raw, result);
    } catch (error) {
      this.throwIfStopped();
      outcome = exceptionOutcome(turn, name, raw, describeException(error));
    }
    this.emit({ type: 'tool_finished', turn, index, status: outcome.status, result: outcome.result, toolError: outcome.toolError, durationMs: this.now() - started });
    return outcome;
  }

  /**
   * The command a call must wait on, or null when it runs at once: approval is off, it is another
   * tool, or its arguments hold no string command (the tool then refuses it without running anything).
   */
  private commandToApprove(name: string, args: PyValue): string | null {
    const rule = this.request.approval;
    if (!rule || name !== rule.tool || !isPyDict(args)) return null;
    const command = args.get(rule.argument);
    return typeof command === 'string' ? command : null;
  }

  /**
   * Pauses at `approval` until the user decides on the command. A requested pause is served by
   * this one; resume and step leave it waiting (they only say how to go on after it).
   */
  private async awaitApproval(turn: number, pending: PendingApproval): Promise<CommandDecision> {
    this.throwIfStopped();
    this.controls.servePauseRequest();
    this.emit({ type: 'paused', turn, at: 'approval', approval: pending });
    const decision = await new Promise<CommandDecision | null>((resolve) => (this.approvalGate = resolve));
    this.throwIfStopped();
    this.emit({ type: 'resumed', turn });
    return decision!;
  }

  private decide(decision: CommandDecision | null): void {
    const gate = this.approvalGate;
    this.approvalGate = null;
    gate?.(decision);
  }

  private checkpoint(turn: number, at: PausePoint): Promise<void> {
    return this.controls.checkpoint(
      turn,
      at,
      (body) => this.emit(body),
      () => this.throwIfStopped(),
    );
  }

  private throwIfStopped(): void {
    if (this.abort.signal.aborted) throw new StopRequested();
  }

  /** Feeds newly appended trajectory messages to the prompt view index. */
  private syncIndex(): void {
    const messages = this.state.current.messages;
    for (let i = this.index.length; i < messages.length; i++) this.index.append(messages[i]!);
  }

  protected override record(event: RunEvent): void {
    if (isPersistedEvent(event)) this.deps.sink?.append(event);
  }
}
