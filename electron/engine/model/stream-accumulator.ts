/**
 * Streaming replies are accumulated here from the raw chunks (not with the SDK's `.stream()`
 * helper, which keeps only the last fragment of fields it does not know): content, tool-call
 * fragments by index, and the non-standard reasoning fields `reasoning_content`, `reasoning` and
 * `reasoning_details`.
 */
import type { AssistantReply, ReplyToolCall, TokenUsage } from '#shared/model/chat.js';
import type { ModelDelta, ModelResponse } from './model-client.js';

/** Where a stream was when it ended, for messages. */
export interface StreamProgress {
  chunks: number;
  where: string;
}

interface ChoiceAccumulator {
  content: string | null;
  toolCalls: Map<number, { id: unknown; type: string | null; name: string | null; arguments: string }>;
  reasoningContent?: string;
  reasoning?: string;
  reasoningDetails?: Array<Record<string, unknown>>;
  finishReason: string | null;
}

const CONCATENATED_DETAIL_KEYS = new Set(['text', 'summary']);

type RawChunk = {
  model?: unknown;
  usage?: unknown;
  choices?: Array<{ index?: unknown; delta?: Record<string, unknown> | null; finish_reason?: unknown }>;
};

/** Builds a chat completion from streamed chunks, reporting each piece to `onDelta` as it comes. */
export class StreamAccumulator {
  private readonly choices = new Map<number, ChoiceAccumulator>();
  private usage: TokenUsage | null = null;
  private model: string | undefined;

  constructor(
    private readonly progress: StreamProgress,
    private readonly onDelta: ((d: ModelDelta) => void) | undefined,
  ) {}

  private emit(delta: ModelDelta): void {
    if (!this.onDelta) return;
    try {
      this.onDelta(delta);
    } catch {
      // A live view's failure never fails the model call.
    }
  }

  /** True when at least one choice arrived and every choice has its finish_reason. */
  get finished(): boolean {
    return this.choices.size > 0 && [...this.choices.values()].every((c) => c.finishReason !== null);
  }

  get hasChoices(): boolean {
    return this.choices.size > 0;
  }

  add(raw: unknown): void {
    const progress = this.progress;
    progress.chunks += 1;
    const chunk = (raw ?? {}) as RawChunk;
    if (typeof chunk.model === 'string' && chunk.model) this.model = chunk.model;
    if (chunk.usage && typeof chunk.usage === 'object') this.usage = chunk.usage as TokenUsage;
    for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
      const index = typeof choice.index === 'number' ? choice.index : 0;
      let acc = this.choices.get(index);
      if (!acc) {
        acc = { content: null, toolCalls: new Map(), finishReason: null };
        this.choices.set(index, acc);
      }
      const delta = choice.delta ?? {};
      let reasoningShown = false;
      if (typeof delta.reasoning_content === 'string') {
        acc.reasoningContent = (acc.reasoningContent ?? '') + delta.reasoning_content;
        this.emit({ kind: 'reasoning', text: delta.reasoning_content });
        reasoningShown = true;
        progress.where = 'inside reasoning';
      }
      if (typeof delta.reasoning === 'string') {
        acc.reasoning = (acc.reasoning ?? '') + delta.reasoning;
        // Servers that send both fields send the same text twice: show it once.
        if (!reasoningShown) this.emit({ kind: 'reasoning', text: delta.reasoning });
        reasoningShown = true;
        progress.where = 'inside reasoning';
      }
      if (Array.isArray(delta.reasoning_details)) {
        acc.reasoningDetails ??= [];
        for (const item of delta.reasoning_details as unknown[]) {
          mergeReasoningDetail(acc.reasoningDetails, item);
          const text = item && typeof item === 'object' ? (item as { text?: unknown }).text : undefined;
          if (!reasoningShown && typeof text === 'string' && text) this.emit({ kind: 'reasoning', text });
        }
        progress.where = 'inside reasoning';
      }
      if (typeof delta.content === 'string') {
        acc.content = (acc.content ?? '') + delta.content;
        if (delta.content) {
          this.emit({ kind: 'content', text: delta.content });
          progress.where = 'inside content';
        }
      }
      if (Array.isArray(delta.tool_calls)) {
        for (const rawFragment of delta.tool_calls as unknown[]) {
          if (!rawFragment || typeof rawFragment !== 'object') continue;
          const fragment = rawFragment as { index?: unknown; id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } | null };
          const callIndex = typeof fragment.index === 'number' ? fragment.index : acc.toolCalls.size;
          let call = acc.toolCalls.get(callIndex);
          if (!call) {
            call = { id: null, type: null, name: null, arguments: '' };
            acc.toolCalls.set(callIndex, call);
          }
          // Any id is kept as sent (the reference stores `tc.id` whatever it is); an empty one
          // gives way to a later non-empty one.
          const id = fragment.id === undefined || fragment.id === null ? undefined : fragment.id;
          // A name is kept as sent, even empty (the reference then reports `Unknown tool ''`); an
          // empty one gives way to a later non-empty one, as an id does.
          const name = typeof fragment.function?.name === 'string' ? fragment.function.name : undefined;
          const args = typeof fragment.function?.arguments === 'string' ? fragment.function.arguments : undefined;
          if (id !== undefined && (call.id === null || (call.id === '' && id !== ''))) call.id = id;
          if (typeof fragment.type === 'string' && call.type === null) call.type = fragment.type;
          if (name !== undefined && (call.name === null || (call.name === '' && name !== ''))) call.name = name;
          if (args !== undefined) call.arguments += args;
          const report: ModelDelta = { kind: 'tool_call', index: callIndex };
          if (typeof id === 'string' && id) report.id = id;
          if (name) report.name = name;
          if (args !== undefined) report.arguments = args;
          this.emit(report);
          progress.where = `inside tool call ${callIndex}`;
        }
      }
      if (typeof choice.finish_reason === 'string' && choice.finish_reason) {
        acc.finishReason = choice.finish_reason;
        progress.where = 'after finish_reason';
      }
    }
  }

  result(): ModelResponse {
    const result: ModelResponse = {
      choices: [...this.choices.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, acc]) => ({ message: toMessage(acc), finish_reason: acc.finishReason })),
    };
    if (this.usage) result.usage = this.usage;
    if (this.model !== undefined) result.model = this.model;
    return result;
  }
}

function toMessage(acc: ChoiceAccumulator): AssistantReply {
  const toolCalls: ReplyToolCall[] = [...acc.toolCalls.entries()]
    .sort(([a], [b]) => a - b)
    // A call whose name never came stays nameless (null), as a non-streamed reply would have it.
    .map(([, call]) => ({ id: call.id as string | null, type: 'function', function: { name: call.name as string, arguments: call.arguments } }));
  const message: AssistantReply = { role: 'assistant', content: acc.content, tool_calls: toolCalls.length ? toolCalls : null };
  if (acc.reasoningContent !== undefined) message.reasoning_content = acc.reasoningContent;
  if (acc.reasoning !== undefined) message.reasoning = acc.reasoning;
  if (acc.reasoningDetails !== undefined) message.reasoning_details = acc.reasoningDetails;
  return message;
}

/**
 * Items that carry an `index` already seen are fragments of that item: their `text`/`summary`
 * is appended and their other non-null fields fill in or replace the earlier ones. Others are new.
 */
function mergeReasoningDetail(list: Array<Record<string, unknown>>, item: unknown): void {
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    list.push(item as Record<string, unknown>);
    return;
  }
  const fragment = item as Record<string, unknown>;
  const existing = typeof fragment.index === 'number' ? list.find((x) => x && x.index === fragment.index) : undefined;
  if (!existing) {
    list.push({ ...fragment });
    return;
  }
  for (const [key, value] of Object.entries(fragment)) {
    if (key === 'index' || value === undefined || value === null) continue;
    const before = existing[key];
    if (CONCATENATED_DETAIL_KEYS.has(key) && typeof value === 'string' && typeof before === 'string') {
      existing[key] = before + value;
    } else {
      existing[key] = value;
    }
  }
}

/** Where a stream was, for messages: `(after 3 chunks, inside content)`. */
export function describeProgress(progress: StreamProgress): string {
  if (progress.chunks === 0) return '(before the first chunk)';
  return `(after ${progress.chunks} chunk${progress.chunks === 1 ? '' : 's'}, ${progress.where})`;
}
