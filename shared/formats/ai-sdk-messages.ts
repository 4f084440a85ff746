import type { ChatMessage, ToolCall } from '../model/chat.js';
import { argumentsText, assistantReply, isObject, raisedToolContent, str } from './values.js';
import { partsContent } from './content-parts.js';

// The Vercel AI SDK's UI messages, as apps built on it save their chats: `{id, role, parts}`, the
// parts holding what `content` holds in a chat message (AI SDK 4 writes `content` too, the final
// text only). They are read as the SDK's `convertToModelMessages` sends them to a model:
//
// - `text` parts are the content, `reasoning` parts the reasoning, `file` parts images or files;
// - a tool part is a call and its result: AI SDK 5's `tool-NAME` and `dynamic-tool` parts
//   (`toolCallId`, `input`, `output` or `errorText`, `state`), AI SDK 4's `tool-invocation` parts
//   (`toolInvocation: {toolCallId, toolName, args, result, state}`); a call that failed
//   (`output-error`) is recorded as the reference records a tool that raised; a call without a
//   result yet is left unanswered;
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
    [id, name, input] = [str(part.toolCallId), type === 'dynamic-tool' ? str(part.toolName) : type.slice('tool-'.length), part.input];
    outcome = part.state === 'output-available' ? { output: part.output } : part.state === 'output-error' ? { error: str(part.errorText) ?? 'the tool failed' } : null;
  } else return null;
  const call: ToolCall = { id, type: 'function', function: { name: name ?? '', arguments: argumentsText(input) } };
  if (!outcome) return { call, result: null };
  const content = 'error' in outcome ? raisedToolContent(outcome.error) : typeof outcome.output === 'string' ? outcome.output : JSON.stringify(outcome.output ?? null);
  return { call, result: { role: 'tool', tool_call_id: id, content } };
}

/** A user or system message's parts as its content: the text alone, or text and file parts. */
function contentOf(parts: readonly unknown[]): unknown {
  const out: Array<Record<string, unknown>> = [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (part.type === 'text' && typeof part.text === 'string') out.push({ type: 'text', text: part.text });
    else if (part.type === 'file' && typeof part.url === 'string') {
      const mediaType = str(part.mediaType) ?? str(part.mimeType) ?? '';
      out.push(mediaType.startsWith('image/') ? { type: 'image_url', image_url: { url: part.url } } : { type: 'file', file: { filename: str(part.filename) ?? undefined, file_data: part.url, mime_type: mediaType } });
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
