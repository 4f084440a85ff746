import type { ChatMessage } from '#shared/model/chat.js';
import { TOOL_ERRORS_NAME } from '#shared/loop/error-counts.js';
import type { PromptView } from '#shared/loop/truncate.js';
import { jsonTruthy } from '#shared/loop/json-semantics.js';
import type { RunSnapshot, ToolCallRecord, TurnRecord } from '#shared/run/run-state.js';
import { contentText, resultError } from '../../ui/content-text.js';
import { isFailedCall } from '../trajectory/tool-call-card.js';

const n = (value: number): string => value.toLocaleString('en-US');

/** One metric of both runs; `delta` is right minus left for counts, else null. */
export interface MetricRow {
  label: string;
  left: string;
  right: string;
  delta: number | null;
}

interface RunMetrics {
  turnsUsed: number;
  finished: string;
  end: string;
  attempted: number;
  schemaValid: number;
  executedOk: number;
  execError: number;
  toolErrors: number;
}

function metricsOf(s: RunSnapshot): RunMetrics {
  return {
    turnsUsed: s.end ? s.end.turnsUsed : s.turns.length,
    finished: s.end ? (s.end.reason === 'finished_naturally' ? 'yes' : 'no') : 'not yet',
    end: s.end ? s.end.reason.replaceAll('_', ' ') : s.pausedAt ? 'paused' : 'running',
    attempted: s.counters.attempted,
    schemaValid: s.counters.schemaValid,
    executedOk: s.counters.executedOk,
    execError: s.counters.execError,
    toolErrors: s.toolErrors.length,
  };
}

/** The loop's metrics of both runs, as the Metrics panel names them (derived from the events). */
export function compareMetrics(left: RunSnapshot, right: RunSnapshot): MetricRow[] {
  const a = metricsOf(left);
  const b = metricsOf(right);
  const count = (label: string, key: 'turnsUsed' | 'attempted' | 'schemaValid' | 'executedOk' | 'execError' | 'toolErrors'): MetricRow => ({ label, left: n(a[key]), right: n(b[key]), delta: b[key] - a[key] });
  const word = (label: string, key: 'finished' | 'end'): MetricRow => ({ label, left: a[key], right: b[key], delta: null });
  return [
    count('Turns used', 'turnsUsed'),
    word('Finished naturally', 'finished'),
    word('Ended', 'end'),
    count('Tool calls attempted', 'attempted'),
    count('Schema valid', 'schemaValid'),
    count('Executed OK', 'executedOk'),
    count('Exec errors', 'execError'),
    count(TOOL_ERRORS_NAME, 'toolErrors'),
  ];
}

/** What the prompt view of a turn says, in the numbers the compare view sets side by side. */
export interface PromptFacts {
  tokens: number;
  budget: number | null;
  phase: PromptView['phase'];
  dropped: number;
  shortened: number;
}

/** One tool call as compared: every field is text, so two calls compare field by field. */
export interface CallFacts {
  name: string;
  status: string;
  arguments: string;
  result: string | null;
  error: string | null;
}

/** One turn as compared. `reply` is null when the model has not replied (or failed: see `failure`). */
export interface TurnFacts {
  prompt: PromptFacts | null;
  reply: string | null;
  failure: string | null;
  reasoning: string | null;
  calls: CallFacts[];
}

const STATUS_TEXT: Record<ToolCallRecord['status'], string> = {
  running: 'running',
  ok: 'ok',
  error_result: 'error result',
  exception: 'exception',
  unknown_tool: 'unknown tool',
};

function promptFacts(view: PromptView | null): PromptFacts | null {
  if (!view) return null;
  const dropped = view.dropped.reduce((sum, [start, end]) => sum + end - start, 0);
  return { tokens: view.estimatedTokens, budget: view.budget, phase: view.phase, dropped, shortened: view.shortened.length };
}

function callFacts(call: ToolCallRecord): CallFacts {
  const schema = call.schemaValid === true ? ', schema_valid' : call.schemaValid === false ? ', coerced' : '';
  // The same error text the trajectory's tool call card shows.
  const error = isFailedCall(call) ? (call.toolError?.error ?? resultError(call.result) ?? 'the tool call failed') : null;
  return { name: call.name, status: STATUS_TEXT[call.status] + schema, arguments: call.arguments, result: call.result, error };
}

function failureText(turn: TurnRecord): string | null {
  const f = turn.failure;
  if (!f) return null;
  const status = f.status !== undefined && !f.error.includes(`HTTP ${f.status}`) ? ` (HTTP ${f.status})` : '';
  return `${f.kind === 'empty' ? 'Empty response' : 'Model call failed'}${status}: ${f.error}`;
}

/** A turn's prompt, reply, reasoning and tool calls as texts to compare. */
export function turnFacts(turn: TurnRecord): TurnFacts {
  return {
    prompt: promptFacts(turn.promptView),
    reply: turn.reply ? contentText(turn.reply.content) : null,
    failure: failureText(turn),
    reasoning: jsonTruthy(turn.reasoning) ? contentText(turn.reasoning) : null,
    calls: turn.toolCalls.map(callFacts),
  };
}

function samePrompt(a: PromptFacts | null, b: PromptFacts | null): boolean {
  if (!a || !b) return a === b;
  return a.tokens === b.tokens && a.budget === b.budget && a.phase === b.phase && a.dropped === b.dropped && a.shortened === b.shortened;
}

function sameCall(a: CallFacts, b: CallFacts): boolean {
  return a.name === b.name && a.status === b.status && a.arguments === b.arguments && a.result === b.result && a.error === b.error;
}

/** Whether two turns show the same thing (strings compared by value, so this is linear in their size). */
export function sameTurn(a: TurnFacts, b: TurnFacts): boolean {
  return (
    samePrompt(a.prompt, b.prompt) &&
    a.reply === b.reply &&
    a.failure === b.failure &&
    a.reasoning === b.reasoning &&
    a.calls.length === b.calls.length &&
    a.calls.every((call, i) => sameCall(call, b.calls[i]!))
  );
}

/** A run's turns by turn number (a branch shares its parent's numbering, so turns align by number, not position). */
export function turnsByNumber(s: RunSnapshot): Map<number, TurnRecord> {
  return new Map(s.turns.map((t) => [t.turn, t]));
}

/** The messages before a run's first turn: the system and user prompt (or a continued history). */
export function initialMessages(s: RunSnapshot): ChatMessage[] {
  return s.messages.slice(0, s.turns[0]?.messageRange[0] ?? s.messages.length);
}

/** A message as compared: its role, and its text with the names and arguments of its tool calls. */
export function messageText(message: ChatMessage): string {
  const calls = (message.tool_calls ?? []).map((c) => `\n→ ${c.function?.name}(${c.function?.arguments ?? ''})`).join('');
  return contentText(message.content) + calls;
}

/** Whether two runs start from the same messages. */
export function sameInitialMessages(a: readonly ChatMessage[], b: readonly ChatMessage[]): boolean {
  return a.length === b.length && a.every((m, i) => m.role === b[i]!.role && messageText(m) === messageText(b[i]!));
}

/** One row of the compare list. */
export type CompareRow =
  /** The runs start from different messages (a branch that edited the prompt). */
  | { kind: 'initial' }
  /** Turns 1 to `last`, before the fork, folded into one row; `differing` counts those both runs have that differ. */
  | { kind: 'earlier'; last: number; differing: number; open: boolean }
  /** One turn of either run; `early` when it comes before the fork (shown because the earlier row is open). */
  | { kind: 'turn'; turn: number; early: boolean };

/**
 * The rows of the compare list: the initial messages when they differ, the turns before the fork
 * folded into one row (their own rows follow when it is open), then every turn from the fork on
 * that either run has, by turn number.
 */
export function compareRows(left: ReadonlyMap<number, TurnRecord>, right: ReadonlyMap<number, TurnRecord>, forkTurn: number, options: { earlierOpen: boolean; initialDiffer: boolean }): CompareRow[] {
  const numbers = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => x - y);
  const rows: CompareRow[] = options.initialDiffer ? [{ kind: 'initial' }] : [];
  const earlier = numbers.filter((t) => t < forkTurn);
  if (forkTurn > 1) {
    const differing = earlier.filter((t) => {
      const a = left.get(t);
      const b = right.get(t);
      return a && b && !sameTurn(turnFacts(a), turnFacts(b));
    }).length;
    rows.push({ kind: 'earlier', last: forkTurn - 1, differing, open: options.earlierOpen });
    if (options.earlierOpen) for (const turn of earlier) rows.push({ kind: 'turn', turn, early: true });
  }
  for (const turn of numbers) if (turn >= forkTurn) rows.push({ kind: 'turn', turn, early: false });
  return rows;
}

/** What the folded row before the fork says. */
export function earlierText(row: { last: number; differing: number }): string {
  const range = row.last === 1 ? 'Turn 1' : `Turns 1–${row.last}`;
  if (row.differing === 0) return `${range} ${row.last === 1 ? 'is' : 'are'} the same`;
  return `${range}, before the fork: ${n(row.differing)} ${row.differing === 1 ? 'differs' : 'differ'}`;
}
