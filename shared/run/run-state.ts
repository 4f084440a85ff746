import type { AssistantReply, ChatMessage, ToolCall, ToolSchema } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import { jsonTruthy } from '../loop/json-semantics.js';
import type { ToolCallStatus, ToolError } from '../loop/tool-outcome.js';
import type { PromptView } from '../loop/truncate.js';
import { describeModelCallEdit, isEmptyEdit, type ModelCallEdit } from '../loop/chat-request.js';
import { branchChangeSchema, type BranchChange, type EndReason, type LoopConfig, type PausePoint, type PendingApproval, type RunEvent, type ToolCallApproval } from './events.js';
import type { PlacedIntervention, ToolCallIntervention } from './intervention.js';

/** The reference's `AgentResult`, with its snake_case field names (`dataclasses.asdict`). */
export interface AgentResult {
  messages: ChatMessage[];
  managed_state: Record<string, unknown> | null;
  turns_used: number;
  finished_naturally: boolean;
  reasoning_per_turn: unknown[];
  tool_errors: ToolError[];
  tool_calls_attempted: number;
  tool_calls_schema_valid: number;
  tool_calls_executed_ok: number;
  tool_calls_exec_error: number;
}

/** One tool call of a turn, as the views show it. */
export interface ToolCallRecord {
  index: number;
  /** As the model sent it: the reference keeps a number as a number (`tool_call_id` too). */
  id: string | number | null;
  name: string;
  arguments: string;
  known: boolean;
  normalizedArguments: string | null;
  schemaValid: boolean | null;
  status: ToolCallStatus | 'running';
  result: string | null;
  toolError: ToolError | null;
  durationMs: number | null;
  /** How the user decided, for a call that waited for approval; absent otherwise. */
  approval?: ToolCallApproval;
  /** What the user changed before the call ran, at a breakpoint; absent otherwise. */
  intervention?: ToolCallIntervention;
}

/** Everything recorded about one turn (one model call and the tools it asked for). */
export interface TurnRecord {
  turn: number;
  promptView: PromptView | null;
  request: { n: 1; temperature: number; max_tokens?: number; tools: boolean } | null;
  reply: AssistantReply | null;
  /** The reply was given by the user in a branch, not returned by the model. */
  edited?: boolean;
  /** What the user changed in this turn's model call before it was sent; absent when nothing. */
  callEdit?: ModelCallEdit;
  reasoning: unknown;
  latencyMs: number | null;
  usage: Record<string, unknown> | null;
  finishReason: string | null;
  failure: { kind: 'error' | 'empty'; error: string; status?: number; code?: string } | null;
  toolCalls: ToolCallRecord[];
  /** Tool calls the user changed at a breakpoint before they ran, by their index in the reply. */
  interventions?: Record<number, ToolCallIntervention>;
  /** Trajectory indices `[start, end)` of the messages this turn appended. */
  messageRange: [number, number];
  finished: boolean;
}

/** The state of a run, derived from its events alone. */
export interface RunSnapshot {
  runId: string;
  config: LoopConfig;
  tools: ToolSchema[];
  validToolNames: string[];
  source: Record<string, unknown>;
  messages: ChatMessage[];
  turns: TurnRecord[];
  reasoningPerTurn: unknown[];
  toolErrors: ToolError[];
  counters: { attempted: number; schemaValid: number; executedOk: number; execError: number };
  /** Where the run waits; `approval` is the command that waits for a decision (at `approval`). */
  pausedAt: { turn: number; at: PausePoint; approval?: PendingApproval } | null;
  end: { reason: EndReason; turnsUsed: number; error?: string } | null;
  lastSeq: number;
}

/** The assistant message the reference appends for a reply (`msg_dict`). */
export function assistantMessageFor(reply: AssistantReply, reasoning: unknown): ChatMessage {
  const content = jsonTruthy(reply.content) ? reply.content : '';
  const message: ChatMessage = { role: 'assistant', content };
  if (jsonTruthy(reply.tool_calls)) {
    message.tool_calls = (reply.tool_calls ?? []).map(
      (call): ToolCall => ({ id: call.id ?? null, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }),
    );
  }
  if (jsonTruthy(reasoning)) message.reasoning_content = reasoning as string;
  return message;
}

/**
 * Folds a run's events into its state, one event at a time in O(1) (apart from copying the
 * event's own data), so that a live run, a run file being read and a replay share one reducer.
 */
export class RunState {
  private snapshot: RunSnapshot | null = null;

  /** The current state; throws before `run_started`. */
  get current(): RunSnapshot {
    if (!this.snapshot) throw new Error('the run has not started');
    return this.snapshot;
  }

  get started(): boolean {
    return this.snapshot !== null;
  }

  /** Applies one event. Events must come in sequence order. */
  apply(event: RunEvent): void {
    if (event.type === 'run_started') {
      this.snapshot = {
        runId: event.runId,
        config: event.config,
        tools: event.tools,
        validToolNames: event.validToolNames,
        source: event.source,
        messages: event.messages.map((m) => ({ ...m })),
        turns: [],
        reasoningPerTurn: [],
        toolErrors: [],
        counters: { attempted: 0, schemaValid: 0, executedOk: 0, execError: 0 },
        pausedAt: null,
        end: null,
        lastSeq: event.seq,
      };
      return;
    }
    const s = this.current;
    s.lastSeq = event.seq;
    switch (event.type) {
      case 'turn_started':
        s.turns.push({
          turn: event.turn,
          promptView: null,
          request: null,
          reply: null,
          reasoning: null,
          latencyMs: null,
          usage: null,
          finishReason: null,
          failure: null,
          toolCalls: [],
          messageRange: [s.messages.length, s.messages.length],
          finished: false,
        });
        return;
      case 'prompt_view': {
        const t = this.turn(event.turn);
        t.promptView = event.view;
        t.request = event.request;
        return;
      }
      case 'model_delta':
        return;
      case 'model_reply': {
        const t = this.turn(event.turn);
        const reply = event.message;
        const reasoning = extractReasoning(reply);
        t.reply = reply;
        if (event.edited) t.edited = true;
        t.reasoning = reasoning;
        t.latencyMs = event.latencyMs;
        t.usage = (event.usage as Record<string, unknown> | null | undefined) ?? null;
        t.finishReason = event.finishReason ?? null;
        s.reasoningPerTurn.push(reasoning);
        s.messages.push(assistantMessageFor(reply, reasoning));
        t.messageRange[1] = s.messages.length;
        return;
      }
      case 'model_failed': {
        const t = this.turn(event.turn);
        t.failure = { kind: event.kind, error: event.error, status: event.status, code: event.code };
        t.latencyMs = event.latencyMs;
        return;
      }
      case 'tool_started': {
        const t = this.turn(event.turn);
        t.toolCalls[event.index] = {
          index: event.index,
          id: event.id,
          // A call the model sent with no name is shown as the reference prints it.
          name: event.name ?? 'None',
          arguments: event.arguments,
          known: event.known,
          normalizedArguments: event.normalizedArguments,
          schemaValid: event.schemaValid,
          status: 'running',
          result: null,
          toolError: null,
          durationMs: null,
          ...(event.approval ? { approval: { ...event.approval } } : {}),
          ...(t.interventions?.[event.index] ? { intervention: { ...t.interventions[event.index]! } } : {}),
        };
        if (event.known) {
          s.counters.attempted += 1;
          if (event.schemaValid) s.counters.schemaValid += 1;
        }
        return;
      }
      case 'tool_finished': {
        const t = this.turn(event.turn);
        const call = t.toolCalls[event.index];
        if (!call) throw new Error(`tool_finished for a tool call that did not start (turn ${event.turn}, call ${event.index})`);
        call.status = event.status;
        call.result = event.result;
        call.toolError = event.toolError;
        call.durationMs = event.durationMs;
        if (event.status === 'ok') s.counters.executedOk += 1;
        else s.counters.execError += 1;
        if (event.toolError) s.toolErrors.push(event.toolError);
        s.messages.push({ role: 'tool', tool_call_id: call.id, content: event.result });
        t.messageRange[1] = s.messages.length;
        return;
      }
      case 'turn_finished':
        this.turn(event.turn).finished = true;
        return;
      case 'messages_appended':
        for (const message of event.messages) s.messages.push({ ...message });
        return;
      case 'paused':
        s.pausedAt = { turn: event.turn, at: event.at, ...(event.approval ? { approval: { ...event.approval } } : {}) };
        return;
      case 'resumed':
        s.pausedAt = null;
        return;
      case 'tool_call_intervened':
        applyIntervention(s, this.turn(event.turn), event.index, event.intervention);
        return;
      case 'model_call_edited':
        this.turn(event.turn).callEdit = event.edit;
        return;
      case 'run_finished':
        s.pausedAt = null;
        s.end = { reason: event.reason, turnsUsed: event.turnsUsed, ...(event.error ? { error: event.error } : {}) };
        return;
    }
  }

  private turn(turn: number): TurnRecord {
    const record = this.current.turns[turn - 1];
    if (!record) throw new Error(`event for turn ${turn} before that turn started`);
    return record;
  }
}

/**
 * Records an intervention on a turn and puts the arguments the tool will run with into the turn's
 * assistant message (the model's own for a skipped call), in place: the prompt view index of a
 * live run holds that same message.
 */
function applyIntervention(s: RunSnapshot, t: TurnRecord, index: number, intervention: ToolCallIntervention): void {
  t.interventions = { ...t.interventions, [index]: intervention };
  const message = s.messages[t.messageRange[0]];
  const call = message?.tool_calls?.[index];
  if (!message || !call) throw new Error(`tool_call_intervened for a tool call the reply of turn ${t.turn} does not have (call ${index})`);
  const calls = message.tool_calls!.slice();
  calls[index] = { ...call, function: { ...call.function, arguments: intervention.action === 'edit' ? intervention.arguments : intervention.modelArguments } };
  message.tool_calls = calls;
}

/** Every intervention of a run, placed in its trajectory (for exports that mark them). */
export function placedInterventions(s: RunSnapshot): PlacedIntervention[] {
  const placed: PlacedIntervention[] = [];
  for (const t of s.turns) {
    for (const [index, intervention] of Object.entries(t.interventions ?? {})) placed.push({ messageIndex: t.messageRange[0], callIndex: Number(index), intervention });
  }
  return placed;
}

/** The reference's `AgentResult` of a run (so far, if it has not ended). */
export function agentResultOf(s: RunSnapshot): AgentResult {
  return {
    messages: s.messages,
    managed_state: null,
    turns_used: s.end ? s.end.turnsUsed : s.turns.length,
    finished_naturally: s.end?.reason === 'finished_naturally',
    reasoning_per_turn: s.reasoningPerTurn,
    tool_errors: s.toolErrors,
    tool_calls_attempted: s.counters.attempted,
    tool_calls_schema_valid: s.counters.schemaValid,
    tool_calls_executed_ok: s.counters.executedOk,
    tool_calls_exec_error: s.counters.execError,
  };
}

/** What a branch changed, in words: the turn it changed (null for the prompt) and what. */
export interface BranchChangeWords {
  turn: number | null;
  what: string;
}

/**
 * Describes a branch's change for titles and lists ("read_file arguments edited"); `toolName`
 * names a tool call of the turn the change is at (from the parent's or the branch's record).
 */
export function describeBranchChange(change: BranchChange, toolName: (turn: number, index: number) => string | undefined): BranchChangeWords {
  switch (change.kind) {
    case 'tool_arguments': {
      const names = [...new Set(change.arguments.map((a) => toolName(change.turn, a.index) ?? `call ${a.index}`))];
      return { turn: change.turn, what: `${names.join(', ')} arguments edited` };
    }
    case 'resample': {
      const settings = [
        ...(change.temperature !== undefined ? [`temperature ${change.temperature}`] : []),
        ...(change.maxTokens !== undefined ? [change.maxTokens === null ? 'no max tokens' : `max tokens ${change.maxTokens}`] : []),
      ];
      return { turn: change.turn, what: settings.length > 0 ? `resampled at ${settings.join(', ')}` : 'resampled' };
    }
    case 'assistant_message':
      return { turn: change.turn, what: 'reply edited' };
    case 'tool_result':
      return { turn: change.turn, what: `${toolName(change.turn, change.index) ?? `call ${change.index}`} result edited` };
    case 'prompt':
      return { turn: null, what: 'prompt edited' };
    case 'asked_once': {
      const edited = isEmptyEdit(change.edit) ? '' : ` (${describeModelCallEdit(change.edit)} changed)`;
      return { turn: change.turn, what: `asked once${edited}` };
    }
    case 'skipped_call':
      return { turn: change.turn, what: `${toolName(change.turn, change.index) ?? `call ${change.index}`} call skipped` };
  }
}

/**
 * What a branch's first turn shows as its "forked here" mark: what changed at the fork, or null
 * for a run that is no branch (or a turn other than its first). A branch made by continuing or
 * retrying a run has no change of its own: it continues live.
 */
export function forkMarkOf(s: RunSnapshot, turn: number): string | null {
  const forkTurn = typeof s.source.forkTurn === 'number' ? s.source.forkTurn : null;
  if (typeof s.source.parentRunId !== 'string' || forkTurn === null || turn !== forkTurn + 1) return null;
  if (s.source.change === undefined) return 'continued live';
  const change = branchChangeSchema.safeParse(s.source.change);
  if (!change.success) return 'changed';
  return branchChangeText(describeBranchChange(change.data, (t, index) => toolCallName(s, t, index)));
}

/** "turn 3: read_file arguments edited" (or "prompt edited"): a change as run lists show it. */
export function branchChangeText(words: BranchChangeWords): string {
  return words.turn === null ? words.what : `turn ${words.turn}: ${words.what}`;
}

/** The name of tool call `index` of `turn` in a run's state, if it has one. */
export function toolCallName(s: RunSnapshot, turn: number, index: number): string | undefined {
  const record = s.turns[turn - 1];
  return record?.toolCalls[index]?.name ?? record?.reply?.tool_calls?.[index]?.function.name ?? undefined;
}
