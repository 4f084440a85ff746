import type { ChatMessage } from '../model/chat.js';
import { jsonTruthy, pyLenOf } from './json-semantics.js';

/** `m.get("content", "") or ""`: the content the estimate and the shortening read. */
export function contentOf(message: ChatMessage): unknown {
  return jsonTruthy(message.content) ? message.content : '';
}

/**
 * The reference's token estimate of one message: `len(content)//4 + 10`, plus 50 per tool call
 * when the message has a `tool_calls` key (even an empty list; a null one raises, as in Python).
 */
export function estimateMessageTokens(message: ChatMessage): number {
  let total = Math.floor(pyLenOf(contentOf(message)) / 4) + 10;
  if ('tool_calls' in message && message.tool_calls !== undefined) total += 50 * pyLenOf(message.tool_calls);
  return total;
}

/** The reference's `estimate_tokens` of a list of messages. */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateMessageTokens(message);
  return total;
}
