import { classifyRecordedCall } from '#shared/formats/trajectory.js';
import type { AssistantReply, ChatMessage, ToolCall } from '#shared/model/chat.js';
import type { BranchChange, LoopConfig, RunEvent, RunEventBody } from '#shared/run/events.js';
import { isEmptyEdit } from '#shared/loop/chat-request.js';
import { describeBranchChange, type BranchChangeWords } from '#shared/run/run-state.js';
import { PREFIX_EVENT_TYPES, type RecordedToolResult, type ResumePoint, type ToolCallKey } from './run-handle.js';

/** The run a branch is made from: its id (for messages) and its recorded events, in order. */
export interface BranchParent {
  runId: string;
  events: readonly RunEvent[];
}

/** Everything the engine needs to run a branch, besides a model and tools. */
export interface BranchPlan {
  /** The branch's initial messages (the parent's, or the edited prompt). */
  messages: ChatMessage[];
  /** The parent's events the branch starts with (see `RunRequest.prefix`). */
  prefix: RunEventBody[];
  resume: ResumePoint;
  /** The last parent turn the branch keeps whole (0: none). */
  forkTurn: number;
  /** The turn of the branch's first model call (a scripted model answers from there). */
  firstModelTurn: number;
  /** Loop settings the change itself sets (a resample's temperature or max tokens). */
  config: Partial<LoopConfig>;
  /** The change in words, for titles and run lists. */
  words: BranchChangeWords;
  /** The parent's result for an identical tool call, when results may be reused. */
  recordedToolResult?: (call: ToolCallKey) => RecordedToolResult | null;
}

/** A branch that cannot be made from its parent (a turn or tool call it does not have). */
export class BranchError extends Error {
  override readonly name = 'BranchError';
}

type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

/** The parent's events without what only the live run had (seq, time, run id, pauses). */
function bodyOf(event: RunEvent): RunEventBody {
  const { runId: _runId, seq: _seq, time: _time, ...body } = event;
  return body as RunEventBody;
}

/** What the parent records of one turn. */
interface RecordedTurn {
  started: boolean;
  promptView: Event<'prompt_view'> | null;
  reply: Event<'model_reply'> | null;
  toolStarted: Map<number, Event<'tool_started'>>;
  toolFinished: Map<number, Event<'tool_finished'>>;
  finished: boolean;
}

/** The parent's events, indexed by turn, with where each turn starts in the log. */
class ParentRecord {
  readonly started: Event<'run_started'>;
  readonly turns: RecordedTurn[] = [];
  /** Position in `events` of each turn's `turn_started`, by turn - 1. */
  private readonly starts: number[] = [];

  constructor(readonly parent: BranchParent) {
    const first = parent.events[0];
    if (first?.type !== 'run_started') throw new BranchError(`run ${parent.runId} has not started yet`);
    this.started = first;
    parent.events.forEach((event, position) => {
      if (event.type === 'turn_started') {
        this.starts[event.turn - 1] = position;
        this.turns[event.turn - 1] = { started: true, promptView: null, reply: null, toolStarted: new Map(), toolFinished: new Map(), finished: false };
        return;
      }
      if (!('turn' in event) || event.type === 'paused' || event.type === 'resumed') return;
      const turn = this.turns[event.turn - 1];
      if (!turn) return;
      if (event.type === 'prompt_view') turn.promptView = event;
      else if (event.type === 'model_reply') turn.reply = event;
      else if (event.type === 'tool_started') turn.toolStarted.set(event.index, event);
      else if (event.type === 'tool_finished') turn.toolFinished.set(event.index, event);
      else if (event.type === 'turn_finished') turn.finished = true;
    });
  }

  /** The turn, or a clear error naming the run and the turn. */
  turn(turn: number): RecordedTurn {
    const record = this.turns[turn - 1];
    if (!record) {
      const count = this.turns.length;
      throw new BranchError(`run ${this.parent.runId} has ${count} turn${count === 1 ? '' : 's'}; there is no turn ${turn} to branch at`);
    }
    return record;
  }

  /** The parent's reply of a turn, or an error saying the turn has none. */
  reply(turn: number): Event<'model_reply'> {
    const reply = this.turn(turn).reply;
    if (!reply) throw new BranchError(`turn ${turn} of run ${this.parent.runId} has no model reply (its model call failed or has not returned)`);
    return reply;
  }

  /** The events that make up turns before `turn` (and messages appended between them), as bodies. */
  before(turn: number): RunEventBody[] {
    const end = this.starts[turn - 1] ?? this.parent.events.length;
    return this.parent.events.slice(1, end).filter((e) => PREFIX_EVENT_TYPES.has(e.type)).map(bodyOf);
  }

  /** Checks that a turn with `calls` tool calls has call `index`; the error names the run, the turn and the call. */
  checkCallIndex(turn: number, index: number, calls: number): void {
    if (index >= calls) throw new BranchError(`turn ${turn} of run ${this.parent.runId} has ${calls} tool call${calls === 1 ? '' : 's'}; there is no call ${index}`);
  }

  /** The name of tool call `index` of `turn`, as the parent records it. */
  toolName(turn: number, index: number): string | undefined {
    const record = this.turns[turn - 1];
    return record?.toolStarted.get(index)?.name ?? record?.reply?.message.tool_calls?.[index]?.function.name ?? undefined;
  }
}

/** The tool calls of a reply, or none. */
function callsOf(reply: Event<'model_reply'>): NonNullable<AssistantReply['tool_calls']> {
  return reply.message.tool_calls ?? [];
}

/**
 * Plans a branch of a run: which of the parent's events it starts with, where its loop resumes,
 * and the change applied at the fork (see `branchChangeSchema`). The parent's events are copied,
 * never modified. Throws {@link BranchError} naming the run, the turn and the call when the
 * parent has no such turn or call.
 */
export function planBranch(parent: BranchParent, change: BranchChange, options: { reuseToolResults: boolean }): BranchPlan {
  const record = new ParentRecord(parent);
  const words = describeBranchChange(change, (turn, index) => record.toolName(turn, index));
  const messages = structuredClone(record.started.messages);
  let plan: Omit<BranchPlan, 'words' | 'firstModelTurn' | 'recordedToolResult'>;
  switch (change.kind) {
    case 'tool_arguments': {
      const reply = record.reply(change.turn);
      const message = structuredClone(reply.message);
      const calls = message.tool_calls ?? [];
      for (const edit of change.arguments) {
        record.checkCallIndex(change.turn, edit.index, calls.length);
        calls[edit.index]!.function.arguments = edit.arguments;
      }
      plan = {
        messages,
        prefix: [...record.before(change.turn), ...turnOpening(record, change.turn), { ...bodyOf(reply), message, edited: true } as RunEventBody],
        resume: { turn: change.turn, phase: 'tools' },
        forkTurn: change.turn - 1,
        config: {},
      };
      break;
    }
    case 'resample':
      record.turn(change.turn);
      plan = {
        messages,
        prefix: record.before(change.turn),
        resume: { turn: change.turn, phase: 'model' },
        forkTurn: change.turn - 1,
        config: { ...(change.temperature !== undefined ? { temperature: change.temperature } : {}), ...(change.maxTokens !== undefined ? { maxTokens: change.maxTokens } : {}) },
      };
      break;
    case 'assistant_message': {
      record.turn(change.turn);
      const toolCalls = change.toolCalls.map((c): ToolCall => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
      // The whole reply is the user's: no reasoning, latency or usage of the model's is kept.
      const reply: RunEventBody = { type: 'model_reply', turn: change.turn, message: { role: 'assistant', content: change.content, tool_calls: toolCalls.length > 0 ? toolCalls : null }, latencyMs: 0, usage: null, finishReason: null, edited: true };
      plan = {
        messages,
        prefix: [...record.before(change.turn), ...turnOpening(record, change.turn), reply],
        resume: { turn: change.turn, phase: 'tools' },
        forkTurn: change.turn - 1,
        config: {},
      };
      break;
    }
    case 'tool_result': {
      const turn = record.turn(change.turn);
      record.checkCallIndex(change.turn, change.index, callsOf(record.reply(change.turn)).length);
      const started = turn.toolStarted.get(change.index);
      const finished = turn.toolFinished.get(change.index);
      if (!started || !finished || !turn.finished) throw new BranchError(`turn ${change.turn} of run ${parent.runId} has not finished its tool calls; its results can be edited once it has`);
      // The id and name stay as the model sent them, a missing name (null) or a numeric id included.
      const call: ToolCall = { id: started.id as string | null, type: 'function', function: { name: started.name as string, arguments: started.arguments } };
      // Classified as the engine would have classified the edited text, had the tool returned it.
      const { outcome } = classifyRecordedCall(change.turn, call, change.content, new Set(record.started.validToolNames));
      const prefix = record.before(change.turn + 1).map((body) =>
        body.type === 'tool_finished' && body.turn === change.turn && body.index === change.index ? { ...body, status: outcome!.status, result: change.content, toolError: outcome!.toolError } : body,
      );
      plan = { messages, prefix, resume: { turn: change.turn + 1, phase: 'model' }, forkTurn: change.turn, config: {} };
      break;
    }
    case 'prompt': {
      const prompt: ChatMessage[] = [];
      if (change.system.trim() !== '') prompt.push({ role: 'system', content: change.system });
      prompt.push({ role: 'user', content: change.user });
      plan = { messages: prompt, prefix: [], resume: { turn: 1, phase: 'model' }, forkTurn: 0, config: {} };
      break;
    }
    case 'asked_once': {
      record.turn(change.turn);
      const { edit } = change;
      // The turn's call as it was asked: its prompt view, the user's edit, then the model's reply.
      const edited: RunEventBody[] = isEmptyEdit(edit) ? [] : [{ type: 'model_call_edited', turn: change.turn, edit }];
      const reply: RunEventBody = {
        type: 'model_reply',
        turn: change.turn,
        message: structuredClone(change.reply),
        latencyMs: change.latencyMs,
        usage: change.usage,
        finishReason: null,
        ...(change.model !== undefined ? { model: change.model } : {}),
      };
      plan = {
        messages,
        prefix: [...record.before(change.turn), ...turnOpening(record, change.turn), ...edited, reply],
        resume: { turn: change.turn, phase: 'tools' },
        forkTurn: change.turn - 1,
        // The sampling the user asked with goes on for the rest of the branch, as a resample's does.
        config: { ...(edit.temperature !== undefined ? { temperature: edit.temperature } : {}), ...(edit.maxTokens !== undefined ? { maxTokens: edit.maxTokens } : {}) },
      };
      break;
    }
    case 'skipped_call': {
      const reply = record.reply(change.turn);
      record.checkCallIndex(change.turn, change.index, callsOf(reply).length);
      const modelArguments = callsOf(reply)[change.index]!.function.arguments;
      if (typeof modelArguments !== 'string') throw new BranchError(`turn ${change.turn} of run ${parent.runId}: the arguments of tool call ${change.index} are not a string`);
      // The skip is the one a breakpoint records: the engine runs nothing for the call and gives
      // the model the same tool error, counted as the live run counts it.
      const skipped: RunEventBody = { type: 'tool_call_intervened', turn: change.turn, index: change.index, intervention: { action: 'skip', modelArguments } };
      plan = {
        messages,
        prefix: [...record.before(change.turn), ...turnOpening(record, change.turn), bodyOf(reply), skipped],
        resume: { turn: change.turn, phase: 'tools' },
        forkTurn: change.turn - 1,
        config: {},
      };
      break;
    }
  }
  const firstModelTurn = plan.resume.phase === 'model' ? plan.resume.turn : plan.resume.turn + 1;
  return { ...plan, words, firstModelTurn, ...(options.reuseToolResults ? { recordedToolResult: reuseFrom(record) } : {}) };
}

/** A turn's `turn_started` and `prompt_view` as the parent recorded them. */
function turnOpening(record: ParentRecord, turn: number): RunEventBody[] {
  const view = record.turn(turn).promptView;
  if (!view) throw new BranchError(`turn ${turn} of run ${record.parent.runId} has no prompt view yet`);
  return [{ type: 'turn_started', turn }, bodyOf(view)];
}

/**
 * The parent's result for a call identical to its own (same turn, position, name and raw
 * arguments) that it ran as a known tool as the model asked; anything else runs. A call the user
 * edited or rejected at an approval did not run what the model asked, so its result is not reused.
 */
function reuseFrom(record: ParentRecord): (call: ToolCallKey) => RecordedToolResult | null {
  return ({ turn, index, name, arguments: raw }) => {
    const recorded = record.turns[turn - 1];
    const started = recorded?.toolStarted.get(index);
    const finished = recorded?.toolFinished.get(index);
    if (!started || !finished || !started.known || finished.status === 'unknown_tool') return null;
    if (started.name !== name || started.arguments !== raw) return null;
    if (started.approval && started.approval.decision !== 'approve') return null;
    return { status: finished.status, result: finished.result, toolError: finished.toolError };
  };
}
