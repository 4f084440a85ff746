import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { base64ImagePart, contentAsText, partsContent } from './content-parts.js';
import type { FrameworkEnd } from './import-common.js';
import { argumentsText, isObject, namedUsage, raisedToolContent, str } from './values.js';

// AutoGen's messages as its `model_dump()` writes them, told by `type` (they have no `role`):
//
// - autogen_core's LLM messages, which an agent's model context holds (`save_state()` keeps them
//   under `llm_context.messages`): `SystemMessage`, `UserMessage`, `AssistantMessage` (its
//   `content` a text or a list of `FunctionCall`s `{id, name, arguments}`, its `thought` the
//   reasoning), `FunctionExecutionResultMessage` (a list of `{call_id, name, content, is_error}`).
// - AgentChat's messages and events, which a team's run returns (`TaskResult.messages`):
//   `TextMessage` and the other chat messages (the user's when their `source` is `user`, else the
//   agent's, named by its `source`), `ThoughtEvent` (the reasoning of the agent's next reply),
//   `ToolCallRequestEvent` and `ToolCallExecutionEvent` (the calls and their results). The other
//   events (a tool-call summary, memory queries, streaming chunks) say nothing the model did not,
//   and are left out.
//
// A `StopMessage` from a termination condition (its `source` the condition's name,
// `TextMentionTermination`, or the names of a combined condition's parts) is the team's notice
// that the run ended ("Text 'TERMINATE' mentioned"), not a model reply: it is left out of the
// messages and its content is the stop reason. A message, token or time limit, or a stop from
// outside, ended the run without the agent; an agent's own `StopMessage` stays its reply. A
// `TaskResult`'s own `stop_reason` is the stop reason when it has one (a team's turn limit has no
// notice); whether the agent finished is told by the notice alone.
//
// A multimodal content (a `UserMessage`'s, a `MultiModalMessage`'s) is a list of texts and images,
// an image dumped as `{data: base64}` with no media type: they are text and image parts, the media
// type told by the data's first bytes.

const CORE = new Set(['SystemMessage', 'UserMessage', 'AssistantMessage', 'FunctionExecutionResultMessage']);
const CHAT = new Set(['TextMessage', 'MultiModalMessage', 'StopMessage', 'HandoffMessage', 'StructuredMessage']);
const EVENTS = new Set(['ThoughtEvent', 'ToolCallRequestEvent', 'ToolCallExecutionEvent', 'ToolCallSummaryMessage', 'MemoryQueryEvent', 'UserInputRequestedEvent', 'ModelClientStreamingChunkEvent', 'CodeGenerationEvent', 'CodeExecutionEvent', 'SelectSpeakerEvent', 'SelectorEvent']);

/** Termination conditions that end a run the agent did not end: a message, token or time limit, a stop from outside. */
const LIMIT_TERMINATIONS = new Set(['MaxMessageTermination', 'TokenUsageTermination', 'TimeoutTermination', 'ExternalTermination']);

/** The condition names of a termination notice (a `StopMessage` whose every source is a `…Termination`), or null for any other message. */
function terminationSources(value: unknown): string[] | null {
  if (!isObject(value) || value.type !== 'StopMessage' || 'role' in value || typeof value.source !== 'string') return null;
  const sources = value.source.split(',').map((name) => name.trim());
  return sources.every((name) => name.endsWith('Termination')) ? sources : null;
}

/** How a list's last termination notice says the run ended; null when it holds none. */
export function autoGenEnd(list: readonly unknown[]): FrameworkEnd | null {
  const notice = list.findLast((m) => terminationSources(m) !== null) as Record<string, unknown> | undefined;
  if (!notice) return null;
  const end: FrameworkEnd = { stopReason: contentAsText(notice.content) };
  if (terminationSources(notice)!.some((name) => LIMIT_TERMINATIONS.has(name))) end.finished = false;
  return end;
}

/**
 * A dumped `TaskResult`'s `stop_reason` ("Maximum number of turns 1 reached.", a termination
 * notice's text), when its messages are AutoGen's; null otherwise. It says only how the run ended,
 * not who ended it: a team's `max_turns` stops it after an agent's turn without a notice.
 */
export function taskResultStopReason(result: Record<string, unknown>): string | null {
  return Array.isArray(result.messages) && result.messages.some(isAutoGenMessage) ? str(result.stop_reason) : null;
}

/** Whether `value` is an AutoGen message or event (a `type` AutoGen writes, and no `role`). */
export function isAutoGenMessage(value: unknown): boolean {
  if (!isObject(value) || 'role' in value || typeof value.type !== 'string') return false;
  return CORE.has(value.type) || CHAT.has(value.type) || EVENTS.has(value.type);
}

/** The media type base64 image data starts as (PNG, JPEG, GIF, WebP), PNG when it is none of them. */
function imageType(data: string): string {
  if (data.startsWith('/9j/')) return 'image/jpeg';
  if (data.startsWith('R0lGOD')) return 'image/gif';
  if (data.startsWith('UklGR')) return 'image/webp';
  return 'image/png';
}

/** A multimodal content (texts and `{data}` images) as content parts; any other content as text. */
function multimodalContent(content: unknown): ChatMessage['content'] {
  if (!Array.isArray(content) || !content.some((item) => typeof item === 'string' || (isObject(item) && typeof item.data === 'string' && !('type' in item)))) return contentAsText(content);
  return partsContent(content.map((item) => {
    if (typeof item === 'string') return { type: 'text', text: item };
    if (isObject(item) && typeof item.data === 'string' && !('type' in item)) return base64ImagePart(imageType(item.data), item.data);
    return item;
  }));
}

function callsOf(list: readonly unknown[]): ToolCall[] {
  return list.flatMap((call): ToolCall[] => (isObject(call) && typeof call.name === 'string' ? [{ id: str(call.id), type: 'function', function: { name: call.name, arguments: argumentsText(call.arguments) } }] : []));
}

function resultsOf(list: readonly unknown[]): ChatMessage[] {
  return list.flatMap((result): ChatMessage[] => {
    if (!isObject(result)) return [];
    const text = contentAsText(result.content);
    const message: ChatMessage = { role: 'tool', tool_call_id: str(result.call_id), content: result.is_error === true ? raisedToolContent(text) : text };
    if (typeof result.name === 'string') message.name = result.name;
    return [message];
  });
}

/**
 * A list holding AutoGen messages, each as the chat messages it stands for (a result message
 * becomes one tool message per result; an event that says nothing the model did is left out).
 * Messages of other shapes are kept as they are. `usage` gets the tokens of each agent reply
 * that records them (`models_usage`), by its place in the list returned.
 */
export function fromAutoGen(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[] {
  const out: unknown[] = [];
  // The model call an agent's reply or call request came from records its usage on that message.
  const reply = (message: ChatMessage, from: Record<string, unknown>): void => {
    out.push(message);
    const counts = namedUsage(from.models_usage);
    if (counts) usage?.set(out.length - 1, counts);
  };
  let thought: string | null = null;
  const withThought = (message: ChatMessage): ChatMessage => {
    if (thought !== null) message.reasoning_content = thought;
    thought = null;
    return message;
  };
  for (const value of list) {
    if (!isAutoGenMessage(value)) {
      out.push(value);
      continue;
    }
    if (terminationSources(value) !== null) continue;
    const m = value as Record<string, unknown>;
    const source = str(m.source);
    const fromUser = source === 'user';
    switch (m.type) {
      case 'SystemMessage':
        out.push({ role: 'system', content: contentAsText(m.content) });
        break;
      case 'UserMessage':
        out.push({ role: 'user', content: typeof m.content === 'string' ? m.content : multimodalContent(m.content) });
        break;
      case 'AssistantMessage': {
        const message: ChatMessage = Array.isArray(m.content) ? { role: 'assistant', content: '', tool_calls: callsOf(m.content) } : { role: 'assistant', content: contentAsText(m.content) };
        if (typeof m.thought === 'string') message.reasoning_content = m.thought;
        out.push(message);
        break;
      }
      case 'FunctionExecutionResultMessage':
      case 'ToolCallExecutionEvent':
        out.push(...resultsOf(Array.isArray(m.content) ? m.content : []));
        break;
      case 'ThoughtEvent':
        thought = typeof m.content === 'string' ? m.content : null;
        break;
      case 'ToolCallRequestEvent': {
        const message = withThought({ role: 'assistant', content: '', tool_calls: callsOf(Array.isArray(m.content) ? m.content : []) });
        if (source) message.name = source;
        reply(message, m);
        break;
      }
      default:
        if (!CHAT.has(m.type as string)) break;
        if (fromUser) out.push({ role: 'user', content: multimodalContent(m.content) });
        else {
          const message = withThought({ role: 'assistant', content: typeof m.content === 'string' ? m.content : m.type === 'MultiModalMessage' ? multimodalContent(m.content) : JSON.stringify(m.content) });
          if (source) message.name = source;
          reply(message, m);
        }
    }
  }
  return out;
}

/** An agent's or a team's saved state: `save_state()`'s `{type: "…State", …}`. */
export function isAutoGenState(record: unknown): boolean {
  if (!isObject(record) || typeof record.type !== 'string' || !record.type.endsWith('State')) return false;
  return isObject(record.agent_states) || isObject(record.llm_context) || Array.isArray(record.message_thread);
}

/** The conversations a saved state holds, each with its name: an agent's model context, a team manager's message thread. */
export function autoGenConversations(state: Record<string, unknown>, name: string, at: string): Array<{ name: string; messages: unknown[]; at: string }> {
  const found: Array<{ name: string; messages: unknown[]; at: string }> = [];
  if (isObject(state.llm_context) && Array.isArray(state.llm_context.messages)) found.push({ name, messages: state.llm_context.messages, at: `${at}llm_context.messages` });
  if (Array.isArray(state.message_thread)) found.push({ name, messages: state.message_thread, at: `${at}message_thread` });
  if (isObject(state.agent_state)) found.push(...autoGenConversations(state.agent_state, name, `${at}agent_state.`));
  if (isObject(state.agent_states)) {
    for (const [agent, inner] of Object.entries(state.agent_states)) if (isObject(inner)) found.push(...autoGenConversations(inner, agent, `${at}agent_states[${JSON.stringify(agent)}].`));
  }
  return found;
}
