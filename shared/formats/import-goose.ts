import type { ChatMessage, ToolCall } from '../model/chat.js';
import { base64ImagePart, contentAsText } from './content-parts.js';
import { argumentsText, baseName, eachObjectLine, isObject, Misfit, raisedToolContent, str, type TextImport } from './import-common.js';
import type { Trajectory } from './trajectory.js';

// Goose session files (`~/.local/share/goose/sessions/*.jsonl`, before sessions moved to a
// database): the session's metadata on the first line (`working_dir`, `description`, token
// counts), then one message per line, `{role, created, content}`, `content` a list of blocks:
//
// - `text` is the message's text, `thinking` (and `redactedThinking`) the assistant's reasoning;
// - `toolRequest` is a call, `{id, toolCall}`: `toolCall` is `{status: "success", value: {name,
//   arguments}}`, or `{status: "error", error}` when the model's call could not be read;
// - `toolResponse` is its result, `{id, toolResult}`: `{status: "success", value}` with the
//   content list as `value` (or `value.content`), or `{status: "error", error}`. Goose writes the
//   responses in a user message, as Anthropic's API takes them; each is a tool message here,
//   before the message's other blocks. An error is recorded as the reference loop records a tool
//   that raised, and keeps `is_error`. So is a success whose value is an MCP call result with
//   `isError: true`: the call went through, but the tool reported a failure (a test run that
//   failed), and Goose sends it to the model as an error.
// - An `image` block of a user message (`{data, mimeType}`, a pasted screenshot) is an `image_url`
//   part with its data URL, after the message's text.
//
// Other blocks (an assistant's images, confirmations, notices to the user) are listed as left out.

const FORMAT = 'goose-session';

/** True for a Goose session's first line: its metadata, with `working_dir` and `description`. */
export function isGooseSessionHead(record: unknown): boolean {
  return isObject(record) && typeof record.working_dir === 'string' && 'description' in record && !('role' in record) && !('messages' in record);
}

/** The text of a tool result: its content list (`value`, or `value.content`), text items joined, others as placeholders. */
function resultText(value: unknown): string {
  return contentAsText(isObject(value) && Array.isArray(value.content) ? value.content : value);
}

/** A Goose session file: one trajectory. */
export function importGooseSession(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  const messages: ChatMessage[] = [];
  let head: Record<string, unknown> | null = null;
  let line = 0;
  const read = eachObjectLine(text, fileName, problems, (value) => {
    line += 1;
    if (head === null && line === 1 && isGooseSessionHead(value)) {
      head = value;
      return;
    }
    const role = str(value.role);
    if ((role !== 'user' && role !== 'assistant') || !Array.isArray(value.content)) throw new Misfit('not a message (role user or assistant, with a content list); the line is left out');
    const at = str(value.id) ?? `message ${line}`;
    const texts: string[] = [];
    const images: unknown[] = [];
    const reasoning: string[] = [];
    const calls: ToolCall[] = [];
    const results: ChatMessage[] = [];
    for (const block of value.content as unknown[]) {
      const type = isObject(block) ? str(block.type) : null;
      if (!isObject(block) || type === null) continue;
      if (type === 'text' && typeof block.text === 'string') texts.push(block.text);
      else if (type === 'thinking' && typeof block.thinking === 'string') reasoning.push(block.thinking);
      else if (type === 'toolRequest') {
        const call = isObject(block.toolCall) ? block.toolCall : {};
        const value = isObject(call.value) ? call.value : null;
        if (call.status === 'success' && value && typeof value.name === 'string') {
          calls.push({ id: str(block.id), type: 'function', function: { name: value.name, arguments: argumentsText(value.arguments) } });
        } else {
          problems.push(`${fileName}: ${at}: a tool request Goose could not read (${str(call.error) ?? 'no call'}); left out`);
        }
      } else if (type === 'toolResponse') {
        const result = isObject(block.toolResult) ? block.toolResult : {};
        const failed = result.status !== 'success' || (isObject(result.value) && result.value.isError === true);
        const tool: ChatMessage = { role: 'tool', tool_call_id: str(block.id), content: failed ? raisedToolContent(str(result.error) ?? resultText(result.value)) : resultText(result.value) };
        if (failed) tool.is_error = true;
        results.push(tool);
      } else if (type === 'image' && role === 'user' && typeof block.data === 'string') {
        images.push(base64ImagePart(str(block.mimeType) ?? 'image/png', String(block.data)));
      } else problems.push(`${fileName}: ${at}: ${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type} block is not shown; left out`);
    }
    messages.push(...results);
    if (role === 'assistant' && (texts.length > 0 || calls.length > 0 || reasoning.length > 0)) {
      const message: ChatMessage = { role: 'assistant', content: texts.join('\n') };
      if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n');
      if (calls.length > 0) message.tool_calls = calls;
      messages.push(message);
    } else if (role === 'user' && images.length > 0) {
      messages.push({ role: 'user', content: [...texts.map((t) => ({ type: 'text', text: t })), ...images] });
    } else if (role === 'user' && texts.length > 0) messages.push({ role: 'user', content: texts.join('\n') });
  });
  if (read === 0) throw new Misfit(`no line could be read${problems[0] ? `; first: ${problems[0]}` : ''}`);
  const meta: Record<string, unknown> = head ?? {};
  const t: Trajectory = { id: str(meta.id) ?? baseName(fileName), model: null, messages, reward: null, recorded: {}, source: { format: FORMAT, index: 0 } };
  return { trajectories: [t], problems };
}
