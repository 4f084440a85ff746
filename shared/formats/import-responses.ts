import { z } from 'zod';
import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { contentAsText, imageUrlPart } from './content-parts.js';
import { argumentsText, baseName, callStats, eachObjectLine, isObject, Misfit, num, parseWith, recordedOf, recordedUsage, str, toolSchemasOf, type TextImport } from './import-common.js';
import type { CallStats, Trajectory } from './trajectory.js';

// OpenAI Responses API items, as NeMo Gym rollouts and Codex CLI session logs record them.
//
// - Items are read in order; an assistant turn gathers the `reasoning`, assistant `message` and
//   `*_call` items that follow each other, and ends at the first item the model did not write
//   (a `*_call_output`, a user or system message). A `reasoning` item after the turn already has
//   text or calls starts the next turn: a response starts with its reasoning.
// - `function_call` and the other `*_call` items (`custom_tool_call`, `local_shell_call`,
//   `web_search_call`, ...) are tool calls with their `call_id`; arguments are `arguments`, else
//   the freeform `input`, else the `action` as JSON. Their `*_call_output` items are tool messages
//   paired by `call_id`. A call that carries its own `output` (`mcp_call`) gets its tool message
//   right after the turn.
// - Reasoning: `summary` and `content` texts become `reasoning_content`; `encrypted_content` is
//   kept in `reasoning_details` as `{type: "reasoning.encrypted", id, data}`, so a turn whose only
//   reasoning is encrypted keeps it without inventing text.
// - Message parts: text parts (`input_text`, `output_text`, `text`, `refusal`) are joined by
//   newlines; a message with other parts (images, files) keeps its parts as recorded. A
//   `developer` message is the system message it stands for.
// - Items of other types (`item_reference`, `compaction`) carry nothing the model saw and are skipped.
// - The OpenAI Agents SDK for JavaScript keeps the same items with camelCase ids (`callId`) and
//   results typed `function_call_result` / `computer_call_result` (its `result.history`, its
//   sessions): read the same way. A result's `{type: "text", text}` output is its text; its
//   `rawContent` reasoning texts follow the `content` ones.
// - Model calls: NeMo Gym's model server writes a call's `prompt_token_ids` and
//   `generation_token_ids` on the last item of its output, so an item that carries them ends its
//   call and the next item the model wrote starts a new turn, even with no item of another author
//   between them: a gymnasium-style agent records the environment's reply only inside the next
//   call's prompt tokens. The item that starts such a turn is named in `problems`: what the model
//   was sent before it is left out.
//   Items that repeat one call's token ids are that call; items without them are grouped as above.

/** The text of a Responses content value: a string, or text parts joined; other parts kept as recorded. */
function contentOf(content: unknown): unknown {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (!Array.isArray(content)) return content;
  const texts: string[] = [];
  for (const part of content) {
    if (!isObject(part)) return content;
    const text = typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : null;
    if (text === null) return content;
    texts.push(text);
  }
  return texts.join('\n');
}

/** Content as a list of parts (a text as one text part), to join two contents that are not both text. */
function partsOf(content: unknown): unknown[] {
  if (Array.isArray(content)) return content;
  return [typeof content === 'string' ? { type: 'text', text: content } : content];
}

/** An `input_image` part (`image_url` a string) as an `image_url` part; null for any other value. */
function inputImage(part: unknown): unknown {
  return isObject(part) && part.type === 'input_image' && typeof part.image_url === 'string' ? imageUrlPart(part.image_url) : null;
}

/**
 * A tool output as the text the model got: a string as is, text parts joined, anything else as
 * JSON. An output list with images (Codex's view_image, an MCP tool's picture) names each image
 * among the texts (`[image: image/png, 12 KB]`) rather than writing out its data URL.
 */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output == null) return '';
  if (isObject(output) && typeof output.content === 'string') return output.content;
  if (isObject(output) && output.type === 'text' && typeof output.text === 'string') return output.text;
  const content = contentOf(output);
  if (typeof content === 'string') return content;
  if (Array.isArray(output) && output.every((p) => (isObject(p) && typeof p.text === 'string') || inputImage(p) !== null)) return contentAsText(output.map((p) => inputImage(p) ?? p));
  return JSON.stringify(output);
}

/** The readable texts of a reasoning item: its summary, then its reasoning content. */
function reasoningTexts(item: Record<string, unknown>): string[] {
  const texts: string[] = [];
  for (const field of ['summary', 'content', 'rawContent']) {
    const parts = item[field];
    if (!Array.isArray(parts)) continue;
    for (const part of parts) if (isObject(part) && typeof part.text === 'string' && part.text !== '') texts.push(part.text);
  }
  return texts;
}

/** The token ids a model server writes on the last item of a model call. */
interface CallTokens {
  prompt: unknown;
  generation: unknown[];
}

/** The token ids an item carries as the end of its model call, or null when it carries none. */
function callTokens(item: Record<string, unknown>): CallTokens | null {
  return Array.isArray(item.generation_token_ids) ? { prompt: item.prompt_token_ids, generation: item.generation_token_ids } : null;
}

/** True for two lists of the same token ids. */
function sameIds(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((id, i) => id === b[i]);
}

const CALL_BOOKKEEPING = new Set(['type', 'id', 'call_id', 'callId', 'status', 'name', 'output', 'result', 'providerData']);

/** The id that pairs a call with its result: `call_id` (the API's), `callId` (the Agents SDK for JavaScript), else the item's `id`. */
function callIdOf(item: Record<string, unknown>): string | null {
  return str(item.call_id) ?? str(item.callId) ?? str(item.id);
}

/** True for an item that is a tool's result: `*_call_output`, or the Agents SDK's `*_call_result`. */
function isCallResult(type: string): boolean {
  return type.endsWith('_call_output') || type.endsWith('_call_result');
}

/** The arguments of a `*_call` item as text (see the notes above). */
function callArguments(item: Record<string, unknown>): string {
  if (item.arguments !== undefined) return argumentsText(item.arguments);
  if (typeof item.input === 'string') return item.input;
  if (item.input !== undefined) return argumentsText(item.input);
  if (item.action !== undefined) return argumentsText(item.action);
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) if (!CALL_BOOKKEEPING.has(key)) rest[key] = value;
  return JSON.stringify(rest);
}

/** Builds chat messages from Responses items, one item at a time (see the notes above). */
export class ResponsesConversation {
  readonly messages: ChatMessage[] = [];
  /** What was left out, as "ITEM: what is missing" (a model call whose input is recorded only as token ids). */
  readonly problems: string[] = [];
  private turn: ChatMessage | null = null;
  private inlineResults: ChatMessage[] = [];
  /** The token ids of the open turn's model call once its last item is read; null while the call may go on. */
  private ended: CallTokens | null = null;

  /** The assistant message being built, opened if there is none. */
  private open(): ChatMessage {
    if (!this.turn) {
      this.turn = { role: 'assistant', content: '' };
      this.messages.push(this.turn);
    }
    return this.turn;
  }

  /** Ends the assistant turn: the results its calls carried inline follow it. */
  close(): void {
    this.turn = null;
    this.ended = null;
    this.messages.push(...this.inlineResults);
    this.inlineResults = [];
  }

  /** The last assistant message written so far, if any. */
  lastAssistant(): ChatMessage | undefined {
    return this.messages.findLast((m) => m.role === 'assistant');
  }

  /** Adds one item; `at` names it in a `Misfit` ("response.output[3]", "line 12: payload"). */
  add(item: unknown, at: string): void {
    if (!isObject(item)) throw new Misfit(`${at}: expected an item object`);
    const type = str(item.type) ?? (typeof item.role === 'string' ? 'message' : null);
    if (type === null) throw new Misfit(`${at}.type: expected an item type`);
    if (isCallResult(type)) {
      this.close();
      this.messages.push({ role: 'tool', tool_call_id: callIdOf(item), content: outputText(item.output) });
      return;
    }
    const byModel = type === 'reasoning' || type.endsWith('_call') || (type === 'message' && item.role === 'assistant');
    if (byModel) this.startCall(item, at);
    if (type === 'message') this.addMessage(item, at);
    else if (type === 'reasoning') this.addReasoning(item);
    else if (type.endsWith('_call')) this.addCall(item, type);
    if (byModel) this.ended = callTokens(item);
  }

  /** Ends the open turn when its model call has ended and `item` is not part of it (see the notes above). */
  private startCall(item: Record<string, unknown>, at: string): void {
    const ended = this.ended;
    if (!this.turn || !ended) return;
    const tokens = callTokens(item);
    if (tokens && sameIds(tokens.generation, ended.generation) && sameIds(tokens.prompt, ended.prompt)) return;
    this.close();
    // Nothing between the two calls: what the second was sent on top of the first (the
    // environment's reply) is in the file only as token ids, and is not invented here.
    if (this.messages.at(-1)?.role === 'assistant') this.problems.push(`${at}: a new model call follows the previous one with nothing recorded between them; what it was sent in between (the environment's reply) is only in its prompt_token_ids, and is left out`);
  }

  private addMessage(item: Record<string, unknown>, at: string): void {
    const role = str(item.role);
    if (role === null) throw new Misfit(`${at}.role: expected a string`);
    const content = contentOf(item.content);
    if (role !== 'assistant') {
      this.close();
      this.messages.push({ role: role === 'developer' ? 'system' : role, content });
      return;
    }
    const turn = this.open();
    const had = turn.content;
    turn.content = had === '' ? content : typeof had === 'string' && typeof content === 'string' ? `${had}\n${content}` : [...partsOf(had), ...partsOf(content)];
    if (typeof item.status === 'string' && item.status !== 'completed') turn.finish_reason = item.status;
  }

  private addReasoning(item: Record<string, unknown>): void {
    const current = this.turn;
    if (current && ((typeof current.content === 'string' ? current.content !== '' : current.content != null) || (current.tool_calls?.length ?? 0) > 0)) this.close();
    const turn = this.open();
    const texts = reasoningTexts(item);
    if (texts.length > 0) turn.reasoning_content = [turn.reasoning_content, ...texts].filter((t) => t).join('\n\n');
    if (typeof item.encrypted_content === 'string') {
      const details = Array.isArray(turn.reasoning_details) ? turn.reasoning_details : [];
      turn.reasoning_details = [...details, { type: 'reasoning.encrypted', id: str(item.id), data: item.encrypted_content }];
    }
  }

  private addCall(item: Record<string, unknown>, type: string): void {
    const turn = this.open();
    const id = callIdOf(item);
    const call: ToolCall = { id, type: 'function', function: { name: str(item.name) ?? type.slice(0, -'_call'.length), arguments: callArguments(item) } };
    turn.tool_calls = [...(turn.tool_calls ?? []), call];
    const inline = item.output ?? item.result;
    if (inline != null) this.inlineResults.push({ role: 'tool', tool_call_id: id, content: outputText(inline) });
  }
}

// --- NeMo Gym rollouts -------------------------------------------------------------------------------

/** True for a NeMo Gym rollout line: a Responses `response` with its `output` list, and what was sent or scored. */
export function isResponsesRollout(record: unknown): boolean {
  return isObject(record) && isObject(record.response) && Array.isArray(record.response.output) && (isObject(record.responses_create_params) || 'reward' in record);
}

const rolloutSchema = z.lazy(() => z.looseObject({
  responses_create_params: z
    .looseObject({
      input: z.union([z.string(), z.array(z.unknown())]).nullable().optional(),
      instructions: z.string().nullable().optional(),
      tools: z.array(z.unknown()).nullable().optional(),
      model: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  response: z.looseObject({
    id: z.string().nullable().optional(),
    model: z.string().nullable().optional(),
    instructions: z.unknown().optional(),
    output: z.array(z.unknown()),
    status: z.string().nullable().optional(),
    incomplete_details: z.looseObject({ reason: z.string().nullable().optional() }).nullable().optional(),
    error: z.unknown().optional(),
  }),
  terminated: z.boolean().nullable().optional(),
  truncated: z.boolean().nullable().optional(),
  _ng_task_index: z.number().int().nullable().optional(),
  _ng_rollout_index: z.number().int().nullable().optional(),
}));

/**
 * One NeMo Gym rollout line: the sent `input` (after `instructions`) then `response.output`, the
 * reward from the top level. Rollouts of one task are grouped by id: `task T.R` from
 * `_ng_task_index` and `_ng_rollout_index`, else the response id. The AgentResult fields the line
 * records (`turns_used`, `finished_naturally` of the Claude Code agent) are taken as recorded; a
 * gymnasium-style agent's `terminated` or `truncated` is the stop reason. A response that ended
 * `incomplete` or with an error records `finished_naturally: false`; the reason is kept as the
 * last assistant message's `finish_reason`. The input is not a recorded prompt of any turn:
 * gymnasium-style agents add the environment's observations to it (older ones sent the first
 * observation instead of it), so prompt views are recomputed.
 */
export function importNemoGymRollout(data: unknown, id: string, index: number): Trajectory[] {
  const line = parseWith(rolloutSchema, data);
  const params = line.responses_create_params ?? {};
  const conversation = new ResponsesConversation();
  if (params.instructions) conversation.messages.push({ role: 'system', content: params.instructions });
  if (typeof params.input === 'string') conversation.messages.push({ role: 'user', content: params.input });
  else (params.input ?? []).forEach((item, i) => conversation.add(item, `responses_create_params.input[${i}]`));
  conversation.close();
  line.response.output.forEach((item, i) => conversation.add(item, `response.output[${i}]`));
  conversation.close();
  const response = line.response;
  const task = line._ng_task_index;
  const trajectory: Trajectory = {
    id: task != null ? `task ${task}.${line._ng_rollout_index ?? 0}` : (response.id ?? id),
    model: response.model ?? params.model ?? null,
    messages: conversation.messages,
    reward: num(line.reward) ?? (typeof line.reward === 'boolean' ? Number(line.reward) : null),
    recorded: recordedOf(line),
    source: { format: 'nemo-gym-rollouts', index },
  };
  // Gymnasium's two ends of an episode. `truncated` is a cut (a step limit, a timeout): not
  // finished. `terminated` is the episode ending by its rules (NeMo Gym: "ends naturally (task
  // solved, game over)"), the move the agent made ending it: finished, as tau2-bench's user_stop
  // is, unless the line records otherwise. The stop reason keeps which end it was.
  const ends = [line.terminated ? 'terminated' : null, line.truncated ? 'truncated' : null].filter((end) => end !== null);
  if (ends.length > 0) {
    trajectory.stopReason = ends.join(', ');
    trajectory.recorded.finished_naturally = line.truncated ? false : (trajectory.recorded.finished_naturally ?? true);
  }
  if (conversation.problems.length > 0) trajectory.problems = [...conversation.problems];
  const reason = response.incomplete_details?.reason ?? (response.status === 'incomplete' || response.status === 'failed' ? response.status : null) ?? (response.error != null ? 'error' : null);
  if (reason) {
    trajectory.recorded.finished_naturally = false;
    const last = conversation.lastAssistant();
    if (last) last.finish_reason = reason;
  }
  if (task != null) trajectory.group = { id: `task ${task}`, index: Math.max(0, line._ng_rollout_index ?? 0), size: null, score: trajectory.reward };
  const tools = toolSchemasOf(params.tools ?? []);
  if (tools) trajectory.tools = tools;
  return [trajectory];
}

// --- Codex CLI session logs ----------------------------------------------------------------------------

const CODEX_LINE_TYPES = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);
const RESPONSES_ITEM_TYPES = new Set(['message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'local_shell_call', 'local_shell_call_output']);

/** True for a Responses item as older Codex logs write them, one bare item per line. */
function isBareItem(record: Record<string, unknown>): boolean {
  if (!RESPONSES_ITEM_TYPES.has(str(record.type) ?? '')) return false;
  return record.type !== 'message' || (typeof record.role === 'string' && Array.isArray(record.content));
}

// The keys an older header may hold besides `id` and `timestamp` (the session meta, flattened with its git info).
const LEGACY_HEADER_KEYS = new Set(['id', 'timestamp', 'instructions', 'git', 'cwd', 'originator', 'cli_version']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * True for the header of an older log. One with `instructions` is told by that key; without it
 * (some versions leave it out) an `{id, timestamp}` line is common to many logs, so only a uuid
 * session id, an ISO timestamp and no key the header does not have are taken for one.
 */
function isLegacyHeader(record: Record<string, unknown>): boolean {
  if (typeof record.id !== 'string' || typeof record.timestamp !== 'string' || 'type' in record) return false;
  if ('instructions' in record) return true;
  return UUID.test(record.id) && ISO_TIME.test(record.timestamp) && Object.keys(record).every((key) => LEGACY_HEADER_KEYS.has(key));
}

/**
 * True for a line of a Codex CLI session log: `{timestamp, type, payload}` with a Codex line type,
 * or (older logs) the `{id, timestamp, instructions?}` header or a bare Responses item.
 */
export function isCodexSessionRecord(record: unknown): boolean {
  if (!isObject(record)) return false;
  if (isObject(record.payload)) return CODEX_LINE_TYPES.has(str(record.type) ?? '');
  return isLegacyHeader(record) || isBareItem(record);
}

/** The instructions text of a Codex session header (`instructions`, or `base_instructions.text`). */
function instructionsOf(meta: Record<string, unknown>): string | null {
  if (typeof meta.instructions === 'string' && meta.instructions !== '') return meta.instructions;
  const base = meta.base_instructions;
  return isObject(base) && typeof base.text === 'string' && base.text !== '' ? base.text : null;
}

// A local compaction records the summary it put in the context as `message`; a remote one leaves
// `message` empty and records the items that replaced the context.
const compactedSchema = z.lazy(() => z.looseObject({
  message: z.string().nullable().optional(),
  replacement_history: z.array(z.unknown()).nullable().optional(),
}));

/**
 * The user message a `compacted` line stands for: Codex rebuilds the context around the summary,
 * sent as a user message. Without a summary text, the replacement history is the content: its
 * messages as text parts, its other items (an encrypted `compaction` item) as recorded. A line
 * with neither is a `Misfit`: the context was compacted there, but the log does not say into what.
 */
function compactionMessage(payload: Record<string, unknown>): ChatMessage {
  const compacted = parseWith(compactedSchema, payload, 'payload');
  if (compacted.message) return { role: 'user', content: compacted.message };
  const replaced = compacted.replacement_history ?? [];
  if (replaced.length === 0) throw new Misfit('payload: a compaction that records neither its summary (message) nor its replacement_history');
  const parts = replaced.flatMap((item) => {
    if (!isObject(item) || item.type !== 'message') return [item];
    const content = contentOf(item.content);
    return typeof content === 'string' ? [{ type: 'text', text: content }] : partsOf(content);
  });
  return { role: 'user', content: parts };
}

const userMessageEventSchema = z.lazy(() => z.looseObject({ message: z.string(), images: z.array(z.string()).nullable().optional() }));
const agentMessageEventSchema = z.lazy(() => z.looseObject({ message: z.string() }));

/** The chat message of a `user_message` or `agent_message` event (its images as image parts); null for other events. */
function eventMessage(payload: Record<string, unknown>): ChatMessage | null {
  if (payload.type === 'agent_message') return { role: 'assistant', content: parseWith(agentMessageEventSchema, payload, 'payload').message };
  if (payload.type !== 'user_message') return null;
  const event = parseWith(userMessageEventSchema, payload, 'payload');
  const images = event.images ?? [];
  if (images.length === 0) return { role: 'user', content: event.message };
  return { role: 'user', content: [{ type: 'text', text: event.message }, ...images.map((url) => imageUrlPart(url))] };
}

/**
 * A Codex CLI session log (`rollout-*.jsonl`): `response_item` payloads (or the
 * bare items of older logs) are the conversation; `event_msg` lines repeat them for the UI and are
 * dropped, except that the last `task_complete` or `turn_aborted` says whether the session's last
 * task ended by itself. A log without response items (some archived sessions) is read from its
 * `user_message` and `agent_message` events instead, and says so in its problems. A `compacted`
 * line is a user message where the context was compacted (see {@link compactionMessage}). A
 * `token_count` event gives the usage of the model call whose response it follows. The id
 * is the session id, the model the last `turn_context` model, and the header's instructions the
 * system message. A line that cannot be read is reported and skipped; a log with no message at all
 * is refused.
 *
 * A `thread_rolled_back` event (`num_turns`) drops the latest turns of the person (each starts at
 * the user message a `user_message` event repeats) from what Codex resumes and sends; the file keeps
 * them. The session is the conversation without them, and each rollback keeps what it dropped as a
 * trajectory of its own (`<session>/branch N`: the conversation as it stood), linked through
 * `branch` at the turn they share. An `error` event after the last response item (the stream
 * broke, the context window ran out) ends the session: it is the stop reason, and the session did
 * not finish by itself.
 */
export function importCodexSession(text: string, fileName: string): TextImport {
  const conversation = new ResponsesConversation();
  // The messages the UI was shown, kept in case the log has no response items to read.
  const shown: ChatMessage[] = [];
  const problems: string[] = [];
  let id: string | null = null;
  let model: string | null = null;
  let finished: boolean | undefined;
  let items = 0;
  let events = 0;
  /** Where each turn of the person still in the conversation starts (an index of its messages). */
  const userTurns: number[] = [];
  /** What each rollback dropped: the conversation as it stood, and the messages kept. */
  const rolledBack: Array<{ messages: ChatMessage[]; kept: number }> = [];
  let lastError: string | null = null;
  // The usage of each model call, from the `token_count` event that follows its response.
  const stats: Array<CallStats | null> = [];
  let counted = 0;
  let turns = 0;
  const turnsSoFar = (): number => {
    for (; counted < conversation.messages.length; counted++) if (conversation.messages[counted]!.role === 'assistant') turns += 1;
    return turns;
  };
  const header = (meta: Record<string, unknown>): void => {
    const instructions = instructionsOf(meta);
    if (!instructions || conversation.messages.length > 0 || shown.length > 0) return;
    const system: ChatMessage = { role: 'system', content: instructions };
    conversation.messages.push(system);
    shown.push(system);
  };
  const read = eachObjectLine(text, fileName, problems, (value) => {
    const payload = value.payload;
    if (!isObject(payload)) {
      // Older logs: a header line, state lines, then bare items.
      if (typeof value.type === 'string') {
        items += 1;
        conversation.add(value, 'the item');
      } else if (id === null && typeof value.id === 'string') {
        id = value.id;
        header(value);
      }
      return;
    }
    switch (value.type) {
      case 'session_meta':
        id ??= str(payload.id);
        header(payload);
        return;
      case 'turn_context':
        model = str(payload.model) ?? model;
        return;
      case 'response_item':
        items += 1;
        lastError = null;
        conversation.add(payload, 'payload');
        return;
      case 'compacted': {
        const message = compactionMessage(payload);
        conversation.close();
        conversation.messages.push(message);
        shown.push(message);
        return;
      }
      case 'event_msg': {
        if (payload.type === 'token_count') {
          // It follows the response it counts: the turn of the last assistant message (the first count of a turn is kept).
          const usage = codexUsage(payload);
          const turn = turnsSoFar();
          if (usage && turn > 0 && !stats[turn - 1]) {
            while (stats.length < turn) stats.push(null);
            stats[turn - 1] = callStats(usage, null);
          }
          return;
        }
        if (payload.type === 'task_complete') {
          finished = true;
          lastError = null;
        } else if (payload.type === 'turn_aborted') finished = false;
        else if (payload.type === 'error') lastError = str(payload.message) ?? 'an error';
        else if (payload.type === 'user_message') {
          // The turn starts at the user message the event repeats (the last one read), else here.
          const k = conversation.messages.findLastIndex((m) => m.role === 'user');
          userTurns.push(k >= 0 && k >= (userTurns.at(-1) ?? -1) + 1 ? k : conversation.messages.length);
        } else if (payload.type === 'thread_rolled_back') {
          const dropped = Math.min(num(payload.num_turns) ?? 0, userTurns.length);
          if (dropped > 0) {
            conversation.close();
            const cut = userTurns[userTurns.length - dropped]!;
            rolledBack.push({ messages: conversation.messages.slice(), kept: cut });
            conversation.messages.splice(cut);
            userTurns.length -= dropped;
            // Turns are counted again from the start; the usage of a dropped turn goes with it.
            counted = 0;
            turns = 0;
            stats.length = Math.min(stats.length, turnsSoFar());
          }
          return;
        }
        const message = eventMessage(payload);
        if (message) {
          shown.push(message);
          events += 1;
        }
        return;
      }
      default:
    }
  });
  conversation.close();
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  const messages = items > 0 ? conversation.messages : shown;
  if (messages.every((m) => m.role === 'system')) throw new Misfit(`no line holds a message (a response item, a compaction, or a user or agent message event)${problems[0] ? `; first: ${problems[0]}` : ''}`);
  if (items === 0 && events > 0) problems.push(`${fileName}: no response items; the conversation is read from the user_message and agent_message events, without tool calls or reasoning`);
  const sessionId = id ?? baseName(fileName);
  const trajectory: Trajectory = { id: sessionId, model, messages, reward: null, recorded: {}, source: { format: 'codex-session', index: 0 } };
  if (finished !== undefined) trajectory.recorded.finished_naturally = finished;
  if (lastError !== null) {
    trajectory.stopReason = `error: ${lastError}`;
    trajectory.recorded.finished_naturally = false;
  }
  if (items > 0 && stats.some((v) => v !== null)) trajectory.callStats = stats;
  const trajectories = [trajectory];
  rolledBack.forEach(({ messages: before, kept }, b) => {
    const forkTurn = before.slice(0, kept).filter((m) => m.role === 'assistant').length;
    const change = `abandoned: the session was rolled back to ${forkTurn > 0 ? `turn ${forkTurn}` : 'its start'}`;
    trajectories.push({ id: `${sessionId}/branch ${b + 1}`, model, messages: before, reward: null, recorded: {}, source: { format: 'codex-session', index: trajectories.length }, branch: { parentId: sessionId, forkTurn, change } });
  });
  return { trajectories, problems };
}

/**
 * The usage of the model call a `token_count` event counts (`info.last_token_usage`; `info` is
 * null on an event that only reports rate limits), in the OpenAI names: input tokens include the
 * cached ones, output tokens the reasoning ones, as OpenAI counts them.
 */
function codexUsage(payload: Record<string, unknown>): TokenUsage | undefined {
  const last = isObject(payload.info) ? payload.info.last_token_usage : undefined;
  if (!isObject(last)) return undefined;
  const usage = recordedUsage(last.input_tokens, last.output_tokens, last.total_tokens);
  if (!usage) return undefined;
  const cached = num(last.cached_input_tokens);
  if (cached !== null) usage.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = num(last.reasoning_output_tokens);
  if (reasoning !== null) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}
