import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, str } from './values.js';
import { imageUrlPart, partsContent } from './content-parts.js';

// The Vercel AI SDK's UI messages, as apps built on it save their chats: `{id, role, parts}`, the
// parts holding what `content` holds in a chat message (AI SDK 4 writes `content` too, the final
// text only). They are read as the SDK's `convertToModelMessages` sends them to a model:
//
// - `text` parts are the content, `reasoning` parts the reasoning, `file` parts images or files;
// - a tool part is a call and its result: AI SDK 5's `tool-NAME` and `dynamic-tool` parts
//   (`toolCallId`, `input`, `output` or `errorText`, `state`), AI SDK 4's `tool-invocation` parts
//   (`toolInvocation: {toolCallId, toolName, args, result, state}`); a call that failed
//   (`output-error`, its input then the `rawInput` the model sent when it did not parse) and a call
//   the user refused (AI SDK 6's `output-denied`, which `convertToModelMessages` sends as an error
//   result of the approval's `reason`) are recorded as the reference records a tool that raised; a
//   call without a result yet (or awaiting approval) is left unanswered;
// - `step-start` parts split an assistant message into its model calls, each call's results after
//   it. AI SDK 4 messages without them are split where a text follows a call's result.
// - Parts that carry nothing the model is sent (sources, custom `data-*` parts) are left out.
// - AI SDK 3 kept an assistant message's calls in `toolInvocations` beside its `content`: the calls
//   come first, then the text.

/** Whether a part is one only the AI SDK writes (its text parts hold `text`, where GenAI parts hold `content`). */
function isAiSdkPart(part: unknown): boolean {
  if (!isObject(part) || typeof part.type !== 'string') return false;
  const type = part.type;
  if (type === 'text' || type === 'reasoning') return typeof part.text === 'string';
  return type === 'step-start' || type === 'tool-invocation' || type === 'dynamic-tool' || type.startsWith('tool-') || (type === 'file' && typeof part.url === 'string');
}

/** True for an AI SDK UI message: a role and a list of parts of the SDK's (or, as AI SDK 3 wrote them, its `toolInvocations`). */
export function isAiSdkMessage(value: unknown): boolean {
  if (!isObject(value) || typeof value.role !== 'string') return false;
  return (Array.isArray(value.parts) && value.parts.some(isAiSdkPart)) || (Array.isArray(value.toolInvocations) && value.toolInvocations.length > 0);
}

/** A message's parts: its own, or AI SDK 3's tool invocations and then its text. */
function partsOf(m: Record<string, unknown>): unknown[] {
  if (Array.isArray(m.parts) && m.parts.some(isAiSdkPart)) return m.parts;
  const invocations = Array.isArray(m.toolInvocations) ? m.toolInvocations : [];
  return [...invocations.map((toolInvocation: unknown) => ({ type: 'tool-invocation', toolInvocation })), ...(typeof m.content === 'string' && m.content !== '' ? [{ type: 'text', text: m.content }] : [])];
}

/** A tool part's call and what came of it, in either SDK version's shape; null for a part that is no tool call. */
function toolPart(part: Record<string, unknown>): { call: ToolCall; result: ChatMessage | null } | null {
  const type = String(part.type);
  let id: string | null;
  let name: string | null;
  let input: unknown;
  let outcome: { output: unknown } | { error: string } | null;
  if (type === 'tool-invocation') {
    const invocation = isObject(part.toolInvocation) ? part.toolInvocation : {};
    [id, name, input] = [str(invocation.toolCallId), str(invocation.toolName), invocation.args];
    outcome = invocation.state === 'result' ? { output: invocation.result } : null;
  } else if (type === 'dynamic-tool' || type.startsWith('tool-')) {
    [id, name, input] = [str(part.toolCallId), type === 'dynamic-tool' ? str(part.toolName) : type.slice('tool-'.length), part.state === 'output-error' ? (part.input ?? part.rawInput) : part.input];
    const approval = isObject(part.approval) ? part.approval : {};
    if (part.state === 'output-available') outcome = { output: part.output };
    else if (part.state === 'output-error') outcome = { error: str(part.errorText) ?? 'the tool failed' };
    else if (part.state === 'output-denied') outcome = { error: str(approval.reason) ?? 'Tool execution denied.' };
    else outcome = null;
  } else return null;
  const call: ToolCall = { id, type: 'function', function: { name: name ?? '', arguments: argumentsText(input) } };
  if (!outcome) return { call, result: null };
  const content = 'error' in outcome ? raisedToolContent(outcome.error) : typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output ?? null);
  return { call, result: { role: 'tool', tool_call_id: id, content } };
}

/** A file as a chat content part: an image at a URL as `image_url`, anything else as a `file` part. */
function filePart(url: unknown, mediaType: string, filename: unknown): Record<string, unknown> {
  if (typeof url === 'string' && mediaType.startsWith('image/')) return imageUrlPart(url);
  return { type: 'file', file: { filename: str(filename) ?? undefined, file_data: url, mime_type: mediaType } };
}

/** A user or system message's parts as its content: the text alone, or text and file parts. */
function contentOf(parts: readonly unknown[]): unknown {
  const out: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') out.push({ type: 'text', text: part.text });
    else if (part.type === 'file' && typeof part.url === 'string') {
      const mediaType = str(part.mediaType) ?? str(part.mimeType) ?? '';
      out.push(filePart(part.url, mediaType, part.filename));
    }
  }
  return partsContent(out);
}

/** An assistant message's parts as one chat message per model call, each followed by its results. */
function assistantMessages(parts: readonly unknown[], name: string | null): ChatMessage[] {
  type Step = { texts: string[]; reasoning: string[]; calls: ToolCall[]; results: ChatMessage[] };
  const fresh = (): Step => ({ texts: [], reasoning: [], calls: [], results: [] });
  const steps: Step[] = [fresh()];
  const marked = parts.some((p) => isObject(p) && p.type === 'step-start');
  for (const part of parts) {
    if (!isObject(part)) continue;
    let step = steps[steps.length - 1]!;
    const started = step.texts.length + step.reasoning.length + step.calls.length > 0;
    // A step mark starts the next call; without marks (AI SDK 4), so does a text after a result.
    if (part.type === 'step-start' || (!marked && part.type === 'text' && step.results.length > 0)) {
      if (started) steps.push((step = fresh()));
      if (part.type === 'step-start') continue;
    }
    if (part.type === 'text' && typeof part.text === 'string') step.texts.push(part.text);
    else if (part.type === 'reasoning' && typeof part.text === 'string') step.reasoning.push(part.text);
    else {
      const tool = toolPart(part);
      if (!tool) continue;
      step.calls.push(tool.call);
      if (tool.result) step.results.push(tool.result);
    }
  }
  const out: ChatMessage[] = [];
  for (const { texts, reasoning, calls, results } of steps) {
    if (texts.length === 0 && reasoning.length === 0 && calls.length === 0) continue;
    const message = assistantReply(texts, reasoning, calls);
    if (name) message.name = name;
    out.push(message, ...results);
  }
  return out;
}

/** A list holding AI SDK UI messages, each as the chat messages it stands for; other messages as they are. */
export function fromAiSdk(list: readonly unknown[]): unknown[] {
  return list.flatMap((value) => {
    if (!isAiSdkMessage(value)) return [value];
    const m = value as Record<string, unknown>;
    const parts = partsOf(m);
    if (m.role === 'assistant') return assistantMessages(parts, str(m.name));
    return [{ role: m.role, content: contentOf(parts) }];
  });
}

// The AI SDK's model messages (`ModelMessage`, `CoreMessage` before AI SDK 5): what `generateText`
// and `streamText` return as `response.messages` and what apps keep as a conversation's history.
// `content` is a text or typed parts: `text`, `reasoning`, `image` and `file` parts, an assistant's
// `tool-call` parts (`input`, or `args` before AI SDK 5) and a tool message's `tool-result` parts
// (`output: {type, value}`, or `result` and `isError` before AI SDK 5). A result of an error type
// (`error-text`, `error-json`, a denied execution) is recorded as the reference records a tool that
// raised; a provider-executed result in an assistant message follows it as a tool message. Approval
// requests and responses carry nothing the model is sent.

/** Whether a part is one of the AI SDK's model message parts that OpenAI's content parts do not have. */
function isModelPart(part: unknown): boolean {
  if (!isObject(part) || typeof part.type !== 'string') return false;
  if (part.type === 'tool-call' || part.type === 'tool-result') return typeof part.toolCallId === 'string';
  if (part.type === 'reasoning') return typeof part.text === 'string';
  if (part.type === 'image') return 'image' in part;
  return part.type === 'file' && 'data' in part;
}

/** True for an AI SDK model message: a role and content parts of the SDK's own. */
export function isAiSdkModelMessage(value: unknown): boolean {
  return isObject(value) && typeof value.role === 'string' && Array.isArray(value.content) && value.content.some(isModelPart);
}

/** A data part's URL: a URL as it is, base64 data as a data URL of its media type. */
function dataUrl(data: unknown, mediaType: string): string | null {
  if (typeof data !== 'string') return null;
  return /^(https?|data):/.test(data) ? data : `data:${mediaType};base64,${data}`;
}

/** A user or system message's model parts as chat content parts. */
function modelContent(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const out: unknown[] = [];
  for (const part of content) {
    if (!isObject(part)) continue;
    const mediaType = str(part.mediaType) ?? str(part.mimeType) ?? '';
    if (part.type === 'text' && typeof part.text === 'string') out.push({ type: 'text', text: part.text });
    else if (part.type === 'image') {
      const url = dataUrl(part.image, mediaType || 'image/png');
      out.push(url ? imageUrlPart(url) : part);
    } else if (part.type === 'file') {
      const url = dataUrl(part.data, mediaType);
      out.push(filePart(url ?? part.data, mediaType, part.filename));
    } else out.push(part);
  }
  return partsContent(out);
}

/** A `tool-result` part's text, and whether the tool failed. */
function modelResultText(part: Record<string, unknown>): { text: string; raised: boolean } {
  const json = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value ?? null));
  const output = part.output;
  if (!isObject(output)) return { text: json(part.result), raised: part.isError === true };
  switch (output.type) {
    case 'text':
    case 'json':
      return { text: json(output.value), raised: false };
    case 'error-text':
    case 'error-json':
      return { text: json(output.value), raised: true };
    case 'execution-denied':
      return { text: str(output.reason) ?? 'the tool call was denied', raised: true };
    case 'content': {
      const parts = Array.isArray(output.value) ? output.value : [];
      return { text: parts.map((p) => (isObject(p) && p.type === 'text' && typeof p.text === 'string' ? p.text : JSON.stringify(p))).join('\n'), raised: false };
    }
    default:
      return { text: JSON.stringify(output), raised: false };
  }
}

/** A `tool-result` part as a tool message. */
function modelToolMessage(part: Record<string, unknown>): ChatMessage {
  const { text, raised } = modelResultText(part);
  const message: ChatMessage = { role: 'tool', tool_call_id: str(part.toolCallId), content: raised ? raisedToolContent(text) : text };
  if (typeof part.toolName === 'string') message.name = part.toolName;
  return message;
}

/**
 * A list holding AI SDK model messages, each as the chat messages it stands for (those of text parts
 * only too, which a message of OpenAI's could be: the list is the SDK's); other messages as they are.
 */
export function fromAiSdkModel(list: readonly unknown[]): unknown[] {
  return list.flatMap((value): unknown[] => {
    if (!isObject(value) || typeof value.role !== 'string' || !Array.isArray(value.content)) return [value];
    const m = value as { role: string; content: unknown[] };
    const parts = m.content.filter(isObject);
    if (m.role === 'tool') return parts.filter((p) => p.type === 'tool-result').map(modelToolMessage);
    if (m.role !== 'assistant') return [{ role: m.role, content: modelContent(m.content) }];
    const texts = parts.filter((p) => p.type === 'text' && typeof p.text === 'string').map((p) => p.text as string);
    const reasoning = parts.filter((p) => p.type === 'reasoning' && typeof p.text === 'string').map((p) => p.text as string);
    const calls: ToolCall[] = parts.filter((p) => p.type === 'tool-call').map((p) => ({ id: str(p.toolCallId), type: 'function', function: { name: str(p.toolName) ?? '', arguments: argumentsText('input' in p ? p.input : p.args) } }));
    return [assistantReply(texts, reasoning, calls), ...parts.filter((p) => p.type === 'tool-result').map(modelToolMessage)];
  });
}
