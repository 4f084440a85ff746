import type { AssistantReply, TokenUsage } from '#shared/model/chat.js';

/** The keyword arguments the reference passes to `server.chat_completion` each turn (see shared/loop/chat-request.ts). */
export type { ChatRequest } from '#shared/loop/chat-request.js';
import type { ChatRequest } from '#shared/loop/chat-request.js';

/** A piece of a streamed reply, reported as it arrives (for live views; never needed for the result). */
export type ModelDelta =
  | { kind: 'content'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool_call'; index: number; id?: string; name?: string; arguments?: string };

/** A chat completion as the loop reads it: `choices[0].message`, plus what the run file records. */
export interface ModelResponse {
  choices: Array<{ message: AssistantReply; finish_reason?: string | null }>;
  usage?: TokenUsage | null;
  model?: string;
}

export interface ModelCallOptions {
  signal?: AbortSignal;
  onDelta?: (delta: ModelDelta) => void;
}

/**
 * What the loop needs from a model server: the reference's `server.chat_completion`. A rejected
 * promise is a failed model call (the run ends); a response without choices ends it too.
 */
export interface ModelClient {
  chatCompletion(request: ChatRequest, options?: ModelCallOptions): Promise<ModelResponse | null>;
}
