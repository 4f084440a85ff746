import { z } from 'zod';
import { imageUrlPart, partsContent } from './content-parts.js';
import { messagesOf, parseWith } from './import-common.js';
import type { Trajectory } from './trajectory.js';
import { isObject, raisedToolContent, str } from './values.js';

// A Continue session (`~/.continue/sessions/SESSION_ID.json`, written after its `Session` type in
// core/index.d.ts): `{sessionId, title, workspaceDirectory, history}`, each history item a chat
// message (`message`) with what the user attached (`contextItems`) and, on an assistant message
// with calls, the state of its tool call (`toolCallState`).
//
// - Messages are Continue's: camelCase `toolCalls` and `toolCallId`, `imageUrl` parts, and a
//   `thinking` message before the assistant message whose reasoning it is.
// - The context items a user attached are sent before what the user typed: they come first in the
//   user message, as text parts.
// - A call whose state is `errored` answered with its error: recorded as a tool that raised. A call
//   whose result is only in its state's `output` (sessions written before results were messages of
//   their own) gets that output as its result.

/** True for a Continue session: its id and a history of `{message}` items. */
export function isContinueSession(data: unknown): boolean {
  return isObject(data) && typeof data.sessionId === 'string' && Array.isArray(data.history) && data.history.some((item) => isObject(item) && isObject(item.message));
}

const sessionSchema = z.lazy(() => z.looseObject({ sessionId: z.string(), title: z.string().nullable().optional(), history: z.array(z.looseObject({ message: z.looseObject({ role: z.string() }) })) }));

/** Continue's message content as chat content: its `imageUrl` parts as `image_url` parts. */
function contentOf(content: unknown, before: readonly string[] = []): unknown {
  const parts = [...before.map((text) => ({ type: 'text', text })), ...(typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [])];
  return partsContent(parts.map((part) => (isObject(part) && part.type === 'imageUrl' && isObject(part.imageUrl) ? imageUrlPart(String(part.imageUrl.url)) : part)));
}

/** The text of a tool call state's output (context items). */
function outputText(output: unknown): string {
  return Array.isArray(output) ? output.map((item) => (isObject(item) && typeof item.content === 'string' ? item.content : '')).join('\n\n') : '';
}

/** A Continue session as one trajectory (see the notes above). */
export function importContinueSession(data: unknown, id: string): Trajectory[] {
  const session = parseWith(sessionSchema, data);
  const messages: unknown[] = [];
  let reasoning: string[] = [];
  const errored = new Set<string>();
  // The calls answered by a tool message of their own (the others' results are in their state).
  const answered = new Set(session.history.flatMap((h) => (h.message.role === 'tool' && typeof h.message.toolCallId === 'string' ? [h.message.toolCallId] : [])));
  let model: string | null = null;
  for (const item of session.history) {
    const m = item.message;
    for (const log of Array.isArray(item.promptLogs) ? item.promptLogs : []) if (isObject(log) && isObject(log.completionOptions)) model = str(log.completionOptions.model) ?? model;
    const state = isObject(item.toolCallState) ? item.toolCallState : null;
    if (state?.status === 'errored' && typeof state.toolCallId === 'string') errored.add(state.toolCallId);
    if (m.role === 'thinking') {
      const text = contentOf(m.content);
      if (typeof text === 'string' && text !== '') reasoning.push(text);
      continue;
    }
    if (m.role === 'assistant') {
      const message: Record<string, unknown> = { role: 'assistant', content: contentOf(m.content) };
      const calls = Array.isArray(m.toolCalls) ? m.toolCalls.filter(isObject) : [];
      if (calls.length > 0) message.tool_calls = calls.map((call) => ({ id: str(call.id), type: 'function', function: { name: isObject(call.function) ? (str(call.function.name) ?? '') : '', arguments: isObject(call.function) ? (str(call.function.arguments) ?? '') : '' } }));
      if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
      reasoning = [];
      messages.push(message);
      // A result kept only in the call's state (older sessions) follows its call.
      if (state && typeof state.toolCallId === 'string' && state.output !== undefined && !answered.has(state.toolCallId)) {
        messages.push({ role: 'tool', tool_call_id: state.toolCallId, content: outputText(state.output) });
      }
      continue;
    }
    if (m.role === 'tool') {
      messages.push({ role: 'tool', tool_call_id: str(m.toolCallId), content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '') });
      continue;
    }
    const attached = m.role === 'user' && Array.isArray(item.contextItems) ? item.contextItems.filter(isObject).flatMap((c) => (typeof c.content === 'string' && c.content !== '' ? [c.content] : [])) : [];
    messages.push({ role: m.role, content: contentOf(m.content, attached) });
  }
  const read = messagesOf(messages, 'history');
  for (const message of read) {
    if (message.role === 'tool' && typeof message.tool_call_id === 'string' && errored.has(message.tool_call_id) && typeof message.content === 'string') message.content = raisedToolContent(message.content);
  }
  return [{ id: session.sessionId || id, model, messages: read, reward: null, recorded: {}, source: { format: 'continue-session', index: 0 } }];
}
