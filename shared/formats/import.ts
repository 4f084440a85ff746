import { z } from 'zod';
import { baseName, checkNesting, FormatError, frameworkDetails, isObject, messagesOf, Misfit, num, parseJson, parseWith, recordedOf, str, toolSchemasOf, tryParse, writtenToolCalls } from './import-common.js';
import { markupCalls, markupResult } from './function-markup.js';
import { importAdpTrajectory, isAdpTrajectory } from './import-adp.js';
import { importGlaiveRow, isGlaiveRow } from './import-glaive.js';
import { importXlamRow, isXlamRow } from './import-xlam.js';
import { artRowDetails, importArtGroup, isArtGroupLine } from './import-art.js';
import { importBfclResult, isBfclResult } from './import-bfcl.js';
import { importOtlpDocument, importOtlpLines, isOtlpTraces } from './import-otlp.js';
import { autoGenConversations, isAutoGenState, taskResultStopReason } from './autogen-messages.js';
import { importSmolagentsRun, importSmolagentsSteps, isSmolagentsMemory, isSmolagentsRun } from './import-smolagents.js';
import { isLangGraphState, langChainModel, langGraphStateId } from './langchain-messages.js';
import { importGooseSession, isGooseSessionHead } from './import-goose.js';
import { importOpenAiEvalsLog, isOpenAiEvalsSpec } from './import-openai-evals.js';
import { importHermesSession, importShareGpt } from './import-hermes.js';
import { importInspectEval, importInspectLog, openInspectEval, SAMPLE_LEFT_OUT } from './import-inspect.js';
import { importAtif, isAtifTrajectory } from './import-atif.js';
import { anthropicMessages, importClaudeCodeSession, importClaudeStream, importClaudeStreamList, isClaudeCodeRecord, isClaudeStreamInit, isClaudeStreamList } from './import-claude-code.js';
import { importGeminiCliSession, importGeminiCliSessionJsonl, isGeminiCliSession, isGeminiCliSessionLine } from './import-gemini-cli.js';
import { importOpenCodeSession, isOpenCodeSession } from './import-opencode.js';
import { importLangSmithDocument, importLangSmithLines, isLangSmithRun, isLangSmithRuns } from './import-langsmith.js';
import { importLangfuseTraces, isLangfuseTrace } from './import-langfuse.js';
import { importOpenHands, importOpenHandsEvalLine } from './import-openhands.js';
import { importAgentsRunState, isAgentsRunState } from './import-openai-agents.js';
import { importAdkSession, isAdkSession } from './import-adk.js';
import { importCallLogDocument, importCallLogLines, isModelCallList, isModelCallRecord } from './import-call-log.js';
import { importContinueSession, isContinueSession } from './import-continue.js';
import { importCodexSession, importNemoGymRollout, isCodexSessionRecord, isResponsesRollout, ResponsesConversation } from './import-responses.js';
import { importTau2Bench, importTauBench, isTau2Results, isTauBenchResults } from './import-tau-bench.js';
import { importVerifiersResult, isVerifiersResult } from './import-verifiers.js';
import { importVerlRollout, isVerlRollout } from './import-verl.js';
import { importRunFile, isRunFileHead } from './import-run-file.js';
import { importMiniSweAgent, importSweAgent, isSweAgentAttempts } from './import-swe-agent.js';
import { looksLikeZip } from './import-zip.js';
import type { ChatMessage, ToolCall, ToolSchema } from '../model/chat.js';
import type { FormatId, Trajectory } from './trajectory.js';

// Format detection and the entry points; each format's importer lives in its own import-*.ts.
//
// A file is told by the structure of its first record, never by where its keys sit in the text:
// the first JSONL line, or the whole JSON document, is parsed once, matched against FORMATS in
// order, and the parsed value handed on to the importer.
export { FormatError, jsonErrorOffset, lineColumn, MAX_NESTING, parseJson } from './import-common.js';

/** What an import produced: the trajectories of the good parts and one problem per part left out. */
export interface ImportResult {
  format: FormatId;
  trajectories: Trajectory[];
  /** `FILE:LINE: what is wrong` per skipped JSONL line, `FILE: field: what is wrong` per skipped part of a document. */
  problems: string[];
}

/** Where a format's first record comes from: the first JSONL line, or the whole JSON document. */
export type RecordKind = 'line' | 'document';

interface FormatBase {
  id: FormatId;
  /** What the format is called in messages ("looked like ..."). */
  description: string;
}

/** What a document importer read: its trajectories, and a problem per part it left out. */
export interface DocumentImport {
  trajectories: Trajectory[];
  problems: string[];
}

/** Trajectories as a {@link DocumentImport}. */
function asImport(read: Trajectory[] | DocumentImport): DocumentImport {
  return Array.isArray(read) ? { trajectories: read, problems: [] } : read;
}

/**
 * One format the importers read. `matches` looks at the parsed first record (any key order, any
 * size); the first entry of {@link FORMATS} that matches wins. `lines` formats import each JSONL
 * line on its own (and are indexed line by line), `document` formats the parsed whole file,
 * `text` formats (matched on their first line) the whole text, `zip` formats the bytes.
 */
export type FormatEntry =
  | (FormatBase & { layout: 'lines'; matches: (first: unknown) => boolean; importLine: (data: unknown, id: string, index: number) => Trajectory[] })
  | (FormatBase & { layout: 'document'; matches: (first: unknown) => boolean; importDocument: (data: unknown, id: string, fileName: string) => Trajectory[] | DocumentImport })
  | (FormatBase & { layout: 'text'; matches: (firstLine: unknown) => boolean; importText: (text: string, fileName: string) => { trajectories: Trajectory[]; problems: string[] } })
  | (FormatBase & { layout: 'zip'; importBytes: (bytes: Uint8Array) => Trajectory[] | DocumentImport });

// --- predicates ---------------------------------------------------------------------------------

const has = (value: unknown, ...keys: string[]): value is Record<string, unknown> => isObject(value) && keys.every((k) => k in value);

/** The V1 event classes a conversation's messages come from. */
const OPENHANDS_V1_KINDS = new Set(['MessageEvent', 'SystemPromptEvent', 'ActionEvent', 'ObservationEvent', 'AgentErrorEvent', 'UserRejectObservation']);

function isOpenHandsEvent(value: unknown): boolean {
  if (!isObject(value) || 'role' in value) return false;
  // V1 (software-agent-sdk) events name their class in `kind`; a chat without tool calls holds only MessageEvents.
  if (typeof value.kind === 'string' && OPENHANDS_V1_KINDS.has(value.kind)) return true;
  return 'action' in value || 'observation' in value || 'tool_call_metadata' in value;
}

/** An event, or an `[action, observation]` pair of events (older histories). */
function isOpenHandsItem(value: unknown): boolean {
  return Array.isArray(value) ? value.some(isOpenHandsEvent) : isOpenHandsEvent(value);
}

function isMiniSweAgent(first: unknown): boolean {
  if (!has(first, 'messages')) return false;
  if (/^mini-swe-agent/.test(str(first.trajectory_format) ?? '')) return true;
  const info = first.info;
  if (!isObject(info)) return false;
  if ('mini_version' in info) return true;
  // Its config names its classes: `agent_type: "minisweagent.agents.default.DefaultAgent"`.
  const config = isObject(info.config) ? info.config : {};
  return [config.agent_type, config.model_type].some((v) => /^minisweagent\./.test(str(v) ?? ''));
}

/**
 * A SWE dataset row that keeps its chat messages under `trajectory` (SWE-rebench-openhands), with
 * its `exit_status` or `resolved`. A SWE-agent `.traj` has a `trajectory` too, but of steps with
 * `action` and `observation` rather than roles, beside its `history`.
 */
function isSweTrajectoryRow(first: unknown): boolean {
  if (!has(first, 'trajectory') || 'messages' in first || 'history' in first || !('exit_status' in first || 'resolved' in first || 'target' in first)) return false;
  const steps = first.trajectory;
  return Array.isArray(steps) && steps.length > 0 && steps.every((m) => isObject(m) && typeof m.role === 'string' && ('content' in m || 'tool_calls' in m || 'text' in m || 'system_prompt' in m));
}

/**
 * A row that keeps its chat messages under `conversation` (LMSYS-Chat-1M, WildChat, OpenEnv
 * trajectory dumps): a list of messages with roles, and no `messages`.
 */
function isConversationRow(first: unknown): boolean {
  if (!has(first, 'conversation') || 'messages' in first || 'conversations' in first) return false;
  const list = first.conversation;
  return Array.isArray(list) && list.length > 0 && list.every((m) => isObject(m) && typeof m.role === 'string');
}

/**
 * The steps of a nebius SWE-agent-trajectories row as chat messages: `{role, text}` with the
 * assistant as `ai`, and the system prompt in `system_prompt` (its `text` null). Other rows' steps
 * are chat messages already.
 */
function sweRowMessages(steps: unknown): unknown {
  if (!Array.isArray(steps) || !steps.some((m) => isObject(m) && !('content' in m) && ('text' in m || 'system_prompt' in m))) return steps;
  return steps.map((m: unknown) => {
    if (!isObject(m) || 'content' in m) return m;
    const { text, system_prompt: system, mask: _mask, cutoff_date: _cutoff, ...rest } = m;
    return { ...rest, role: m.role === 'ai' ? 'assistant' : m.role, content: text ?? system ?? '' };
  });
}

/** Content blocks of the Anthropic Messages API that OpenAI content parts (text, image_url) never are. */
const ANTHROPIC_BLOCKS = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'server_tool_use']);

/** True for a list of Anthropic Messages messages: some message's content holds a block only that API has. */
function holdsAnthropicBlocks(list: readonly unknown[]): boolean {
  return list.some((m) => isObject(m) && Array.isArray(m.content) && m.content.some((b) => isObject(b) && typeof b.type === 'string' && ANTHROPIC_BLOCKS.has(b.type)));
}

/**
 * True for a list of OpenAI Responses items (the OpenAI Agents SDK's `to_input_list()`, its
 * JavaScript SDK's `result.history`): some item is typed as a Responses item, and none is a chat
 * message's tool call or result.
 */
function isResponsesItemList(list: readonly unknown[]): boolean {
  const typed = (item: unknown): boolean => {
    const type = isObject(item) ? str(item.type) : null;
    return type !== null && (type === 'message' || type === 'reasoning' || type.endsWith('_call') || type.endsWith('_call_output') || type.endsWith('_call_result'));
  };
  return list.some(typed) && !list.some((m) => isObject(m) && ('tool_calls' in m || m.role === 'tool'));
}

// --- simple importers ---------------------------------------------------------------------------

// Schemas are built once: building one costs more than checking a line with it.
const agentResultSchema = z.looseObject({ messages: z.unknown() });
const messagesLineSchema = z.looseObject({ messages: z.array(z.unknown()) });
const langGraphStateSchema = z.looseObject({ values: z.looseObject({ messages: z.array(z.unknown()) }) });

/**
 * A list of chat messages found at `at` in the file. A list whose content holds Anthropic-only
 * blocks (Cline's and Roo's task histories, raw API dumps) is read as Anthropic Messages, so its
 * tool_use and tool_result blocks are tool calls and results; told per list, since most of its
 * messages (plain text) fit either API.
 */
function chatMessagesOf(list: unknown, at: string): ChatMessage[] {
  return Array.isArray(list) && holdsAnthropicBlocks(list) ? anthropicMessages(list, at) : messagesOf(list, at);
}

/** The model an Anthropic Messages list names on its first assistant message (`model`, or Cline's `modelInfo.id`). */
function anthropicModel(list: unknown): string | null {
  if (!Array.isArray(list) || !holdsAnthropicBlocks(list)) return null;
  const first: unknown = list.find((m) => isObject(m) && m.role === 'assistant');
  if (!isObject(first)) return null;
  return str(first.model) ?? (isObject(first.modelInfo) ? str(first.modelInfo.id) : null);
}

/** `t` with what its framework messages record: the tokens of each model call, and how the run ended (see {@link frameworkDetails}). */
function withFrameworkDetails(t: Trajectory, list: unknown): Trajectory {
  const { stats, end } = frameworkDetails(list);
  if (stats) t.callStats = stats;
  if (end) {
    t.stopReason = end.stopReason;
    if (end.finished !== undefined) t.recorded.finished_naturally ??= end.finished;
  }
  return t;
}

function importAgentResult(data: unknown, id: string): Trajectory[] {
  const object = parseWith(agentResultSchema, data);
  const model = str(object.model) ?? anthropicModel(object.messages) ?? (Array.isArray(object.messages) ? langChainModel(object.messages) : null);
  const t: Trajectory = { id: str(object.id) ?? str(object.sessionId) ?? id, model, messages: chatMessagesOf(object.messages, 'messages'), reward: num(object.reward), recorded: recordedOf(object), source: { format: 'agent-result', index: 0 } };
  withFrameworkDetails(t, object.messages);
  // A dumped AutoGen TaskResult words how its run ended beside its messages.
  const stopReason = taskResultStopReason(object);
  if (stopReason !== null) t.stopReason = stopReason;
  return [t];
}

/** A LangGraph thread or thread state (at `at` in the file): its state's messages, named by its thread (and checkpoint). */
function langGraphState(data: unknown, id: string, index: number, at: string): Trajectory {
  const object = parseWith(langGraphStateSchema, data, at);
  const messages = object.values.messages;
  const t: Trajectory = { id: langGraphStateId(object) ?? id, model: langChainModel(messages), messages: messagesOf(messages, `${at ? `${at}.` : ''}values.messages`), reward: null, recorded: {}, source: { format: 'langgraph-state', index } };
  return withFrameworkDetails(t, messages);
}

/**
 * A LangGraph thread or thread state, or a thread's history (its states, newest first, as the
 * API returns it): a trajectory per state; a state that cannot be read is listed and left out.
 */
function importLangGraphStates(data: unknown, id: string): DocumentImport {
  if (!Array.isArray(data)) return { trajectories: [langGraphState(data, id, 0, '')], problems: [] };
  const problems: string[] = [];
  const trajectories = data.flatMap((state, k) => tryParse(() => [langGraphState(state, `${id}#${k}`, k, `[${k}]`)], problems, 'the state is left out') ?? []);
  if (trajectories.length === 0) throw new Misfit(`no state could be read; first: ${problems[0]}`);
  return { trajectories, problems };
}

/**
 * An AutoGen agent's or team's saved state (`save_state()`): a trajectory per conversation it
 * holds (each agent's model context, the team's message thread), named by its agent; one that
 * cannot be read is listed and left out.
 */
function importAutoGenState(data: unknown, id: string): DocumentImport {
  const conversations = isObject(data) ? autoGenConversations(data, id, '') : [];
  const problems: string[] = [];
  const trajectories = conversations.flatMap(({ name, messages, at }, k) =>
    tryParse(() => [withFrameworkDetails({ id: name, model: null, messages: messagesOf(messages, at), reward: null, recorded: {}, source: { format: 'autogen-state', index: k } }, messages)], problems, 'the conversation is left out') ?? [],
  );
  if (trajectories.length === 0) throw new Misfit(conversations.length === 0 ? 'the state holds no conversation (no llm_context.messages or message_thread)' : `no conversation could be read; first: ${problems[0]}`);
  return { trajectories, problems };
}

/** A bare list of chat messages: OpenAI or Anthropic Messages ones, or OpenAI Responses items. */
function importChatMessages(data: unknown, id: string): Trajectory[] {
  const trajectory: Trajectory = { id, model: anthropicModel(data) ?? (Array.isArray(data) ? langChainModel(data) : null), messages: [], reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } };
  if (!Array.isArray(data) || !isResponsesItemList(data)) return [withFrameworkDetails({ ...trajectory, messages: chatMessagesOf(data, '') }, data)];
  const conversation = new ResponsesConversation();
  data.forEach((item, i) => conversation.add(item, `[${i}]`));
  conversation.close();
  if (conversation.problems.length > 0) trajectory.problems = [...conversation.problems];
  return [{ ...trajectory, messages: conversation.messages }];
}

/**
 * The message list of a line and its field: `messages`, or `trajectory` on a SWE dataset row that
 * keeps them there. SWE-smith-trajectories stores the list as its JSON text, read here.
 */
function lineMessages(object: Record<string, unknown>): { field: string; list: unknown } {
  const field = 'messages' in object ? 'messages' : isConversationRow(object) ? 'conversation' : 'trajectory';
  const list = field === 'trajectory' ? sweRowMessages(object[field]) : object[field];
  if (typeof list !== 'string' || !list.trimStart().startsWith('[')) return { field, list };
  const parsed = parseJson(list);
  if (!parsed.ok) throw new Misfit(`${field}: ${parsed.error} in the JSON text of the message list`);
  checkNesting(parsed.value, field, list);
  return { field, list: parsed.value };
}

/** `resolved` of a SWE dataset row as a reward: true or 1 is 1, false or 0 is 0; -1 (not evaluated) is none. */
function resolvedReward(resolved: unknown): number | null {
  if (typeof resolved === 'boolean') return resolved ? 1 : 0;
  return resolved === 1 || resolved === 0 ? resolved : null;
}

/**
 * One line of JSONL with `messages`: one trajectory, or (RL rollout lines, e.g. atropos groups) a
 * list of rollouts of one prompt next to their `scores`, one trajectory each with its group. The
 * line's `tools` (OpenAI SFT and agentic sets) are each rollout's tool schemas.
 */
function importMessagesLine(data: unknown, id: string, index: number): Trajectory[] {
  // atropos writes `messages: null` unless the environment sets `include_messages`: the group then
  // holds token ids only, with no roles or text to show.
  if (isObject(data) && data.messages === null) {
    throw new Misfit('tokens' in data ? 'messages: null: the line holds token ids only, no messages (atropos writes them with include_messages set)' : 'messages: null: the line holds no messages');
  }
  const { field, list } = isObject(data) ? lineMessages(data) : { field: 'messages', list: undefined };
  const object = parseWith(messagesLineSchema, isObject(data) && list !== data.messages ? { ...data, messages: list } : data);
  const model = str(object.model) ?? str(object.model_name) ?? anthropicModel(object.messages) ?? langChainModel(object.messages);
  const groups = object.messages.length > 0 && object.messages.every(Array.isArray);
  const lineId = str(object.id) ?? id;
  const problems: string[] = [];
  // `functions`: the schemas beside legacy `function_call` messages.
  const tools = lineTools(object.tools, problems) ?? lineTools(object.functions, problems);
  const withLineFields = (t: Trajectory, first: boolean): Trajectory => {
    if (tools) t.tools = tools;
    // A line's problem is listed once, with its first rollout.
    if (first && problems.length > 0) t.problems = problems;
    return t;
  };
  if (!groups) {
    const reward = num(object.reward) ?? num(object.score) ?? resolvedReward(object.resolved) ?? (field === 'trajectory' ? resolvedReward(object.target) : null);
    const art = artRowDetails(object, index, reward, problems);
    const t = withFrameworkDetails(withLineFields({ id: lineId, model, messages: rolloutMessages(object.messages, field), reward, recorded: recordedOf(object), source: { format: 'messages-jsonl', index }, ...art }, true), object.messages);
    if (typeof object.exit_status === 'string') t.stopReason = object.exit_status;
    return [t];
  }
  const scores = Array.isArray(object.scores) ? object.scores : [];
  return object.messages.map((rollout, k) => withLineFields({
    id: `${lineId}.${k}`,
    model,
    messages: rolloutMessages(rollout as unknown[], `${field}[${k}]`),
    reward: num(scores[k]),
    recorded: {},
    source: { format: 'messages-jsonl' as const, index: index + k },
    group: { id: lineId, index: k, size: object.messages.length, score: num(scores[k]) },
  }, k === 0));
}

/**
 * The tool schemas of a line's `tools`: a list, or the JSON text of one (as some SFT sets store
 * it), or a list of each schema's JSON text (Open-SWE-Traces); undefined when there are none, with
 * a problem when they cannot be read.
 */
function lineTools(tools: unknown, problems: string[]): ToolSchema[] | undefined {
  if (tools == null || (typeof tools === 'string' && tools.trim() === '')) return undefined;
  let list: unknown = tools;
  if (typeof tools === 'string') {
    const parsed = parseJson(tools);
    if (!parsed.ok) {
      problems.push(`tools: ${parsed.error}; the tool schemas are left out`);
      return undefined;
    }
    checkNesting(parsed.value, 'tools', tools);
    list = parsed.value;
  }
  if (!Array.isArray(list)) {
    problems.push(`tools: expected a list of tool schemas${typeof tools === 'string' ? ' in the JSON text' : ''}; the tool schemas are left out`);
    return undefined;
  }
  return toolSchemasOf(list.map((tool: unknown, k) => {
    if (typeof tool !== 'string') return tool;
    const parsed = parseJson(tool);
    if (!parsed.ok) {
      problems.push(`tools[${k}]: ${parsed.error}; the tool schema is left out`);
      return null;
    }
    checkNesting(parsed.value, `tools[${k}]`, tool);
    return parsed.value;
  }));
}

/**
 * A rollout's messages with RL environments' roles mapped onto chat roles: `agent` is the
 * assistant; `environment` answers the assistant's tool calls (a tool message) or else speaks as
 * the user. Calls without an id get one (`call_M_K`: message M, call K), and a tool message
 * without `tool_call_id` is linked to an open call (see {@link OpenCalls}), so that each result is
 * counted with its call. Rendered strings (a chat template already applied) are refused by name.
 */
function rolloutMessages(items: readonly unknown[], at: string): ChatMessage[] {
  if (items.length > 0 && items.every((m) => typeof m === 'string')) {
    throw new Misfit(`${at}: holds rendered strings (a chat template already applied), not chat messages with roles; export the rollouts before templating`);
  }
  const messages = chatMessagesOf(items, at);
  let open = new OpenCalls([]);
  return messages.map((written, m) => {
    const message = withMarkupCalls(written);
    if (message.role === 'assistant' || message.role === 'agent') {
      // The calls are chatMessagesOf's own copies: ids are given in place.
      (message.tool_calls ?? []).forEach((call, k) => (call.id ??= `call_${m}_${k}`));
      open = new OpenCalls(message.tool_calls ?? []);
      return message.role === 'agent' ? { ...message, role: 'assistant' } : message;
    }
    if (message.role === 'environment') {
      if (!open.any) return { ...message, role: 'user' };
      return { ...message, role: 'tool', tool_call_id: open.answer(message) ?? null };
    }
    if (message.role === 'tool') {
      const callId = open.answer(message);
      return message.tool_call_id == null && callId !== undefined ? { ...message, tool_call_id: callId } : message;
    }
    // A result in OpenHands' markup comes as a user message (`EXECUTION RESULT of [TOOL]:`).
    const result = message.role === 'user' && open.any && typeof message.content === 'string' ? markupResult(message.content) : null;
    if (result) {
      const tool: ChatMessage = { role: 'tool', name: result.name, content: result.content };
      return { ...tool, tool_call_id: open.answer(tool) ?? null };
    }
    open = new OpenCalls([]);
    return message;
  });
}

/** An assistant message that writes its calls in OpenHands' markup, with them as its tool calls (ids come later). */
function withMarkupCalls(message: ChatMessage): ChatMessage {
  if ((message.role !== 'assistant' && message.role !== 'agent') || message.tool_calls?.length || typeof message.content !== 'string') return message;
  const markup = markupCalls(message.content);
  if (!markup) return message;
  return { ...message, content: markup.content, tool_calls: writtenToolCalls(markup.calls) };
}

/** Positions of calls under one key (an id or a name), and how many of them are taken already. */
interface CallsByKey {
  at: number[];
  next: number;
}

/**
 * The calls of an assistant message that its tool messages have not answered yet. A tool message
 * answers the call its `tool_call_id` names; one without (SFT sets that name the tool but not the
 * call, environments' replies) the first open call of its `name` where one has it, else the first
 * open call. Each lookup moves forward only, so a turn's pairing stays linear in its calls.
 */
class OpenCalls {
  private readonly taken: boolean[];
  private readonly byId = new Map<string | number, CallsByKey>();
  private readonly byName = new Map<string, CallsByKey>();
  private readonly inOrder: CallsByKey;
  private left: number;

  constructor(private readonly calls: readonly ToolCall[]) {
    this.taken = calls.map(() => false);
    this.left = calls.length;
    this.inOrder = { at: calls.map((_, k) => k), next: 0 };
    calls.forEach((call, k) => {
      if (call.id != null) OpenCalls.add(this.byId, call.id, k);
      if (call.function.name !== null) OpenCalls.add(this.byName, call.function.name, k);
    });
  }

  private static add<K>(map: Map<K, CallsByKey>, key: K, k: number): void {
    const entry = map.get(key);
    if (entry) entry.at.push(k);
    else map.set(key, { at: [k], next: 0 });
  }

  /** True while a call has no answer. */
  get any(): boolean {
    return this.left > 0;
  }

  /**
   * The id of the call a tool message answers, now taken: its own `tool_call_id` when it has one
   * (whether or not a call has it), else the open call its name or place links it to; undefined
   * when no call is open.
   */
  answer(message: ChatMessage): ToolCall['id'] | undefined {
    const own = message.tool_call_id;
    if (own != null) {
      this.take(this.byId.get(own));
      return own;
    }
    const name = str(message.name);
    const k = this.take(name === null ? undefined : this.byName.get(name)) ?? this.take(this.inOrder);
    return k === undefined ? undefined : this.calls[k]!.id;
  }

  /** Takes the first open call of `entry`: its position, or undefined when none is open. */
  private take(entry: CallsByKey | undefined): number | undefined {
    if (!entry) return undefined;
    while (entry.next < entry.at.length && this.taken[entry.at[entry.next]!]) entry.next += 1;
    const k = entry.at[entry.next];
    if (k === undefined) return undefined;
    this.taken[k] = true;
    this.left -= 1;
    entry.next += 1;
    return k;
  }
}

// --- the table ----------------------------------------------------------------------------------

/**
 * Every format, in the order they are tried. A format whose first record could also match a later
 * entry's goes first (a run file's first line and a hermes session both hold `messages`).
 */
export const FORMATS: readonly FormatEntry[] = [
  { id: 'inspect-eval', description: 'an Inspect AI .eval zip', layout: 'zip', importBytes: importInspectEval },
  { id: 'trajdbg-run', description: 'a trajdbg run file', layout: 'text', matches: isRunFileHead, importText: importRunFile },
  // Formats told by a structure of their own, before the generic `messages` and list shapes.
  { id: 'nemo-gym-rollouts', description: 'a NeMo Gym rollouts JSONL (Responses API items)', layout: 'lines', matches: isResponsesRollout, importLine: importNemoGymRollout },
  { id: 'verifiers-results', description: 'a verifiers results JSONL', layout: 'lines', matches: isVerifiersResult, importLine: importVerifiersResult },
  { id: 'verl-rollouts', description: 'a veRL rollout dump', layout: 'lines', matches: isVerlRollout, importLine: importVerlRollout },
  { id: 'codex-session', description: 'a Codex CLI session log (Responses API items)', layout: 'text', matches: isCodexSessionRecord, importText: importCodexSession },
  { id: 'claude-code-stream', description: 'a headless agent run (claude -p --output-format stream-json)', layout: 'text', matches: isClaudeStreamInit, importText: importClaudeStream },
  { id: 'claude-code-session', description: 'an agent session transcript (Anthropic Messages blocks)', layout: 'text', matches: isClaudeCodeRecord, importText: importClaudeCodeSession },
  { id: 'openai-evals-log', description: 'an OpenAI evals run record (JSONL)', layout: 'text', matches: isOpenAiEvalsSpec, importText: importOpenAiEvalsLog },
  { id: 'goose-session', description: 'a Goose session (JSONL)', layout: 'text', matches: isGooseSessionHead, importText: importGooseSession },
  { id: 'gemini-cli-session-jsonl', description: 'a Gemini CLI session log (JSONL)', layout: 'text', matches: isGeminiCliSessionLine, importText: importGeminiCliSessionJsonl },
  { id: 'tau-bench', description: 'a tau-bench results file', layout: 'document', matches: isTauBenchResults, importDocument: (data, _id, fileName) => importTauBench(data, fileName) },
  { id: 'tau2-bench', description: 'a tau2-bench results file', layout: 'document', matches: isTau2Results, importDocument: (data, _id, fileName) => importTau2Bench(data, fileName) },
  { id: 'otlp-traces-jsonl', description: 'OpenTelemetry traces, one OTLP JSON object per line', layout: 'text', matches: isOtlpTraces, importText: importOtlpLines },
  { id: 'otlp-traces', description: 'OpenTelemetry traces in OTLP JSON (resourceSpans)', layout: 'document', matches: isOtlpTraces, importDocument: (data, _id, fileName) => importOtlpDocument(data, fileName) },
  { id: 'langsmith-runs-jsonl', description: 'LangSmith runs, one per line', layout: 'text', matches: isLangSmithRun, importText: importLangSmithLines },
  { id: 'langsmith-runs', description: 'LangSmith runs (a run with its child runs, or a list of runs)', layout: 'document', matches: isLangSmithRuns, importDocument: (data, _id, fileName) => importLangSmithDocument(data, fileName) },
  { id: 'model-call-log', description: 'a model call log, one call per line (request and response, or LiteLLM payloads)', layout: 'text', matches: isModelCallRecord, importText: importCallLogLines },
  { id: 'model-call-list', description: 'a model call log saved as a JSON list', layout: 'document', matches: isModelCallList, importDocument: (data, _id, fileName) => importCallLogDocument(data, fileName) },
  { id: 'langfuse-trace', description: 'a Langfuse trace export (OpenTelemetry GenAI)', layout: 'document', matches: isLangfuseTrace, importDocument: (data, _id, fileName) => importLangfuseTraces(data, fileName) },
  { id: 'smolagents-steps', description: 'smolagents memory steps or run result (JSON)', layout: 'document', matches: isSmolagentsMemory, importDocument: (data, id) => importSmolagentsSteps(data, id) },
  { id: 'autogen-state', description: 'an AutoGen saved state (save_state)', layout: 'document', matches: isAutoGenState, importDocument: (data, id) => importAutoGenState(data, id) },
  { id: 'langgraph-state', description: 'a LangGraph thread state (values.messages)', layout: 'document', matches: (first) => isLangGraphState(first) || (Array.isArray(first) && first.length > 0 && first.every(isLangGraphState)), importDocument: (data, id) => importLangGraphStates(data, id) },
  { id: 'atif', description: 'an ATIF trajectory (Harbor, Terminal-Bench)', layout: 'document', matches: isAtifTrajectory, importDocument: (data, id) => importAtif(data, id) },
  { id: 'claude-code-stream-list', description: 'a headless agent run (claude -p --output-format json --verbose)', layout: 'document', matches: isClaudeStreamList, importDocument: (data, _id, fileName) => importClaudeStreamList(data, fileName) },
  { id: 'adk-session', description: 'a Google ADK session (adk run --save_session)', layout: 'document', matches: isAdkSession, importDocument: (data, id) => importAdkSession(data, id) },
  { id: 'openai-agents-state', description: 'an OpenAI Agents SDK run state (RunState JSON)', layout: 'document', matches: isAgentsRunState, importDocument: (data, id) => importAgentsRunState(data, id) },
  { id: 'continue-session', description: 'a Continue session (~/.continue/sessions)', layout: 'document', matches: isContinueSession, importDocument: (data, id) => importContinueSession(data, id) },
  { id: 'opencode-session', description: 'an OpenCode session (opencode export)', layout: 'document', matches: isOpenCodeSession, importDocument: (data, id) => importOpenCodeSession(data, id) },
  { id: 'gemini-cli-session', description: 'a Gemini CLI session (session-*.json)', layout: 'document', matches: isGeminiCliSession, importDocument: (data, id) => importGeminiCliSession(data, id) },
  { id: 'adp-trajectory', description: 'an Agent Data Protocol trajectory JSONL', layout: 'lines', matches: isAdpTrajectory, importLine: importAdpTrajectory },
  { id: 'glaive-function-calling', description: 'a glaive function-calling JSONL (system and chat texts)', layout: 'lines', matches: isGlaiveRow, importLine: importGlaiveRow },
  { id: 'xlam-function-calling', description: 'an xLAM function-calling JSONL (query, answers, tools)', layout: 'lines', matches: isXlamRow, importLine: importXlamRow },
  { id: 'smolagents-run', description: 'a smolagents run JSONL (intermediate_steps)', layout: 'lines', matches: isSmolagentsRun, importLine: importSmolagentsRun },
  { id: 'bfcl-result', description: 'a Berkeley Function Calling Leaderboard result file (JSONL)', layout: 'lines', matches: isBfclResult, importLine: importBfclResult },
  { id: 'art-trajectory-groups', description: 'an ART trajectory groups JSONL (messages_and_choices)', layout: 'lines', matches: isArtGroupLine, importLine: importArtGroup },
  { id: 'hermes-sharegpt-jsonl', description: 'a hermes ShareGPT trajectory JSONL', layout: 'lines', matches: (first) => has(first, 'conversations'), importLine: importShareGpt },
  { id: 'hermes-session-jsonl', description: 'a hermes-agent session export JSONL', layout: 'lines', matches: (first) => has(first, 'started_at', 'end_reason', 'messages'), importLine: importHermesSession },
  { id: 'openhands-eval-jsonl', description: 'an OpenHands evaluation output JSONL', layout: 'lines', matches: (first) => has(first, 'history') && Array.isArray(first.history) && ('instance_id' in first || ('question_id' in first && first.history.some(isOpenHandsItem))), importLine: importOpenHandsEvalLine },
  { id: 'messages-jsonl', description: 'JSONL of objects with messages', layout: 'lines', matches: (first) => has(first, 'messages') || isSweTrajectoryRow(first) || isConversationRow(first), importLine: importMessagesLine },
  // A Responses computer or shell call carries an `action`, as OpenHands events do.
  { id: 'openhands-events', description: 'an OpenHands event list', layout: 'document', matches: (first) => Array.isArray(first) && !isResponsesItemList(first) && first.some(isOpenHandsItem), importDocument: importOpenHands },
  // A list of records of a line format (a dataset saved as one JSON list) is read as its JSONL would be.
  { id: 'chat-messages', description: 'a JSON list of chat messages', layout: 'document', matches: (first) => Array.isArray(first) && recordListFormat(first) === null, importDocument: importChatMessages },
  // A history of OpenHands events (an evaluation output line saved as a .json) is not SWE-agent's.
  { id: 'swe-agent-traj', description: 'a SWE-agent .traj', layout: 'document', matches: (first) => (has(first, 'history') && Array.isArray(first.history) && !('messages' in first) && !first.history.some(isOpenHandsItem)) || isSweAgentAttempts(first), importDocument: importSweAgent },
  { id: 'inspect-log', description: 'an Inspect AI log', layout: 'document', matches: (first) => has(first, 'eval') && ('samples' in first || 'plan' in first || 'results' in first), importDocument: (data) => importInspectLog(data) },
  { id: 'mini-swe-agent', description: 'a mini-swe-agent trajectory', layout: 'document', matches: isMiniSweAgent, importDocument: importMiniSweAgent },
  { id: 'agent-result', description: 'an AgentResult JSON', layout: 'document', matches: (first) => has(first, 'messages'), importDocument: importAgentResult },
];

const BY_ID = new Map<FormatId, FormatEntry>(FORMATS.map((f) => [f.id, f]));

function entryOf(format: FormatId): FormatEntry {
  const entry = BY_ID.get(format);
  if (!entry) throw new FormatError(`no importer for the format '${format}'`);
  return entry;
}

/** What each format is called in messages ("looked like ..."). */
export const FORMAT_DESCRIPTIONS: Record<FormatId, string> = Object.fromEntries(FORMATS.map((f) => [f.id, f.description])) as Record<FormatId, string>;

/** True for the formats with one JSON value per line (imported, and indexed, line by line). */
export function isLineFormat(format: FormatId): boolean {
  return BY_ID.get(format)?.layout === 'lines';
}

/**
 * The format of a parsed first record: the first JSONL line (`line`) or the whole document
 * (`document`). A lone line of a file that holds nothing else may be either; a document that only
 * a line format matches is read as a one-line file of it.
 */
export function detectRecord(first: unknown, kind: RecordKind, alone = kind === 'document'): FormatId | null {
  const lineLayouts = ['lines', 'text'];
  for (const entry of FORMATS) {
    if (entry.layout === 'zip') continue;
    const fits = kind === 'line' ? lineLayouts.includes(entry.layout) || alone : entry.layout === 'document';
    if (fits && entry.matches(first)) return entry.id;
  }
  if (kind === 'document') for (const entry of FORMATS) if (entry.layout === 'lines' && entry.matches(first)) return entry.id;
  return kind === 'document' || alone ? recordListFormat(first) : null;
}

/**
 * The line format whose records a JSON list holds (`[{"messages": ...}, ...]`, as a dataset saved
 * with `to_json(lines=False)` or a JSON sample file is), told by its first record; null for any
 * other list. A chat message is never such a record: its `role` says so.
 */
export function recordListFormat(list: unknown): FormatId | null {
  if (!Array.isArray(list)) return null;
  const first: unknown = list[0];
  if (!isObject(first) || 'role' in first) return null;
  return FORMATS.find((entry) => entry.layout === 'lines' && entry.matches(first))?.id ?? null;
}

/** How a file's text starts: its first record when it reads as JSONL. */
interface FirstRecord {
  /** The text without a BOM. */
  text: string;
  /** JSONL: the first line that parses, its number (from 1) and parsed value; null for a document. */
  line: { number: number; value: unknown } | null;
  /** True when nothing but this one line is in the file. */
  alone: boolean;
}

/**
 * Reads the first record of a file's text. The text is JSONL when its first non-blank line is a
 * JSON value by itself and more follows it (or the name ends in `.jsonl`, where a first line that
 * does not parse is passed over for the next one); otherwise it is one JSON document.
 */
function firstRecordOf(raw: string, fileName: string | undefined): FirstRecord {
  const text = raw.replace(/^\uFEFF/, '');
  const jsonlName = isJsonlName(fileName);
  let from = 0;
  for (let number = 1; ; number++) {
    const newline = text.indexOf('\n', from);
    const lineText = newline < 0 ? text.slice(from) : text.slice(from, newline);
    const more = newline >= 0 && text.slice(newline + 1).trim() !== '';
    if (lineText.trim() !== '') {
      const parsed = looksLikeRecordLine(lineText, jsonlName, more) ? parseJson(lineText) : null;
      if (parsed?.ok) return { text, line: { number, value: parsed.value }, alone: !more };
      if (!(jsonlName && parsed && more)) return { text, line: null, alone: !more };
    }
    if (!more) return { text, line: null, alone: true };
    from = newline + 1;
  }
}

/** True for a `.jsonl` file name. */
export function isJsonlName(fileName: string | undefined): boolean {
  return /\.jsonl$/i.test(fileName ?? '');
}

/**
 * Whether a first non-blank line is worth parsing as a JSONL record: it opens an object or list,
 * and the file is named `.jsonl` or holds more after it. (A document's first line, "{" or "[{",
 * seldom parses, and parsing a one-line document here would parse it twice.)
 */
export function looksLikeRecordLine(line: string, jsonlName: boolean, more: boolean): boolean {
  return /^\s*[[{]/.test(line) && (jsonlName || more);
}

/**
 * The format of a file from its text, which holds at least its first record (the first JSONL line,
 * or the whole JSON document); null when it looks like no known format or the record is cut.
 */
export function detectFormat(text: string, fileName?: string): FormatId | null {
  if (text.startsWith('PK')) return 'inspect-eval';
  const first = firstRecordOf(text, fileName);
  if (first.line) return detectRecord(first.line.value, 'line', first.alone);
  const parsed = parseJson(first.text);
  return parsed.ok ? detectRecord(parsed.value, 'document') : null;
}

/** Why a parsed first record fits no format, as `FILE: not a known trajectory format: ...`. */
export function unknownFormat(fileName: string, first: unknown, kind: RecordKind, record: 'line' | 'row' = 'line'): FormatError {
  const what = kind === 'line' ? `its first ${record} (${shapeOf(first)}) has none of messages or conversations` : `it (${shapeOf(first)}) has none of messages, conversations or a list of chat messages`;
  return new FormatError(`${fileName}: not a known trajectory format: ${what}`);
}

/** "an object with keys a, b, c" / "a string": what a parsed record is, for messages. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (!isObject(value)) return value === null ? 'null' : `a ${typeof value}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty object';
  return `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}

// --- JSONL --------------------------------------------------------------------------------------

/**
 * Imports one parsed JSONL line (`lineNumber` from 1) of a line format: its trajectories, numbered
 * from `firstIndex`, or the problem `FILE:LINE: what is wrong`. `text` is the line's text (for a
 * quick nesting check), when known.
 */
export function importLineValue(format: FormatId, value: unknown, fileName: string, lineNumber: number, firstIndex: number, text?: string): { trajectories: Trajectory[] } | { problem: string } {
  const entry = entryOf(format);
  if (entry.layout !== 'lines') throw new FormatError(`${fileName}: ${entry.description} is not a JSONL format`);
  try {
    checkNesting(value, '', text);
    return { trajectories: entry.importLine(value, `${baseName(fileName)}:${lineNumber}`, firstIndex).map((t) => withFileProblems(t, `${fileName}:${lineNumber}`)) };
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    return { problem: `${fileName}:${lineNumber}: ${error.message}` };
  }
}

/**
 * Imports one JSONL line (`lineNumber` from 1) of a line format: its trajectories, numbered from
 * `firstIndex`, or the problem `FILE:LINE: what is wrong`. A blank line gives no trajectories.
 */
export function importLine(format: FormatId, text: string, fileName: string, lineNumber: number, firstIndex: number): { trajectories: Trajectory[] } | { problem: string } {
  const entry = entryOf(format);
  if (entry.layout !== 'lines') throw new FormatError(`${fileName}: ${entry.description} is not a JSONL format`);
  if (text.trim() === '') return { trajectories: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) return { problem: `${fileName}:${lineNumber}: ${parsed.error.replace(/ at line 1, column/, ' at column')}` };
  return importLineValue(format, parsed.value, fileName, lineNumber, firstIndex, text);
}

/** Imports JSONL lines; a bad line becomes a problem `FILE:LINE: what` and is skipped. */
export function importJsonl(lines: readonly string[], format: FormatId, fileName: string): ImportResult {
  return importEachLine(lines, format, fileName, null);
}

/** Imports each line; `parsed` is a line read already (not parsed again), or null. */
function importEachLine(lines: readonly string[], format: FormatId, fileName: string, parsed: FirstRecord['line']): ImportResult {
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  lines.forEach((text, i) => {
    const number = i + 1;
    const imported = number === parsed?.number
      ? importLineValue(format, parsed.value, fileName, number, trajectories.length, text)
      : importLine(format, text, fileName, number, trajectories.length);
    if ('problem' in imported) problems.push(imported.problem);
    else trajectories.push(...imported.trajectories);
  });
  return { format, trajectories, problems: [...problems, ...trajectories.flatMap((t) => t.problems ?? [])] };
}

/** The trajectory with its problems prefixed by where they are (`FILE` or `FILE:LINE`). */
function withFileProblems(t: Trajectory, where: string): Trajectory {
  return t.problems && t.problems.length > 0 ? { ...t, problems: t.problems.map((p) => `${where}: ${p}`) } : t;
}

// --- whole files --------------------------------------------------------------------------------

/** Runs an importer, turning its `Misfit` into a `FormatError` that names the file and the format. */
function fitting<T>(fileName: string, format: FormatId, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    throw new FormatError(`${fileName} (looked like ${FORMAT_DESCRIPTIONS[format]}): ${error.message}`);
  }
}

/** One sample of an Inspect `.eval` log read on its own, with the bytes of the archive that hold it; or why it cannot be. */
export type EvalSample = { trajectory: Trajectory; start: number; end: number } | { problem: string };

/** An Inspect `.eval` log whose samples are read one at a time, so that the first shows before the rest are read. */
export interface EvalSamples {
  count: number;
  /**
   * Sample `i` (in sample and epoch order) numbered `index`, its problems prefixed by the file; or
   * `FILE: ENTRY: what; the sample is left out`, as importing the whole log lists it.
   */
  read(i: number, index: number): EvalSample;
}

/** Opens an `.eval` log's bytes for {@link EvalSamples}; throws `FormatError` naming the file for a broken zip or a log without samples. */
export function evalSamples(bytes: Uint8Array, fileName: string): EvalSamples {
  const log = fitting(fileName, 'inspect-eval', () => openInspectEval(bytes));
  return {
    count: log.samples.length,
    read(i, index) {
      const problems: string[] = [];
      const trajectory = tryParse(() => log.read(i, index), problems, SAMPLE_LEFT_OUT);
      if (!trajectory) return { problem: `${fileName}: ${problems[0]!}` };
      return { trajectory: withFileProblems(trajectory, fileName), ...log.span(i) };
    },
  };
}

/**
 * The encoding a UTF-16 byte-order mark at the start of a file names (Windows PowerShell 5 writes
 * its `>` and `Out-File` output so), or null.
 */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes.length < 2) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
}

/**
 * Imports a whole file's bytes: zip containers (Inspect `.eval`) by their entries, everything else
 * as UTF-8 text (see {@link importText}), or UTF-16 text after its byte-order mark; invalid text is
 * reported with its byte offset.
 */
export function importBytes(bytes: Uint8Array, fileName: string): ImportResult {
  if (looksLikeZip(bytes)) {
    const read = asImport(fitting(fileName, 'inspect-eval', () => importInspectEval(bytes)));
    const trajectories = read.trajectories.map((t) => withFileProblems(t, fileName));
    return { format: 'inspect-eval', trajectories, problems: [...read.problems.map((p) => `${fileName}: ${p}`), ...trajectories.flatMap((t) => t.problems ?? [])] };
  }
  const utf16 = utf16Encoding(bytes);
  let text: string;
  try {
    text = new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    if (utf16) throw new FormatError(`${fileName}: not ${utf16 === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} text, as its byte-order mark says: ${bytes.length % 2 === 1 ? 'an odd number of bytes' : 'an unpaired surrogate'}`);
    throw new FormatError(`${fileName}: not UTF-8 text: invalid byte at offset ${invalidUtf8Offset(bytes)}`);
  }
  return importText(text, fileName);
}

/** The offset of the first byte that is not valid UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/**
 * Imports a whole file's text. Throws `FormatError` naming the file, the format it looked like and
 * the first thing that did not fit; bad JSONL lines and unreadable parts of a trajectory are left
 * out and listed in `problems`.
 */
export function importText(text: string, fileName: string): ImportResult {
  if (text.startsWith('PK')) throw new FormatError(`${fileName} (looked like ${FORMAT_DESCRIPTIONS['inspect-eval']}): a zip is read from its bytes, not from text`);
  const first = firstRecordOf(text, fileName);
  const start = first.text.trimStart();
  if (start === '') throw new FormatError(`${fileName}: not a known trajectory format: it is empty`);
  if (!/^[[{]/.test(start)) {
    // A JSON text that is a string or a number is JSON all the same: say what it holds, as the index does.
    const parsed = parseJson(first.text);
    if (parsed.ok) throw unknownFormat(fileName, parsed.value, 'document');
    throw new FormatError(`${fileName}: not a known trajectory format: it is not JSON or JSONL`);
  }
  if (first.line) {
    const format = detectRecord(first.line.value, 'line', first.alone);
    if (format === null) throw unknownFormat(fileName, first.line.value, 'line');
    const entry = entryOf(format);
    if (entry.layout === 'text') return { format, ...fitting(fileName, format, () => entry.importText(first.text, fileName)) };
    if (entry.layout === 'document' || (first.alone && recordListFormat(first.line.value) === format)) return importDocumentValue(format, first.line.value, fileName);
    return importLines(first, format, fileName);
  }
  const parsed = parseJson(first.text);
  if (!parsed.ok) throw new FormatError(`${fileName}: ${parsed.error}`);
  const format = detectRecord(parsed.value, 'document');
  if (format === null) throw unknownFormat(fileName, parsed.value, 'document');
  return importDocumentValue(format, parsed.value, fileName, first.text);
}

/**
 * Imports a JSON list of a line format's records, each as its line would be: record N (from 1) is
 * numbered as line N, and one that cannot be read is the problem `FILE: [K]: what` (K from 0, as
 * the list indexes it) and is left out.
 */
function importRecordList(format: FormatId, list: readonly unknown[], fileName: string, text?: string): ImportResult {
  fitting(fileName, format, () => checkNesting(list, '', text));
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  const entry = entryOf(format);
  if (entry.layout !== 'lines') throw new FormatError(`${fileName}: ${entry.description} is not a JSONL format`);
  list.forEach((record, k) => {
    try {
      const read = entry.importLine(record, `${baseName(fileName)}:${k + 1}`, trajectories.length);
      trajectories.push(...read.map((t) => withFileProblems(t, `${fileName}: [${k}]`)));
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      problems.push(`${fileName}: [${k}]: ${error.message}`);
    }
  });
  if (trajectories.length === 0) {
    throw new FormatError(`${fileName} (a JSON list of records of ${FORMAT_DESCRIPTIONS[format]}): no record could be imported${problems[0] ? `; first: ${problems[0]}` : ''}`);
  }
  return { format, trajectories, problems: [...problems, ...trajectories.flatMap((t) => t.problems ?? [])] };
}

/** Imports the lines of a JSONL text whose first record was read already (and is not parsed again). */
function importLines(first: FirstRecord, format: FormatId, fileName: string): ImportResult {
  const imported = importEachLine(first.text.split(/\r?\n/), format, fileName, first.line);
  if (imported.trajectories.length === 0) {
    const firstProblem = imported.problems[0];
    throw new FormatError(`${fileName} (looked like ${FORMAT_DESCRIPTIONS[format]}): no line could be imported${firstProblem ? `; first: ${firstProblem}` : ''}`);
  }
  return imported;
}

/**
 * Imports a parsed JSON document of `format` (`text` is the document's text, for a quick nesting
 * check). A document of a line format is read as a one-line file of it.
 */
export function importDocumentValue(format: FormatId, value: unknown, fileName: string, text?: string): ImportResult {
  const entry = entryOf(format);
  if (entry.layout === 'lines' && recordListFormat(value) === format) return importRecordList(format, value as unknown[], fileName, text);
  if (entry.layout === 'lines') {
    const imported = importLineValue(format, value, fileName, 1, 0, text);
    if ('problem' in imported) throw new FormatError(`${fileName} (looked like ${entry.description}): ${imported.problem.slice(fileName.length + 1).replace(/^1: /, '')}`);
    return { format, trajectories: imported.trajectories, problems: imported.trajectories.flatMap((t) => t.problems ?? []) };
  }
  if (entry.layout !== 'document') throw new FormatError(`${fileName}: ${entry.description} is not read from a parsed document`);
  const read = asImport(fitting(fileName, format, () => {
    checkNesting(value, '', text);
    return entry.importDocument(value, baseName(fileName), fileName);
  }));
  const trajectories = read.trajectories.map((t) => withFileProblems(t, fileName));
  return { format, trajectories, problems: [...read.problems.map((p) => `${fileName}: ${p}`), ...trajectories.flatMap((t) => t.problems ?? [])] };
}
