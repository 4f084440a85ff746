import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { base64ImagePart, contentAsText, imageUrlPart, partsContent } from './content-parts.js';
import { argumentsText, isObject, namedUsage, num, raisedToolContent, recordedUsage, str } from './values.js';

// LangChain's chat messages as LangChain and LangGraph write them to JSON, in three shapes:
//
// - `messages_to_dict`: `{"type": "ai", "data": {...the message's fields}}`;
// - `dumpd` (LangSmith, LangGraph checkpoints): `{"lc": 1, "type": "constructor", "id":
//   ["langchain", "schema", "messages", "AIMessage"], "kwargs": {...}}`;
// - the fields themselves with their `type` (`model_dump`, and the LangGraph API's thread states).
//
// The fields: `content` (a string or a list of content blocks, see below), an AI message's `tool_calls`
// (`{name, args, id}`, args parsed) and `invalid_tool_calls` (`{name, args, id, error}`, args the
// text the model sent, which did not parse), its `additional_kwargs` (the provider's raw fields:
// `reasoning_content`, and OpenAI `tool_calls` in older versions), a tool message's `tool_call_id`.
//
// Content blocks: LangChain 1's standard blocks (`output_version="v1"`, and what `content_blocks`
// gives) and the provider's own that an AI message keeps as they came (Anthropic's, OpenAI
// Responses'). In an AI message, `text` blocks are its text, `reasoning` (`reasoning`) and
// Anthropic `thinking` (`thinking`) blocks its reasoning; `tool_call`, `invalid_tool_call` and
// Anthropic `tool_use` blocks repeat what `tool_calls` and `invalid_tool_calls` hold and are left
// out; a `server_tool_call` (a tool the provider ran: web search, code execution) is a call of the
// turn, and its `server_tool_result` (`status`, `output`) the result after it. An image block
// (`url` or `base64` with `mime_type`; in LangChain 0.3 `source_type` with `url` or `data`) is an
// image part, in any message.

/** LangChain's message types and the chat roles they are. */
const ROLES: Record<string, string> = { human: 'user', ai: 'assistant', system: 'system', tool: 'tool', function: 'function', developer: 'developer' };
/** The class names `dumpd` gives, and their types. */
const CLASSES: Record<string, string> = {
  HumanMessage: 'human',
  HumanMessageChunk: 'human',
  AIMessage: 'ai',
  AIMessageChunk: 'ai',
  SystemMessage: 'system',
  SystemMessageChunk: 'system',
  ToolMessage: 'tool',
  ToolMessageChunk: 'tool',
  FunctionMessage: 'function',
  FunctionMessageChunk: 'function',
  ChatMessage: 'chat',
  ChatMessageChunk: 'chat',
};

/** A LangChain message's type and fields, or null when `value` is not one (a chat message with a `role` is not). */
function langChainParts(value: unknown): { type: string; fields: Record<string, unknown> } | null {
  if (!isObject(value) || 'role' in value) return null;
  if (value.lc === 1 && value.type === 'constructor' && Array.isArray(value.id) && isObject(value.kwargs)) {
    const type = CLASSES[String(value.id.at(-1))];
    return type ? { type, fields: value.kwargs } : null;
  }
  const type = str(value.type);
  if (type === null || !(type in ROLES || type === 'chat')) return null;
  if (isObject(value.data) && !('content' in value)) return { type, fields: value.data };
  return 'content' in value ? { type, fields: value } : null;
}

/** Whether `value` is a LangChain message in one of the shapes above. */
export function isLangChainMessage(value: unknown): boolean {
  return langChainParts(value) !== null;
}

/**
 * A LangChain tool call as an OpenAI one. Its arguments are the text the model sent where the
 * message keeps it (the provider's own call in `additional_kwargs`, or an invalid call's `args`),
 * else the parsed `args` as JSON text.
 */
function toolCallOf(call: unknown, sent: ReadonlyMap<string, string>): unknown {
  if (!isObject(call)) return call;
  const id = str(call.id);
  const args = typeof call.args === 'string' ? call.args : ((id !== null ? sent.get(id) : undefined) ?? JSON.stringify(call.args ?? {}));
  return { id, type: 'function', function: { name: str(call.name) ?? '', arguments: args } };
}

/** The arguments text of each OpenAI tool call a provider returned, by call id. */
function sentArguments(calls: unknown): Map<string, string> {
  const sent = new Map<string, string>();
  if (!Array.isArray(calls)) return sent;
  for (const call of calls) {
    if (isObject(call) && typeof call.id === 'string' && isObject(call.function) && typeof call.function.arguments === 'string') sent.set(call.id, call.function.arguments);
  }
  return sent;
}

/** Blocks that repeat an AI message's `tool_calls` and `invalid_tool_calls`. */
const CALL_BLOCKS = new Set(['tool_call', 'tool_call_chunk', 'invalid_tool_call', 'tool_use']);

/** An image content block as an `image_url` part, in either LangChain version's shape; null for any other block. */
function imageBlock(block: Record<string, unknown>): unknown {
  if (block.type !== 'image') return null;
  const mime = str(block.mime_type) ?? 'image/png';
  const url = str(block.url) ?? (block.source_type === 'url' ? str(block.data) : null);
  const data = str(block.base64) ?? (block.source_type === 'base64' ? str(block.data) : null);
  if (url !== null) return imageUrlPart(url);
  return data !== null ? base64ImagePart(mime, data) : null;
}

/** What a message's list of content blocks holds: its content (text and images), reasoning, and the provider's own tool calls with their results. */
function readBlocks(blocks: readonly unknown[], ai: boolean): { content: unknown; reasoning: string[]; serverCalls: ToolCall[]; serverResults: ChatMessage[] } {
  const parts: unknown[] = [];
  const reasoning: string[] = [];
  const serverCalls: ToolCall[] = [];
  const serverResults: ChatMessage[] = [];
  for (const block of blocks) {
    if (!isObject(block)) {
      parts.push(typeof block === 'string' ? { type: 'text', text: block } : block);
      continue;
    }
    const image = imageBlock(block);
    if (image) parts.push(image);
    else if (!ai) parts.push(block);
    else if (block.type === 'reasoning' && typeof block.reasoning === 'string') reasoning.push(block.reasoning);
    else if (block.type === 'thinking' && typeof block.thinking === 'string') reasoning.push(block.thinking);
    else if (block.type === 'server_tool_call') serverCalls.push({ id: str(block.id), type: 'function', function: { name: str(block.name) ?? '', arguments: argumentsText(block.args) } });
    else if (block.type === 'server_tool_result') {
      const text = typeof block.output === 'string' ? block.output : JSON.stringify(block.output ?? null);
      serverResults.push({ role: 'tool', tool_call_id: str(block.tool_call_id), content: block.status === 'error' ? raisedToolContent(text) : text });
    } else if (typeof block.type === 'string' && (CALL_BLOCKS.has(block.type) || block.type === 'reasoning' || block.type === 'redacted_thinking')) continue;
    else parts.push(block);
  }
  // An AI message's text blocks are one text, as LangChain's `text` joins them.
  const content = ai && !parts.some((p) => !(isObject(p) && p.type === 'text')) ? parts.map((p) => (p as { text: unknown }).text).join('') : partsContent(parts);
  return { content, reasoning, serverCalls, serverResults };
}

/**
 * A LangChain message as the chat message it stands for: role, content, tool calls, the id and
 * name of the call a result answers, reasoning; `value` itself when it is not one. LangChain's own
 * fields (ids, usage and response metadata, `example`, `artifact`) are left out, so that the
 * trajectory exports as the chat messages a fine-tuning set or another tool reads.
 */
export function fromLangChain(value: unknown): unknown {
  return fromLangChainMessage(value)[0];
}

/**
 * A LangChain message as the chat messages it stands for: the message ({@link fromLangChain}),
 * then the results of the tools its provider ran in that turn; `[value]` when it is not one.
 */
function fromLangChainMessage(value: unknown): unknown[] {
  const parts = langChainParts(value);
  if (!parts) return [value];
  const { type, fields } = parts;
  const role = type === 'chat' ? (str(fields.role) ?? 'user') : ROLES[type]!;
  const message: Record<string, unknown> = { role, content: fields.content ?? '' };
  if (typeof fields.name === 'string' && fields.name !== '') message.name = fields.name;
  if (role === 'tool' && fields.tool_call_id !== undefined) message.tool_call_id = fields.tool_call_id;
  // A tool that raised (LangGraph's ToolNode marks it `status: "error"`) is recorded as the
  // reference records one, so it counts as a failed call.
  if (role === 'tool' && fields.status === 'error') message.content = raisedToolContent(contentAsText(message.content));
  const kwargs = isObject(fields.additional_kwargs) ? fields.additional_kwargs : {};
  const blocks = Array.isArray(message.content) ? readBlocks(message.content, role === 'assistant') : null;
  if (blocks) message.content = blocks.content;
  if (role === 'assistant') {
    const parsed = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
    const broken = Array.isArray(fields.invalid_tool_calls) ? fields.invalid_tool_calls : [];
    const server = blocks?.serverCalls ?? [];
    if (parsed.length + broken.length + server.length > 0) {
      const sent = sentArguments(kwargs.tool_calls);
      message.tool_calls = [...server, ...[...parsed, ...broken].map((call) => toolCallOf(call, sent))];
    } else if (Array.isArray(kwargs.tool_calls) && kwargs.tool_calls.length > 0) {
      // Before LangChain parsed tool calls, they were the provider's, in additional_kwargs.
      message.tool_calls = kwargs.tool_calls;
    }
    const reasoning = fields.reasoning_content ?? kwargs.reasoning_content;
    if (typeof reasoning === 'string') message.reasoning_content = reasoning;
    else if (blocks && blocks.reasoning.length > 0) message.reasoning_content = blocks.reasoning.join('\n\n');
  }
  return [message, ...(blocks?.serverResults ?? [])];
}

/**
 * A list holding LangChain messages, each as the chat messages it stands for (see
 * {@link fromLangChain}); other messages as they are. `usage` gets each AI message's tokens by its
 * place in the list returned.
 */
export function fromLangChainMessages(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[] {
  const out: unknown[] = [];
  for (const value of list) {
    const counts = usage && langChainUsage(value);
    if (counts) usage.set(out.length, counts);
    out.push(...fromLangChainMessage(value));
  }
  return out;
}

/**
 * The tokens of the model call an AI message came from, in the OpenAI names: LangChain's
 * `usage_metadata` (its input counts the cached tokens, its output the reasoning ones, each shown
 * apart), or in older messages the provider's `response_metadata.token_usage`.
 */
export function langChainUsage(value: unknown): TokenUsage | undefined {
  const parts = langChainParts(value);
  if (parts?.type !== 'ai') return undefined;
  const counts = parts.fields.usage_metadata;
  if (isObject(counts)) {
    const usage = recordedUsage(counts.input_tokens, counts.output_tokens, counts.total_tokens);
    if (!usage) return undefined;
    const cached = isObject(counts.input_token_details) ? num(counts.input_token_details.cache_read) : null;
    const reasoning = isObject(counts.output_token_details) ? num(counts.output_token_details.reasoning) : null;
    if (cached !== null) usage.prompt_tokens_details = { cached_tokens: cached };
    if (reasoning !== null) usage.completion_tokens_details = { reasoning_tokens: reasoning };
    return usage;
  }
  const meta = parts.fields.response_metadata;
  const provider = isObject(meta) && isObject(meta.token_usage) ? meta.token_usage : null;
  return namedUsage(provider);
}

/** The model named by the first AI message of a list of LangChain messages (`response_metadata.model_name`), or null. */
export function langChainModel(list: readonly unknown[]): string | null {
  for (const value of list) {
    const parts = langChainParts(value);
    if (parts?.type !== 'ai') continue;
    const meta = parts.fields.response_metadata;
    const model = isObject(meta) ? (str(meta.model_name) ?? str(meta.model)) : null;
    if (model) return model;
  }
  return null;
}

/**
 * A LangGraph thread or thread state as the LangGraph API returns it (and LangGraph Studio shows
 * it): `values` holding the graph's state, its `messages` the conversation, with the thread's id
 * beside it (`thread_id`, or the state's `checkpoint`) and its `metadata`.
 */
export function isLangGraphState(record: unknown): boolean {
  return isObject(record) && isObject(record.values) && Array.isArray(record.values.messages) && !('messages' in record);
}

/** The id a LangGraph thread or state names itself by: its thread, and the checkpoint a state is. */
export function langGraphStateId(record: Record<string, unknown>): string | null {
  const checkpoint = isObject(record.checkpoint) ? record.checkpoint : null;
  const thread = str(record.thread_id) ?? (checkpoint ? str(checkpoint.thread_id) : null) ?? (isObject(record.metadata) ? str(record.metadata.thread_id) : null);
  const at = checkpoint ? str(checkpoint.checkpoint_id) : null;
  return thread !== null && at !== null ? `${thread}@${at}` : thread;
}
