import { z } from 'zod';
import { assistantReplySchema, chatMessageSchema, tokenUsageSchema, toolSchemaSchema } from '../model/chat.js';
import { toolCallStatusSchema, toolErrorSchema } from '../loop/tool-outcome.js';
import { maxTokensSchema, modelCallEditSchema, requestParamsSchema, temperatureSchema } from '../loop/chat-request.js';
import { contradictionSchema, evaluationSchema, trajectoryGroupSchema } from '../formats/trajectory-details.js';
import { toolCallInterventionSchema } from './intervention.js';

/**
 * A run is an append-only log of these events. The trajectory, the `AgentResult`, each turn's
 * prompt view and the metrics are all derived from it (see run-state.ts). Every event crossing a
 * process boundary or read from a file is validated with {@link runEventSchema}.
 */

const ranges = z.lazy(() => z.array(z.tuple([z.number().int(), z.number().int()])));

/** Schema of a stored prompt view (see shared/loop/truncate.ts). */
export const promptViewSchema = z.lazy(() => z.object({
  /** Length of the trajectory when the view was built; the view covers indices below it. */
  messageCount: z.number().int().nonnegative(),
  /** `max_context_tokens`, or null when there is no budget. */
  budget: z.number().int().nullable(),
  /** `none`: sent whole; `shortened`: phase 1 sufficed; `dropped`: phase 2 dropped messages. */
  phase: z.enum(['none', 'shortened', 'dropped']),
  /** The reference's estimate of the whole trajectory at that point. */
  fullTokens: z.number(),
  /** The reference's estimate of the messages sent. */
  estimatedTokens: z.number(),
  /** Trajectory indices left out of the prompt (half-open ranges). */
  dropped: ranges,
  /** Trajectory indices of tool results sent shortened. */
  shortened: z.array(z.number().int()),
  /**
   * Messages the estimate cannot measure (content the reference's `len()` refuses), counted as 0
   * tokens: only without a budget, where the reference estimates nothing; absent when none.
   */
  unestimated: z.number().int().positive().optional(),
}));

/**
 * The loop's settings, as the reference's `HermesAgentLoop` takes them. No secrets here. Zero and
 * negative turn counts and budgets are the reference's too (no turn; everything truncatable cut).
 */
export const loopConfigSchema = z.lazy(() => z.object({
  maxTurns: z.number().int(),
  temperature: z.number(),
  maxTokens: z.number().int().positive().nullable(),
  maxContextTokens: z.number().int().nullable(),
  taskId: z.string(),
}));
export type LoopConfig = z.infer<typeof loopConfigSchema>;

/**
 * What a branch changes at its fork. Turns are the parent's turn numbers; the branch keeps the
 * parent's trajectory before the change and re-executes everything after it (model and tools).
 * - `tool_arguments`: turn N's tool calls with edited raw arguments; the tools of turn N run again.
 * - `resample`: call the model again with turn N's prompt (optionally another temperature or max tokens).
 * - `assistant_message`: turn N's reply replaced (text and tool calls); its tools run again.
 * - `tool_result`: one tool result of turn N replaced; the loop continues from turn N + 1.
 * - `prompt`: the system and user prompt replaced; the loop runs from turn 1.
 * - `asked_once`: turn N's reply replaced by one the model gave when asked once (with `edit`
 *   applied to turn N's call); its tools run, and the loop continues.
 * - `skipped_call`: tool call `index` of turn N skipped before it ran, as Skip call at a
 *   breakpoint does (the model gets the tool error saying the user skipped it); the turn's other
 *   calls run again, and the loop continues.
 */
export const branchChangeSchema = z.lazy(() => z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('tool_arguments'),
    turn: z.number().int().positive(),
    arguments: z.array(z.object({ index: z.number().int().nonnegative(), arguments: z.string() })).min(1),
  }),
  z.object({ kind: z.literal('resample'), turn: z.number().int().positive(), temperature: temperatureSchema.optional(), maxTokens: maxTokensSchema.optional() }),
  z.object({
    kind: z.literal('assistant_message'),
    turn: z.number().int().positive(),
    content: z.string(),
    toolCalls: z.array(z.object({ id: z.union([z.string(), z.number()]).nullable(), name: z.string().min(1), arguments: z.string() })).default([]),
  }),
  z.object({ kind: z.literal('tool_result'), turn: z.number().int().positive(), index: z.number().int().nonnegative(), content: z.string() }),
  z.object({ kind: z.literal('prompt'), system: z.string(), user: z.string().min(1) }),
  z.object({
    kind: z.literal('asked_once'),
    turn: z.number().int().positive(),
    reply: assistantReplySchema,
    edit: modelCallEditSchema.default({}),
    latencyMs: z.number().nonnegative().default(0),
    usage: tokenUsageSchema.nullable().default(null),
    model: z.string().optional(),
  }),
  z.object({ kind: z.literal('skipped_call'), turn: z.number().int().positive(), index: z.number().int().nonnegative() }),
]));
export type BranchChange = z.infer<typeof branchChangeSchema>;

/** Where a run came from: the model endpoint (never its key) and the tool sources. */
export const runSourceSchema = z.lazy(() => z.object({
  model: z.string().optional(),
  baseURL: z.string().optional(),
  stream: z.boolean().optional(),
  toolSources: z.array(z.string()).optional(),
  replayOf: z.string().optional(),
  /** The run this one continues (a branch), and the last turn of it that this one kept. */
  parentRunId: z.string().optional(),
  forkTurn: z.number().int().nonnegative().optional(),
  /** What a branch changed at its fork (see {@link branchChangeSchema}). */
  change: branchChangeSchema.optional(),
  /** A trajectory opened from a file, shown as a run. */
  imported: z
    .object({
      fileId: z.string(),
      path: z.string(),
      index: z.number().int().nonnegative(),
      trajectoryId: z.string(),
      format: z.string(),
      /** The AgentResult fields the file records, as it records them; the rest are derived. */
      recorded: z.record(z.string(), z.unknown()),
      derived: z.array(z.string()),
      /** Turns whose exact prompt the file records (1-based). */
      recordedPromptTurns: z.array(z.number().int().positive()),
      reward: z.number().nullable(),
      /** Recorded fields the messages contradict: shown as recorded, marked, and not used as counts. */
      contradicted: z.array(contradictionSchema).optional(),
      /** How the file says the run ended, in its own words (an exit status, a limit, an end reason). */
      stopReason: z.string().nullable().optional(),
      /** Parts of the trajectory the importer could not read and left out. */
      problems: z.array(z.string()).optional(),
      /** The rollout's group (several rollouts of one prompt, each with its score). */
      group: trajectoryGroupSchema.optional(),
      /** What an evaluation recorded about the sample: target, scores with explanations, metadata. */
      evaluation: evaluationSchema.optional(),
    })
    .optional(),
}));

/** How a run came to an end. */
export const endReasonSchema = z.enum([
  'finished_naturally', // a reply without tool calls
  'max_turns', // the loop ran out of turns
  'model_error', // the model call failed (turns_used is that turn)
  'empty_response', // a response without choices (turns_used is that turn)
  'stopped', // the user stopped it
  'failed', // the engine itself failed (a bug or bad input); the error says why
  'recording_ended', // an opened trajectory: the file records no more turns
]);
export type EndReason = z.infer<typeof endReasonSchema>;

/**
 * Where a paused run waits. `approval`: before a tool call whose command needs the user's
 * decision (the terminal tool when the run asks before each command); only a decision ends it.
 */
export const pausePointSchema = z.enum(['before_model', 'before_tools', 'tool_error', 'approval']);
export type PausePoint = z.infer<typeof pausePointSchema>;

/** What the user decides about a command that waits: run it, run an edited one, or refuse it. */
/** Where a run stops by itself for the user to look (a debugger's breakpoints); all off by default. */
export const breakpointsSchema = z.lazy(() => z.object({
  beforeModel: z.boolean().default(false),
  beforeTools: z.boolean().default(false),
  onToolError: z.boolean().default(false),
}));
/** The breakpoints as a run applies them (every flag set). */
export type Breakpoints = z.infer<typeof breakpointsSchema>;
/** Breakpoints as a caller may give them (flags left out are off). */
export type BreakpointsInput = z.input<typeof breakpointsSchema>;

/** The user's decision on a terminal command that waits for approval. */
export const approvalDecisionSchema = z.enum(['approve', 'edit', 'reject']);
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>;

/** A tool call waiting for approval: its position in the turn's reply, its tool and its command. */
export const pendingApprovalSchema = z.lazy(() => z.object({ index: z.number().int().nonnegative(), tool: z.string(), command: z.string() }));
export type PendingApproval = z.infer<typeof pendingApprovalSchema>;

/**
 * How the user decided on a tool call that waited: `command` is what ran (the edited command for
 * `edit`), or the model's command that was refused (`reject`).
 */
export const toolCallApprovalSchema = z.lazy(() => z.object({ decision: approvalDecisionSchema, command: z.string() }));
export type ToolCallApproval = z.infer<typeof toolCallApprovalSchema>;


const base = { runId: z.string(), seq: z.number().int().nonnegative(), time: z.number() };
const turn = z.number().int().positive();

/** Every event of a run. `model_delta` is live-only: run files do not keep it. */
export const runEventSchema = z.lazy(() => z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('run_started'),
    format: z.literal('trajdbg-run/1'),
    config: loopConfigSchema,
    source: runSourceSchema,
    tools: z.array(toolSchemaSchema),
    validToolNames: z.array(z.string()),
    messages: z.array(chatMessageSchema),
  }),
  z.object({ ...base, type: z.literal('turn_started'), turn }),
  z.object({
    ...base,
    type: z.literal('prompt_view'),
    turn,
    view: promptViewSchema,
    request: requestParamsSchema,
  }),
  z.object({
    ...base,
    type: z.literal('model_delta'),
    turn,
    delta: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('content'), text: z.string() }),
      z.object({ kind: z.literal('reasoning'), text: z.string() }),
      z.object({ kind: z.literal('tool_call'), index: z.number().int(), id: z.string().optional(), name: z.string().optional(), arguments: z.string().optional() }),
    ]),
  }),
  z.object({
    ...base,
    type: z.literal('model_reply'),
    turn,
    message: assistantReplySchema,
    /** How long the call took; null when a recorded trajectory does not say. */
    latencyMs: z.number().nullable(),
    usage: tokenUsageSchema.nullable().optional(),
    finishReason: z.string().nullable().optional(),
    model: z.string().optional(),
    /** The reply was given by the user (a branch's edited reply), not returned by the model. */
    edited: z.boolean().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('model_failed'),
    turn,
    kind: z.enum(['error', 'empty']),
    error: z.string(),
    status: z.number().int().optional(),
    code: z.string().optional(),
    latencyMs: z.number(),
  }),
  z.object({
    ...base,
    type: z.literal('tool_started'),
    turn,
    index: z.number().int().nonnegative(),
    /** As the model sent them: the reference keeps any id (`""`, a number) and a missing name (null). */
    id: z.union([z.string(), z.number(), z.null()]),
    name: z.string().nullable(),
    arguments: z.string(),
    known: z.boolean(),
    normalizedArguments: z.string().nullable(),
    schemaValid: z.boolean().nullable(),
    /**
     * Present when the call waited for the user (see {@link toolCallApprovalSchema}). `arguments`
     * stay as the model sent them; `normalizedArguments` hold the command that ran.
     */
    approval: toolCallApprovalSchema.optional(),
  }),
  z.object({
    ...base,
    type: z.literal('tool_finished'),
    turn,
    index: z.number().int().nonnegative(),
    status: toolCallStatusSchema,
    result: z.string(),
    toolError: toolErrorSchema.nullable(),
    durationMs: z.number(),
  }),
  z.object({ ...base, type: z.literal('turn_finished'), turn }),
  /** Messages the loop itself does not append (an opened trajectory's user turns between model calls). */
  z.object({ ...base, type: z.literal('messages_appended'), messages: z.array(chatMessageSchema) }),
  /** `approval` says what waits when `at` is `approval`. */
  z.object({ ...base, type: z.literal('paused'), turn, at: pausePointSchema, approval: pendingApprovalSchema.optional() }),
  z.object({ ...base, type: z.literal('resumed'), turn }),
  z.object({
    ...base,
    type: z.literal('run_finished'),
    reason: endReasonSchema,
    // Negative after a negative max_turns, as the reference's `turns_used = self.max_turns`.
    turnsUsed: z.number().int(),
    error: z.string().optional(),
  }),
  /**
   * The user changed tool call `index` of `turn` before it ran, while the run was paused (see
   * {@link toolCallInterventionSchema}); a later one for the same call replaces it. The turn's
   * assistant message then holds the user's arguments; `model_reply` keeps the model's.
   */
  z.object({ ...base, type: z.literal('tool_call_intervened'), turn, index: z.number().int().nonnegative(), intervention: toolCallInterventionSchema }),
  /**
   * The user changed this turn's model call while paused before it (or, in a branch, asked the
   * model once with a changed call): the request sent was the prompt view's with this edit applied.
   */
  z.object({ ...base, type: z.literal('model_call_edited'), turn, edit: modelCallEditSchema }),
]));

/** One event of a run. */
export type RunEvent = z.infer<typeof runEventSchema>;
/** The fields an event carries besides its run id, sequence number and time. */
export type RunEventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'seq' | 'time'> : never) : never;
/** An event's fields stamped with its run id, sequence number and time: the event. */
export function stampEvent(body: RunEventBody, runId: string, seq: number, time: number): RunEvent {
  // TypeScript loses the tie between `type` and its fields when a union member is spread.
  return { ...body, runId, seq, time } as RunEvent;
}

/** Events a run file keeps (all but the live-only deltas). */
export function isPersistedEvent(event: RunEvent): boolean {
  return event.type !== 'model_delta';
}
