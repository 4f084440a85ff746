import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, isObject, str } from './values.js';
import { base64ImagePart, imageUrlPart, partsContent } from './content-parts.js';

// LlamaIndex's chat messages, as `ChatMessage.model_dump()` writes them (a chat store's JSON, an
// agent's memory): `{role, blocks, additional_kwargs}`, the content in `blocks` (`{block_type:
// "text", text}`, images, `thinking` blocks) or, in older versions, in `content`; an assistant
// message's calls in `tool_call` blocks (`{tool_call_id, tool_name, tool_kwargs}`, where newer
// versions keep them) or `additional_kwargs.tool_calls` (the provider's, OpenAI's shape), a tool
// message's call id and tool name in `additional_kwargs.tool_call_id` and `name`.

/** True for a LlamaIndex message: a role, and its content in blocks or its calls in `additional_kwargs`. */
export function isLlamaIndexMessage(value: unknown): boolean {
  if (!isObject(value) || typeof value.role !== 'string' || 'tool_calls' in value || 'tool_call_id' in value) return false;
  if (Array.isArray(value.blocks) && value.blocks.every((b) => isObject(b) && typeof b.block_type === 'string')) return true;
  const extra = value.additional_kwargs;
  return isObject(extra) && (Array.isArray(extra.tool_calls) || typeof extra.tool_call_id === 'string');
}

/** The calls a provider returned, as LlamaIndex keeps them: OpenAI's shape, or a `ToolSelection`'s or `ToolCallBlock`'s. */
function callsOf(list: readonly unknown[]): ToolCall[] {
  return list.flatMap((call): ToolCall[] => {
    if (!isObject(call)) return [];
    if (isObject(call.function) && typeof call.function.name === 'string') return [{ id: str(call.id), type: 'function', function: { name: call.function.name, arguments: argumentsText(call.function.arguments) } }];
    if (typeof call.tool_name === 'string') return [{ id: str(call.tool_id) ?? str(call.tool_call_id), type: 'function', function: { name: call.tool_name, arguments: argumentsText(call.tool_kwargs) } }];
    return [];
  });
}

/** A list holding LlamaIndex messages, each as the chat message it stands for; other messages as they are. */
export function fromLlamaIndex(list: readonly unknown[]): unknown[] {
  return list.map((value) => {
    if (!isLlamaIndexMessage(value)) return value;
    const m = value as Record<string, unknown>;
    const extra = isObject(m.additional_kwargs) ? m.additional_kwargs : {};
    const blocks: unknown[] = Array.isArray(m.blocks) ? m.blocks : [];
    const parts: unknown[] = [];
    const reasoning: string[] = [];
    for (const block of blocks) {
      // A message recognised by its calls may hold anything in blocks: what is not a block holds no content.
      if (!isObject(block)) continue;
      if (block.block_type === 'text' && typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
      else if (block.block_type === 'thinking' && typeof block.content === 'string') reasoning.push(block.content);
      else if (block.block_type === 'image' && (typeof block.url === 'string' || typeof block.image === 'string')) {
        parts.push(typeof block.url === 'string' ? imageUrlPart(block.url) : base64ImagePart(str(block.image_mimetype) ?? 'image/png', String(block.image)));
      }
    }
    const content = blocks.length === 0 && m.content != null ? m.content : partsContent(parts);
    const message: ChatMessage = { role: m.role as string, content };
    // Blocks and additional_kwargs may both list the calls: the blocks' are the message's own.
    const blockCalls = callsOf(blocks.filter((b) => isObject(b) && b.block_type === 'tool_call'));
    const calls = blockCalls.length > 0 ? blockCalls : Array.isArray(extra.tool_calls) ? callsOf(extra.tool_calls) : [];
    if (calls.length > 0) {
      message.tool_calls = calls;
      if (message.content === '') message.content = null;
    }
    if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
    if (typeof extra.tool_call_id === 'string') message.tool_call_id = extra.tool_call_id;
    if (typeof extra.name === 'string' && m.role === 'tool') message.name = extra.name;
    return message;
  });
}
