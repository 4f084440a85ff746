import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { isObject, messageSchema, Misfit, normalizeMessage, parseEach, parseWith, str, toolCallSchema, tryParse, type FileMessage } from './import-common.js';
import { ResponsesConversation } from './import-responses.js';
import type { Trajectory } from './trajectory.js';

// SWE-agent `.traj` files and mini-swe-agent's `{info, messages, trajectory_format}` files.
//
// What maps where, for both:
// - the exit status decides `finished_naturally` (recorded): SWE-agent's "submitted" and
//   mini-swe-agent's "Submitted" mean the agent ended the run itself; anything else (cost, context
//   or step limits, format errors, autosubmission after an error, "submitted (exit_cost)") means it
//   was stopped. Deriving it instead would say "not finished" for every run, because both agents
//   end by calling a submit tool rather than by answering without tools.
// - `model_stats.api_calls` is the recorded `turns_used`: the number of model calls, which counts
//   requeries after format errors that never reach the history. A count of 0 is no count: no model
//   was called (a replayed run, a demonstration), yet the file holds the replies it replayed.
// - the submission (the patch) and the cost and token counts have no place in the trajectory model;
//   mini-swe-agent's submission is still the result of the call that submitted, which its own
//   messages leave without one.
// - SWE-agent's RetryAgent writes every attempt under `attempts` (each a `.traj` of its own) and,
//   once it has chosen, a copy of the best one at the top with the calls of all attempts in its
//   `model_stats`. Each attempt is a trajectory (a group of attempts, the chosen one scored as
//   `best_attempt`) with its own exit status and count of model calls; the copy is not read again.
//   A file saved before the choice holds only `attempts`.

const sweHistoryItem = z.lazy(() => z.looseObject({
  role: z.string(),
  content: z.unknown().optional(),
  thought: z.string().nullable().optional(),
  tool_calls: z.array(toolCallSchema).nullable().optional(),
  tool_call_ids: z.array(z.string()).nullable().optional(),
  tool_call_id: z.string().nullable().optional(),
  is_demo: z.boolean().nullable().optional(),
  message_type: z.string().nullable().optional(),
  thinking_blocks: z.array(z.unknown()).nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
}));
type SweHistoryItem = z.infer<typeof sweHistoryItem>;
const sweHistory = z.lazy(() => z.array(sweHistoryItem));

const sweStep = z.lazy(() => z.looseObject({
  action: z.string().nullable().optional(),
  observation: z.string().nullable().optional(),
  response: z.string().nullable().optional(),
  query: z.array(z.unknown()).nullable().optional(),
  messages: z.array(z.unknown()).nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
}));
type SweStep = z.infer<typeof sweStep>;

const sweTraj = z.lazy(() => z.looseObject({
  history: z.array(z.unknown()),
  trajectory: z.array(z.unknown()).nullable().optional(),
  info: z.looseObject({
    exit_status: z.string().nullable().optional(),
    model_stats: z.looseObject({ api_calls: z.number().int().nullable().optional() }).nullable().optional(),
  }).nullable().optional(),
  replay_config: z.unknown().optional(),
}));

/** The text of Anthropic thinking blocks (`[{type: "thinking", thinking: "..."}]`), or null. */
function thinkingText(blocks: unknown[] | null | undefined): string | null {
  const texts = (blocks ?? []).flatMap((b) => (isObject(b) && typeof b.thinking === 'string' && b.thinking !== '' ? [b.thinking] : []));
  return texts.length > 0 ? texts.join('\n') : null;
}

/**
 * A SWE-agent history item as the chat message its model saw (SWE-agent's `_history_to_messages`):
 * tool observations answer `tool_call_ids[0]`, function-calling actions keep their tool calls, and
 * non-function-calling actions stay text (the action is inside `content`).
 */
function sweMessage(item: SweHistoryItem): ChatMessage {
  const hasContent = typeof item.content === 'string' ? item.content !== '' : item.content != null;
  const message: FileMessage = { role: item.role, content: hasContent ? item.content : (item.thought ?? item.content ?? '') };
  if (item.role === 'tool') message.tool_call_id = item.tool_call_ids?.[0] ?? item.tool_call_id ?? null;
  if (item.tool_calls && item.tool_calls.length > 0) message.tool_calls = item.tool_calls;
  const reasoning = item.reasoning_content ?? thinkingText(item.thinking_blocks);
  if (reasoning) message.reasoning_content = reasoning;
  return normalizeMessage(message);
}

/** The model name in a replay config (a JSON string in SWE-agent 1.x, an object in some files). */
function replayModel(replayConfig: unknown): string | null {
  let config = replayConfig;
  if (typeof config === 'string') {
    try {
      config = JSON.parse(config);
    } catch {
      return null;
    }
  }
  if (!isObject(config) || !isObject(config.agent)) return null;
  const agent = config.agent;
  // A RetryAgent config holds one agent config per attempt.
  const model = isObject(agent.model) ? agent.model : Array.isArray(agent.agent_configs) && isObject(agent.agent_configs[0]) && isObject(agent.agent_configs[0].model) ? agent.agent_configs[0].model : null;
  return model ? (str(model.name) ?? str(model.model_name)) : null;
}

/** `model_stats.api_calls` as a recorded `turns_used`: undefined when absent or 0 (see the notes above). */
function recordedCalls(apiCalls: number | null | undefined): number | undefined {
  return typeof apiCalls === 'number' && apiCalls > 0 ? apiCalls : undefined;
}

/**
 * The step each turn came from, by index, or null where none is known. Steps and turns pair by
 * position when they are as many; otherwise (requeries after format errors add steps that never
 * reach the history) each turn takes the next step whose `response` is the turn's text.
 */
function turnSteps(steps: SweStep[], turns: SweHistoryItem[]): Array<number | null> {
  if (steps.length === turns.length) return steps.map((_, i) => i);
  let next = 0;
  return turns.map((turn) => {
    let at = steps.findIndex((s, i) => i >= next && s.response === turn.content);
    if (at < 0) return null;
    while (at + 1 < steps.length && steps[at + 1]!.response === turn.content) at++;
    next = at + 1;
    return at;
  });
}

/**
 * The recorded prompt of each turn from its step's `query` (newer) or `messages` (older), or
 * undefined when no step records one.
 */
function sweStepPrompts(steps: SweStep[], stepOfTurn: Array<number | null>, problems: string[]): Trajectory['promptViews'] {
  // A step whose prompt cannot be read (SWE-agent records `query: [{}]` for its forced exit on a
  // full context window) shows no recorded prompt; the others still do.
  const prompt = (step: SweStep, s: number): ChatMessage[] | null => {
    const items = step.query ?? step.messages;
    if (!items || items.length === 0) return null;
    const key = step.query ? 'query' : 'messages';
    return tryParse(() => parseWith(sweHistory, items, `trajectory[${s}].${key}`).map(sweMessage), problems, `step ${s + 1}'s recorded prompt is left out`) ?? null;
  };
  if (!steps.some((s) => (s.query ?? s.messages ?? []).length > 0)) return undefined;
  const views = stepOfTurn.map((s) => (s === null ? null : prompt(steps[s]!, s)));
  return views.some((v) => v !== null) ? views : undefined;
}

/**
 * The messages of the steps after the history's last turn, which some SWE-agent 1.0 files leave out
 * of the history (the final submit and its diff), and their step indices. A step records the
 * model's output (`response`) and the raw observation but no tool call: a text-action turn is
 * rebuilt from it (the observation as recorded, not as the next-step template would have shown it,
 * which the file does not hold), while a function-calling turn cannot be, and is reported instead.
 */
function stepsAfterHistory(steps: SweStep[], stepOfTurn: Array<number | null>, functionCalling: boolean, problems: string[]): { messages: ChatMessage[]; steps: number[] } {
  const last = stepOfTurn.length === 0 ? -1 : stepOfTurn[stepOfTurn.length - 1]!;
  // With no step known for the last turn, which steps came after it is not known either.
  if (last === null || last + 1 >= steps.length) return { messages: [], steps: [] };
  const indices = steps.map((_, i) => i).slice(last + 1);
  // A history without turns does not say whether the agent called functions: nothing is rebuilt.
  if (functionCalling || stepOfTurn.length === 0) {
    const where = indices.length === 1 ? `trajectory[${last + 1}]` : `trajectory[${last + 1}..${steps.length - 1}]`;
    problems.push(`${where}: not in the history, and a step records no tool call to rebuild a function-calling turn from; ${indices.length === 1 ? 'the step is' : `the ${indices.length} steps are`} left out`);
    return { messages: [], steps: [] };
  }
  const messages = indices.flatMap((i): ChatMessage[] => {
    const step = steps[i]!;
    const reply: ChatMessage = { role: 'assistant', content: step.response ?? '' };
    if (step.reasoning_content) reply.reasoning_content = step.reasoning_content;
    return step.observation ? [reply, { role: 'user', content: step.observation }] : [reply];
  });
  return { messages, steps: indices };
}

/** One SWE-agent `.traj` (or one attempt of a RetryAgent's) as a trajectory; `at` is its field path in the file. */
function sweAgentTrajectory(data: unknown, id: string, at: string): Trajectory {
  const traj = parseWith(sweTraj, data, at);
  const field = (name: string): string => (at ? `${at}.${name}` : name);
  const problems: string[] = [];
  const history = parseEach(sweHistoryItem, traj.history, field('history'), problems, 'the message is left out').map((item) => item.value);
  const steps = parseEach(sweStep, traj.trajectory ?? [], field('trajectory'), problems, 'the step is left out').map((step) => step.value);
  // Demonstrations put into the history one entry at a time (`put_demos_in_history`) are few-shot
  // examples, not turns of this run; they stay in the recorded prompts. A demonstration rendered
  // into one user message is the model's first reading of the task and stays: SWE-agent 1.x marks
  // it `message_type: "demonstration"`, 0.x only `is_demo`, as it marks entry-by-entry demonstrations,
  // which are told apart by the demonstration's own assistant entries.
  const demosEntryByEntry = history.some((item) => item.is_demo && item.role === 'assistant');
  const items = demosEntryByEntry ? history.filter((item) => !item.is_demo) : history;
  const messages = items.map(sweMessage);
  const turns = items.filter((item) => item.role === 'assistant');
  const stepOfTurn = turnSteps(steps, turns);
  const functionCalling = items.some((item) => item.role === 'tool' || (item.tool_calls?.length ?? 0) > 0);
  const after = stepsAfterHistory(steps, stepOfTurn, functionCalling, problems);
  messages.push(...after.messages);
  const recorded: Trajectory['recorded'] = {};
  const status = traj.info?.exit_status;
  if (typeof status === 'string') recorded.finished_naturally = status === 'submitted';
  const calls = recordedCalls(traj.info?.model_stats?.api_calls);
  if (calls !== undefined) recorded.turns_used = calls;
  const trajectory: Trajectory = { id, model: replayModel(traj.replay_config), messages, reward: null, recorded, source: { format: 'swe-agent-traj', index: 0 }, stopReason: status ?? null };
  const promptViews = sweStepPrompts(steps, [...stepOfTurn, ...after.steps], problems);
  if (promptViews) trajectory.promptViews = promptViews;
  if (problems.length > 0) trajectory.problems = problems;
  return trajectory;
}

/** True for a RetryAgent's `.traj`: its `attempts`, each a `.traj` with a `history`. */
export function isSweAgentAttempts(record: unknown): boolean {
  return isObject(record) && Array.isArray(record.attempts) && record.attempts.length > 0 && record.attempts.every((a) => isObject(a) && Array.isArray(a.history));
}

/**
 * A SWE-agent `.traj`: the history as chat messages, the steps' recorded prompts, info and model;
 * a RetryAgent's, one trajectory per attempt (see the top of this file).
 */
export function importSweAgent(data: unknown, id: string): Trajectory[] {
  if (!isSweAgentAttempts(data)) return [sweAgentTrajectory(data, id, '')];
  const attempts = (data as { attempts: unknown[] }).attempts;
  const info = (data as { info?: unknown }).info;
  const best = isObject(info) && typeof info.best_attempt_idx === 'number' ? info.best_attempt_idx : null;
  return attempts.map((attempt, i) => {
    const t = sweAgentTrajectory(attempt, `${id} attempt ${i + 1}`, `attempts[${i}]`);
    t.source = { ...t.source, index: i };
    t.group = { id, index: i, size: attempts.length, score: best === null ? null : best === i ? 1 : 0 };
    if (best !== null) t.evaluation = { scores: [{ scorer: 'best_attempt', value: best === i }] };
    return t;
  });
}

const miniTraj = z.lazy(() => z.looseObject({
  info: z.looseObject({
    exit_status: z.string().nullable().optional(),
    model_stats: z.looseObject({ api_calls: z.number().int().nullable().optional() }).nullable().optional(),
    config: z.looseObject({ model: z.looseObject({ model_name: z.string().nullable().optional() }).nullable().optional() }).nullable().optional(),
    submission: z.unknown().optional(),
    traceback: z.string().nullable().optional(),
  }).nullable().optional(),
  messages: z.array(z.unknown()),
  trajectory_format: z.string().nullable().optional(),
}));

// The message mini-swe-agent 2.x ends a run with: how it ended, the submission, and for an uncaught
// exception its text and traceback.
const miniExit = z.lazy(() => z.looseObject({
  role: z.literal('exit'),
  content: z.unknown().optional(),
  extra: z.looseObject({
    exit_status: z.string().nullable().optional(),
    submission: z.string().nullable().optional(),
    exception_str: z.string().nullable().optional(),
    traceback: z.string().nullable().optional(),
  }).nullable().optional(),
}));
type MiniExit = z.infer<typeof miniExit>;

const REASONING_KEYS = ['reasoning_content', 'reasoning', 'reasoning_details'] as const;

/** The first lines a command prints to submit (`has_finished` / `_check_finished` in mini-swe-agent). */
const SUBMIT_MARKERS = ['COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT', 'MINI_SWE_AGENT_FINAL_OUTPUT'];

/**
 * A chat-format message of a mini-swe-agent file without its `extra`. Some providers (OpenRouter's
 * Gemini) return the reasoning only in the raw response, which mini-swe-agent keeps in
 * `extra.response`: a reply with no reasoning of its own takes it from there.
 */
function miniChatMessage(raw: unknown, at: string): ChatMessage {
  const { extra, ...message } = parseWith(messageSchema, raw, at);
  if (message.role === 'assistant' && REASONING_KEYS.every((key) => message[key] == null) && isObject(extra) && isObject(extra.response)) {
    const choices = extra.response.choices;
    const reply = Array.isArray(choices) && isObject(choices[0]) && isObject(choices[0].message) ? choices[0].message : {};
    for (const key of REASONING_KEYS) if (reply[key] != null) message[key] = reply[key];
  }
  return normalizeMessage(message);
}

/**
 * Adds one message of a mini-swe-agent Responses-API run (`litellm_response`, `openrouter_response`,
 * `portkey_response` models): a model reply is the whole response object, whose `output` items are
 * one assistant turn; observations are `function_call_output` items; the rest are
 * `{role, content}` or `{type: "message", role, content}` messages.
 */
function addResponsesMessage(conversation: ResponsesConversation, raw: unknown, at: string): void {
  if (!isObject(raw) || raw.object !== 'response') return conversation.add(raw, at);
  const output = raw.output;
  if (!Array.isArray(output)) throw new Misfit(`${at}.output: expected a list of output items`);
  // Everything in a response's output is the model's: a message item without a role is its text.
  output.forEach((item, i) => conversation.add(isObject(item) && item.type === 'message' && item.role === undefined ? { ...item, role: 'assistant' } : item, `${at}.output[${i}]`));
  conversation.close();
}

/**
 * Answers the call that ended the run with the submission. mini-swe-agent raises `Submitted` inside
 * the environment when a command's output starts with a submit marker, so that call gets no tool
 * message; the exit message holds the submission (the rest of that output) instead. The call is the
 * last reply's unanswered call that prints the marker, or its only unanswered call.
 */
function answerSubmittingCall(messages: ChatMessage[], submission: string): void {
  const at = messages.findLastIndex((m) => m.role === 'assistant');
  if (at < 0) return;
  const answered = new Set(messages.slice(at + 1).flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])));
  const open = (messages[at]!.tool_calls ?? []).filter((call) => !answered.has(call.id));
  const call = open.find((c) => SUBMIT_MARKERS.some((marker) => c.function.arguments.includes(marker))) ?? (open.length === 1 ? open[0] : undefined);
  if (call) messages.push({ role: 'tool', tool_call_id: call.id, content: submission });
}

/**
 * A mini-swe-agent object file. Its messages are what the model saw except for `extra` (the raw
 * response, cost and parsed actions, which mini-swe-agent strips before each query) and the final
 * `exit` message (the exit status and submission, which it never sends). A run that ended on an
 * uncaught exception keeps the exception's text in its stop reason (from the exit message, or in
 * 1.x files from `info.submission` next to `info.traceback`).
 */
export function importMiniSweAgent(data: unknown, id: string): Trajectory[] {
  const file = parseWith(miniTraj, data);
  const responses = file.messages.some((m) => isObject(m) && m.object === 'response');
  const conversation = new ResponsesConversation();
  const chat: ChatMessage[] = [];
  const problems: string[] = [];
  let exit: MiniExit | null = null;
  // Whether the last message before the exit is a model reply (an assistant message, a response).
  let lastIsReply = false;
  for (const [i, m] of file.messages.entries()) {
    const at = `messages[${i}]`;
    if (isObject(m) && m.role === 'exit') {
      exit ??= tryParse(() => parseWith(miniExit, m, at), problems, 'the exit message is left out') ?? null;
      continue;
    }
    if (responses) addResponsesMessage(conversation, m, at);
    else chat.push(miniChatMessage(m, at));
    lastIsReply = isObject(m) && (m.role === 'assistant' || m.object === 'response');
  }
  conversation.close();
  const messages = responses ? conversation.messages : chat;
  const ending = exit?.extra;
  const exitStatus = file.info?.exit_status || ending?.exit_status || null;
  const recorded: Trajectory['recorded'] = {};
  if (exitStatus) recorded.finished_naturally = exitStatus === 'Submitted';
  let calls = recordedCalls(file.info?.model_stats?.api_calls);
  let stopReason = exitStatus;
  if (ending?.exception_str != null || ending?.traceback != null) {
    const error = (ending.exception_str || str(exit?.content) || '').split('\n')[0];
    if (error) stopReason = `${exitStatus ?? 'error'}: ${error}`;
    // mini-swe-agent counts a model call before making it: a call that raised is counted, yet left
    // no reply.
    if (!lastIsReply && calls !== undefined) calls = recordedCalls(calls - 1);
  } else if (!exit && file.info?.traceback != null) {
    // mini-swe-agent 1.x saves an uncaught exception as the exit status (its class) and the
    // submission (its text), with the traceback beside them.
    const error = (str(file.info.submission) ?? '').split('\n')[0];
    if (error) stopReason = `${exitStatus ?? 'error'}: ${error}`;
  } else if (exit && exitStatus === 'Submitted') {
    const submission = ending?.submission ?? str(exit.content);
    if (submission !== null) answerSubmittingCall(messages, submission);
  }
  if (calls !== undefined) recorded.turns_used = calls;
  const trajectory: Trajectory = { id, model: file.info?.config?.model?.model_name ?? null, messages, reward: null, recorded, source: { format: 'mini-swe-agent', index: 0 }, stopReason };
  if (problems.length > 0) trajectory.problems = problems;
  return [trajectory];
}
