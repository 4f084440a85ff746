import { z } from 'zod';
import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { argumentsText, callStats, isObject, Misfit, num, parseEach, parseWith, raisedToolContent, recordedUsage, str } from './import-common.js';
import { assistantReply } from './values.js';
import { contentAsText, imageUrlPart, partsContent } from './content-parts.js';
import type { CallStats, Trajectory } from './trajectory.js';

// OpenCode sessions, as `opencode export SESSION_ID` writes them: `{info, messages, todos}`, the
// session and each of its messages as `{info, parts}`; or the list of `{info, parts}` its server
// answers for a session's messages. They are read as OpenCode sends them to the model
// (`toModelMessages`, then the AI SDK's `convertToModelMessages`):
//
// - A user message: its `text` parts (not the `ignored` ones), its files as parts (an image as an
//   image part; a text file or a folder is already a text part), a `compaction` part as "What did
//   we do so far?" and a `subtask` part as "The following tool was executed by the user".
// - An assistant message holds one model call per step (the parts between `step-start` parts):
//   the step's reasoning, text and tool calls (a `tool` part, its `input` as the arguments), then
//   each call's result: the `output` of a completed call ("[Old tool result content cleared]" once
//   compacted), the `error` of a failed one, "[Tool execution was interrupted]" for one left
//   pending or running. The last two are recorded as the reference records a tool that raised.
// - An assistant message whose `error` OpenCode keeps from the model is left out (named in
//   `problems`), unless it was aborted after writing something, as OpenCode does. Either way, when
//   no assistant message that ended well follows it, its error is how the session ended: the stop
//   reason is `error: NAME: message` rather than the finish of an earlier call.
// - A completed call's `attachments` (the picture the read tool opened) go to the model with its
//   output; each is named after the output (`[image: image/png, 12 KB]`).
// - A step's `step-finish` part gives the call's tokens. OpenCode keeps `input` without the cache
//   reads and writes: the prompt is the three together (the reads shown apart), the completion
//   the total less the prompt (the output tokens when there is no total).
//
// The system prompt is not in the file (OpenCode builds it when it sends a call). Parts of other
// types (`patch`, `snapshot`, `agent`, `retry`) carry nothing the model was sent.

const partSchema = z.lazy(() => z.looseObject({ type: z.string() }));
const messageSchema = z.lazy(() => z.looseObject({
  info: z.looseObject({ role: z.string(), id: z.string().optional(), sessionID: z.string().optional() }),
  parts: z.array(partSchema),
}));
type OpenCodeMessage = z.infer<typeof messageSchema>;
type OpenCodePart = z.infer<typeof partSchema>;

const exportSchema = z.lazy(() => z.looseObject({ info: z.looseObject({ id: z.string().optional() }), messages: z.array(z.unknown()) }));

/** True for an OpenCode message: `{info: {role, sessionID}, parts: [...]}`. */
function isOpenCodeMessage(value: unknown): boolean {
  return isObject(value) && isObject(value.info) && typeof value.info.role === 'string' && typeof value.info.sessionID === 'string' && Array.isArray(value.parts);
}

/** True for an `opencode export` document, or the list of a session's messages. */
export function isOpenCodeSession(first: unknown): boolean {
  if (Array.isArray(first)) return first.length > 0 && isOpenCodeMessage(first[0]);
  return isObject(first) && isObject(first.info) && Array.isArray(first.messages) && first.messages.length > 0 && isOpenCodeMessage(first.messages[0]);
}

/** An OpenCode session: one trajectory. */
export function importOpenCodeSession(data: unknown, id: string): Trajectory[] {
  const problems: string[] = [];
  let items: readonly unknown[];
  let sessionId: string | null = null;
  if (Array.isArray(data)) items = data;
  else {
    const session = parseWith(exportSchema, data);
    items = session.messages;
    sessionId = session.info.id ?? null;
  }
  const messages = parseEach(messageSchema, items, 'messages', problems, 'the message is left out');
  const conversation = new Conversation();
  for (const { index, value } of messages) {
    if (value.info.role === 'user') conversation.user(value.parts);
    else if (value.info.role === 'assistant') conversation.assistant(value, `messages[${index}]`, problems);
    else problems.push(`messages[${index}].info.role: '${value.info.role}' is neither user nor assistant; the message is left out`);
  }
  if (conversation.messages.length === 0) throw new Misfit('the session holds no message OpenCode would send to the model');
  sessionId ??= messages.map((m) => str(m.value.info.sessionID)).find((s) => s !== null) ?? null;
  const t: Trajectory = { id: sessionId ?? id, model: conversation.model, messages: conversation.messages, reward: null, recorded: {}, source: { format: 'opencode-session', index: 0 } };
  const stop = conversation.error ?? conversation.finish;
  if (stop !== null) t.stopReason = stop;
  if (conversation.stats.some((s) => s !== null)) t.callStats = conversation.stats;
  if (problems.length > 0) t.problems = problems;
  return [t];
}

/** The chat messages being built, with each model call's recorded tokens. */
class Conversation {
  readonly messages: ChatMessage[] = [];
  readonly stats: Array<CallStats | null> = [];
  model: string | null = null;
  /** Why the last model call stopped (`finish`), as OpenCode records it. */
  finish: string | null = null;
  /** The error the last assistant message ended with (`error: NAME: message`), when it did. */
  error: string | null = null;

  user(parts: readonly OpenCodePart[]): void {
    const content: unknown[] = [];
    for (const part of parts) {
      if (part.type === 'text' && part.ignored !== true && typeof part.text === 'string') content.push({ type: 'text', text: part.text });
      else if (part.type === 'file') {
        const mime = str(part.mime) ?? '';
        const url = str(part.url);
        if (url === null || mime === 'text/plain' || mime === 'application/x-directory') continue;
        content.push(mime.startsWith('image/') ? imageUrlPart(url) : { type: 'file', file: { filename: str(part.filename) ?? undefined, file_data: url, mime_type: mime } });
      } else if (part.type === 'compaction') content.push({ type: 'text', text: 'What did we do so far?' });
      else if (part.type === 'subtask') content.push({ type: 'text', text: 'The following tool was executed by the user' });
    }
    if (content.length === 0) return;
    this.messages.push({ role: 'user', content: partsContent(content) });
  }

  assistant(message: OpenCodeMessage, at: string, problems: string[]): void {
    const info = message.info;
    const wrote = message.parts.some((p) => p.type !== 'step-start' && p.type !== 'reasoning');
    const failed = info.error !== undefined && info.error !== null;
    this.error = failed ? `error: ${errorText(info.error)}` : null;
    if (failed && !(isObject(info.error) && info.error.name === 'MessageAbortedError' && wrote)) {
      const error = isObject(info.error) ? (str(info.error.name) ?? 'an error') : 'an error';
      problems.push(`${at}: the model call ended with ${error}; OpenCode does not send it to the model again, and it is left out`);
      return;
    }
    const model = str(info.modelID);
    if (model !== null) this.model ??= str(info.providerID) ? `${String(info.providerID)}/${model}` : model;
    this.finish = str(info.finish) ?? this.finish;
    let step: OpenCodePart[] = [];
    for (const part of message.parts) {
      if (part.type === 'step-start') {
        this.step(step);
        step = [];
      } else step.push(part);
    }
    this.step(step);
  }

  /** One model call: its assistant message, then its tool results. */
  private step(parts: readonly OpenCodePart[]): void {
    const texts: string[] = [];
    const reasoning: string[] = [];
    const calls: ToolCall[] = [];
    const results: ChatMessage[] = [];
    let usage: TokenUsage | undefined;
    for (const part of parts) {
      if (part.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      else if (part.type === 'reasoning' && typeof part.text === 'string') reasoning.push(part.text);
      else if (part.type === 'tool' && typeof part.tool === 'string') {
        const state = isObject(part.state) ? part.state : {};
        const callId = str(part.callID);
        calls.push({ id: callId, type: 'function', function: { name: part.tool, arguments: argumentsText(state.input) } });
        results.push({ role: 'tool', tool_call_id: callId, content: resultOf(state) });
      } else if (part.type === 'step-finish') usage = stepUsage(part.tokens);
    }
    if (texts.length === 0 && reasoning.length === 0 && calls.length === 0) return;
    const message = assistantReply(texts, reasoning, calls);
    this.messages.push(message, ...results);
    this.stats.push(callStats(usage, null));
  }
}

/** An assistant message's `error` as `NAME: message` (`data.message`, when it has one). */
function errorText(error: unknown): string {
  if (!isObject(error)) return typeof error === 'string' ? error : 'an error';
  const name = str(error.name) ?? 'an error';
  const message = isObject(error.data) ? str(error.data.message) : null;
  return message ? `${name}: ${message}` : name;
}

/** A completed call's attachments (file parts) named as placeholders, one a line; '' when it has none. */
function attachmentsText(attachments: unknown): string {
  if (!Array.isArray(attachments)) return '';
  const parts = attachments.filter(isObject).map((a) => {
    const url = str(a.url);
    return url !== null && (str(a.mime) ?? '').startsWith('image/') ? imageUrlPart(url) : { type: 'file' };
  });
  return contentAsText(parts);
}

/** What the model was sent for a tool part, as OpenCode sends it. */
function resultOf(state: Record<string, unknown>): string {
  if (state.status === 'completed') {
    const compacted = isObject(state.time) && state.time.compacted !== undefined && state.time.compacted !== null;
    if (compacted) return '[Old tool result content cleared]';
    return [str(state.output) ?? '', attachmentsText(state.attachments)].filter((t) => t !== '').join('\n');
  }
  if (state.status === 'error') {
    // A call the user interrupted keeps what it printed, and sends that.
    const metadata = isObject(state.metadata) ? state.metadata : {};
    if (metadata.interrupted === true && typeof metadata.output === 'string') return metadata.output;
    return raisedToolContent(str(state.error) ?? 'the tool failed');
  }
  return raisedToolContent('[Tool execution was interrupted]');
}

/** A step's `tokens` in the OpenAI names (see the top of this file). */
function stepUsage(tokens: unknown): TokenUsage | undefined {
  if (!isObject(tokens)) return undefined;
  const cache = isObject(tokens.cache) ? tokens.cache : {};
  const [input, output, reasoning, read, write, total] = [num(tokens.input), num(tokens.output), num(tokens.reasoning), num(cache.read), num(cache.write), num(tokens.total)];
  const prompt = input === null ? null : input + (read ?? 0) + (write ?? 0);
  const completion = total !== null && prompt !== null && total >= prompt ? total - prompt : output;
  const usage = recordedUsage(prompt, completion, total);
  if (!usage) return undefined;
  if (read) usage.prompt_tokens_details = { cached_tokens: read };
  if (reasoning) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}
