import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, recordedUsage, str } from './values.js';

// Pydantic AI's messages, as `result.all_messages_json()` (its `ModelMessagesTypeAdapter`) writes
// them: `{kind: "request" | "response", parts: [...]}`, each part told by `part_kind`. They are
// read as Pydantic AI sends them to an OpenAI model:
//
// - a request's `system-prompt` parts are system messages (its `instructions` one before them),
//   `user-prompt` parts user messages (text, or a list with images), `tool-return` parts tool
//   messages answering their `tool_call_id`, and `retry-prompt` parts the text Pydantic AI sends
//   back ("... Fix the errors and try again."): as the result of the call it names, recorded as a
//   tool that raised (its arguments did not validate, or the tool asked for a retry), else a user
//   message;
// - a response is one assistant message: `text` parts its content, `thinking` parts its
//   reasoning, `tool-call` parts its calls; its `usage` (`input_tokens` and `output_tokens`, or
//   `request_tokens` and `response_tokens` in older versions) is the turn's.

const RETRY_SUFFIX = '\n\nFix the errors and try again.';

/** True for a Pydantic AI message: a request or a response whose parts each have a `part_kind`. */
export function isPydanticAiMessage(value: unknown): boolean {
  return isObject(value) && (value.kind === 'request' || value.kind === 'response') && Array.isArray(value.parts) && value.parts.every((p) => isObject(p) && typeof p.part_kind === 'string');
}

/** A user prompt's content: its text, or its text and images as content parts. */
function promptContent(content: unknown): ChatMessage['content'] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? '');
  return content.map((item): unknown => {
    if (typeof item === 'string') return { type: 'text', text: item };
    if (isObject(item) && item.kind === 'image-url' && typeof item.url === 'string') return { type: 'image_url', image_url: { url: item.url } };
    if (isObject(item) && item.kind === 'binary' && typeof item.data === 'string' && String(item.media_type).startsWith('image/')) return { type: 'image_url', image_url: { url: `data:${String(item.media_type)};base64,${item.data}` } };
    return item;
  });
}

/** The text a retry prompt sends: its text, or the validation errors as JSON, then the request to fix them. */
function retryText(content: unknown): string {
  return typeof content === 'string' ? `${content}${RETRY_SUFFIX}` : `Validation feedback:\n${JSON.stringify(content, null, 2)}${RETRY_SUFFIX}`;
}

/** A response's usage, in the OpenAI names. */
function responseUsage(usage: unknown): TokenUsage | undefined {
  if (!isObject(usage)) return undefined;
  return recordedUsage(usage.input_tokens ?? usage.request_tokens, usage.output_tokens ?? usage.response_tokens, usage.total_tokens);
}

/**
 * A list holding Pydantic AI messages, each as the chat messages it stands for; other messages as
 * they are. `usage` gets each response's tokens by its place in the list returned.
 */
export function fromPydanticAi(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[] {
  const out: unknown[] = [];
  for (const value of list) {
    if (!isPydanticAiMessage(value)) {
      out.push(value);
      continue;
    }
    const m = value as { kind: string; parts: Array<Record<string, unknown>>; instructions?: unknown; usage?: unknown };
    if (m.kind === 'response') {
      const texts: string[] = [];
      const reasoning: string[] = [];
      const calls: ToolCall[] = [];
      for (const part of m.parts) {
        if (part.part_kind === 'text' && typeof part.content === 'string') texts.push(part.content);
        else if (part.part_kind === 'thinking' && typeof part.content === 'string') reasoning.push(part.content);
        else if (part.part_kind === 'tool-call') calls.push({ id: str(part.tool_call_id), type: 'function', function: { name: str(part.tool_name) ?? '', arguments: argumentsText(part.args) } });
      }
      const message = assistantReply(texts, reasoning, calls);
      out.push(message);
      const counts = responseUsage(m.usage);
      if (counts) usage?.set(out.length - 1, counts);
      continue;
    }
    if (typeof m.instructions === 'string' && m.instructions !== '' && !out.some((o) => isObject(o) && o.role === 'system')) out.push({ role: 'system', content: m.instructions });
    for (const part of m.parts) {
      if (part.part_kind === 'system-prompt') out.push({ role: 'system', content: typeof part.content === 'string' ? part.content : JSON.stringify(part.content) });
      else if (part.part_kind === 'user-prompt') out.push({ role: 'user', content: promptContent(part.content) });
      else if (part.part_kind === 'tool-return') {
        const tool: ChatMessage = { role: 'tool', tool_call_id: str(part.tool_call_id), content: typeof part.content === 'string' ? part.content : JSON.stringify(part.content ?? null) };
        if (typeof part.tool_name === 'string') tool.name = part.tool_name;
        out.push(tool);
      } else if (part.part_kind === 'retry-prompt') {
        const text = retryText(part.content);
        if (typeof part.tool_name !== 'string') out.push({ role: 'user', content: text });
        else out.push({ role: 'tool', tool_call_id: str(part.tool_call_id), name: part.tool_name, content: raisedToolContent(text) });
      }
    }
  }
  return out;
}
