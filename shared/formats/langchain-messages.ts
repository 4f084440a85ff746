import type { TokenUsage } from '../model/chat.js';
import { contentAsText, partsContent } from './content-parts.js';
import { isObject, namedUsage, num, raisedToolContent, recordedUsage, str } from './values.js';

// LangChain's chat messages as LangChain and LangGraph write them to JSON, in three shapes:
//
// - `messages_to_dict`: `{"type": "ai", "data": {...the message's fields}}`;
// - `dumpd` (LangSmith, LangGraph checkpoints): `{"lc": 1, "type": "constructor", "id":
//   ["langchain", "schema", "messages", "AIMessage"], "kwargs": {...}}`;
// - the fields themselves with their `type` (`model_dump`, and the LangGraph API's thread states).
//
// The fields: `content` (a string or a list of content blocks), an AI message's `tool_calls`
// (`{name, args, id}`, args parsed) and `invalid_tool_calls` (`{name, args, id, error}`, args the
// text the model sent, which did not parse), its `additional_kwargs` (the provider's raw fields:
// `reasoning_content`, and OpenAI `tool_calls` in older versions), a tool message's `tool_call_id`.

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

/**
 * A LangChain message as the chat message it stands for: role, content, tool calls, the id and
 * name of the call a result answers, reasoning; `value` itself when it is not one. LangChain's own
 * fields (ids, usage and response metadata, `example`, `artifact`) are left out, so that the
 * trajectory exports as the chat messages a fine-tuning set or another tool reads.
 */
export function fromLangChain(value: unknown): unknown {
  const parts = langChainParts(value);
  if (!parts) return value;
  const { type, fields } = parts;
  const role = type === 'chat' ? (str(fields.role) ?? 'user') : ROLES[type]!;
  const message: Record<string, unknown> = { role, content: fields.content ?? '' };
  if (typeof fields.name === 'string' && fields.name !== '') message.name = fields.name;
  if (role === 'tool' && fields.tool_call_id !== undefined) message.tool_call_id = fields.tool_call_id;
  // A tool that raised (LangGraph's ToolNode marks it `status: "error"`) is recorded as the
  // reference records one, so it counts as a failed call.
  if (role === 'tool' && fields.status === 'error') message.content = raisedToolContent(contentAsText(message.content));
  const kwargs = isObject(fields.additional_kwargs) ? fields.additional_kwargs : {};
  if (role === 'assistant') {
    const parsed = Array.isArray(fields.tool_calls) ? fields.tool_calls : [];
    const broken = Array.isArray(fields.invalid_tool_calls) ? fields.invalid_tool_calls : [];
    if (parsed.length + broken.length > 0) {
      const sent = sentArguments(kwargs.tool_calls);
      message.tool_calls = [...parsed, ...broken].map((call) => toolCallOf(call, sent));
    } else if (Array.isArray(kwargs.tool_calls) && kwargs.tool_calls.length > 0) {
      // Before LangChain parsed tool calls, they were the provider's, in additional_kwargs.
      message.tool_calls = kwargs.tool_calls;
    }
    const reasoning = fields.reasoning_content ?? kwargs.reasoning_content;
    if (typeof reasoning === 'string') message.reasoning_content = reasoning;
    if (Array.isArray(message.content)) Object.assign(message, blocksOf(message.content, Array.isArray(message.tool_calls) && message.tool_calls.length > 0));
  }
  return message;
}

/**
 * An AI message's content blocks as chat content and reasoning. A chat model that answers in blocks
 * (ChatAnthropic, LangChain's standard blocks) keeps its thinking (`thinking`, or `reasoning`) and
 * its calls (`tool_use`, `tool_call`) among the text: the thinking is the reasoning, a call block is
 * left out when the message's `tool_calls` hold the calls, and text alone is joined as text.
 */
function blocksOf(blocks: readonly unknown[], callsListed: boolean): { content: unknown; reasoning_content?: string } {
  const thinking: string[] = [];
  const kept = blocks.filter((b) => {
    if (!isObject(b)) return true;
    if (b.type === 'thinking' && typeof b.thinking === 'string') thinking.push(b.thinking);
    else if (b.type === 'reasoning' && typeof b.reasoning === 'string') thinking.push(b.reasoning);
    else return !(callsListed && (b.type === 'tool_use' || b.type === 'tool_call'));
    return false;
  });
  const content = partsContent(kept);
  return thinking.length > 0 ? { content, reasoning_content: thinking.join('\n\n') } : { content };
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
