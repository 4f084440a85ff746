import { z } from 'zod';
import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { contentAsText } from './content-parts.js';
import { chatPart, contentOf, functionResponseOutcome, partsOf, toolMessage } from './gemini-contents.js';
import { argumentsText, baseName, callStats, isObject, jsonLines, Misfit, num, parseEach, parseWith, readLine, recordedUsage, str, type TextImport } from './import-common.js';
import type { CallStats, FormatId, Trajectory } from './trajectory.js';

// Gemini CLI sessions (`~/.gemini/tmp/<projectHash>/chats/session-*.json`, and from 2026 `.jsonl`),
// as its ChatRecordingService writes them (packages/core/src/services/chatRecordingService.ts and
// chatRecordingTypes.ts).
//
// - The JSON document is a ConversationRecord: `{sessionId, projectHash, startTime, lastUpdated,
//   messages[], summary?, directories?, kind?}`. The JSONL file starts with that header without
//   `messages`, then one line per record, read as Gemini CLI's `loadConversationRecord` reads them:
//   a line with a string `id` is a message (a later line with the same id replaces it where it
//   stands: tokens and tool calls are written by rewriting the message), `{$rewindTo: id}` drops
//   that message and every one after it (all of them when the id is unknown), `{$set: {...}}`
//   updates the header. A `$set` with a non-empty `messages` list is the whole conversation synced
//   from the model's history: it replaces the messages read so far, and later lines apply on top of
//   it (Gemini CLI itself would ignore them, losing what was recorded after the last sync).
// - What a rewind dropped is a trajectory of its own (`<session>/branch N`): the conversation as it
//   stood before the rewind, linked through `branch` to the session at the last turn they share.
// - `user` is a user message, `gemini` an assistant message. Content is a Gemini `PartListUnion`
//   (a string, a part, or a list of both): text parts are joined as the text the model saw or wrote;
//   images (`inlineData`) become `image_url` parts, other parts are kept as they are. A `gemini`
//   message's `thoughts` (summaries Gemini CLI split into `subject` and `description` from the
//   model's `**Subject** description` text) are joined back as its `reasoning_content`, with any
//   `thought: true` text parts.
// - Each of `toolCalls` is an OpenAI tool call (`args` as JSON arguments text), answered by a tool
//   message after the assistant message, in call order: the `functionResponse` of its `result` with
//   its id, `response.output` as the text, the images in its own `parts` (a tool that returned a
//   picture) named after it (`[image: image/png, 70 B]`). A `response.error` (a tool that failed, or a call the
//   user cancelled or denied: "[Operation Cancelled] Reason: ...") and a call of status `error` or
//   `cancelled` are recorded as the reference loop records a tool that raised, with `is_error`. A call
//   still running when the file was written (no result) stays unanswered. `functionCall` and
//   `functionResponse` parts in content (turns synced from the model's history) are calls and
//   results too, each id once.
// - `info`, `warning` and `error` messages are notices Gemini CLI showed the user; the model never
//   saw them, so they are no messages of the trajectory (the prompt view of a turn is recomputed from
//   its messages, and would otherwise claim the model read them). Each is listed in the
//   trajectory's problems as left out, with its text, and an `error` notice after the last turn is
//   how the session ended: its first line is the trajectory's `stopReason`.
// - The trajectory's model is the first model a `gemini` message names; a message that names another
//   (Gemini CLI falls back to a smaller model when a quota runs out) keeps its own `model`. Token
//   counts have no place in the trajectory model.

/** The format ids of the two layouts (the JSON document, and the JSONL log). */
const DOCUMENT_FORMAT: FormatId = 'gemini-cli-session';
const JSONL_FORMAT: FormatId = 'gemini-cli-session-jsonl';

/** True for a Gemini CLI session document: a `messages` list beside `sessionId` and `projectHash`. */
export function isGeminiCliSession(record: unknown): boolean {
  return isObject(record) && typeof record.sessionId === 'string' && typeof record.projectHash === 'string' && Array.isArray(record.messages);
}

/** True for the first line of a Gemini CLI JSONL session: the header, `sessionId` and `projectHash` without messages. */
export function isGeminiCliSessionLine(record: unknown): boolean {
  return isObject(record) && typeof record.sessionId === 'string' && typeof record.projectHash === 'string' && !('messages' in record) && !('id' in record) && !('type' in record);
}

const thoughtSchema = z.lazy(() => z.looseObject({ subject: z.string().nullable().optional(), description: z.string().nullable().optional() }));
const toolCallRecord = z.lazy(() => z.looseObject({
  id: z.string().nullable().optional(),
  name: z.string(),
  args: z.unknown().optional(),
  status: z.string().nullable().optional(),
  result: z.unknown().optional(),
}));
const messageRecord = z.lazy(() => z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  content: z.unknown().optional(),
  thoughts: z.array(thoughtSchema).nullable().optional(),
  toolCalls: z.array(toolCallRecord).nullable().optional(),
  model: z.string().nullable().optional(),
}));
type MessageRecord = z.infer<typeof messageRecord>;
const sessionDocument = z.lazy(() => z.looseObject({ sessionId: z.string(), messages: z.array(z.unknown()) }));

/** The types of notices: shown to the user, never sent to the model. */
const NOTICE_TYPES = new Set(['info', 'warning', 'error']);

/** A message record with where it was read, for problems (`messages[3]`, `line 7`). */
interface Placed {
  record: MessageRecord;
  at: string;
}

/** A thought summary as the text the model wrote it from (`**Subject** description`). */
function thoughtText(thought: z.infer<typeof thoughtSchema>): string {
  const subject = thought.subject?.trim() ?? '';
  const description = thought.description ?? '';
  return subject ? `**${subject}**\n\n${description}`.trim() : description;
}

/**
 * The tool message of a recorded call, or null when it has no result yet. Parts of the result
 * beside its `functionResponse` (a file's contents read as an image, text) follow its output.
 */
function callResult(call: z.infer<typeof toolCallRecord>): ChatMessage | null {
  const parts = partsOf(call.result);
  const responses = parts.filter((p): p is { functionResponse: Record<string, unknown> } => isObject(p) && isObject(p.functionResponse));
  const response = responses.find((p) => call.id != null && p.functionResponse.id === call.id) ?? responses[0];
  const rest = parts.filter((p) => p !== response);
  const failed = call.status === 'error' || call.status === 'cancelled';
  if (!response && rest.length === 0 && !failed) return null;
  const outcome = response ? functionResponseOutcome(response.functionResponse) : { text: '', raised: false };
  const more = rest.length > 0 ? contentAsText(rest.map(chatPart)) : '';
  let text = [outcome.text, more].filter((t) => t !== '').join('\n');
  // A failed call whose result holds no error text: the text the file keeps beside it.
  if (failed && text === '') text = str(call.error) ?? str(call.resultDisplay) ?? `the call ended with status ${String(call.status)}`;
  return toolMessage(call.id ?? null, text, outcome.raised || failed);
}

/** The conversation being built: its messages and the call ids already answered. */
interface Conversation {
  messages: ChatMessage[];
  answered: Set<string>;
  model: string | null;
  /** Each `gemini` record's token counts, by turn. */
  stats: Array<CallStats | null>;
}

/**
 * A `gemini` record's `tokens` in the OpenAI names: the prompt its `input` (cached ones included,
 * as Gemini counts them, and shown apart), the completion its `output` and `thoughts` together
 * (the thoughts shown apart, as reasoning tokens).
 */
function geminiUsage(tokens: unknown): TokenUsage | undefined {
  if (!isObject(tokens)) return undefined;
  const [output, thoughts, cached] = [num(tokens.output), num(tokens.thoughts), num(tokens.cached)];
  const usage = recordedUsage(tokens.input, output === null ? null : output + (thoughts ?? 0), tokens.total);
  if (!usage) return undefined;
  return { ...usage, ...(cached ? { prompt_tokens_details: { cached_tokens: cached } } : {}), ...(thoughts ? { completion_tokens_details: { reasoning_tokens: thoughts } } : {}) };
}

/** Adds a `gemini` record: the assistant message, then a tool message per answered call. */
function addAssistant(conversation: Conversation, record: MessageRecord): void {
  const parts = partsOf(record.content);
  const reasoning = [
    ...(record.thoughts ?? []).map(thoughtText),
    ...parts.filter((p) => isObject(p) && p.thought === true && typeof p.text === 'string').map((p) => (p as { text: string }).text),
  ].filter((t) => t !== '');
  const records = record.toolCalls ?? [];
  const calls: ToolCall[] = records.map((c) => ({ id: c.id ?? null, type: 'function', function: { name: c.name, arguments: argumentsText(c.args) } }));
  for (const part of parts) {
    const fn = isObject(part) && isObject(part.functionCall) ? part.functionCall : null;
    const name = fn ? str(fn.name) : null;
    if (fn && name !== null && !calls.some((c) => c.id != null && c.id === fn.id)) calls.push({ id: str(fn.id), type: 'function', function: { name, arguments: argumentsText(fn.args) } });
  }
  const shown = parts.filter((p) => !(isObject(p) && (p.thought === true || isObject(p.functionCall))));
  const content = contentOf(shown);
  const message: ChatMessage = { role: 'assistant', content: content === '' && calls.length > 0 ? null : content };
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
  if (calls.length > 0) message.tool_calls = calls;
  const model = record.model ?? null;
  if (model !== null) {
    conversation.model ??= model;
    if (model !== conversation.model) message.model = model;
  }
  conversation.messages.push(message);
  conversation.stats.push(callStats(geminiUsage(record.tokens), null));
  for (const call of records) {
    const tool = callResult(call);
    if (!tool) continue;
    conversation.messages.push(tool);
    if (call.id != null) conversation.answered.add(call.id);
  }
}

/** Adds a `user` record: tool messages for the `functionResponse` parts not answered yet, then the rest as a user message. */
function addUser(conversation: Conversation, record: MessageRecord): void {
  const rest: unknown[] = [];
  let answers = 0;
  for (const part of partsOf(record.content)) {
    const response = isObject(part) && isObject(part.functionResponse) ? part.functionResponse : null;
    if (!response) {
      rest.push(part);
      continue;
    }
    answers += 1;
    const id = str(response.id);
    if (id !== null && conversation.answered.has(id)) continue;
    const { text, raised } = functionResponseOutcome(response);
    conversation.messages.push(toolMessage(id, text, raised));
    if (id !== null) conversation.answered.add(id);
  }
  if (rest.length > 0 || answers === 0) conversation.messages.push({ role: 'user', content: contentOf(rest) });
}

/** The first line of a notice's text, for a stop reason. */
const firstLine = (text: string): string => text.split('\n')[0]!.trim();

/** A trajectory from message records; notices and records of unknown types go to `problems`. */
function trajectoryOf(records: readonly Placed[], id: string, format: FormatId, index: number, problems: string[]): Trajectory {
  const conversation: Conversation = { messages: [], answered: new Set(), model: null, stats: [] };
  let stopReason: string | null = null;
  for (const { record, at } of records) {
    if (record.type === 'gemini') {
      addAssistant(conversation, record);
      stopReason = null;
    } else if (record.type === 'user') {
      addUser(conversation, record);
      stopReason = null;
    } else if (NOTICE_TYPES.has(record.type)) {
      const text = contentAsText(contentOf(partsOf(record.content)));
      problems.push(`${at}: ${record.type === 'warning' ? 'a' : 'an'} ${record.type} notice shown to the user, not to the model, is left out: ${JSON.stringify(text)}`);
      if (record.type === 'error') stopReason = `error: ${firstLine(text)}`;
    } else {
      problems.push(`${at}.type: '${record.type}' is not a message type Gemini CLI writes (user, gemini, info, warning, error); the message is left out`);
    }
  }
  const t: Trajectory = { id, model: conversation.model, messages: conversation.messages, reward: null, recorded: {}, source: { format, index } };
  if (stopReason !== null) t.stopReason = stopReason;
  if (conversation.stats.some((v) => v !== null)) t.callStats = conversation.stats;
  return t;
}

/** The turns some records hold: their `gemini` records. */
const turnsOf = (records: readonly Placed[]): number => records.filter((p) => p.record.type === 'gemini').length;

/**
 * A Gemini CLI session document (`session-*.json`): one trajectory, its id the `sessionId`. A
 * message that cannot be read, and each notice, is listed in the trajectory's problems.
 */
export function importGeminiCliSession(data: unknown, id: string): Trajectory[] {
  const doc = parseWith(sessionDocument, data);
  const problems: string[] = [];
  const records = parseEach(messageRecord, doc.messages, 'messages', problems, 'the message is left out').map(({ index, value }) => ({ record: value, at: `messages[${index}]` }));
  const t = trajectoryOf(records, doc.sessionId || id, DOCUMENT_FORMAT, 0, problems);
  if (problems.length > 0) t.problems = problems;
  return [t];
}

/** The message records of a JSONL session as they stand after each line: in order, and by id. */
class Records {
  list: Placed[] = [];
  private readonly byId = new Map<string, number>();

  constructor(list: Placed[] = []) {
    list.forEach((p) => this.put(p));
  }

  /** Adds a record, or replaces the one with its id where it stands. */
  put(placed: Placed): void {
    const id = placed.record.id;
    const k = id === undefined ? undefined : this.byId.get(id);
    if (k !== undefined) {
      this.list[k] = placed;
      return;
    }
    if (id !== undefined) this.byId.set(id, this.list.length);
    this.list.push(placed);
  }

  /** Where the record with `id` stands, or -1. */
  indexOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }
}

/**
 * A Gemini CLI JSONL session (`session-*.jsonl`): the conversation Gemini CLI resumes as one
 * trajectory (id: the `sessionId`), then what each rewind dropped as a branch. A line that cannot be
 * read, and each notice, is reported as `FILE:LINE: what` and left out.
 */
export function importGeminiCliSessionJsonl(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  let sessionId: string | null = null;
  let records = new Records();
  const dropped: Placed[][] = [];
  let read = 0;
  for (const entry of jsonLines(text, fileName)) {
    if ('problem' in entry) {
      problems.push(entry.problem);
      continue;
    }
    const { line, value } = entry;
    const at = `${fileName}:${line}`;
    readLine(problems, fileName, line, () => {
      if (!isObject(value)) throw new Misfit('expected a JSON object');
      read += 1;
      if (typeof value.$rewindTo === 'string') {
        const from = records.indexOf(value.$rewindTo);
        if (records.list.length > 0) dropped.push(records.list);
        records = new Records(from < 0 ? [] : records.list.slice(0, from));
      } else if (typeof value.id === 'string') {
        records.put({ record: parseWith(messageRecord, value), at });
      } else if (isObject(value.$set)) {
        sessionId = str(value.$set.sessionId) ?? sessionId;
        const synced = value.$set.messages;
        if (!Array.isArray(synced) || synced.length === 0) return;
        const left: string[] = [];
        records = new Records(parseEach(messageRecord, synced, '$set.messages', left, 'the message is left out').map(({ index, value: record }) => ({ record, at: `${at}: $set.messages[${index}]` })));
        problems.push(...left.map((p) => `${at}: ${p}`));
      } else if (typeof value.sessionId === 'string' && typeof value.projectHash === 'string') {
        sessionId = value.sessionId;
      } else {
        throw new Misfit('not a message (no string id), a $set or $rewindTo record, or the session header; the line is left out');
      }
    });
  }
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  const id = sessionId ?? baseName(fileName);
  const main = records.list;
  const trajectories = [trajectoryOf(main, id, JSONL_FORMAT, 0, problems)];
  const listed = new Set(problems);
  dropped.forEach((branch, b) => {
    // The branch leaves the session after the records both still hold from the start.
    let shared = 0;
    while (shared < branch.length && shared < main.length && branch[shared]!.record.id === main[shared]!.record.id) shared++;
    const forkTurn = turnsOf(branch.slice(0, shared));
    // A notice the session holds too is listed once.
    const own: string[] = [];
    const t = trajectoryOf(branch, `${id}/branch ${b + 1}`, JSONL_FORMAT, trajectories.length, own);
    for (const p of own) if (!listed.has(p)) problems.push(p);
    t.branch = { parentId: id, forkTurn, change: `abandoned: the session was rewound to ${forkTurn > 0 ? `turn ${forkTurn}` : 'its start'}` };
    trajectories.push(t);
  });
  return { trajectories, problems };
}
