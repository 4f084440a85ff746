import { z } from 'zod';
import type { ChatMessage, TokenUsage, ToolCall, ToolSchema } from '../model/chat.js';
import type { AgentResult } from '../run/run-state.js';
import { extractReasoning } from '../loop/reasoning.js';
import { normalizeToolArgs } from '../loop/normalize-args.js';
import { hasTooManyDigits } from '../python/value.js';
import { exceptionOutcome, isKnownTool, recordedExceptionText, returnedOutcome, unknownToolOutcome, type ToolError, type ToolOutcome } from '../loop/tool-outcome.js';
import type { Contradiction, Evaluation, TrajectoryGroup } from './trajectory-details.js';

export type { Contradiction, Evaluation, TrajectoryGroup } from './trajectory-details.js';

/** The trajectory file formats the importers read (an opened file's format crosses IPC). */
export const formatIdSchema = z.enum([
  'agent-result',
  'chat-messages',
  'messages-jsonl',
  'hermes-session-jsonl',
  'hermes-sharegpt-jsonl',
  'swe-agent-traj',
  'mini-swe-agent',
  'inspect-log',
  'inspect-eval',
  'openhands-events',
  'openhands-eval-jsonl',
  'trajdbg-run',
  'nemo-gym-rollouts',
  'codex-session',
  'claude-code-session',
  'claude-code-stream',
  'claude-code-stream-list',
  'tau-bench',
  'tau2-bench',
  'verifiers-results',
  'verl-rollouts',
  'langfuse-trace',
  'atif',
  'gemini-cli-session',
  'gemini-cli-session-jsonl',
  'adp-trajectory',
  'glaive-function-calling',
  'xlam-function-calling',
  'goose-session',
  'openai-evals-log',
  'art-trajectory-groups',
  'langgraph-state',
  'bfcl-result',
  'smolagents-steps',
  'smolagents-run',
  'otlp-traces',
  'otlp-traces-jsonl',
  'autogen-state',
  'opencode-session',
  'langsmith-runs',
  'langsmith-runs-jsonl',
  'openai-agents-state',
  'adk-session',
  'model-call-log',
  'model-call-list',
  'continue-session',
]);
/** A trajectory file format the importers read. */
export type FormatId = z.infer<typeof formatIdSchema>;

/** The `AgentResult` fields besides `messages`, which a file may or may not record. */
export type AgentResultField = Exclude<keyof AgentResult, 'messages'>;

export const AGENT_RESULT_FIELDS: readonly AgentResultField[] = [
  'managed_state',
  'turns_used',
  'finished_naturally',
  'reasoning_per_turn',
  'tool_errors',
  'tool_calls_attempted',
  'tool_calls_schema_valid',
  'tool_calls_executed_ok',
  'tool_calls_exec_error',
];

/**
 * What "finished" means, for every format: the agent ended the run itself. Its last reply called
 * no tools (the reference loop's `finished_naturally`), or it called the tool its harness ends a
 * run with (see {@link END_TOOL_NAMES}), and no limit, error or cut stopped it first. A run stopped
 * by a step, cost, context or message limit, an error, or a file that ends mid-run is not finished.
 * Importers record `finished_naturally` with this meaning where the file tells it (an exit status,
 * a limit, a final call to the end tool); otherwise it is derived with the reference rule. How the
 * file itself words the end is kept beside it in {@link Trajectory.stopReason}.
 */
export const FINISHED_MEANING = 'the agent ended the run itself: a last reply without tool calls, or a call to its harness\'s end tool, not stopped by a limit, an error or a cut';

/** Tools a harness ends a run with: SWE-agent's and Inspect's `submit`, OpenHands' `finish`, smolagents' `final_answer`. */
export const END_TOOL_NAMES: ReadonlySet<string> = new Set(['submit', 'finish', 'final_answer']);

/** True when the last assistant message calls an end tool ({@link END_TOOL_NAMES}). */
export function endsWithEndTool(messages: readonly ChatMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') return (m.tool_calls ?? []).some((c) => isKnownTool(END_TOOL_NAMES, c.function.name));
  }
  return false;
}

/** A recorded model call's token usage and duration (see {@link Trajectory.callStats}). */
export interface CallStats {
  usage?: TokenUsage;
  latencyMs?: number;
}

/** One imported trajectory, whatever file it came from. */
export interface Trajectory {
  id: string;
  model: string | null;
  /** OpenAI chat format; assistant tool calls carry string arguments, reasoning is `reasoning_content`. */
  messages: ChatMessage[];
  reward: number | null;
  /** The AgentResult fields the file itself records. */
  recorded: Partial<Omit<AgentResult, 'messages'>>;
  source: { format: FormatId; index: number };
  /**
   * The exact prompt sent for each turn where the file records it (Inspect model-event inputs,
   * SWE-agent `query`/`messages`), indexed by turn - 1; null for a turn it does not record.
   * Absent when the format records no prompts: the prompt view is then recomputed.
   */
  promptViews?: Array<ChatMessage[] | null>;
  /**
   * What the file records about each model call, indexed by turn - 1: its token usage (in the
   * OpenAI names: prompt, completion and total tokens) and how long it took; null for a turn it
   * records nothing of. Absent when the format records neither.
   */
  callStats?: Array<CallStats | null>;
  /** The tool schemas the file records (sent to the model), when it records them. */
  tools?: ToolSchema[];
  /** A branch of another trajectory of the file: its id, the last turn kept whole, and what changed. */
  branch?: { parentId: string; forkTurn: number; change: string };
  /**
   * How the file says the run ended, in its own words (an exit status, a limit, an end reason);
   * null or absent when it does not say. Whether that counts as finished: {@link FINISHED_MEANING}.
   */
  stopReason?: string | null;
  /** Parts of the trajectory the importer could not read and left out, as "field path: what is wrong". */
  problems?: string[];
  /** The rollout's group, for files that hold several rollouts of one prompt. */
  group?: TrajectoryGroup;
  /** What an evaluation recorded about the sample (target, scores with explanations, metadata). */
  evaluation?: Evaluation;
}

/** The reference AgentResult of a trajectory, and which of its fields were derived rather than recorded. */
export interface DerivedAgentResult {
  result: AgentResult;
  derived: AgentResultField[];
  recorded: AgentResultField[];
  /** Recorded fields the messages contradict: `result` holds the derived value for them. */
  contradicted: Contradiction[];
}

/** The tool message content as the model saw it (non-string content as JSON). */
function contentText(message: ChatMessage): string {
  return typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
}

/** Pairs each tool call of a turn with its tool message: by id first, then by position (import and replay). */
export function pairToolResults(calls: readonly ToolCall[], results: readonly ChatMessage[]): Array<string | undefined> {
  const unused = [...results];
  const byId = calls.map((call) => {
    const at = unused.findIndex((m) => call.id !== null && m.tool_call_id === call.id);
    return at < 0 ? undefined : unused.splice(at, 1)[0];
  });
  return byId.map((found) => {
    const message = found ?? unused.shift();
    return message === undefined ? undefined : contentText(message);
  });
}

/** How one recorded tool call ended, classified with the engine's rules. */
export interface RecordedCallOutcome {
  known: boolean;
  schemaValid: boolean | null;
  /** Null when the file records no result for the call (a cut trajectory). */
  outcome: ToolOutcome | null;
}

/**
 * Classifies one recorded tool call as the engine would have: an unknown name is an unknown tool;
 * a known call is schema-valid per `normalizeToolArgs` and classified from its recorded result
 * (a result in the reference's exception shape counts as a raised exception).
 */
export function classifyRecordedCall(turn: number, call: ToolCall, result: string | undefined, names: ReadonlySet<string>): RecordedCallOutcome {
  const { name, arguments: raw } = call.function;
  if (!isKnownTool(names, name)) return { known: false, schemaValid: null, outcome: unknownToolOutcome(turn, name, raw, names) };
  const schemaValid = normalizeToolArgs(name, raw).schemaValid;
  if (result === undefined) return { known: true, schemaValid, outcome: null };
  const exception = recordedExceptionText(result);
  if (exception !== null) return { known: true, schemaValid, outcome: { ...exceptionOutcome(turn, name, raw, exception), result } };
  return { known: true, schemaValid, outcome: returnedOutcome(turn, name, raw, result) };
}

/** The names of the tools a trajectory could call: its recorded schemas, else every name it calls. */
export function validToolNames(t: Trajectory): Set<string> {
  if (t.tools && t.tools.length > 0) return new Set(t.tools.map((s) => s.function.name));
  const names = new Set<string>();
  for (const m of t.messages) {
    if (m.role !== 'assistant' || !m.tool_calls) continue;
    for (const call of m.tool_calls) if (call.function.name !== null) names.add(call.function.name);
  }
  return names;
}

/** The tool messages that follow the assistant message at `at`. */
export function toolResultsAfter(messages: readonly ChatMessage[], at: number): ChatMessage[] {
  const results: ChatMessage[] = [];
  for (let j = at + 1; j < messages.length && messages[j]!.role === 'tool'; j++) results.push(messages[j]!);
  return results;
}

/**
 * The reference AgentResult of a trajectory: recorded fields as the file has them, the others
 * derived with the engine's rules. A recorded `turns_used` below the number of assistant messages
 * cannot be true (each of them is a model call): it is listed in `contradicted` and the derived
 * count is used. Turns are the assistant messages; a tool call whose name is not
 * in `validNames` (default: {@link validToolNames}) is an unknown tool; a known call is
 * attempted, schema-valid per `normalizeToolArgs`, and classified from its recorded result;
 * `onCall` sees each call with its classification (for per-tool figures, without classifying twice).
 */
export function deriveAgentResult(t: Trajectory, validNames?: Iterable<string>, onCall?: (call: ToolCall, outcome: RecordedCallOutcome) => void): DerivedAgentResult {
  const messages = t.messages;
  const names = validNames ? new Set(validNames) : validToolNames(t);
  const reasoning: unknown[] = [];
  const toolErrors: ToolError[] = [];
  let attempted = 0;
  let schemaValid = 0;
  let executedOk = 0;
  let execError = 0;
  let turn = 0;
  let lastHadCalls = false;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    turn += 1;
    reasoning.push(extractReasoning(message));
    const calls = message.tool_calls ?? [];
    lastHadCalls = calls.length > 0;
    const paired = pairToolResults(calls, toolResultsAfter(messages, i));
    calls.forEach((call, k) => {
      const classified = classifyRecordedCall(turn, call, paired[k], names);
      onCall?.(call, classified);
      const { known, schemaValid: valid, outcome } = classified;
      if (known) attempted += 1;
      if (valid) schemaValid += 1;
      if (!outcome) return;
      if (outcome.status === 'ok') executedOk += 1;
      else execError += 1;
      if (outcome.toolError) toolErrors.push(outcome.toolError);
    });
  }
  const computed: Omit<AgentResult, 'messages'> = {
    managed_state: null,
    turns_used: turn,
    finished_naturally: turn > 0 && !lastHadCalls,
    reasoning_per_turn: reasoning,
    tool_errors: toolErrors,
    tool_calls_attempted: attempted,
    tool_calls_schema_valid: schemaValid,
    tool_calls_executed_ok: executedOk,
    tool_calls_exec_error: execError,
  };
  const recorded = AGENT_RESULT_FIELDS.filter((f) => t.recorded[f] !== undefined);
  const derived = AGENT_RESULT_FIELDS.filter((f) => t.recorded[f] === undefined);
  const contradicted = contradictions(t.recorded, computed);
  const result: AgentResult = { messages, ...computed };
  for (const field of recorded) {
    if (contradicted.some((c) => c.field === field)) continue;
    (result as unknown as Record<string, unknown>)[field] = t.recorded[field];
  }
  return { result, derived, recorded, contradicted };
}

/** The AgentResult figures a collection row shows. */
export type RowCounts = Pick<AgentResult, 'turns_used' | 'finished_naturally' | 'tool_calls_exec_error'>;

/**
 * The row figures of {@link deriveAgentResult} (turns, finished, failed calls, recorded values
 * winning as there), without the work a row does not show: arguments are not decoded (schema
 * validity), no reasoning is extracted and no tool error is written out. A failed call is an
 * unknown tool or a known call whose recorded result does not classify `ok` (a raised exception
 * classifies `error_result` too). Arguments Python would refuse to read (an int over 4300 digits)
 * go the exact way, which raises as the reference does.
 */
export function deriveRowCounts(t: Trajectory): RowCounts {
  const messages = t.messages;
  const names = validToolNames(t);
  let turn = 0;
  let lastHadCalls = false;
  let execError = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'assistant') continue;
    turn += 1;
    const calls = message.tool_calls ?? [];
    lastHadCalls = calls.length > 0;
    if (calls.length === 0) continue;
    const paired = pairToolResults(calls, toolResultsAfter(messages, i));
    for (let k = 0; k < calls.length; k++) {
      const { name, arguments: raw } = calls[k]!.function;
      if (!isKnownTool(names, name)) {
        execError += 1;
        continue;
      }
      if (hasTooManyDigits(raw)) return pickRowCounts(deriveAgentResult(t).result);
      const result = paired[k];
      if (result !== undefined && returnedOutcome(turn, name, raw, result).status !== 'ok') execError += 1;
    }
  }
  const computed = { turns_used: turn, finished_naturally: turn > 0 && !lastHadCalls, tool_calls_exec_error: execError };
  const recorded = t.recorded;
  return {
    // As deriveAgentResult: fewer recorded turns than assistant messages cannot be true.
    turns_used: recorded.turns_used !== undefined && recorded.turns_used >= turn ? recorded.turns_used : turn,
    finished_naturally: recorded.finished_naturally ?? computed.finished_naturally,
    tool_calls_exec_error: recorded.tool_calls_exec_error ?? computed.tool_calls_exec_error,
  };
}

function pickRowCounts(result: AgentResult): RowCounts {
  return { turns_used: result.turns_used, finished_naturally: result.finished_naturally, tool_calls_exec_error: result.tool_calls_exec_error };
}

/** The recorded fields that the counts taken from the messages show to be wrong. */
function contradictions(recorded: Trajectory['recorded'], computed: Pick<AgentResult, 'turns_used'>): Contradiction[] {
  const found: Contradiction[] = [];
  const turns = recorded.turns_used;
  // More model calls than assistant messages is normal (requeries never reach the history); fewer is not.
  if (turns !== undefined && turns < computed.turns_used) {
    found.push({ field: 'turns_used', recorded: turns, derived: computed.turns_used, note: `contradicts the messages: they hold ${computed.turns_used} assistant ${computed.turns_used === 1 ? 'message' : 'messages'}` });
  }
  return found;
}

/**
 * What the file's recorded result contradicts in its messages, as {@link deriveAgentResult} finds
 * it, without classifying every tool call to derive the rest: `turns` is the number of its
 * assistant messages (the turns its messages hold), which the caller has counted already.
 */
export function contradictionsOf(t: Trajectory, turns: number): Contradiction[] {
  return contradictions(t.recorded, { turns_used: turns });
}

/** The names a list of tool calls calls (a call without a name names none). */
export function calledNames(calls: ReadonlyArray<{ function: { name: string | null } }>): string[] {
  return calls.flatMap((call) => (call.function.name === null ? [] : [call.function.name]));
}
