/**
 * The OpenAI chat message shapes the reference loop reads and writes. Field names are the wire
 * names (snake_case) so that trajectories round-trip byte for byte.
 */

/** A tool call as the reference stores it on an assistant message. */
export interface ToolCall {
  id: string | null;
  type: 'function';
  function: { name: string; arguments: string };
}

/** One chat message of a trajectory. Unknown fields are kept as they came. */
export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_calls?: ToolCall[];
  tool_call_id?: string | null;
  reasoning_content?: string;
  [field: string]: unknown;
}

/** An OpenAI function tool schema, as sent in a request's `tools`. */
export interface ToolSchema {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; [field: string]: unknown };
  [field: string]: unknown;
}

/** A tool call fragment as a server returns it on an assistant message (before the loop stores it). */
export interface ReplyToolCall {
  id?: string | null;
  type?: string;
  function: { name: string; arguments: string };
}

/**
 * An assistant message as a server returns it: `content`, `tool_calls` and whichever reasoning
 * field the provider uses (`reasoning_content`, `reasoning`, `reasoning_details`).
 */
export interface AssistantReply {
  role?: string;
  content?: unknown;
  tool_calls?: ReplyToolCall[] | null;
  reasoning_content?: unknown;
  reasoning?: unknown;
  reasoning_details?: unknown;
  [field: string]: unknown;
}

/** Token usage as reported by the server, when it reports it. */
export interface TokenUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  [field: string]: unknown;
}
