import { z } from 'zod';
import type { ChatMessage } from '../model/chat.js';
import { argumentsText, isObject, parseWith, str } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// Trajectories in the Agent Data Protocol's standardized form (neulab's agent-data-collection and
// the datasets converted to it): `{id, content, details}`, `content` a list of actions and
// observations told by `class_`:
//
// - `api_action` (`function`, `kwargs`) and `code_action` (`language`, `content`) are the agent's
//   tool calls, with its thought in `description`: one assistant message each, the description as
//   its text. A code action is a call of the tool named by its language (`bash`, `python`), with
//   the code as `content`, as the protocol names it.
// - `message_action` is the agent speaking (`content`), with `description` as reasoning.
// - `text_observation`, `web_observation` and `image_observation` answer the call before them (a
//   tool message); one that answers no call is the user's (or the environment's) message, or the
//   agent's own when its `source` is `agent`.
// - `details` is each dataset's own: `model_name` is the model and `exit_status` the stop reason.

const ACTIONS = new Set(['api_action', 'code_action', 'message_action']);
const OBSERVATIONS = new Set(['text_observation', 'web_observation', 'image_observation']);

/** True for an ADP trajectory: an `id` and a `content` list whose items are the protocol's classes (and no `messages` or `conversations`). */
export function isAdpTrajectory(record: unknown): boolean {
  if (!isObject(record) || !('id' in record) || 'messages' in record || 'conversations' in record || !Array.isArray(record.content) || record.content.length === 0) return false;
  return record.content.every((item) => isObject(item) && typeof item.class_ === 'string') && record.content.some((item) => ACTIONS.has((item as { class_: string }).class_) || OBSERVATIONS.has((item as { class_: string }).class_));
}

const text = z.string().nullable().optional();
const apiAction = z.lazy(() => z.looseObject({ function: z.string(), kwargs: z.record(z.string(), z.unknown()).nullable().optional(), description: text }));
const codeAction = z.lazy(() => z.looseObject({ language: z.string(), content: z.string(), description: text }));
const messageAction = z.lazy(() => z.looseObject({ content: z.string(), description: text }));
const textObservation = z.lazy(() => z.looseObject({ content: z.string().nullable(), source: text, name: text }));
const webObservation = z.lazy(() => z.looseObject({ html: text, axtree: text, url: text, source: text }));
const imageObservation = z.lazy(() => z.looseObject({ content: z.string(), source: text }));
const trajectory = z.lazy(() => z.looseObject({ id: z.union([z.string(), z.number()]).nullable().optional(), content: z.array(z.looseObject({ class_: z.string() })), details: z.unknown().optional() }));

/** One ADP trajectory (`id` is `FILE:LINE` when it has none). */
export function importAdpTrajectory(data: unknown, id: string, index: number): Trajectory[] {
  const record = parseWith(trajectory, data);
  const messages: ChatMessage[] = [];
  const problems: string[] = [];
  // The id of the call the next observation answers, if one is waiting: an action is one call.
  let open: string | null = null;
  const call = (item: number, name: string, args: string, description: string | null | undefined): void => {
    open = `call_${item}`;
    messages.push({ role: 'assistant', content: description ?? '', tool_calls: [{ id: open, type: 'function', function: { name, arguments: args } }] });
  };
  const observe = (content: string, source: string | null | undefined): void => {
    if (open !== null) messages.push({ role: 'tool', tool_call_id: open, content });
    else messages.push({ role: source === 'agent' ? 'assistant' : 'user', content });
    open = null;
  };
  record.content.forEach((item, i) => {
    const at = `content[${i}]`;
    switch (item.class_) {
      case 'api_action': {
        const action = parseWith(apiAction, item, at);
        call(i, action.function, argumentsText(action.kwargs ?? {}), action.description);
        return;
      }
      case 'code_action': {
        const action = parseWith(codeAction, item, at);
        call(i, action.language, JSON.stringify({ content: action.content }), action.description);
        return;
      }
      case 'message_action': {
        const action = parseWith(messageAction, item, at);
        const message: ChatMessage = { role: 'assistant', content: action.content };
        if (action.description) message.reasoning_content = action.description;
        messages.push(message);
        open = null;
        return;
      }
      case 'text_observation': {
        const observation = parseWith(textObservation, item, at);
        observe(observation.content ?? '', observation.source);
        return;
      }
      case 'web_observation': {
        const observation = parseWith(webObservation, item, at);
        const page = [observation.url ? `URL: ${observation.url}` : null, observation.axtree ?? observation.html ?? null].filter((part) => part !== null);
        observe(page.join('\n\n'), observation.source);
        return;
      }
      case 'image_observation': {
        const observation = parseWith(imageObservation, item, at);
        observe(`[image: ${observation.content}]`, observation.source);
        problems.push(`${at}: an image observation is shown as its path, not as the image`);
        return;
      }
      default:
        problems.push(`${at}: unknown class_ '${item.class_}'; left out`);
    }
  });
  const details = isObject(record.details) ? record.details : {};
  const t: Trajectory = { id: record.id != null ? String(record.id) : id, model: str(details.model_name) || null, messages, reward: null, recorded: {}, source: { format: 'adp-trajectory', index } };
  const exitStatus = str(details.exit_status);
  if (exitStatus) t.stopReason = exitStatus;
  if (problems.length > 0) t.problems = problems;
  return [t];
}
