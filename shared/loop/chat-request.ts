import { z } from 'zod';
import { chatMessageSchema, toolSchemaSchema, type ChatMessage, type ToolSchema } from '../model/chat.js';

/**
 * The keyword arguments the reference passes to `server.chat_completion` each turn, in its key
 * order: `messages`, `n=1`, `temperature`, then `tools` when it has tool schemas and `max_tokens`
 * when it has a limit. `model` is set only when the user chose another model for one call (the
 * client's own model is used otherwise).
 */
export const chatRequestSchema = z.lazy(() => z.object({
  messages: z.array(chatMessageSchema),
  n: z.literal(1),
  temperature: z.number(),
  tools: z.array(toolSchemaSchema).optional(),
  max_tokens: z.number().int().positive().optional(),
  model: z.string().min(1).optional(),
}));
/** One chat request as the loop sends it. */
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** What a turn's chat request is built from. */
export interface ChatRequestParts {
  messages: readonly ChatMessage[];
  temperature: number;
  /** null: no `max_tokens` (the reference's default). */
  maxTokens: number | null;
  /** Sent as `tools` only when there are any, as the reference does. */
  tools: readonly ToolSchema[];
  model?: string;
}

/** The chat request of a turn, as the reference's `chat_kwargs` (key order included). */
export function buildChatRequest(parts: ChatRequestParts): ChatRequest {
  const request: ChatRequest = { messages: [...parts.messages], n: 1, temperature: parts.temperature };
  if (parts.tools.length > 0) request.tools = [...parts.tools];
  if (parts.maxTokens !== null) request.max_tokens = parts.maxTokens;
  if (parts.model !== undefined) request.model = parts.model;
  return request;
}

/** The request parameters a run records with each prompt view (the messages are the view itself). */
export const requestParamsSchema = z.lazy(() => z.object({ n: z.literal(1), temperature: z.number(), max_tokens: z.number().int().optional(), tools: z.boolean() }));
/** The request parameters a run records with each prompt view. */
export type RequestParams = z.infer<typeof requestParamsSchema>;

/** The parameters of a request as the run file records them. */
export function requestParamsOf(request: ChatRequest): RequestParams {
  return { n: 1, temperature: request.temperature, ...(request.max_tokens !== undefined ? { max_tokens: request.max_tokens } : {}), tools: request.tools !== undefined };
}

/** A turn's request rebuilt from what a run records: the messages sent, its parameters and the run's tools. */
export function recordedChatRequest(sent: readonly ChatMessage[], params: Omit<RequestParams, 'n'>, tools: readonly ToolSchema[]): ChatRequest {
  return buildChatRequest({ messages: sent, temperature: params.temperature, maxTokens: params.max_tokens ?? null, tools: params.tools ? tools : [] });
}

/** A sampling temperature the user may ask for: the one rule of the New run form, a resample and an edited model call. */
export const temperatureSchema = z.number().min(0).max(2);
/** A cap on the reply's tokens the user may ask for; null sends none (the server's default). */
export const maxTokensSchema = z.number().int().positive().nullable();

/**
 * What the user changed in one model call (paused before it, or asking the model once): each
 * field left out stays as the loop built it. `maxTokens: null` removes the limit.
 */
export const modelCallEditSchema = z.lazy(() => z.object({
  model: z.string().min(1).optional(),
  temperature: temperatureSchema.optional(),
  maxTokens: maxTokensSchema.optional(),
  messages: z.array(chatMessageSchema).min(1).optional(),
  tools: z.array(toolSchemaSchema).optional(),
}));
/** What the user changed in one model call. */
export type ModelCallEdit = z.infer<typeof modelCallEditSchema>;

/** True when the edit changes nothing. */
export function isEmptyEdit(edit: ModelCallEdit): boolean {
  return Object.values(edit).every((value) => value === undefined);
}

/** The request with the user's edit applied, built as the loop builds every request. */
export function applyModelCallEdit(request: ChatRequest, edit: ModelCallEdit): ChatRequest {
  const model = edit.model ?? request.model;
  return buildChatRequest({
    messages: edit.messages ?? request.messages,
    temperature: edit.temperature ?? request.temperature,
    maxTokens: edit.maxTokens !== undefined ? edit.maxTokens : (request.max_tokens ?? null),
    tools: edit.tools ?? request.tools ?? [],
    ...(model !== undefined ? { model } : {}),
  });
}

/** What an edit changed, in words ("temperature 0.2, messages"), for marks and titles. */
export function describeModelCallEdit(edit: ModelCallEdit): string {
  const parts: string[] = [];
  if (edit.model !== undefined) parts.push(`model ${edit.model}`);
  if (edit.temperature !== undefined) parts.push(`temperature ${edit.temperature}`);
  if (edit.maxTokens !== undefined) parts.push(edit.maxTokens === null ? 'no max tokens' : `max tokens ${edit.maxTokens}`);
  if (edit.messages !== undefined) parts.push('messages');
  if (edit.tools !== undefined) parts.push(edit.tools.length === 0 ? 'no tools' : 'tools');
  return parts.join(', ');
}
