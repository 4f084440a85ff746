import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, isObject, Misfit, messagesOf, num, parseJson, parseWith, raisedToolContent, str, toolSchemasOf, type TextImport } from './import-common.js';
import type { Trajectory } from './trajectory.js';

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
//   the last assistant message: `user_stop` and `agent_stop` record `finished_naturally: true`,
//   any other reason (max steps, too many errors) false.
// A task trial that cannot be read is reported, naming its item and field, and the others open.

/** True for a tau-bench results list: its first item has `task_id` and the chat `traj`. */
export function isTauBenchResults(record: unknown): boolean {
  return Array.isArray(record) && isObject(record[0]) && 'task_id' in record[0] && Array.isArray(record[0].traj);
}

/** True for a tau2-bench results file: an object with its `simulations` list. */
export function isTau2Results(record: unknown): boolean {
  return isObject(record) && Array.isArray(record.simulations) && (Array.isArray(record.tasks) || isObject(record.info));
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
}));
const tau2Simulation = z.lazy(() => z.looseObject({
  id: z.string().nullable().optional(),
  task_id: z.union([z.string(), z.number()]),
  trial: z.number().int().nullable().optional(),
  messages: z.array(tau2Message),
  reward_info: z.unknown().optional(),
  termination_reason: z.string().nullable().optional(),
}));
const tau2File = z.lazy(() => z.looseObject({ simulations: z.array(z.unknown()), info: z.looseObject({}).nullable().optional() }));

function tau2Messages(messages: ReadonlyArray<z.infer<typeof tau2Message>>, at: string): ChatMessage[] {
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
    out.push(message);
  });
  return out;
}

/** The reward of a tau2 `reward_info` (an object, or its JSON text). */
function tau2Reward(info: unknown): number | null {
  const value = typeof info === 'string' ? parseJson(info) : { ok: true as const, value: info };
  return value.ok && isObject(value.value) ? num(value.value.reward) : null;
}

/** A tau2-bench results file. */
export function importTau2Bench(data: unknown, fileName: string): TextImport {
  const file = parseWith(tau2File, data);
  const info = file.info ?? {};
  const agent = isObject(info.agent_info) ? info.agent_info : {};
  const environment = isObject(info.environment_info) ? info.environment_info : {};
  const defs = environment.tool_defs;
  const tools = toolSchemasOf(Array.isArray(defs) ? defs : isObject(defs) ? Object.values(defs) : []);
  return eachItem(file.simulations, fileName, (i) => `simulations[${i}]`, (raw, i) => {
    const sim = parseWith(tau2Simulation, raw, `simulations[${i}]`);
    const messages = tau2Messages(sim.messages, `simulations[${i}].messages`);
    const t: Trajectory = { id: `task ${sim.task_id}.${sim.trial ?? 0}`, model: str(agent.llm), messages, reward: tau2Reward(sim.reward_info), recorded: {}, source: { format: 'tau2-bench', index: i } };
    if (sim.termination_reason) {
      t.recorded.finished_naturally = sim.termination_reason === 'user_stop' || sim.termination_reason === 'agent_stop';
      const last = messages.findLast((m) => m.role === 'assistant');
      if (last) last.termination_reason = sim.termination_reason;
    }
    if (tools) t.tools = tools;
    return t;
  });
}
