import type { AssistantReply } from '../model/chat.js';
import { jsonTruthy } from './json-semantics.js';

/**
 * The reference's `_extract_reasoning_from_message`: `reasoning_content`, else `reasoning`, else
 * the first `reasoning_details[]` entry with a truthy `text`; null when none.
 */
export function extractReasoning(message: AssistantReply): unknown {
  if (jsonTruthy(message.reasoning_content)) return message.reasoning_content;
  if (jsonTruthy(message.reasoning)) return message.reasoning;
  const details = message.reasoning_details;
  if (jsonTruthy(details) && Array.isArray(details)) {
    for (const detail of details) {
      if (detail !== null && typeof detail === 'object' && !Array.isArray(detail)) {
        const text = (detail as Record<string, unknown>).text;
        if (jsonTruthy(text)) return text;
      }
    }
  }
  return null;
}
