import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { base64ImagePart, contentAsText } from './content-parts.js';
import { argumentsText, isObject, num, raisedToolContent, recordedUsage, str } from './values.js';

// Gemini's `Content`s, `{role, parts}` as the Gemini API takes and returns them (a chat's
// `get_history()` dumped, a request's `contents`): `role` is `user` or `model`, each part one of
// `text` (a `thought` part's text is reasoning), `functionCall` (`{id?, name, args}`),
// `functionResponse` (`{id?, name, response}`, the output under `output` or the error under
// `error`, as the Gemini tools write it), `inlineData` (an image as a data URL). A model content is
// an assistant message with its calls; a user content's function responses are tool messages
// (named, so each pairs with its call when no id links them), then its other parts a user message.
// The Gemini CLI's session files hold the same parts (see import-gemini-cli.ts). The Python SDK's
// `model_dump()` writes the field names in snake case (`function_call`, `inline_data`): read the same.
// A function response's own `parts` (the images a tool returned) are named in its result's text
// (`[image: image/png, 12 KB]`). Code the model ran with the built-in code execution tool is an
// `executableCode` part (`{language, code}`) and its `codeExecutionResult` (`{outcome, output}`)
// in the same content: a call of `code_execution` with `{language, code}` as its arguments, and its
// result after the message, an outcome other than `OUTCOME_OK` (a failure, a timeout) as a tool
// that raised.

/** Gemini `PartListUnion` content as a list of parts; missing is none. */
export function partsOf(content: unknown): unknown[] {
  if (content == null) return [];
  return Array.isArray(content) ? content : [content];
}

/** The snake-case names of the Python SDK's `model_dump()`, for the part fields read here. */
const CAMEL_PART_KEYS: Record<string, string> = { function_call: 'functionCall', function_response: 'functionResponse', inline_data: 'inlineData', file_data: 'fileData', executable_code: 'executableCode', code_execution_result: 'codeExecutionResult' };

/** A part with the Python SDK's snake-case field names in the API's camel case (`mime_type` too); others as they are. */
function camelPart(part: unknown): unknown {
  if (!isObject(part) || !Object.keys(part).some((key) => key in CAMEL_PART_KEYS)) return part;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(part)) {
    const name = Object.hasOwn(CAMEL_PART_KEYS, key) ? CAMEL_PART_KEYS[key]! : key;
    out[name] = isObject(value) && 'mime_type' in value && !('mimeType' in value) ? { ...value, mimeType: value.mime_type } : value;
  }
  return out;
}

/**
 * A Gemini `usageMetadata` (`usage_metadata` in snake case) in the OpenAI names: the prompt its
 * `promptTokenCount` (cached ones included, as Gemini counts them, and shown apart), the
 * completion the candidates' and the thoughts' tokens together (the thoughts shown apart).
 */
export function usageMetadataOf(metadata: unknown): TokenUsage | undefined {
  if (!isObject(metadata)) return undefined;
  const field = (camel: string, snake: string): unknown => metadata[camel] ?? metadata[snake];
  const [candidates, thoughts, cached] = [num(field('candidatesTokenCount', 'candidates_token_count')), num(field('thoughtsTokenCount', 'thoughts_token_count')), num(field('cachedContentTokenCount', 'cached_content_token_count'))];
  const usage = recordedUsage(field('promptTokenCount', 'prompt_token_count'), candidates === null && thoughts === null ? null : (candidates ?? 0) + (thoughts ?? 0), field('totalTokenCount', 'total_token_count'));
  if (!usage) return undefined;
  if (cached) usage.prompt_tokens_details = { cached_tokens: cached };
  if (thoughts) usage.completion_tokens_details = { reasoning_tokens: thoughts };
  return usage;
}

/** The text of a text part (a string, or `{text}` that is not a thought), else null. */
function textOf(part: unknown): string | null {
  if (typeof part === 'string') return part;
  return isObject(part) && typeof part.text === 'string' && part.thought !== true ? part.text : null;
}

/** A Gemini part as a chat content part: text as text, an inline image as a data URL, others as they are. */
export function chatPart(part: unknown): unknown {
  const text = textOf(part);
  if (text !== null) return { type: 'text', text };
  if (isObject(part) && isObject(part.inlineData) && /^image\//.test(str(part.inlineData.mimeType) ?? '') && typeof part.inlineData.data === 'string') {
    return base64ImagePart(part.inlineData.mimeType as string, part.inlineData.data as string);
  }
  return part;
}

/** Parts as chat content: their text joined when all are text, else chat content parts. */
export function contentOf(parts: readonly unknown[]): ChatMessage['content'] {
  const texts = parts.map(textOf);
  if (texts.every((t) => t !== null)) return texts.join('');
  return parts.map(chatPart);
}

/** The tool message content of a `functionResponse`: its output text, or the error it raised. */
export function responseOutcome(response: unknown): { text: string; raised: boolean } {
  if (isObject(response) && 'error' in response && response.error != null) return { text: typeof response.error === 'string' ? response.error : JSON.stringify(response.error), raised: true };
  if (isObject(response) && 'output' in response) return { text: typeof response.output === 'string' ? response.output : JSON.stringify(response.output ?? ''), raised: false };
  return { text: typeof response === 'string' ? response : JSON.stringify(response ?? {}), raised: false };
}

/** The tool message content of a `functionResponse` with its own `parts` (images a tool returned) named after its output. */
export function functionResponseOutcome(response: Record<string, unknown>): { text: string; raised: boolean } {
  const outcome = responseOutcome(response.response);
  if (!Array.isArray(response.parts) || response.parts.length === 0) return outcome;
  const named = contentAsText(response.parts.map((part) => chatPart(camelPart(part))));
  return { ...outcome, text: [outcome.text, named].filter((t) => t !== '').join('\n') };
}

/** The built-in code execution tool, as its calls are named here. */
const CODE_EXECUTION = 'code_execution';

/** An `executableCode` part as a call of the code execution tool, or null for any other part. */
function codeCall(part: unknown): ToolCall | null {
  if (!isObject(part) || !isObject(part.executableCode)) return null;
  const { language, code } = part.executableCode;
  return { id: null, type: 'function', function: { name: CODE_EXECUTION, arguments: JSON.stringify({ language: language ?? null, code: code ?? '' }) } };
}

/** A `codeExecutionResult` part as the code execution tool's message (raised unless `OUTCOME_OK`), or null for any other part. */
function codeResult(part: unknown): ChatMessage | null {
  if (!isObject(part) || !isObject(part.codeExecutionResult)) return null;
  const outcome = str(part.codeExecutionResult.outcome);
  const output = str(part.codeExecutionResult.output) ?? '';
  const raised = outcome !== null && outcome !== 'OUTCOME_OK';
  const tool = toolMessage(null, raised && output.trim() === '' ? outcome : output, raised);
  tool.name = CODE_EXECUTION;
  return tool;
}

/** A tool message answering `callId`, recorded as raised when the call failed. */
export function toolMessage(callId: string | null, text: string, raised: boolean): ChatMessage {
  const message: ChatMessage = { role: 'tool', tool_call_id: callId, content: raised ? raisedToolContent(text) : text };
  if (raised) message.is_error = true;
  return message;
}

/** Whether a part is a Gemini one: no `type` (other APIs' parts have one), and a field only Gemini's parts have. */
function isGeminiPart(value: unknown): boolean {
  const part = camelPart(value);
  return isObject(part) && !('type' in part) && (typeof part.text === 'string' || isObject(part.functionCall) || isObject(part.functionResponse) || isObject(part.inlineData) || isObject(part.fileData) || isObject(part.executableCode) || isObject(part.codeExecutionResult));
}

/** True for a Gemini `Content`: a role, parts of Gemini's, and no `content` of its own. */
export function isGeminiContent(value: unknown): boolean {
  return isObject(value) && typeof value.role === 'string' && value.content == null && Array.isArray(value.parts) && value.parts.some(isGeminiPart);
}

/** A list holding Gemini `Content`s, each as the chat messages it stands for; other messages as they are. */
export function fromGeminiContents(list: readonly unknown[]): unknown[] {
  return list.flatMap((value): unknown[] => {
    if (!isGeminiContent(value)) return [value];
    const { role } = value as { role: string };
    const parts = (value as { parts: unknown[] }).parts.map(camelPart);
    if (role === 'model' || role === 'assistant') {
      const calls: ToolCall[] = [];
      const reasoning: string[] = [];
      const shown: unknown[] = [];
      const results: ChatMessage[] = [];
      for (const part of parts) {
        const call = isObject(part) && isObject(part.functionCall) ? part.functionCall : null;
        const ran = codeCall(part);
        const result = codeResult(part);
        if (call) calls.push({ id: str(call.id), type: 'function', function: { name: str(call.name) ?? '', arguments: argumentsText(call.args) } });
        else if (ran) calls.push(ran);
        else if (result) results.push(result);
        else if (isObject(part) && part.thought === true && typeof part.text === 'string') reasoning.push(part.text);
        else shown.push(part);
      }
      const content = contentOf(shown);
      const message: ChatMessage = { role: 'assistant', content: content === '' && calls.length > 0 ? null : content };
      if (reasoning.length > 0) message.reasoning_content = reasoning.join('\n\n');
      if (calls.length > 0) message.tool_calls = calls;
      return [message, ...results];
    }
    const out: ChatMessage[] = [];
    const rest: unknown[] = [];
    for (const part of parts) {
      const response = isObject(part) && isObject(part.functionResponse) ? part.functionResponse : null;
      if (!response) {
        rest.push(part);
        continue;
      }
      const { text, raised } = functionResponseOutcome(response);
      const tool = toolMessage(str(response.id), text, raised);
      if (typeof response.name === 'string') tool.name = response.name;
      out.push(tool);
    }
    if (rest.length > 0 || out.length === 0) out.push({ role, content: contentOf(rest) });
    return out;
  });
}
