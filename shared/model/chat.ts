import { z } from 'zod';

/**
 * The OpenAI chat message shapes the reference loop reads and writes. Field names are the wire
 * names (snake_case) so that trajectories round-trip byte for byte. These schemas are the one
 * declaration of each shape: every boundary (API, run files, CLI input files) parses with them and
 * the types are inferred from them. Unknown fields are kept as they came (loose objects).
 */

// The reference keeps any id the model sent (a number, `""`) and a missing name (null).
const callIdSchema = z.union([z.string(), z.number()]).nullable();
const calledFunctionSchema = z.looseObject({ name: z.string().nullable(), arguments: z.string() });

/**
 * A tool call as the reference stores it on an assistant message: id and name as the model sent
 * them. A recorded call may lack an id (truncation then falls back to `tool_call_id`).
 */
export const toolCallSchema = z.looseObject({
  id: callIdSchema.optional(),
  type: z.literal('function'),
  function: calledFunctionSchema,
});
/** A tool call as the reference stores it on an assistant message. */
export type ToolCall = z.infer<typeof toolCallSchema>;

/** One chat message of a trajectory: a role, the rest as it came. */
export const chatMessageSchema = z.looseObject({
  role: z.string(),
  content: z.unknown().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: callIdSchema.optional(),
  // Whatever truthy value the provider's reasoning field held: the reference stores it as is.
  reasoning_content: z.unknown().optional(),
});
/** One chat message of a trajectory. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * An OpenAI function tool schema, as sent in a request's `tools`. The reference sends its list as
 * given and checks nothing in it; the engine needs a function name (which may be empty).
 */
export const toolSchemaSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});
/** An OpenAI function tool schema. */
export type ToolSchema = z.infer<typeof toolSchemaSchema>;

/** A tool call fragment as a server returns it on an assistant message (before the loop stores it). */
export const replyToolCallSchema = z.looseObject({
  id: callIdSchema.optional(),
  type: z.string().optional(),
  function: calledFunctionSchema,
});
/** A tool call fragment as a server returns it. */
export type ReplyToolCall = z.infer<typeof replyToolCallSchema>;

/**
 * An assistant message as a server returns it: `content`, `tool_calls` and whichever reasoning
 * field the provider uses (`reasoning_content`, `reasoning`, `reasoning_details`).
 */
export const assistantReplySchema = z.looseObject({
  role: z.string().optional(),
  content: z.unknown().optional(),
  tool_calls: z.array(replyToolCallSchema).nullable().optional(),
  reasoning_content: z.unknown().optional(),
  reasoning: z.unknown().optional(),
  reasoning_details: z.unknown().optional(),
});
/** An assistant message as a server returns it. */
export type AssistantReply = z.infer<typeof assistantReplySchema>;

/** Token usage as reported by the server, when it reports it. */
export const tokenUsageSchema = z.looseObject({
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  total_tokens: z.number().optional(),
});
/** Token usage as reported by the server. */
export type TokenUsage = z.infer<typeof tokenUsageSchema>;
