import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { exceptionOutcome } from '../loop/tool-outcome.js';
import type { CallStats } from './trajectory.js';

// Readers of the plain JSON values trajectory files hold, used by every importer. They live apart
// from import-common.ts so that the framework message conversions (LangChain's, AutoGen's), which
// import-common itself runs, can use them without importing it back.

/** The value when it is a string, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** The value when it is a finite number, else null. */
export function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tool call arguments as the string the model sent (parsed objects back to JSON). */
export function argumentsText(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

/**
 * A model call's token counts as a file records them (under whatever names, as numbers or their
 * text), in the OpenAI names the views read; undefined when it records none. The total is the sum
 * when not recorded.
 */
export function recordedUsage(prompt: unknown, completion: unknown, total?: unknown): TokenUsage | undefined {
  // Some keep the counts as text (OpenTelemetry attributes stored by Langfuse).
  const count = (v: unknown): number | null => num(v) ?? (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);
  const [p, c, t] = [count(prompt), count(completion), count(total)];
  if (p === null && c === null && t === null) return undefined;
  const usage: TokenUsage = {};
  if (p !== null) usage.prompt_tokens = p;
  if (c !== null) usage.completion_tokens = c;
  const sum = t ?? (p !== null && c !== null ? p + c : null);
  if (sum !== null) usage.total_tokens = sum;
  return usage;
}

/**
 * A usage record in the OpenAI names (`prompt_tokens`, `completion_tokens`, `total_tokens`) or the
 * Anthropic ones (`input_tokens`, `output_tokens`), as many frameworks keep a reply's; undefined
 * for anything else.
 */
export function namedUsage(record: unknown): TokenUsage | undefined {
  if (!isObject(record)) return undefined;
  return recordedUsage(record.prompt_tokens ?? record.input_tokens, record.completion_tokens ?? record.output_tokens, record.total_tokens);
}

/**
 * A framework's message list as chat messages: each value `read` recognises becomes the messages
 * `convert` gives for it, and its reply's usage goes into `usage` at the place of the first of them
 * (the reply; results follow it); other values pass through as they are.
 */
export function convertMessages<F>(list: readonly unknown[], read: (value: unknown) => F | null, convert: (fields: F) => { messages: unknown[]; usage?: TokenUsage }, usage?: Map<number, TokenUsage>): unknown[] {
  const out: unknown[] = [];
  for (const value of list) {
    const fields = read(value);
    if (fields === null) {
      out.push(value);
      continue;
    }
    const converted = convert(fields);
    if (converted.usage) usage?.set(out.length, converted.usage);
    out.push(...converted.messages);
  }
  return out;
}

/** A model call's usage and duration as the stats a turn shows; null when neither is recorded. */
export function callStats(usage: TokenUsage | undefined, latencyMs: number | null): CallStats | null {
  if (!usage && latencyMs === null) return null;
  return { ...(usage ? { usage } : {}), ...(latencyMs !== null ? { latencyMs } : {}) };
}

/**
 * The tool message content the reference loop records for a tool that raised
 * (`json.dumps({"error": f"Tool execution failed: {errorText}"})`), so that `deriveAgentResult`
 * counts it as an exec error with `errorText` in `tool_errors`.
 */
export function raisedToolContent(errorText: string): string {
  return exceptionOutcome(0, '', '', errorText).result;
}

/**
 * The assistant message of one model call from what a format records of it: its text pieces
 * joined (null content when it only called tools, as the OpenAI API has it), its reasoning pieces
 * (when any holds more than whitespace) and its calls.
 */
export function assistantReply(texts: readonly string[], reasoning: readonly string[], calls: readonly ToolCall[]): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content: texts.length === 0 && calls.length > 0 ? null : texts.join('') };
  if (reasoning.some((r) => r.trim() !== '')) message.reasoning_content = reasoning.join('\n\n');
  if (calls.length > 0) message.tool_calls = [...calls];
  return message;
}

const THINK = /^\s*<think>\n?([\s\S]*?)\n?<\/think>\n?/;

/**
 * A model's text that opens with a `<think>` block (Qwen3, DeepSeek-R1 and the models trained on
 * their data) as that block, the reasoning (null when it holds only whitespace), and the text after
 * it: the reply the user reads.
 */
export function splitThink(value: string): { reasoning: string | null; text: string } {
  const think = THINK.exec(value);
  if (!think) return { reasoning: null, text: value };
  return { reasoning: think[1]!.trim() === '' ? null : think[1]!, text: value.slice(think[0].length) };
}
