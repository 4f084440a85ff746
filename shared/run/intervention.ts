import { z } from 'zod';
import type { ChatMessage, ToolCall } from '../model/chat.js';

/**
 * What the user did to a tool call that had not run yet, while the run was paused before its
 * tools (or on a tool error before the later calls of the turn): ran it with arguments of their
 * own (`edit`), or skipped it (`skip`: the model gets a tool error saying so). `modelArguments`
 * are the raw arguments the model sent; `arguments` the raw arguments the tool ran with.
 */
export const toolCallInterventionSchema = z.lazy(() => z.discriminatedUnion('action', [
  z.object({ action: z.literal('edit'), modelArguments: z.string(), arguments: z.string() }),
  z.object({ action: z.literal('skip'), modelArguments: z.string() }),
]));
export type ToolCallIntervention = z.infer<typeof toolCallInterventionSchema>;

/** What the user asks of a pending tool call (the API's request; the model's arguments are the engine's to add). */
export const toolCallInterventionRequestSchema = z.lazy(() => z.discriminatedUnion('action', [
  z.object({ action: z.literal('edit'), arguments: z.string() }),
  z.object({ action: z.literal('skip') }),
]));
export type ToolCallInterventionRequest = z.infer<typeof toolCallInterventionRequestSchema>;

/** The words every view and report uses for a call the user changed at a breakpoint. */
export function interventionText(intervention: Pick<ToolCallIntervention, 'action'>): string {
  return intervention.action === 'edit' ? 'edited at breakpoint' : 'skipped at breakpoint';
}

/**
 * The key that marks such a call in exported chat messages (AgentResult JSON, OpenAI messages):
 * set on the tool call object, `{"action": "edit" | "skip", "model_arguments": "..."}`, beside
 * the arguments that ran. Chat templates and OpenAI-style readers ignore keys they do not know.
 */
export const INTERVENTION_MARK_KEY = 'edited_at_breakpoint';

/** The mark {@link INTERVENTION_MARK_KEY} holds. */
export const interventionMarkSchema = z.lazy(() => z.object({ action: z.enum(['edit', 'skip']), model_arguments: z.string() }));
export type InterventionMark = z.infer<typeof interventionMarkSchema>;

/** The mark of a tool call in an exported message, or null when it has none (or one that does not read). */
export function interventionMarkOf(call: ToolCall): InterventionMark | null {
  const parsed = interventionMarkSchema.safeParse((call as Record<string, unknown>)[INTERVENTION_MARK_KEY]);
  return parsed.success ? parsed.data : null;
}

/** One call's intervention, placed in the trajectory: the index of its assistant message and its position there. */
export interface PlacedIntervention {
  messageIndex: number;
  callIndex: number;
  intervention: ToolCallIntervention;
}

/**
 * The trajectory with each changed call marked ({@link INTERVENTION_MARK_KEY}); messages without
 * one are shared, not copied. The run's own messages (what the model is sent) never carry marks.
 */
export function markInterventions(messages: readonly ChatMessage[], placed: readonly PlacedIntervention[]): ChatMessage[] {
  if (placed.length === 0) return messages as ChatMessage[];
  const out = messages.slice();
  for (const { messageIndex, callIndex, intervention } of placed) {
    const message = out[messageIndex];
    const call = message?.tool_calls?.[callIndex];
    if (!message || !call) continue;
    const mark: InterventionMark = { action: intervention.action, model_arguments: intervention.modelArguments };
    const calls = message.tool_calls!.slice();
    calls[callIndex] = { ...call, [INTERVENTION_MARK_KEY]: mark };
    out[messageIndex] = { ...message, tool_calls: calls };
  }
  return out;
}
