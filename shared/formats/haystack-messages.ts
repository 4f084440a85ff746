import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, convertMessages, isObject, namedUsage, raisedToolContent, str } from './values.js';
import { base64ImagePart, partPlaceholder, partsContent } from './content-parts.js';

// Haystack's chat messages, as `ChatMessage.to_dict()` writes them (`role`, `content`, `name`,
// `meta`; Haystack before 2.9 prefixed them: `_role`, `_content`), the content a list of blocks
// told by their one key: `text`, `tool_call` (`{tool_name, arguments, id}`), `tool_call_result`
// (`{result, origin: the call, error}`), `reasoning` (`{reasoning_text}`), `image` (`{base64_image,
// mime_type}`). An assistant message's text, reasoning and calls are one assistant message; a tool
// message's results are tool messages answering their origin's id (an `error` one a tool that
// raised), a result being a text or, in newer versions, a list of `text` and `image` blocks; a user
// message's images are image parts beside its text. The generator's usage in `meta` is the turn's.

const BLOCK_KEYS = ['text', 'tool_call', 'tool_call_result', 'reasoning', 'image', 'file'];

function fieldsOf(value: unknown): { role: string; content: Array<Record<string, unknown>>; meta: unknown } | null {
  if (!isObject(value)) return null;
  const role = str(value.role) ?? str(value._role);
  const content = Array.isArray(value.content) ? value.content : Array.isArray(value._content) ? value._content : null;
  if (role === null || !content || content.length === 0 || !content.every((b) => isObject(b) && !('type' in b) && BLOCK_KEYS.some((k) => k in b))) return null;
  return { role, content: content as Array<Record<string, unknown>>, meta: value.meta ?? value._meta };
}

/**
 * True for a Haystack message: one with the fields of Haystack before 2.9, or with a call, a
 * result or reasoning (plain `text` blocks alone are read as Converse text, to the same message).
 */
export function isHaystackMessage(value: unknown): boolean {
  const fields = fieldsOf(value);
  return fields !== null && ('_role' in (value as object) || fields.content.some((b) => 'tool_call' in b || 'tool_call_result' in b || 'reasoning' in b));
}

/** An `image` block as an `image_url` part (its base64 data as a data URL); null for any other block. */
function imagePart(block: unknown): Record<string, unknown> | null {
  if (!isObject(block) || !isObject(block.image) || typeof block.image.base64_image !== 'string') return null;
  return base64ImagePart(str(block.image.mime_type) ?? 'image/png', String(block.image.base64_image));
}

/** A tool's result as text: a text as it is, a list of blocks by their texts and image placeholders. */
function resultText(result: unknown): string {
  if (typeof result === 'string') return result;
  if (!Array.isArray(result)) return JSON.stringify(result ?? null);
  return result.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : partPlaceholder(imagePart(b) ?? b))).join('\n');
}

/** A list holding Haystack messages, each as the chat messages it stands for; `usage` gets each reply's tokens by its place in the list returned. */
export function fromHaystack(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[] {
  return convertMessages(list, fieldsOf, (fields) => {
    const texts = fields.content.flatMap((b) => (typeof b.text === 'string' ? [b.text] : []));
    if (fields.role === 'assistant') {
      const calls: ToolCall[] = [];
      const reasoning: string[] = [];
      for (const block of fields.content) {
        const call = isObject(block.tool_call) ? block.tool_call : null;
        if (call) calls.push({ id: str(call.id), type: 'function', function: { name: str(call.tool_name) ?? '', arguments: argumentsText(call.arguments) } });
        if (isObject(block.reasoning) && typeof block.reasoning.reasoning_text === 'string') reasoning.push(block.reasoning.reasoning_text);
      }
      return { messages: [assistantReply(texts, reasoning, calls)], usage: isObject(fields.meta) ? namedUsage(fields.meta.usage) : undefined };
    }
    const messages: unknown[] = [];
    const results = fields.content.flatMap((b) => (isObject(b.tool_call_result) ? [b.tool_call_result] : []));
    for (const result of results) {
      const origin = isObject(result.origin) ? result.origin : {};
      const text = resultText(result.result);
      const tool: ChatMessage = { role: 'tool', tool_call_id: str(origin.id), content: result.error === true ? raisedToolContent(text) : text };
      if (typeof origin.tool_name === 'string') tool.name = origin.tool_name;
      messages.push(tool);
    }
    const images = fields.content.flatMap((b) => imagePart(b) ?? []);
    const content = images.length > 0 ? partsContent(fields.content.flatMap((b) => (typeof b.text === 'string' ? [{ type: 'text', text: b.text }] : (imagePart(b) ?? [])))) : texts.join('\n');
    if (texts.length + images.length > 0 || results.length === 0) messages.push({ role: fields.role, content });
    return { messages };
  }, usage);
}
