import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, callStats, isObject, Misfit, messagesOf, num, parseJson, parseWith, raisedToolContent, recordedUsage, str, toolSchemasOf, type TextImport } from './import-common.js';
import type { CallStats, Trajectory } from './trajectory.js';

// tau-bench and tau2-bench results files: one trajectory per task trial, ids `task T.TRIAL`
// (trials of one task share the group `task T`).
//
// - tau-bench: a list of `{task_id, reward, info, traj, trial}`, `traj` being OpenAI chat. A
//   trial that raised records `info.error` (and its traceback): that is its stop reason, not
//   finished.
// - tau2-bench: `{info, tasks, simulations}`; a simulation's `messages` have tool calls with
//   arguments as objects and tool messages linked by their own `id`. The user simulator's messages
//   are `user` messages and keep their own tool calls (`requestor: "user"`); its tool results are
//   tool messages after them, so they stay outside the agent's turns. A tool message with
//   `error: true` is recorded as a tool that raised (as for Inspect tool errors). The reward is
//   `reward_info.reward`, the model `info.agent_info.llm`, and `termination_reason` is kept on
//   the last assistant message and is the stop reason: `user_stop` and `agent_stop` record
//   `finished_naturally: true`, any other reason (max steps, timeout, too many errors, an agent,
//   user or infrastructure error, a full context window) false.
//   An assistant message keeps the raw response of its model call (`raw_data`, LiteLLM's response
//   as a dict): the reasoning a thinking model returned is only there, and is read from it. Its
//   `usage` and `generation_time_seconds` are the call's recorded usage and time.
//   A full-duplex (voice) simulation may store `ticks` and no `messages`: the messages are read
//   from the ticks as tau2's `SimulationRun.get_messages` reads them.
//   A single simulation (`simulations/<id>.json` of a run saved in the dir format) opens as one
//   trajectory; that run's `results.json` holds no simulations, and is refused with a message
//   that says where they are.
// A task trial that cannot be read is reported, naming its item and field, and the others open.

/** True for a tau-bench results list: its first item has `task_id` and the chat `traj`. */
export function isTauBenchResults(record: unknown): boolean {
  return Array.isArray(record) && isObject(record[0]) && 'task_id' in record[0] && Array.isArray(record[0].traj);
}

/** True for a tau2-bench simulation saved on its own: a task id, how it ended, and its messages or ticks. */
function isTau2Simulation(record: unknown): record is Record<string, unknown> {
  return isObject(record) && 'task_id' in record && typeof record.termination_reason === 'string' && (Array.isArray(record.messages) || Array.isArray(record.ticks));
}

/**
 * True for a tau2-bench results file: an object with its `simulations` list, or the `results.json`
 * of the dir format (its `simulation_index` and no simulations); or one simulation of that format.
 */
export function isTau2Results(record: unknown): boolean {
  if (isTau2Simulation(record)) return true;
  return isObject(record) && (Array.isArray(record.simulations) || Array.isArray(record.simulation_index)) && (Array.isArray(record.tasks) || isObject(record.info));
}

/** Reads each item, a `Misfit` becoming the problem `FILE: AT: what`; refuses the file when none could be read. */
function eachItem<T>(items: readonly T[], fileName: string, at: (i: number) => string, read: (item: T, i: number) => Trajectory): TextImport {
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  items.forEach((item, i) => {
    try {
      trajectories.push(read(item, i));
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      problems.push(`${error.message.startsWith(at(i)) ? '' : `${at(i)}: `}${error.message}`);
    }
  });
  if (trajectories.length === 0) throw new Misfit(items.length === 0 ? 'the file holds no task trials' : `no task trial could be read; first: ${problems[0]}`);
  return { trajectories, problems };
}

const tauItem = z.lazy(() => z.looseObject({
  task_id: z.union([z.number(), z.string()]),
  reward: z.number().nullable().optional(),
  trial: z.number().int().nullable().optional(),
  traj: z.array(z.unknown()),
  info: z.unknown().optional(),
}));

/** A tau-bench results list. */
export function importTauBench(data: unknown, fileName: string): TextImport {
  if (!Array.isArray(data)) throw new Misfit('expected a list of task results');
  return eachItem(data, fileName, (i) => `[${i}]`, (raw, i) => {
    const item = parseWith(tauItem, raw, `[${i}]`);
    const t: Trajectory = { id: `task ${item.task_id}.${item.trial ?? 0}`, model: null, messages: messagesOf(item.traj, `[${i}].traj`), reward: item.reward ?? null, recorded: {}, source: { format: 'tau-bench', index: i } };
    // A trial that raised (the user simulator or the environment failed) keeps what it recorded
    // of the error: its trajectory is often empty, and would otherwise not say why.
    const error = isObject(item.info) ? str(item.info.error) : null;
    if (error !== null) {
      t.stopReason = `error: ${error}`;
      t.recorded.finished_naturally = false;
    }
    return t;
  });
}

const tau2Call = z.lazy(() => z.looseObject({ id: z.string().nullable().optional(), name: z.string(), arguments: z.unknown() }));
const tau2Message = z.lazy(() => z.looseObject({
  role: z.string(),
  id: z.string().nullable().optional(),
  content: z.unknown().optional(),
  tool_calls: z.array(tau2Call).nullable().optional(),
  requestor: z.string().nullable().optional(),
  error: z.boolean().nullable().optional(),
  tool_messages: z.array(z.unknown()).nullable().optional(),
  usage: z.record(z.string(), z.unknown()).nullable().optional(),
  generation_time_seconds: z.number().nullable().optional(),
  raw_data: z.record(z.string(), z.unknown()).nullable().optional(),
}));
type Tau2Message = z.infer<typeof tau2Message>;
const tau2Tick = z.lazy(() => z.looseObject({
  timestamp: z.string().nullable().optional(),
  agent_chunk: z.looseObject({ timestamp: z.string().nullable().optional() }).nullable().optional(),
  user_chunk: z.looseObject({ timestamp: z.string().nullable().optional() }).nullable().optional(),
  agent_tool_calls: z.array(z.unknown()).nullable().optional(),
  user_tool_calls: z.array(z.unknown()).nullable().optional(),
  agent_tool_results: z.array(z.looseObject({ timestamp: z.string().nullable().optional() })).nullable().optional(),
  user_tool_results: z.array(z.looseObject({ timestamp: z.string().nullable().optional() })).nullable().optional(),
}));
const tau2Simulation = z.lazy(() => z.looseObject({
  id: z.string().nullable().optional(),
  task_id: z.union([z.string(), z.number()]),
  trial: z.number().int().nullable().optional(),
  messages: z.array(z.unknown()).nullable().optional(),
  ticks: z.array(z.unknown()).nullable().optional(),
  reward_info: z.unknown().optional(),
  termination_reason: z.string().nullable().optional(),
}));
const tau2File = z.lazy(() => z.looseObject({ simulations: z.array(z.unknown()), info: z.looseObject({}).nullable().optional() }));

/**
 * The messages of a full-duplex simulation's ticks, as `Tick.get_all_messages` makes them: per
 * tick the agent's chunk with the calls it made, their results, then the user's likewise; then all
 * in timestamp order (a stable sort, as Python's). Each stays as tau2 stores messages.
 */
function tickMessages(ticks: readonly unknown[], at: string): { messages: unknown[]; at: string } {
  const messages: Array<Record<string, unknown>> = [];
  ticks.forEach((raw, i) => {
    const tick = parseWith(tau2Tick, raw, `${at}[${i}]`);
    for (const [role, chunk, calls, results] of [['assistant', tick.agent_chunk, tick.agent_tool_calls, tick.agent_tool_results], ['user', tick.user_chunk, tick.user_tool_calls, tick.user_tool_results]] as const) {
      if (chunk || (calls && calls.length > 0)) messages.push({ ...(chunk ?? {}), role, tool_calls: calls && calls.length > 0 ? calls : null, timestamp: chunk?.timestamp ?? tick.timestamp ?? null });
      messages.push(...(results ?? []));
    }
  });
  const stamped = messages.every((m) => typeof m.timestamp === 'string');
  return { messages: stamped ? messages.sort((a, b) => ((a.timestamp as string) < (b.timestamp as string) ? -1 : (a.timestamp as string) > (b.timestamp as string) ? 1 : 0)) : messages, at: `${at} (as messages)` };
}

/** The reasoning of an assistant message's model call, from its raw LiteLLM response (`choices[0].message`). */
function rawReasoning(raw: Record<string, unknown> | null | undefined): string | null {
  const choices = raw?.choices;
  const reply = Array.isArray(choices) && isObject(choices[0]) && isObject(choices[0].message) ? choices[0].message : {};
  return str(reply.reasoning_content) || str(reply.reasoning) || null;
}

function tau2Messages(messages: readonly Tau2Message[], at: string, stats?: Array<CallStats | null>): ChatMessage[] {
  const out: ChatMessage[] = [];
  messages.forEach((m, k) => {
    if (m.role === 'tool' && m.tool_messages) {
      out.push(...tau2Messages(m.tool_messages.map((t, j) => parseWith(tau2Message, t, `${at}[${k}].tool_messages[${j}]`)), `${at}[${k}].tool_messages`));
      return;
    }
    const content = m.content ?? null;
    if (m.role === 'tool') {
      const text = typeof content === 'string' ? content : JSON.stringify(content);
      const tool: ChatMessage = { role: 'tool', tool_call_id: m.id ?? null, content: m.error ? raisedToolContent(text) : text };
      if (m.requestor === 'user') tool.requestor = 'user';
      out.push(tool);
      return;
    }
    const message: ChatMessage = { role: m.role, content };
    if (m.tool_calls && m.tool_calls.length > 0) message.tool_calls = m.tool_calls.map((c): ToolCall => ({ id: c.id ?? null, type: 'function', function: { name: c.name, arguments: argumentsText(c.arguments) } }));
    if (m.role === 'assistant') {
      const reasoning = rawReasoning(m.raw_data);
      if (reasoning) message.reasoning_content = reasoning;
      const usage = m.usage ? recordedUsage(m.usage.prompt_tokens, m.usage.completion_tokens, m.usage.total_tokens) : undefined;
      stats?.push(callStats(usage, m.generation_time_seconds == null ? null : m.generation_time_seconds * 1000));
    }
    out.push(message);
  });
  return out;
}

/** The reward of a tau2 `reward_info` (an object, or its JSON text). */
function tau2Reward(info: unknown): number | null {
  const value = typeof info === 'string' ? parseJson(info) : { ok: true as const, value: info };
  return value.ok && isObject(value.value) ? num(value.value.reward) : null;
}

/** One tau2 simulation as a trajectory; `at` is its field path in the file. */
function tau2Trajectory(raw: unknown, at: string, model: string | null, tools: Trajectory['tools'], index: number): Trajectory {
  const sim = parseWith(tau2Simulation, raw, at);
  const field = (name: string): string => (at ? `${at}.${name}` : name);
  const stored = sim.messages ?? (sim.ticks ? tickMessages(sim.ticks, field('ticks')) : null);
  if (stored === null) throw new Misfit(`${field('messages')}: the simulation holds neither messages nor ticks`);
  const { messages: items, at: itemsAt } = Array.isArray(stored) ? { messages: stored, at: field('messages') } : stored;
  const stats: Array<CallStats | null> = [];
  const messages = tau2Messages(items.map((m, k) => parseWith(tau2Message, m, `${itemsAt}[${k}]`)), itemsAt, stats);
  const t: Trajectory = { id: `task ${sim.task_id}.${sim.trial ?? 0}`, model, messages, reward: tau2Reward(sim.reward_info), recorded: {}, source: { format: 'tau2-bench', index } };
  if (sim.termination_reason) {
    t.recorded.finished_naturally = sim.termination_reason === 'user_stop' || sim.termination_reason === 'agent_stop';
    t.stopReason = sim.termination_reason;
    const last = messages.findLast((m) => m.role === 'assistant');
    if (last) last.termination_reason = sim.termination_reason;
  }
  if (stats.some((s) => s !== null)) t.callStats = stats;
  if (tools) t.tools = tools;
  return t;
}

/** A tau2-bench results file, or one simulation of a run saved in the dir format. */
export function importTau2Bench(data: unknown, fileName: string): TextImport {
  if (isTau2Simulation(data)) return { trajectories: [tau2Trajectory(data, '', null, undefined, 0)], problems: [] };
  if (isObject(data) && !('simulations' in data) && Array.isArray(data.simulation_index)) {
    const count = data.simulation_index.length;
    throw new Misfit(`simulation_index: the results.json of a run saved in the dir format, which keeps its ${count} simulation${count === 1 ? '' : 's'} in simulations/<id>.json beside it; open those files`);
  }
  const file = parseWith(tau2File, data);
  const info = file.info ?? {};
  const agent = isObject(info.agent_info) ? info.agent_info : {};
  const environment = isObject(info.environment_info) ? info.environment_info : {};
  const defs = environment.tool_defs;
  const tools = toolSchemasOf(Array.isArray(defs) ? defs : isObject(defs) ? Object.values(defs) : []);
  return eachItem(file.simulations, fileName, (i) => `simulations[${i}]`, (raw, i) => tau2Trajectory(raw, `simulations[${i}]`, str(agent.llm), tools, i));
}
