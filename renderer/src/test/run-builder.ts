import type { AssistantReply, ChatMessage, ToolSchema } from '#shared/model/chat.js';
import { normalizeToolArgs } from '#shared/loop/normalize-args.js';
import { isKnownTool, returnedOutcome, unknownToolOutcome, exceptionOutcome } from '#shared/loop/tool-outcome.js';
import { PromptViewIndex } from '#shared/loop/truncate.js';
import { pyJsonDumps } from '#shared/python/json.js';
import { stampEvent, type EndReason, type PausePoint, type RunEvent, type RunEventBody } from '#shared/run/events.js';
import { RunState } from '#shared/run/run-state.js';
import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';

/** One scripted turn: the model's reply and each tool call's result, or a failed model call. */
export type ScriptedTurn =
  | { reply: AssistantReply; results?: Array<string | { exception: string }> }
  | { failure: string; status?: number };

/** A tool call in a scripted reply. */
export function toolCall(id: string, name: string, args: string): { id: string; type: 'function'; function: { name: string; arguments: string } } {
  return { id, type: 'function', function: { name, arguments: args } };
}

/** A tool schema with a name only. */
export function toolNamed(name: string): ToolSchema {
  return { type: 'function', function: { name, parameters: { type: 'object' } } };
}

/**
 * Builds a run's events the way the engine emits them, from shared/ code only: prompt views come
 * from PromptViewIndex over the trajectory so far, tool outcomes from the reference's rules.
 */
export class RunBuilder {
  readonly events: RunEvent[] = [];
  private readonly state = new RunState();
  private readonly index: PromptViewIndex;
  private seq = 0;
  private readonly validNames: Set<string>;

  constructor(
    readonly runId: string,
    messages: ChatMessage[],
    options: { maxContextTokens?: number | null; maxTurns?: number; tools?: ToolSchema[]; time?: number } = {},
  ) {
    const tools = options.tools ?? [];
    this.validNames = new Set(tools.map((t) => t.function.name));
    this.index = new PromptViewIndex(options.maxContextTokens ?? null);
    this.emit({
      type: 'run_started',
      format: 'trajdbg-run/1',
      config: { ...LOOP_DEFAULTS, maxTurns: options.maxTurns ?? LOOP_DEFAULTS.maxTurns, maxContextTokens: options.maxContextTokens ?? LOOP_DEFAULTS.maxContextTokens, taskId: 'task' },
      source: {},
      tools,
      validToolNames: [...this.validNames],
      messages,
    });
    this.sync();
  }

  /** The number of turns started so far. */
  get turns(): number {
    return this.state.current.turns.length;
  }

  /** Starts the next turn (and, unless `beforeModel`, sends its prompt). */
  startTurn(options: { beforeModel?: boolean } = {}): this {
    const turn = this.turns + 1;
    this.emit({ type: 'turn_started', turn });
    if (!options.beforeModel) this.sendPrompt();
    return this;
  }

  /** Emits the current turn's prompt view, as the engine does right before the model call. */
  sendPrompt(): this {
    this.emit({ type: 'prompt_view', turn: this.turns, view: this.index.view(), request: { n: 1, temperature: LOOP_DEFAULTS.temperature, tools: this.validNames.size > 0 } });
    return this;
  }

  /** A whole turn: prompt, reply (or failure), tool calls, end of turn. */
  turn(scripted: ScriptedTurn): this {
    return this.startTurn().complete(scripted);
  }

  /** The rest of the started turn: its reply (or failure), tool calls and end. */
  complete(scripted: ScriptedTurn): this {
    const turn = this.turns;
    if ('failure' in scripted) {
      this.emit({ type: 'model_failed', turn, kind: 'error', error: scripted.failure, ...(scripted.status ? { status: scripted.status } : {}), latencyMs: 5 });
      return this;
    }
    this.emit({ type: 'model_reply', turn, message: scripted.reply, latencyMs: 12, usage: null, finishReason: 'stop' });
    this.sync();
    for (const [index, call] of (scripted.reply.tool_calls ?? []).entries()) {
      const { name, arguments: raw } = call.function;
      const id = call.id ?? null;
      const result = scripted.results?.[index] ?? '{"ok": true}';
      if (!isKnownTool(this.validNames, name)) {
        this.emit({ type: 'tool_started', turn, index, id, name, arguments: raw, known: false, normalizedArguments: null, schemaValid: null });
        const outcome = unknownToolOutcome(turn, name, raw, this.validNames);
        this.emit({ type: 'tool_finished', turn, index, status: outcome.status, result: outcome.result, toolError: outcome.toolError, durationMs: 0 });
      } else {
        const { args, schemaValid } = normalizeToolArgs(name, raw);
        this.emit({ type: 'tool_started', turn, index, id, name, arguments: raw, known: true, normalizedArguments: pyJsonDumps(args, { ensureAscii: false }), schemaValid });
        const outcome = typeof result === 'string' ? returnedOutcome(turn, name, raw, result) : exceptionOutcome(turn, name, raw, result.exception);
        this.emit({ type: 'tool_finished', turn, index, status: outcome.status, result: outcome.result, toolError: outcome.toolError, durationMs: 3 });
      }
      this.sync();
    }
    this.emit({ type: 'turn_finished', turn });
    return this;
  }

  /** The started turn's reply alone: its tool calls have not run yet (as when paused before tools). */
  reply(message: Extract<ScriptedTurn, { reply: unknown }>['reply']): this {
    this.emit({ type: 'model_reply', turn: this.turns, message, latencyMs: 12, usage: null, finishReason: 'tool_calls' });
    this.sync();
    return this;
  }

  /** A streamed piece of the current turn's reply. */
  delta(delta: Extract<RunEvent, { type: 'model_delta' }>['delta']): this {
    this.emit({ type: 'model_delta', turn: this.turns, delta });
    return this;
  }

  pause(at: PausePoint): this {
    this.emit({ type: 'paused', turn: this.turns, at });
    return this;
  }

  resume(): this {
    this.emit({ type: 'resumed', turn: this.turns });
    return this;
  }

  finish(reason: EndReason, error?: string): this {
    const turnsUsed = reason === 'max_turns' ? this.state.current.config.maxTurns : this.turns;
    this.emit({ type: 'run_finished', reason, turnsUsed, ...(error ? { error } : {}) });
    return this;
  }

  /** The events from `from` on (e.g. to push live after a catch-up). */
  since(from: number): RunEvent[] {
    return this.events.slice(from);
  }

  private emit(body: RunEventBody): void {
    const event = stampEvent(body, this.runId, this.seq++, 1_700_000_000_000 + this.seq);
    this.state.apply(event);
    this.events.push(event);
  }

  private sync(): void {
    const messages = this.state.current.messages;
    for (let i = this.index.length; i < messages.length; i++) this.index.append(messages[i]!);
  }
}
