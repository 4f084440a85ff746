import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, str } from './values.js';
import { base64ImagePart, partPlaceholder, partsContent } from './content-parts.js';

// Amazon Bedrock's Converse messages, as the Converse API takes and returns them and as agents
// built on it keep their history (Strands Agents' `agent.messages`): `{role, content}`, the content
// a list of blocks without a `type`, each told by its one key: `text`, `toolUse` (`{toolUseId,
// name, input}`), `toolResult` (`{toolUseId, content, status}`, its content a list of `text` and
// `json` blocks, and images), `reasoningContent` (`{reasoningText: {text}}`), `citationsContent`
// (a reply's text when citations are on: `{content: [{text}], citations}`), `guardContent` (text a
// guardrail checks: `{text: {text}}`), `image`, `document`, `video`. An assistant message's text,
// reasoning and tool uses are one assistant message; a user message's tool results are tool
// messages (a `status: "error"` one a tool that raised), then its other blocks a user message.
// Blocks that carry nothing the model reads (`cachePoint`) are left out.

const BLOCK_KEYS = ['text', 'toolUse', 'toolResult', 'reasoningContent', 'citationsContent', 'guardContent', 'image', 'document', 'video', 'cachePoint'];

/** The text a block holds: a `text` block's, a `citationsContent` block's texts, a `guardContent` block's text; null for others. */
function blockText(block: Record<string, unknown>): string | null {
  if (typeof block.text === 'string') return block.text;
  if (isObject(block.citationsContent) && Array.isArray(block.citationsContent.content)) {
    return block.citationsContent.content.map((c) => (isObject(c) && typeof c.text === 'string' ? c.text : '')).join('');
  }
  if (isObject(block.guardContent) && isObject(block.guardContent.text) && typeof block.guardContent.text.text === 'string') return block.guardContent.text.text;
  return null;
}

/** An `image` block with its bytes in base64 as an `image_url` part; null for any other block. */
function imagePart(block: Record<string, unknown>): Record<string, unknown> | null {
  const image = isObject(block.image) ? block.image : null;
  const bytes = image && isObject(image.source) ? image.source.bytes : undefined;
  return image && typeof bytes === 'string' ? base64ImagePart(`image/${str(image.format) ?? 'png'}`, bytes) : null;
}

/** Whether a content block is a Converse one: no `type`, and one of the Converse block keys. */
function isConverseBlock(block: unknown): boolean {
  return isObject(block) && !('type' in block) && BLOCK_KEYS.some((key) => key in block);
}

/** True for a Converse message: a role and a content list of Converse blocks (an OpenAI content part has a `type`). */
export function isConverseMessage(value: unknown): boolean {
  return isObject(value) && typeof value.role === 'string' && Array.isArray(value.content) && value.content.length > 0 && value.content.every(isConverseBlock);
}

/** A tool result's content (text and JSON blocks) as text. */
function resultText(content: unknown): string {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : JSON.stringify(content ?? '');
  return content.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : isObject(b) && 'json' in b ? JSON.stringify(b.json) : isObject(b) && imagePart(b) ? partPlaceholder(imagePart(b)) : JSON.stringify(b))).join('\n');
}

/** A user message's other blocks as content: the text alone, or text and image parts. */
function userContent(blocks: readonly Record<string, unknown>[]): ChatMessage['content'] {
  const parts = blocks.flatMap((b): unknown[] => {
    const text = blockText(b);
    if (text !== null) return [{ type: 'text', text }];
    const image = imagePart(b);
    if (image) return [image];
    return isObject(b.cachePoint) ? [] : [b];
  });
  return partsContent(parts);
}

/** A list holding Converse messages, each as the chat messages it stands for; other messages as they are. */
export function fromConverse(list: readonly unknown[]): unknown[] {
  return list.flatMap((value): unknown[] => {
    if (!isConverseMessage(value)) return [value];
    const { role, content } = value as { role: string; content: Array<Record<string, unknown>> };
    if (role === 'assistant') {
      const texts: string[] = [];
      const reasoning: string[] = [];
      const calls: ToolCall[] = [];
      for (const block of content) {
        const text = blockText(block);
        if (text !== null) texts.push(text);
        else if (isObject(block.reasoningContent) && isObject(block.reasoningContent.reasoningText) && typeof block.reasoningContent.reasoningText.text === 'string') reasoning.push(block.reasoningContent.reasoningText.text);
        else if (isObject(block.toolUse)) calls.push({ id: str(block.toolUse.toolUseId), type: 'function', function: { name: str(block.toolUse.name) ?? '', arguments: argumentsText(block.toolUse.input) } });
      }
      const message = assistantReply(texts, reasoning, calls);
      return [message];
    }
    const out: ChatMessage[] = [];
    const rest: Array<Record<string, unknown>> = [];
    for (const block of content) {
      if (!isObject(block.toolResult)) {
        rest.push(block);
        continue;
      }
      const text = resultText(block.toolResult.content);
      const failed = block.toolResult.status === 'error';
      const tool: ChatMessage = { role: 'tool', tool_call_id: str(block.toolResult.toolUseId), content: failed ? raisedToolContent(text) : text };
      if (failed) tool.is_error = true;
      out.push(tool);
    }
    if (rest.length > 0 || out.length === 0) out.push({ role, content: userContent(rest) });
    return out;
  });
}
