import type { ChatMessage } from '../model/chat.js';
import { argumentsText, baseName, eachObjectLine, isObject, Misfit, raisedToolContent, str, type TextImport } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// Agent session transcripts in Anthropic Messages blocks, one event per line (Claude Code's
// `~/.claude/projects/*/*.jsonl`).
//
// - Lines without a `message` (progress, file-history snapshots, queue operations, summaries,
//   system notices) carry nothing the model saw and are skipped; a line whose `uuid` was already
//   read (a resumed session repeats lines) is skipped too.
// - One API message can be written as several lines, one per content block, sharing `message.id`:
//   they are merged into one assistant message, wherever the lines fall. `text` blocks are its
//   content, `thinking` blocks its `reasoning_content`, `redacted_thinking` data is kept in
//   `reasoning_details`, `tool_use` (and `server_tool_use`) blocks its tool calls with the input as
//   JSON arguments. `stop_reason` is kept on the message.
// - A `user` line's `tool_result` blocks are tool messages paired by `tool_use_id`; a result with
//   `is_error: true` is recorded as the reference loop records a tool that raised (`{"error":
//   "Tool execution failed: ..."}`, as for Inspect tool errors) and keeps `is_error`. The line's
//   other blocks are one user message after them.
// - Subagent lines (`isSidechain: true`) are kept apart, one trajectory per `agentId` (in older
//   logs, per chain of `parentUuid` links), linked to
//   the main session through `branch`: the parent's id and the number of turns the parent had when
//   the subagent started.

/** True for a line of an agent session transcript: a typed event with a message or a session id, or a snapshot or summary line. */
export function isClaudeCodeRecord(record: unknown): boolean {
  if (!isObject(record) || typeof record.type !== 'string' || 'payload' in record) return false;
  if (isObject(record.message) && (typeof record.uuid === 'string' || typeof record.sessionId === 'string')) return true;
  if (typeof record.sessionId === 'string' && ('parentUuid' in record || 'isSidechain' in record || record.type === 'queue-operation')) return true;
  if (record.type === 'file-history-snapshot') return isObject(record.snapshot);
  return record.type === 'summary' && typeof record.leafUuid === 'string';
}

/** The messages of one chain (the main session, or one subagent). */
interface Chain {
  messages: ChatMessage[];
  byMessageId: Map<string, ChatMessage>;
  model: string | null;
  /** Main-session turns before this subagent's first line (subagents only). */
  parentTurns: number;
}

/** The text of a tool result's content: a string, or its text blocks joined; other blocks as JSON. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (Array.isArray(content) && content.every((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string')) return content.map((b) => (b as { text: string }).text).join('\n');
  return JSON.stringify(content);
}

function addAssistant(chain: Chain, message: Record<string, unknown>, blocks: unknown[]): void {
  const messageId = str(message.id);
  const known = messageId === null ? undefined : chain.byMessageId.get(messageId);
  const target: ChatMessage = known ?? { role: 'assistant', content: '' };
  if (!known) {
    chain.messages.push(target);
    if (messageId !== null) chain.byMessageId.set(messageId, target);
  }
  const model = str(message.model);
  if (model && model !== '<synthetic>') chain.model ??= model;
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
      chain.messages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: resultText(block.content) });
    }
  });
}

function addUser(chain: Chain, content: unknown): void {
  if (typeof content === 'string') {
    chain.messages.push({ role: 'user', content });
    return;
  }
  if (!Array.isArray(content)) throw new Misfit('message.content: expected a string or a list of blocks');
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
    chain.messages.push(tool);
  });
  if (rest.length === 0) return;
  const texts = rest.every((b) => isObject(b) && b.type === 'text' && typeof b.text === 'string');
  chain.messages.push({ role: 'user', content: texts ? rest.map((b) => (b as { text: string }).text).join('\n') : rest });
}

const turnsOf = (messages: readonly ChatMessage[]): number => messages.reduce((n, m) => n + (m.role === 'assistant' ? 1 : 0), 0);

/**
 * An agent session transcript: the main session as one trajectory (id: its session id), each
 * subagent as another (see the notes above). A line that cannot be read is reported and skipped.
 */
export function importClaudeCodeSession(text: string, fileName: string): TextImport {
  const newChain = (): Chain => ({ messages: [], byMessageId: new Map(), model: null, parentTurns: 0 });
  const main = newChain();
  const subagents = new Map<string, Chain>();
  const seen = new Set<string>();
  const sidechainOf = new Map<string, string>();
  const problems: string[] = [];
  let sessionId: string | null = null;
  let read = 0;
  read = eachObjectLine(text, fileName, problems, (value) => {
    const message = value.message;
    if (!isObject(message)) return;
    const uuid = str(value.uuid);
    if (uuid !== null) {
      if (seen.has(uuid)) return;
      seen.add(uuid);
    }
    sessionId ??= str(value.sessionId);
    const role = str(message.role) ?? (value.type === 'assistant' || value.type === 'user' ? value.type : null);
    if (role === null) throw new Misfit('message.role: expected a string');
    let chain = main;
    if (value.isSidechain === true) {
      // Older logs have no agentId: a sidechain line belongs to its parent line's subagent, and one without a known parent starts a new one.
      const parent = str(value.parentUuid);
      const key = str(value.agentId) ?? (parent !== null ? sidechainOf.get(parent) : undefined) ?? `sidechain ${subagents.size + 1}`;
      if (uuid !== null) sidechainOf.set(uuid, key);
      chain = subagents.get(key) ?? newChain();
      if (!subagents.has(key)) {
        chain.parentTurns = turnsOf(main.messages);
        subagents.set(key, chain);
      }
    }
    if (role === 'assistant') {
      const content = message.content;
      if (content != null && typeof content !== 'string' && !Array.isArray(content)) throw new Misfit('message.content: expected a string or a list of blocks');
      addAssistant(chain, message, typeof content === 'string' ? [{ type: 'text', text: content }] : (content ?? []));
    } else if (role === 'user') addUser(chain, message.content);
    else chain.messages.push({ role, content: message.content ?? '' });
  });
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  const id = sessionId ?? baseName(fileName);
  const trajectories: Trajectory[] = [];
  const hasMain = main.messages.length > 0;
  if (hasMain) trajectories.push({ id, model: main.model, messages: main.messages, reward: null, recorded: {}, source: { format: 'claude-code-session', index: 0 } });
  for (const [agent, chain] of subagents) {
    const t: Trajectory = { id: `${id}/${agent}`, model: chain.model ?? main.model, messages: chain.messages, reward: null, recorded: {}, source: { format: 'claude-code-session', index: trajectories.length } };
    if (hasMain) t.branch = { parentId: id, forkTurn: chain.parentTurns, change: `subagent ${agent}` };
    trajectories.push(t);
  }
  if (trajectories.length === 0) throw new Misfit('no line holds a message (only progress, snapshot or summary lines)');
  return { trajectories, problems };
}
