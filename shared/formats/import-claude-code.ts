import type { ChatMessage, TokenUsage } from '../model/chat.js';
import { base64ImagePart, contentAsText, imageUrlPart } from './content-parts.js';
import { argumentsText, baseName, eachObjectLine, isObject, lineValues, Misfit, num, raisedToolContent, recordedUsage, str, tryParse, type TextImport } from './import-common.js';
import type { CallStats, FormatId, Trajectory } from './trajectory.js';

// Agent session transcripts in Anthropic Messages blocks, one event per line (Claude Code's
// `~/.claude/projects/*/*.jsonl`).
//
// - Lines without a `message` (progress, file-history snapshots, queue operations, summaries,
//   system notices) carry nothing the model saw; a line whose `uuid` was already read (a resumed
//   session repeats lines) is skipped.
// - The lines are a tree (`uuid`, `parentUuid`), not a list: a rewind (Esc Esc) or an edited prompt
//   hangs the next line off an earlier one, and the abandoned lines stay in the file. The session
//   is the chain Claude Code resumes: from the last message line no other message line descends
//   from, back to its root, across compaction boundaries (below). A line whose parent is not in the
//   file starts its chain. Parallel tool calls are written as sibling lines of one API message, each
//   result hanging off its own call; like Claude Code, the chain takes back the siblings of its API
//   messages and the results hanging off them. Each abandoned branch is a trajectory of its own
//   (`<session>/branch N`, its chain from the root), linked through `branch` to the trajectory it
//   left and the turn it forked after. A file whose lines name no parent is read in file order.
// - A compaction writes a boundary line with no parent, the summary hanging off it, then the
//   conversation after. The boundary continues the line its `logicalParentUuid` names. A compaction
//   that kept the latest messages (`compactMetadata.preservedSegment`, `preservedMessages`) keeps
//   them where they were written, before the boundary, and may name one it writes after the summary
//   or never writes: the latest kept message written before the boundary then stands in. The
//   history, the summary and what came after it are one conversation, each kept message once. A line
//   written after the boundary that hangs off the line the boundary continues (nothing had been
//   written after the summary yet) follows the summary. Claude Code itself, on resuming, moves the
//   kept messages after the summary; here they stay where the model first saw them.
// - A trajectory's lines are read in file order. One API message can be written as several lines,
//   one per content block, sharing `message.id`: they are merged into one assistant message,
//   wherever the lines fall. `text` blocks are its content, `thinking` blocks its
//   `reasoning_content`, `redacted_thinking` data is kept in `reasoning_details`, `tool_use` (and
//   `server_tool_use`) blocks its tool calls with the input as JSON arguments. `stop_reason` is kept
//   on the message. A server tool's result (`web_search_tool_result`, in the same message) is a tool
//   message after it; one whose content is the tool's error (`web_search_tool_result_error` and its
//   kin, `{type, error_code}`) is recorded as a tool that raised, its error code the error.
// - An API error (an overloaded server, a usage limit) is written as an assistant line of its own
//   (`isApiErrorMessage`, model `<synthetic>`) holding the error text. The model never wrote it and
//   Claude Code never sends it back: it is no turn here. It is named in the problems, and when
//   nothing follows it in its conversation it is how that conversation ended (`stopReason`).
// - A `user` line's `tool_result` blocks are tool messages paired by `tool_use_id`; a result with
//   `is_error: true` is recorded as the reference loop records a tool that raised (`{"error":
//   "Tool execution failed: ..."}`, as for Inspect tool errors) and keeps `is_error`. The line's
//   other blocks are one user message after them. Image blocks (a pasted screenshot) become
//   `image_url` parts with their data URL; an image a tool returned (Read on a picture) is named in
//   the result's text as `[image: image/png, 12 KB]`, not dumped as base64.
// - What a person typed while the model was working is written as an `attachment` line
//   (`attachment.type: "queued_command"`, its `prompt`), never as a user line: Claude Code hands it
//   to the model inside the running turn. It is a user message where the line stands. Other
//   attachments (file contents, hook output, reminders) are context Claude Code renders into
//   reminders of its own wording; they are not read.
// - Subagent lines (`isSidechain: true`) are kept apart, in file order, one trajectory per
//   `agentId` (`<session>/<agentId>`, `<session>/sidechain N` in older logs). Older logs have no `agentId`: their lines go by chains of `parentUuid` links, and a
//   chain without one joins the agent its links reach, or the agent whose Task call was running
//   when it started (the main line answering that call names the agent). A subagent is linked
//   through `branch` to the trajectory that answered its Task call (the main session otherwise)
//   and the number of turns that trajectory had when the subagent started.

/** True for a line of an agent session transcript: a typed event with a message or a session id, or a snapshot or summary line. */
export function isClaudeCodeRecord(record: unknown): boolean {
  if (!isObject(record) || typeof record.type !== 'string' || 'payload' in record) return false;
  if (isObject(record.message) && (typeof record.uuid === 'string' || typeof record.sessionId === 'string')) return true;
  if (typeof record.sessionId === 'string' && ('parentUuid' in record || 'isSidechain' in record || record.type === 'queue-operation')) return true;
  if (record.type === 'file-history-snapshot') return isObject(record.snapshot);
  return record.type === 'summary' && typeof record.leafUuid === 'string';
}

/** One line of a transcript, as the import keeps it until every line is read. */
interface Line {
  uuid: string | null;
  /** null when the line says it has no parent; undefined when it has no `parentUuid` field. */
  parentUuid: string | null | undefined;
  /** Where a compaction boundary (whose `parentUuid` is null) continues the conversation from. */
  logicalParentUuid: string | null;
  /** On a compaction boundary that kept messages, what it says of them; null on other lines. */
  kept: Kept | null;
  sidechain: boolean;
  /** A subagent line's agent; on a main-session line, the agent whose result the line carries. */
  agentId: string | null;
  timestamp: string | null;
  /** What the line adds to a trajectory (see `appendLine`); null for a line without a message, or one that could not be read. */
  messages: ChatMessage[] | null;
  /** The API message an assistant line is part of (several lines can share it). */
  messageId: string | null;
  /** The token usage an assistant line records for its API message (the last line's is the whole reply's). */
  usage: TokenUsage | null;
  model: string | null;
  /** A user line with tool results. */
  answers: boolean;
  /** On an API error written in place of a reply, its text's first line; the line adds no message. */
  apiError: string | null;
}

/** What a compaction boundary that kept the latest messages says of them (`compactMetadata`). */
interface Kept {
  /** Lines that can stand for the one the boundary continues, latest first: the kept segment's tail, the kept messages, its head. */
  standIns: string[];
  /** The line the conversation after the compaction hangs off: the summary. */
  anchor: string | null;
}

/** A trajectory being put together from its lines. */
interface Chain {
  messages: ChatMessage[];
  /** The API error the chain ends with, when no message follows it. */
  apiError: string | null;
  byMessageId: Map<string, ChatMessage>;
  model: string | null;
  /** Each turn's recorded usage, one entry a turn (so its length is the turns so far); the turn each API message is. */
  stats: Array<CallStats | null>;
  turnOf: Map<string, number>;
}

/** A trajectory's lines in file order, its messages, and the turns it has after each of its lines. */
interface Built {
  lines: number[];
  turnsAfter: number[];
  chain: Chain;
}

/** An Anthropic `image` block as an `image_url` part (its data URL, or its URL); any other value as it is. */
function imagePart(block: unknown): unknown {
  if (!isObject(block) || block.type !== 'image' || !isObject(block.source)) return block;
  const source = block.source;
  if (source.type === 'base64' && typeof source.data === 'string') return base64ImagePart(str(source.media_type) ?? 'image/png', source.data);
  if (source.type === 'url' && typeof source.url === 'string') return imageUrlPart(source.url);
  return block;
}

/** True for a text block, or an image block that reads as an `image_url` part. */
const textOrImage = (b: unknown): boolean => (isObject(b) && b.type === 'text' && typeof b.text === 'string') || imagePart(b) !== b;

/**
 * The text of a tool result's content: a string, or its text blocks joined, an image among them as
 * a placeholder naming its type and size; other blocks as JSON.
 */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (Array.isArray(content) && content.every(textOrImage)) return contentAsText(content.map(imagePart));
  return JSON.stringify(content);
}

/** A server tool result's content as its tool message's: the tool's error (`{type: '…_tool_result_error', error_code}`) as a tool that raised. */
function serverToolResult(content: unknown): string {
  if (isObject(content) && typeof content.type === 'string' && content.type.endsWith('_tool_result_error')) return raisedToolContent(str(content.error_code) ?? JSON.stringify(content));
  return resultText(content);
}

/** What one assistant line adds: its part of the API message, then the server tool results it carries. */
function assistantLine(message: Record<string, unknown>): ChatMessage[] {
  const content = message.content;
  if (content != null && typeof content !== 'string' && !Array.isArray(content)) throw new Misfit('message.content: expected a string or a list of blocks');
  const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : (content ?? []);
  const target: ChatMessage = { role: 'assistant', content: '' };
  const messages = [target];
  if (typeof message.stop_reason === 'string') target.stop_reason = message.stop_reason;
  blocks.forEach((block, k) => {
    if (!isObject(block)) throw new Misfit(`message.content[${k}]: expected a content block`);
    if (block.type === 'text' && typeof block.text === 'string') target.content = `${String(target.content ?? '')}${block.text}`;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') target.reasoning_content = [target.reasoning_content, block.thinking].filter((t) => t).join('\n\n');
    else if (block.type === 'redacted_thinking') target.reasoning_details = [...(Array.isArray(target.reasoning_details) ? target.reasoning_details : []), { type: 'reasoning.encrypted', data: block.data ?? null }];
    else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      const name = str(block.name);
      if (name === null) throw new Misfit(`message.content[${k}].name: expected a string`);
      target.tool_calls = [...(target.tool_calls ?? []), { id: str(block.id), type: 'function', function: { name, arguments: argumentsText(block.input) } }];
    } else if (typeof block.tool_use_id === 'string') {
      // A server tool's result (web search and such) comes back inside the assistant message.
      messages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: serverToolResult(block.content) });
    }
  });
  return messages;
}

/** What one user line adds: a tool message per tool result, then its other blocks as one user message. */
function userLine(content: unknown): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  if (!Array.isArray(content)) throw new Misfit('message.content: expected a string or a list of blocks');
  const messages: ChatMessage[] = [];
  const rest: unknown[] = [];
  content.forEach((block, k) => {
    if (!isObject(block)) throw new Misfit(`message.content[${k}]: expected a content block`);
    if (block.type !== 'tool_result') {
      rest.push(block);
      return;
    }
    const text = resultText(block.content);
    const tool: ChatMessage = { role: 'tool', tool_call_id: str(block.tool_use_id), content: block.is_error === true ? raisedToolContent(text) : text };
    if (block.is_error === true) tool.is_error = true;
    messages.push(tool);
  });
  if (rest.length === 0) return messages;
  const texts = rest.every((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string');
  messages.push({ role: 'user', content: texts ? rest.map((b) => (b as { text: string }).text).join('\n') : rest.map(imagePart) });
  return messages;
}

/**
 * Anthropic Messages API messages (`{role, content}`, content a string or text, thinking,
 * tool_use and tool_result blocks) as chat messages, by the rules of a transcript's lines: a trace
 * that recorded the API's requests reads them as a session transcript does. A message of another
 * role keeps its text. `at` is the list's field path, for problems.
 */
export function anthropicMessages(list: readonly unknown[], at: string): ChatMessage[] {
  return list.flatMap((message, k) => {
    if (!isObject(message)) throw new Misfit(`${at}[${k}]: expected a message object`);
    try {
      if (message.role === 'assistant') return assistantLine(message);
      if (message.role === 'user') return userLine(message.content);
    } catch (error) {
      if (error instanceof Misfit) throw new Misfit(`${at}[${k}].${error.message.replace(/^message\./, '')}`);
      throw error;
    }
    const role = str(message.role);
    if (role === null) throw new Misfit(`${at}[${k}].role: expected a string`);
    return [{ role, content: resultText(message.content) }];
  });
}

/**
 * An Anthropic Messages reply's usage in the OpenAI names: the prompt counts the tokens read from
 * and written to the cache too (Anthropic's `input_tokens` leaves them out), the cached ones apart.
 */
function anthropicUsage(usage: unknown): TokenUsage | null {
  if (!isObject(usage)) return null;
  const cached = num(usage.cache_read_input_tokens);
  const input = num(usage.input_tokens);
  const prompt = input === null ? null : input + (num(usage.cache_creation_input_tokens) ?? 0) + (cached ?? 0);
  const counts = recordedUsage(prompt, usage.output_tokens);
  if (!counts) return null;
  return cached !== null ? { ...counts, prompt_tokens_details: { cached_tokens: cached } } : counts;
}

/** Adds an assistant line's part to the message an earlier line of the same API message started. */
function mergeAssistant(target: ChatMessage, part: ChatMessage): void {
  target.content = `${String(target.content ?? '')}${String(part.content ?? '')}`;
  if ('reasoning_content' in part) target.reasoning_content = [target.reasoning_content, part.reasoning_content].filter((t) => t).join('\n\n');
  if (Array.isArray(part.reasoning_details)) target.reasoning_details = [...(Array.isArray(target.reasoning_details) ? target.reasoning_details : []), ...part.reasoning_details];
  if (part.tool_calls) target.tool_calls = [...(target.tool_calls ?? []), ...part.tool_calls];
  if (part.stop_reason !== undefined) target.stop_reason = part.stop_reason;
}

/** Appends a line's messages to a chain; copies, since branches share their first lines. */
function appendLine(chain: Chain, line: Line): void {
  if (line.apiError !== null) chain.apiError = line.apiError;
  else if ((line.messages?.length ?? 0) > 0) chain.apiError = null;
  (line.messages ?? []).forEach((m, k) => {
    const messageId = k === 0 ? line.messageId : null;
    const known = messageId === null ? undefined : chain.byMessageId.get(messageId);
    const usage = k === 0 ? line.usage : null;
    if (known) {
      // A later line of the same API message records the usage of the whole reply so far.
      const turn = chain.turnOf.get(messageId!);
      if (usage && turn !== undefined) chain.stats[turn] = { usage };
      return mergeAssistant(known, m);
    }
    const copy = { ...m };
    chain.messages.push(copy);
    if (copy.role === 'assistant') {
      if (messageId !== null) chain.turnOf.set(messageId, chain.stats.length);
      chain.stats.push(usage ? { usage } : null);
    }
    if (messageId !== null) chain.byMessageId.set(messageId, copy);
  });
  if (line.model !== null) chain.model ??= line.model;
}

/** A trajectory with its chain's recorded usage per turn, when any turn recorded one, and the API error it ended with. */
function withStats(t: Trajectory, chain: Chain): Trajectory {
  if (chain.stats.some((v) => v !== null)) t.callStats = chain.stats;
  if (chain.apiError !== null) t.stopReason = `error: ${chain.apiError}`;
  return t;
}

/** A new, empty chain. */
const emptyChain = (): Chain => ({ messages: [], apiError: null, byMessageId: new Map(), model: null, stats: [], turnOf: new Map() });

/** The first line of an API error line's text, for problems and the stop reason. */
function apiErrorText(message: Record<string, unknown>): string {
  const text = resultText(message.content).split('\n')[0]!.trim();
  return text === '' ? 'an API error' : text;
}

/** The trajectory of some lines of the file (their numbers, sorted here). */
function build(lines: readonly Line[], numbers: number[]): Built {
  numbers.sort((a, b) => a - b);
  const chain = emptyChain();
  const turnsAfter = numbers.map((i) => {
    appendLine(chain, lines[i]!);
    return chain.stats.length;
  });
  return { lines: numbers, turnsAfter, chain };
}

/** The turns a built trajectory has from its lines before line `at` of the file. */
function turnsBefore(built: Built, at: number): number {
  let low = 0;
  let high = built.lines.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (built.lines[middle]! < at) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? 0 : built.turnsAfter[low - 1]!;
}

/** What a compaction boundary's `compactMetadata` says of the messages it kept; null when it names none. */
function keptMessages(metadata: Record<string, unknown>): Kept | null {
  const segment = isObject(metadata.preservedSegment) ? metadata.preservedSegment : {};
  const messages = isObject(metadata.preservedMessages) ? metadata.preservedMessages : {};
  // Both lists run in conversation order; `allUuids` also names the lines between messages.
  const latestFirst = (list: unknown): unknown[] => (Array.isArray(list) ? [...list].reverse() : []);
  const standIns = [segment.tailUuid, ...latestFirst(messages.allUuids), ...latestFirst(messages.uuids), segment.headUuid].filter((u): u is string => typeof u === 'string');
  const anchor = str(segment.anchorUuid) ?? str(messages.anchorUuid);
  return standIns.length === 0 && anchor === null ? null : { standIns, anchor };
}

/** The lines of a transcript as read from the file. */
interface Transcript {
  /** Every line that has a `uuid` or a message; of repeated uuids, the first. */
  lines: Line[];
  /** Line number by uuid. */
  byUuid: Map<string, number>;
  sessionId: string | null;
  /** The object lines read, whatever they hold. */
  read: number;
}

/** Reads the lines of a transcript; a line that does not fit is reported in `problems`. */
function readLines(text: string, fileName: string, problems: string[]): Transcript {
  const lines: Line[] = [];
  const byUuid = new Map<string, number>();
  let sessionId: string | null = null;
  const read = eachObjectLine(text, fileName, problems, (value) => {
    const message = value.message;
    const uuid = str(value.uuid);
    if (uuid === null && !isObject(message)) return;
    if (uuid !== null) {
      if (byUuid.has(uuid)) return;
      byUuid.set(uuid, lines.length);
    }
    const sidechain = value.isSidechain === true;
    const result = isObject(value.toolUseResult) ? str(value.toolUseResult.agentId) : null;
    const line: Line = {
      uuid,
      parentUuid: 'parentUuid' in value ? str(value.parentUuid) : undefined,
      logicalParentUuid: str(value.logicalParentUuid),
      kept: value.subtype === 'compact_boundary' && isObject(value.compactMetadata) ? keptMessages(value.compactMetadata) : null,
      sidechain,
      agentId: str(value.agentId) ?? (sidechain ? null : result),
      timestamp: str(value.timestamp),
      messages: null,
      messageId: null,
      usage: null,
      model: null,
      answers: false,
      apiError: null,
    };
    // Kept before its message is read: a line that does not fit still links its children.
    lines.push(line);
    const queued = value.type === 'attachment' && isObject(value.attachment) && value.attachment.type === 'queued_command' ? value.attachment.prompt : undefined;
    if (typeof queued === 'string' || Array.isArray(queued)) {
      line.messages = userLine(queued);
      return;
    }
    if (!isObject(message)) return;
    sessionId ??= str(value.sessionId);
    if (value.isApiErrorMessage === true) {
      line.apiError = apiErrorText(message);
      line.messages = [];
      problems.push(`${fileName}: ${uuid ?? 'a line'}: an API error Claude Code wrote in place of a reply is not a turn of the model, and is left out: ${JSON.stringify(line.apiError)}`);
      return;
    }
    const role = str(message.role) ?? (value.type === 'assistant' || value.type === 'user' ? value.type : null);
    if (role === null) throw new Misfit('message.role: expected a string');
    if (role === 'assistant') {
      line.messages = assistantLine(message);
      line.messageId = str(message.id);
      line.usage = anthropicUsage(message.usage);
      const model = str(message.model);
      if (model && model !== '<synthetic>') line.model = model;
    } else if (role === 'user') {
      line.messages = userLine(message.content);
      line.answers = line.messages.some((m) => m.role === 'tool');
    } else line.messages = [{ role, content: message.content ?? '' }];
  });
  return { lines, byUuid, sessionId, read };
}

/**
 * Lines the abandoned branches may hold together. A branch repeats the conversation it left, so a
 * session rewound thousands of times near its end (a 2 MB file can be) would otherwise hold its
 * start thousands of times over and exhaust memory.
 */
export const BRANCH_LINES_BUDGET = 1_000_000;

/** One conversation of the main session: the numbers of its lines, where it left an earlier one, and its root. */
interface Path {
  lines: number[];
  /** The first line it shares with an earlier path, walking up from its leaf; -1 when none. */
  fork: number;
  root: number;
}

/**
 * The main session's conversations: first the chain Claude Code resumes, then each abandoned
 * branch, latest leaf first. `owner` gives, for each line, the first path that holds it (-1:
 * none); `leftOut` counts message lines no path reached (only a cycle of parent links does that).
 */
function conversationPaths({ lines, byUuid }: Transcript): { paths: Path[]; owner: Int32Array; leftOut: number; branchesLeftOut: number } {
  const n = lines.length;
  const speaks = (i: number): boolean => !lines[i]!.sidechain && ((lines[i]!.messages?.length ?? 0) > 0 || lines[i]!.apiError !== null);
  const named = (uuid: string | null | undefined): number | undefined => {
    const i = typeof uuid === 'string' ? byUuid.get(uuid) : undefined;
    return i === undefined || lines[i]!.sidechain ? undefined : i;
  };
  // A line with no parent in the file continues across a compaction boundary: from the line
  // `logicalParentUuid` names, else from the latest message the compaction kept. Only a line written
  // before it: a kept message written after the summary hangs off the summary, and would close a cycle.
  const continued = (l: Line, i: number): number | undefined => {
    for (const uuid of [l.logicalParentUuid, ...(l.kept?.standIns ?? [])]) {
      const p = named(uuid);
      if (p !== undefined && p < i) return p;
    }
    return undefined;
  };
  // For the line a boundary continues, the boundary's summary: what was written after the summary
  // but hangs off that line goes after the summary, not beside the boundary as a branch.
  const resumedAt = new Int32Array(n).fill(-1);
  const parent = new Int32Array(n).fill(-1);
  let linked = false;
  lines.forEach((l, i) => {
    if (l.sidechain) return;
    const own = named(l.parentUuid);
    const resumed = own === undefined ? -1 : resumedAt[own]!;
    const p = own === undefined ? continued(l, i) : resumed >= 0 && resumed < i ? resumed : own;
    if (p === undefined || p === i) return;
    parent[i] = p;
    linked = true;
    const anchor = own === undefined ? named(l.kept?.anchor) : undefined;
    if (anchor !== undefined && anchor > i) resumedAt[p] = anchor;
  });
  // Hand-written or converted files may name no parent at all: their lines follow one another.
  let previous = -1;
  lines.forEach((l, i) => {
    if (l.sidechain) return;
    if (parent[i]! < 0 && (!linked || l.parentUuid === undefined)) parent[i] = previous;
    previous = i;
  });

  // A leaf is a message line no other message line descends from (progress lines and system
  // notices hang off the chain without ending it). Each line is marked once: linear.
  const below = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!speaks(i)) continue;
    for (let p = parent[i]!; p >= 0 && below[p] === 0; p = parent[p]!) below[p] = 1;
  }

  // The lines of each API message, and the tool results hanging off each line, as linked lists.
  const firstOfMessage = new Map<string, number>();
  const nextOfMessage = new Int32Array(n).fill(-1);
  const firstAnswer = new Int32Array(n).fill(-1);
  const nextAnswer = new Int32Array(n).fill(-1);
  lines.forEach((l, i) => {
    if (l.sidechain || l.messages === null) return;
    if (l.messageId !== null) {
      nextOfMessage[i] = firstOfMessage.get(l.messageId) ?? -1;
      firstOfMessage.set(l.messageId, i);
    }
    const p = parent[i]!;
    if (l.answers && p >= 0) [nextAnswer[i], firstAnswer[p]] = [firstAnswer[p]!, i];
  });

  const owner = new Int32Array(n).fill(-1);
  const held = new Int32Array(n).fill(-1);
  const gathered = new Int32Array(n).fill(-1);
  const paths: Path[] = [];
  const take = (leaf: number): number => {
    const k = paths.length;
    const taken: number[] = [];
    const add = (i: number): void => {
      if (held[i] === k) return;
      held[i] = k;
      taken.push(i);
    };
    let fork = -1;
    let root = leaf;
    for (let p = leaf; p >= 0 && held[p] !== k; p = parent[p]!) {
      if (fork < 0 && owner[p]! >= 0) fork = p;
      add(p);
      root = p;
    }
    // Each parallel tool call is a line of its own with its result hanging off it, so the walk
    // up keeps one of them: take back the other lines of each API message and their results.
    for (let c = 0, walked = taken.length; c < walked; c++) {
      const line = lines[taken[c]!]!;
      if (line.messages?.[0]?.role !== 'assistant') continue;
      const head = line.messageId === null ? taken[c]! : firstOfMessage.get(line.messageId)!;
      if (gathered[head] === k) continue;
      gathered[head] = k;
      for (let member = head; member >= 0; member = nextOfMessage[member]!) {
        add(member);
        for (let answer = firstAnswer[member]!; answer >= 0; answer = nextAnswer[answer]!) add(answer);
      }
    }
    for (const i of taken) if (owner[i]! < 0) owner[i] = k;
    paths.push({ lines: taken, fork, root });
    return taken.length;
  };

  let leaf = -1;
  for (let i = n - 1; i >= 0 && leaf < 0; i--) if (speaks(i) && below[i] === 0) leaf = i;
  // Only a cycle of parent links leaves message lines without a leaf.
  for (let i = n - 1; i >= 0 && leaf < 0; i--) if (speaks(i)) leaf = i;
  if (leaf >= 0) take(leaf);
  // Each branch holds the whole conversation up to where it left: past the budget, the branches
  // left (the earliest abandoned) are counted, not built.
  let budget = BRANCH_LINES_BUDGET;
  let branchesLeftOut = 0;
  for (let i = n - 1; i >= 0; i--) {
    if (!speaks(i) || below[i] !== 0 || owner[i]! >= 0) continue;
    if (budget > 0) budget -= take(i);
    else branchesLeftOut += 1;
  }
  let leftOut = 0;
  for (let i = 0; i < n; i++) if (speaks(i) && owner[i]! < 0) leftOut += 1;
  return { paths, owner, leftOut, branchesLeftOut };
}

/** The subagents of a transcript, in the order their first message line comes: each one's agentId (null in older logs) and lines. */
function subagentLines({ lines, byUuid }: Transcript): Array<{ agentId: string | null; lines: number[] }> {
  const n = lines.length;
  // Union-find over subagent lines: a set's root is its first line, and holds the set's agent.
  const up = new Int32Array(n).fill(-1);
  const agent: Array<string | null> = new Array<string | null>(n).fill(null);
  const find = (i: number): number => {
    let root = i;
    while (up[root] !== root) root = up[root]!;
    for (let j = i; up[j] !== root; ) {
      const next = up[j]!;
      up[j] = root;
      j = next;
    }
    return root;
  };
  // Lines of two different agents never join.
  const join = (a: number, b: number): void => {
    let [ra, rb] = [find(a), find(b)];
    if (ra === rb || (agent[ra] !== null && agent[rb] !== null && agent[ra] !== agent[rb])) return;
    if (rb < ra) [ra, rb] = [rb, ra];
    up[rb] = ra;
    agent[ra] ??= agent[rb] ?? null;
  };
  const firstOf = new Map<string, number>();
  lines.forEach((l, i) => {
    if (!l.sidechain) return;
    up[i] = i;
    agent[i] = l.agentId;
  });
  lines.forEach((l, i) => {
    if (!l.sidechain) return;
    const p = typeof l.parentUuid === 'string' ? byUuid.get(l.parentUuid) : undefined;
    if (p !== undefined && lines[p]!.sidechain) join(p, i);
    if (l.agentId === null) return;
    const first = firstOf.get(l.agentId);
    if (first === undefined) firstOf.set(l.agentId, i);
    else join(first, i);
  });

  // A set no line names an agent for joins the agent whose Task call was running when the set
  // started, when only one was: the main line answering that call names it. Such sets come from
  // logs written before agentId, so both lists stay short.
  const nameless = new Set<number>();
  lines.forEach((l, i) => {
    if (l.sidechain && l.messages !== null && agent[find(i)] === null) nameless.add(find(i));
  });
  if (nameless.size > 0) {
    const time = (l: Line): number => Date.parse(l.timestamp ?? '');
    const calledAt = new Map<string, Line>();
    for (const l of lines) {
      if (l.sidechain || l.messages?.[0]?.role !== 'assistant') continue;
      for (const call of l.messages[0].tool_calls ?? []) if (typeof call.id === 'string') calledAt.set(call.id, l);
    }
    const running: Array<{ agentId: string; from: number; to: number }> = [];
    for (const l of lines) {
      if (l.sidechain || l.agentId === null || !l.answers) continue;
      for (const m of l.messages ?? []) {
        const call = m.role === 'tool' && typeof m.tool_call_id === 'string' ? calledAt.get(m.tool_call_id) : undefined;
        if (call) running.push({ agentId: l.agentId, from: time(call), to: time(l) });
      }
    }
    for (const root of nameless) {
      const at = time(lines[root]!);
      const agents = new Set(running.filter((r) => r.from <= at && at <= r.to).map((r) => r.agentId));
      if (agents.size !== 1) continue;
      const [agentId] = [...agents] as [string];
      const named = firstOf.get(agentId);
      if (named !== undefined) join(named, root);
      else {
        agent[find(root)] = agentId;
        firstOf.set(agentId, root);
      }
    }
  }

  const sets = new Map<number, number[]>();
  lines.forEach((l, i) => {
    if (!l.sidechain || l.messages === null) return;
    const root = find(i);
    const members = sets.get(root);
    if (members) members.push(i);
    else sets.set(root, [i]);
  });
  return [...sets].map(([root, members]) => ({ agentId: agent[root] ?? null, lines: members }));
}

/**
 * An agent session transcript: the main session as one trajectory (id: its session id), each
 * abandoned branch and each subagent as another (see the notes above). A line that cannot be read
 * is reported and skipped.
 */
export function importClaudeCodeSession(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  const transcript = readLines(text, fileName, problems);
  const { lines, sessionId, read } = transcript;
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  const id = sessionId ?? baseName(fileName);
  const { paths, owner, leftOut, branchesLeftOut } = conversationPaths(transcript);
  if (branchesLeftOut > 0) {
    const branches = `${branchesLeftOut} abandoned branch${branchesLeftOut === 1 ? '' : 'es'}`;
    problems.push(`${fileName}: the ${branches} abandoned first ${branchesLeftOut === 1 ? 'is' : 'are'} left out (${leftOut} message lines): each branch repeats the conversation it left, and the later branches already hold ${BRANCH_LINES_BUDGET.toLocaleString('en-US')} lines`);
  } else if (leftOut > 0) {
    problems.push(`${fileName}: ${leftOut} message line${leftOut === 1 ? '' : 's'} left out: no chain from a leaf of the conversation reaches ${leftOut === 1 ? 'it' : 'them'} (parent links in a cycle)`);
  }
  const built = paths.map((p) => build(lines, p.lines));
  const trajectories: Trajectory[] = [];
  const source = (): Trajectory['source'] => ({ format: 'claude-code-session', index: trajectories.length });
  const mainModel = built[0]?.chain.model ?? null;
  const idOf = new Array<string>(paths.length).fill(id);

  if (built[0]) trajectories.push(withStats({ id, model: mainModel, messages: built[0].chain.messages, reward: null, recorded: {}, source: source() }, built[0].chain));
  // Branches in the order they left the conversation (their first own line).
  const firstOwn = paths.map((p, k) => p.lines.reduce((first, i) => (owner[i] === k ? Math.min(first, i) : first), Infinity));
  const branches = paths.map((_, k) => k).slice(1).sort((a, b) => firstOwn[a]! - firstOwn[b]!);
  branches.forEach((k, b) => {
    idOf[k] = `${id}/branch ${b + 1}`;
  });
  for (const k of branches) {
    const { fork, root } = paths[k]!;
    const forkTurn = fork >= 0 ? turnsBefore(built[k]!, fork + 1) : 0;
    const change =
      fork >= 0 || typeof lines[root]!.parentUuid !== 'string'
        ? `abandoned: the session went back to ${forkTurn > 0 ? `turn ${forkTurn}` : 'its start'}`
        : `not linked to the session: the parent of its first line is not in the file`;
    const { chain } = built[k]!;
    trajectories.push(withStats({ id: idOf[k]!, model: chain.model ?? mainModel, messages: chain.messages, reward: null, recorded: {}, source: source(), branch: { parentId: idOf[fork >= 0 ? owner[fork]! : 0]!, forkTurn, change } }, chain));
  }

  // A subagent hangs off the trajectory holding the main line that answered its Task call.
  const answeredBy = new Map<string, number>();
  lines.forEach((l, i) => {
    if (!l.sidechain && l.agentId !== null && !answeredBy.has(l.agentId)) answeredBy.set(l.agentId, i);
  });
  subagentLines(transcript).forEach(({ agentId, lines: numbers }, s) => {
    const key = agentId ?? `sidechain ${s + 1}`;
    const { chain } = build(lines, numbers);
    const t: Trajectory = withStats({ id: `${id}/${key}`, model: chain.model ?? mainModel, messages: chain.messages, reward: null, recorded: {}, source: source() }, chain);
    if (built[0]) {
      const answer = agentId === null ? undefined : answeredBy.get(agentId);
      const k = answer === undefined || owner[answer]! < 0 ? 0 : owner[answer]!;
      t.branch = { parentId: idOf[k]!, forkTurn: turnsBefore(built[k]!, numbers[0]!), change: `subagent ${key}` };
    }
    trajectories.push(t);
  });
  if (trajectories.length === 0) throw new Misfit('no line holds a message (only progress, snapshot or summary lines)');
  return { trajectories, problems };
}

// --- headless output ------------------------------------------------------------------------------
//
// What `claude -p --output-format stream-json` prints (and the Claude Agent SDK streams): one
// message per line, opened by a `system` `init` message (`session_id`, `model`, `tools`), then
// `assistant` and `user` messages holding Anthropic Messages API messages, in order, and last a
// `result` (`subtype`: `success`, `error_max_turns`, `error_during_execution`). With
// `--output-format json --verbose` the same messages are one JSON list. They are read as a
// transcript's lines are: an API message written as several lines (one per block) is one assistant
// message, its usage the turn's; `tool_result` blocks are tool messages, an error one a tool that
// raised. A subagent's messages (`parent_tool_use_id`, the Task call that started it) are a
// trajectory of their own (`<session>/<call id>`), linked through `branch` to the session and the
// turns it had when the subagent started. Other messages (stream events, compaction notices) carry
// nothing the model was sent.

/** True for the first message of a headless run: the `system` `init` message. */
export function isClaudeStreamInit(record: unknown): boolean {
  return isObject(record) && record.type === 'system' && record.subtype === 'init' && typeof record.session_id === 'string';
}

/** True for a headless run saved as one JSON list (`--output-format json --verbose`). */
export function isClaudeStreamList(record: unknown): boolean {
  return Array.isArray(record) && record.length > 0 && isClaudeStreamInit(record[0]);
}

/** A headless run's messages (each with where it is in the file): the session and one trajectory per subagent. */
function streamTrajectories(records: ReadonlyArray<{ value: unknown; at: string }>, fileName: string, format: FormatId, problems: string[]): Trajectory[] {
  let session: string | null = null;
  let model: string | null = null;
  let result: Record<string, unknown> | null = null;
  const chains = new Map<string, { chain: Chain; forkTurn: number }>();
  const chainOf = (key: string): Chain => {
    let entry = chains.get(key);
    if (!entry) {
      entry = { chain: emptyChain(), forkTurn: chains.get('')?.chain.stats.length ?? 0 };
      chains.set(key, entry);
    }
    return entry.chain;
  };
  chainOf('');
  for (const { value, at } of records) {
    if (!isObject(value)) continue;
    if (isClaudeStreamInit(value)) {
      session ??= str(value.session_id);
      model ??= str(value.model);
      continue;
    }
    if (value.type === 'result') {
      result = value;
      continue;
    }
    if ((value.type !== 'assistant' && value.type !== 'user') || !isObject(value.message)) continue;
    const message = value.message;
    if (value.type === 'assistant' && (value.isApiErrorMessage === true || (typeof value.error === 'string' && message.model === '<synthetic>'))) {
      const error = apiErrorText(message);
      problems.push(`${at}: an API error Claude Code wrote in place of a reply is not a turn of the model, and is left out: ${JSON.stringify(error)}`);
      chainOf(str(value.parent_tool_use_id) ?? '').apiError = error;
      continue;
    }
    const read = tryParse(() => {
      try {
        return value.type === 'assistant' ? assistantLine(message) : userLine(message.content);
      } catch (error) {
        throw error instanceof Misfit ? new Misfit(`${at}: ${error.message}`) : error;
      }
    }, problems, 'the message is left out');
    if (!read) continue;
    const assistant = value.type === 'assistant';
    appendLine(chainOf(str(value.parent_tool_use_id) ?? ''), {
      uuid: null, parentUuid: undefined, logicalParentUuid: null, kept: null, sidechain: false, agentId: null, timestamp: null, answers: false, apiError: null,
      messages: read,
      messageId: assistant ? str(message.id) : null,
      usage: assistant ? anthropicUsage(message.usage) : null,
      model: assistant ? str(message.model) : null,
    });
  }
  const id = session ?? baseName(fileName);
  const trajectories: Trajectory[] = [];
  for (const [key, { chain, forkTurn }] of chains) {
    if (chain.messages.length === 0) continue;
    const t = withStats({ id: key === '' ? id : `${id}/${key}`, model: chain.model ?? model, messages: chain.messages, reward: null, recorded: {}, source: { format, index: trajectories.length } }, chain);
    if (key !== '') t.branch = { parentId: id, forkTurn, change: `subagent of call ${key}` };
    else if (result) {
      const subtype = str(result.subtype);
      if (subtype && subtype !== 'success') t.stopReason = subtype;
      // The API error a run ended with says more than the result's bare `is_error`.
      else if (result.is_error === true) t.stopReason ??= 'error';
    }
    trajectories.push(t);
  }
  if (trajectories.length === 0) throw new Misfit('no assistant or user message holds a message');
  return trajectories;
}

/** `claude -p --output-format stream-json` output: one message per line. */
export function importClaudeStream(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  return { trajectories: streamTrajectories(lineValues(text, fileName, problems), fileName, 'claude-code-stream', problems), problems };
}

/** `claude -p --output-format json --verbose` output: the messages as one list. */
export function importClaudeStreamList(data: unknown, fileName: string): TextImport {
  const problems: string[] = [];
  const records = (Array.isArray(data) ? data : []).map((value, i) => ({ value, at: `[${i}]` }));
  return { trajectories: streamTrajectories(records, fileName, 'claude-code-stream-list', problems), problems };
}
