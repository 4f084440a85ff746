import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { fromGeminiContents, isGeminiContent, usageMetadataOf } from './gemini-contents.js';
import { callStats, isObject, parseWith, str } from './import-common.js';
import type { CallStats, Trajectory } from './trajectory.js';

// A Google Agent Development Kit (ADK) session: `adk run --save_session`'s `NAME.session.json`
// (`model_dump_json(by_alias=True)`, camel case), a session dumped with the Python default (snake
// case), or what the ADK API server answers for a session.
//
// - Its `events` hold the conversation as Gemini contents (see gemini-contents.ts): the user's, each
//   model response (one event per response, its calls among its parts), and the function
//   responses (role `user`, authored by the agent that ran them), whichever agent wrote them.
// - A streamed response's `partial` events are repeated whole by its last event: left out. An event
//   with no content (a state change, a transfer) carries nothing the model saw.
// - Each model response's `usageMetadata` is its turn's usage; `modelVersion` the model.
// - An event with an `errorCode` ended the run: its code and message are the stop reason.

/** A field in the camel case `by_alias` writes, else in the snake case of the Python default. */
function field(record: Record<string, unknown>, camel: string, snake: string): unknown {
  return record[camel] ?? record[snake];
}

/** True for an ADK session: its app and user, and its events. */
export function isAdkSession(data: unknown): boolean {
  return isObject(data) && Array.isArray(data.events) && typeof field(data, 'appName', 'app_name') === 'string' && field(data, 'userId', 'user_id') !== undefined;
}

const sessionSchema = z.lazy(() => z.looseObject({ id: z.string().nullable().optional(), events: z.array(z.looseObject({ author: z.string().nullable().optional(), content: z.unknown().optional(), partial: z.boolean().nullable().optional() })) }));

/** An ADK session as one trajectory (see the notes above). */
export function importAdkSession(data: unknown, id: string): Trajectory[] {
  const session = parseWith(sessionSchema, data);
  const messages: ChatMessage[] = [];
  const stats: Array<CallStats | null> = [];
  let model: string | null = null;
  let error: string | null = null;
  for (const event of session.events) {
    if (event.partial === true) continue;
    const code = str(field(event, 'errorCode', 'error_code'));
    if (code !== null) error = [code, str(field(event, 'errorMessage', 'error_message'))].filter((s) => s).join(': ');
    const content = event.content;
    if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) continue;
    const role = str(content.role) ?? (event.author === 'user' ? 'user' : 'model');
    const gemini = { role, parts: content.parts };
    // Parts of no kind read here (only executable code, say) are kept as the message's content.
    messages.push(...(isGeminiContent(gemini) ? (fromGeminiContents([gemini]) as ChatMessage[]) : [{ role: role === 'model' ? 'assistant' : role, content: content.parts }]));
    if (role === 'model') {
      stats.push(callStats(usageMetadataOf(field(event, 'usageMetadata', 'usage_metadata')), null));
      model = str(field(event, 'modelVersion', 'model_version')) ?? model;
    }
  }
  const trajectory: Trajectory = { id: session.id ?? id, model, messages, reward: null, recorded: {}, source: { format: 'adk-session', index: 0 } };
  if (error !== null) {
    trajectory.stopReason = error;
    trajectory.recorded.finished_naturally = false;
  }
  if (stats.some((s) => s !== null)) trajectory.callStats = stats;
  return [trajectory];
}
