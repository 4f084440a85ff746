import type { AssistantReply, ChatMessage, ToolSchema } from '../model/chat.js';
import { PromptViewIndex } from '../loop/truncate.js';
import { buildChatRequest, requestParamsOf } from '../loop/chat-request.js';
import { LOOP_DEFAULTS } from '../loop/defaults.js';
import { extractReasoning } from '../loop/reasoning.js';
import type { RunEventBody } from '../run/events.js';
import { assistantMessageFor } from '../run/run-state.js';
import { pyJsonDumps } from '../python/json.js';
import { normalizeToolArgs } from '../loop/normalize-args.js';
import { AGENT_RESULT_FIELDS, classifyRecordedCall, contradictionsOf, pairToolResults, toolResultsAfter, validToolNames, type Trajectory } from './trajectory.js';

/** Where an opened trajectory came from, carried on its run (see `runSourceSchema.imported`). */
export interface TrajectoryOrigin {
  fileId: string;
  path: string;
}

/** Options of {@link trajectoryRunEvents}. */
export interface TrajectoryEventsOptions {
  origin: TrajectoryOrigin;
  /** The context budget prompt views are computed with (null: whole prompts). */
  maxContextTokens: number | null;
}

/** What an opened trajectory carries besides its counts, for the views (only what it has). */
function importedDetails(t: Trajectory, turns: number): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  const contradicted = contradictionsOf(t, turns);
  if (contradicted.length > 0) details.contradicted = contradicted;
  if (t.stopReason !== undefined) details.stopReason = t.stopReason;
  if (t.problems && t.problems.length > 0) details.problems = t.problems;
  if (t.group) details.group = t.group;
  if (t.evaluation) details.evaluation = t.evaluation;
  return details;
}

/** The reply a server would have sent for a recorded assistant message. */
function replyOf(message: ChatMessage): AssistantReply {
  const reply: AssistantReply = { role: 'assistant', content: message.content ?? null, tool_calls: message.tool_calls ?? null };
  if (message.reasoning_content !== undefined) reply.reasoning_content = message.reasoning_content;
  return reply;
}

/**
 * The run events of a recorded trajectory, as if the engine had run it: per turn the prompt view
 * (computed with the engine's truncation), the reply, and each tool call classified with the
 * engine's rules. Messages the loop would not have appended (user turns between model calls,
 * tool results no call claims) come as `messages_appended`, so the run's trajectory equals the
 * file's. The run ends `finished_naturally` when the last reply calls no tools, else
 * `recording_ended`.
 */
export function trajectoryRunEvents(t: Trajectory, options: TrajectoryEventsOptions): RunEventBody[] {
  return [...eachTrajectoryRunEvent(t, options)];
}

/**
 * The events of {@link trajectoryRunEvents}, each computed as it is asked for: a view of a long
 * trajectory shows its first turns before its last ones are computed.
 */
export function* eachTrajectoryRunEvent(t: Trajectory, options: TrajectoryEventsOptions): Generator<RunEventBody, void, undefined> {
  const messages = t.messages;
  const names = validToolNames(t);
  const firstReply = messages.findIndex((m) => m.role === 'assistant');
  const initial = firstReply < 0 ? messages : messages.slice(0, firstReply);
  const schemas: ToolSchema[] = t.tools && t.tools.length > 0 ? t.tools : [...names].map((name) => ({ type: 'function', function: { name, parameters: { type: 'object' } } }));
  const turns = messages.reduce((n, m) => n + (m.role === 'assistant' ? 1 : 0), 0);
  const recorded: Record<string, unknown> = {};
  for (const field of AGENT_RESULT_FIELDS) if (t.recorded[field] !== undefined) recorded[field] = t.recorded[field];
  yield {
    type: 'run_started',
    format: 'trajdbg-run/1',
    config: { maxTurns: Math.max(1, turns), temperature: LOOP_DEFAULTS.temperature, maxTokens: LOOP_DEFAULTS.maxTokens, maxContextTokens: options.maxContextTokens, taskId: t.id },
    source: {
      ...(t.model ? { model: t.model } : {}),
      imported: {
        fileId: options.origin.fileId,
        path: options.origin.path,
        index: t.source.index,
        trajectoryId: t.id,
        format: t.source.format,
        recorded,
        derived: AGENT_RESULT_FIELDS.filter((f) => t.recorded[f] === undefined),
        recordedPromptTurns: (t.promptViews ?? []).flatMap((view, i) => (view ? [i + 1] : [])),
        reward: t.reward,
        ...importedDetails(t, turns),
      },
    },
    tools: schemas,
    validToolNames: [...names],
    messages: initial,
  };
  const index = new PromptViewIndex(options.maxContextTokens);
  for (const m of initial) index.append(m);
  let turn = 0;
  let lastHadCalls = false;
  let i = initial.length;
  while (i < messages.length) {
    const message = messages[i]!;
    if (message.role !== 'assistant') {
      // Not part of a turn: the file has it between model calls.
      const extra: ChatMessage[] = [];
      for (; i < messages.length && messages[i]!.role !== 'assistant'; i++) extra.push(messages[i]!);
      for (const m of extra) index.append(m);
      yield { type: 'messages_appended', messages: extra };
      continue;
    }
    turn += 1;
    yield { type: 'turn_started', turn };
    // A file records no sampling: the request is the one the loop's defaults would build.
    const request = requestParamsOf(buildChatRequest({ messages: [], temperature: LOOP_DEFAULTS.temperature, maxTokens: LOOP_DEFAULTS.maxTokens, tools: schemas }));
    yield { type: 'prompt_view', turn, view: index.view(), request };
    const reply = replyOf(message);
    const stats = t.callStats?.[turn - 1];
    yield { type: 'model_reply', turn, message: reply, latencyMs: stats?.latencyMs ?? null, ...(stats?.usage ? { usage: stats.usage } : {}), ...(t.model ? { model: t.model } : {}) };
    index.append(assistantMessageFor(reply, extractReasoning(reply)));
    const calls = message.tool_calls ?? [];
    lastHadCalls = calls.length > 0;
    const results = toolResultsAfter(messages, i);
    const paired = pairToolResults(calls, results);
    for (const [k, call] of calls.entries()) {
      const { known, schemaValid, outcome } = classifyRecordedCall(turn, call, paired[k], names);
      const raw = call.function.arguments;
      yield {
        type: 'tool_started',
        turn,
        index: k,
        id: call.id ?? null,
        name: call.function.name,
        arguments: raw,
        known,
        normalizedArguments: known && call.function.name !== null ? pyJsonDumps(normalizeToolArgs(call.function.name, raw).args, { ensureAscii: false }) : null,
        schemaValid,
      };
      if (!outcome) continue;
      // What the model saw is the recorded result, even where the engine would have written its own.
      const result = paired[k] ?? outcome.result;
      yield { type: 'tool_finished', turn, index: k, status: outcome.status, result, toolError: outcome.toolError, durationMs: 0 };
      index.append({ role: 'tool', tool_call_id: call.id ?? null, content: result });
    }
    // Tool results no call claimed (more results than calls) stay in the trajectory after the claimed ones.
    const unclaimed = results.slice(paired.filter((r) => r !== undefined).length);
    if (unclaimed.length > 0) {
      for (const m of unclaimed) index.append(m);
      yield { type: 'messages_appended', messages: unclaimed };
    }
    yield { type: 'turn_finished', turn };
    i += 1 + results.length;
  }
  yield { type: 'run_finished', reason: turn > 0 && !lastHadCalls ? 'finished_naturally' : 'recording_ended', turnsUsed: turn };
}
