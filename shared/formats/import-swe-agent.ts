import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { isObject, messageSchema, normalizeMessage, parseEach, parseWith, str, toolCallSchema, tryParse, type FileMessage } from './import-common.js';
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
//   requeries after format errors that never reach the history.
// - the submission (the patch) and the cost and token counts have no place in the trajectory model.

const sweHistoryItem = z.looseObject({
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
});
type SweHistoryItem = z.infer<typeof sweHistoryItem>;
const sweHistory = z.array(sweHistoryItem);

const sweStep = z.looseObject({
  response: z.string().nullable().optional(),
  query: z.array(z.unknown()).nullable().optional(),
  messages: z.array(z.unknown()).nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
});

const sweTraj = z.looseObject({
  history: z.array(z.unknown()),
  trajectory: z.array(z.unknown()).nullable().optional(),
  info: z.looseObject({
    exit_status: z.string().nullable().optional(),
    model_stats: z.looseObject({ api_calls: z.number().int().nullable().optional() }).nullable().optional(),
  }).nullable().optional(),
  replay_config: z.unknown().optional(),
});

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

/**
 * The recorded prompt of each turn from the steps' `query` (newer) or `messages` (older), or
 * undefined when no step records one. Steps and turns pair by position when they are as many;
 * otherwise (requeries after format errors add steps that never reach the history) each turn takes
 * the next step whose `response` is the turn's text.
 */
function sweStepPrompts(steps: z.infer<typeof sweStep>[], turns: SweHistoryItem[], problems: string[]): Trajectory['promptViews'] {
  // A step whose prompt cannot be read (SWE-agent records `query: [{}]` for its forced exit on a
  // full context window) shows no recorded prompt; the others still do.
  const prompt = (step: z.infer<typeof sweStep>, s: number): ChatMessage[] | null => {
    const items = step.query ?? step.messages;
    if (!items || items.length === 0) return null;
    const key = step.query ? 'query' : 'messages';
    return tryParse(() => parseWith(sweHistory, items, `trajectory[${s}].${key}`).map(sweMessage), problems, `step ${s + 1}'s recorded prompt is left out`) ?? null;
  };
  if (!steps.some((s) => (s.query ?? s.messages ?? []).length > 0)) return undefined;
  let views: Array<ChatMessage[] | null>;
  if (steps.length === turns.length) {
    views = steps.map(prompt);
  } else {
    let next = 0;
    views = turns.map((turn) => {
      let at = steps.findIndex((s, i) => i >= next && s.response === turn.content);
      if (at < 0) return null;
      while (at + 1 < steps.length && steps[at + 1]!.response === turn.content) at++;
      next = at + 1;
      return prompt(steps[at]!, at);
    });
  }
  return views.some((v) => v !== null) ? views : undefined;
}

/** A SWE-agent `.traj`: the history as chat messages, the steps' recorded prompts, info and model. */
export function importSweAgent(data: unknown, id: string): Trajectory[] {
  const traj = parseWith(sweTraj, data);
  const problems: string[] = [];
  const history = parseEach(sweHistoryItem, traj.history, 'history', problems, 'the message is left out').map((item) => item.value);
  const steps = parseEach(sweStep, traj.trajectory ?? [], 'trajectory', problems, 'the step is left out').map((step) => step.value);
  // Demonstrations put into the history one entry at a time are few-shot examples, not turns of
  // this run; the single templated demonstration message is a user message and stays.
  const items = history.filter((item) => !item.is_demo || item.message_type === 'demonstration');
  const messages = items.map(sweMessage);
  const recorded: Trajectory['recorded'] = {};
  const status = traj.info?.exit_status;
  if (typeof status === 'string') recorded.finished_naturally = status === 'submitted';
  const apiCalls = traj.info?.model_stats?.api_calls;
  if (typeof apiCalls === 'number') recorded.turns_used = apiCalls;
  const trajectory: Trajectory = { id, model: replayModel(traj.replay_config), messages, reward: null, recorded, source: { format: 'swe-agent-traj', index: 0 }, stopReason: status ?? null };
  const promptViews = sweStepPrompts(steps, items.filter((item) => item.role === 'assistant'), problems);
  if (promptViews) trajectory.promptViews = promptViews;
  if (problems.length > 0) trajectory.problems = problems;
  return [trajectory];
}

const miniTraj = z.looseObject({
  info: z.looseObject({
    exit_status: z.string().nullable().optional(),
    model_stats: z.looseObject({ api_calls: z.number().int().nullable().optional() }).nullable().optional(),
    config: z.looseObject({ model: z.looseObject({ model_name: z.string().nullable().optional() }).nullable().optional() }).nullable().optional(),
  }).nullable().optional(),
  messages: z.array(messageSchema),
  trajectory_format: z.string().nullable().optional(),
});

/**
 * A mini-swe-agent object file. Its messages are what the model saw except for `extra` (the raw
 * response, cost and parsed actions, which mini-swe-agent strips before each query) and the final
 * `exit` message (the exit status and submission, which it never sends).
 */
export function importMiniSweAgent(data: unknown, id: string): Trajectory[] {
  const file = parseWith(miniTraj, data);
  const messages: ChatMessage[] = [];
  let exitStatus = file.info?.exit_status || null;
  for (const m of file.messages) {
    if (m.role === 'exit') {
      if (isObject(m.extra)) exitStatus ||= str(m.extra.exit_status);
      continue;
    }
    const { extra: _extra, ...message } = m;
    messages.push(normalizeMessage(message));
  }
  const recorded: Trajectory['recorded'] = {};
  if (exitStatus) recorded.finished_naturally = exitStatus === 'Submitted';
  const apiCalls = file.info?.model_stats?.api_calls;
  if (typeof apiCalls === 'number') recorded.turns_used = apiCalls;
  return [{ id, model: file.info?.config?.model?.model_name ?? null, messages, reward: null, recorded, source: { format: 'mini-swe-agent', index: 0 }, stopReason: exitStatus }];
}
