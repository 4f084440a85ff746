import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, str } from './values.js';
import { partsContent } from './content-parts.js';

// Amazon Bedrock's Converse messages, as the Converse API takes and returns them and as agents
// built on it keep their history (Strands Agents' `agent.messages`): `{role, content}`, the content
// a list of blocks without a `type`, each told by its one key: `text`, `toolUse` (`{toolUseId,
// name, input}`), `toolResult` (`{toolUseId, content, status}`, its content a list of `text` and
// `json` blocks), `reasoningContent` (`{reasoningText: {text}}`), `image`, `document`. An assistant
// message's text, reasoning and tool uses are one assistant message; a user message's tool results
// are tool messages (a `status: "error"` one a tool that raised), then its other blocks a user
// message. Blocks that carry nothing the model reads (`cachePoint`) are left out.

const BLOCK_KEYS = ['text', 'toolUse', 'toolResult', 'reasoningContent', 'image', 'document', 'cachePoint'];

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
  return content.map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : isObject(b) && 'json' in b ? JSON.stringify(b.json) : JSON.stringify(b))).join('\n');
}

/** A user message's other blocks as content: the text alone, or text and image parts. */
function userContent(blocks: readonly Record<string, unknown>[]): ChatMessage['content'] {
  const parts = blocks.flatMap((b): unknown[] => {
    if (typeof b.text === 'string') return [{ type: 'text', text: b.text }];
    const image = isObject(b.image) ? b.image : null;
    const bytes = image && isObject(image.source) ? image.source.bytes : undefined;
    if (image && typeof bytes === 'string') return [{ type: 'image_url', image_url: { url: `data:image/${str(image.format) ?? 'png'};base64,${bytes}` } }];
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
        if (typeof block.text === 'string') texts.push(block.text);
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
