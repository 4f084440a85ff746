import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import type { FrameworkEnd } from './import-common.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, recordedUsage, str } from './values.js';
import { base64ImagePart, imageUrlPart } from './content-parts.js';

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
// - a response is one assistant message: `text` parts its content (with the images of `file`
//   parts, what an image model drew), `thinking` parts its reasoning, `tool-call` parts its calls;
//   its `usage` (`input_tokens` and `output_tokens`, or `request_tokens` and `response_tokens` in
//   older versions) is the turn's. A built-in tool the provider ran (web search, code execution)
//   is a `builtin-tool-call` part and its `builtin-tool-return` part in the same response: a call
//   of the turn, and its result after it.
// - A user prompt's items are text (a string, or `TextContent` `{kind: "text", content}`), images
//   (`image-url`, `binary`), other files as parts named by their `kind`; a `cache-point` marks a
//   cache boundary and carries nothing the model reads.
// - The last response's `finish_reason` (`stop`, `length`, `content_filter`, `tool_call`, `error`)
//   other than `stop` or `tool_call` is how the run ended: a reply cut by the token limit, a
//   content filter or an error, not the agent ending the run.

/** Finish reasons of a reply the agent ended itself: its answer, or the calls it made. */
const ENDED_BY_AGENT: ReadonlySet<string> = new Set(['stop', 'tool_call']);

const RETRY_SUFFIX = '\n\nFix the errors and try again.';

/** True for a Pydantic AI message: a request or a response whose parts each have a `part_kind`. */
export function isPydanticAiMessage(value: unknown): boolean {
  return isObject(value) && (value.kind === 'request' || value.kind === 'response') && Array.isArray(value.parts) && value.parts.every((p) => isObject(p) && typeof p.part_kind === 'string');
}

/** A user prompt's content: its text, or its text and images as content parts. */
function promptContent(content: unknown): ChatMessage['content'] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return JSON.stringify(content ?? '');
  return content.flatMap((item): unknown[] => {
    if (typeof item === 'string') return [{ type: 'text', text: item }];
    if (!isObject(item)) return [item];
    if (item.kind === 'cache-point') return [];
    if (item.kind === 'text' && typeof item.content === 'string') return [{ type: 'text', text: item.content }];
    const image = imagePart(item);
    if (image) return [image];
    return [typeof item.kind === 'string' && !('type' in item) ? { type: item.kind, ...item } : item];
  });
}

/** An image URL or binary image (`media_type` `image/…`, data in base64) as an `image_url` part; null for anything else. */
function imagePart(item: Record<string, unknown>): unknown {
  if (item.kind === 'image-url' && typeof item.url === 'string') return imageUrlPart(item.url);
  if (item.kind === 'binary' && typeof item.data === 'string' && String(item.media_type).startsWith('image/')) return base64ImagePart(String(item.media_type), item.data);
  return null;
}

/** A tool's return value as the text of its tool message. */
function returnText(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content ?? null);
}

/** A `tool-return` or `builtin-tool-return` part as a tool message; a failed or denied one recorded as a tool that raised. */
function toolReturn(part: Record<string, unknown>): ChatMessage {
  const text = returnText(part.content);
  const raised = part.outcome === 'failed' || part.outcome === 'denied';
  const tool: ChatMessage = { role: 'tool', tool_call_id: str(part.tool_call_id), content: raised ? raisedToolContent(text) : text };
  if (typeof part.tool_name === 'string') tool.name = part.tool_name;
  return tool;
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
      const images: unknown[] = [];
      const results: ChatMessage[] = [];
      for (const part of m.parts) {
        if (part.part_kind === 'text' && typeof part.content === 'string') texts.push(part.content);
        else if (part.part_kind === 'thinking' && typeof part.content === 'string') reasoning.push(part.content);
        else if (part.part_kind === 'tool-call' || part.part_kind === 'builtin-tool-call') calls.push({ id: str(part.tool_call_id), type: 'function', function: { name: str(part.tool_name) ?? '', arguments: argumentsText(part.args) } });
        else if (part.part_kind === 'builtin-tool-return') results.push(toolReturn(part));
        else if (part.part_kind === 'file' && isObject(part.content)) images.push(imagePart(part.content) ?? { type: 'file', file: { file_data: part.content.data, mime_type: part.content.media_type } });
      }
      const message = assistantReply(texts, reasoning, calls);
      if (images.length > 0) message.content = [...texts.map((text) => ({ type: 'text', text })), ...images];
      out.push(message);
      const counts = responseUsage(m.usage);
      if (counts) usage?.set(out.length - 1, counts);
      out.push(...results);
      continue;
    }
    if (typeof m.instructions === 'string' && m.instructions !== '' && !out.some((o) => isObject(o) && o.role === 'system')) out.push({ role: 'system', content: m.instructions });
    for (const part of m.parts) {
      if (part.part_kind === 'system-prompt') out.push({ role: 'system', content: typeof part.content === 'string' ? part.content : JSON.stringify(part.content) });
      else if (part.part_kind === 'user-prompt') out.push({ role: 'user', content: promptContent(part.content) });
      else if (part.part_kind === 'tool-return') out.push(toolReturn(part));
      else if (part.part_kind === 'retry-prompt') {
        const text = retryText(part.content);
        if (typeof part.tool_name !== 'string') out.push({ role: 'user', content: text });
        else out.push({ role: 'tool', tool_call_id: str(part.tool_call_id), name: part.tool_name, content: raisedToolContent(text) });
      }
    }
  }
  return out;
}

/** How a list's last response ended, when its `finish_reason` says a limit, a filter or an error cut it; null otherwise. */
export function pydanticAiEnd(list: readonly unknown[]): FrameworkEnd | null {
  const last = list.findLast((m) => isPydanticAiMessage(m) && (m as { kind: string }).kind === 'response');
  const reason = isObject(last) ? str(last.finish_reason) : null;
  return reason !== null && !ENDED_BY_AGENT.has(reason) ? { stopReason: reason, finished: false } : null;
}
