import { z } from 'zod';
import { trajectorySummarySchema } from '../formats/summary.js';
import { ROLLOUT_COLUMN_NAMES, rolloutRowSchema, type RolloutColumn } from '../formats/rollout-row.js';
import { setChartsSchema, setStatusSchema } from './rollout-set.js';
import { formatIdSchema } from '../formats/trajectory.js';
import { LOOP_DEFAULTS } from '../loop/defaults.js';
import { assistantReplySchema, chatMessageSchema, tokenUsageSchema, toolSchemaSchema } from '../model/chat.js';
import { chatRequestSchema, maxTokensSchema, modelCallEditSchema, temperatureSchema } from '../loop/chat-request.js';
import { ApiError, type RpcErrorData } from '../rpc/errors.js';
import { approvalDecisionSchema, branchChangeSchema, breakpointsSchema, runEventSchema, type RunEvent } from '../run/events.js';
import { toolCallInterventionRequestSchema } from '../run/intervention.js';

export { branchChangeSchema, breakpointsSchema, type BranchChange, type Breakpoints } from '../run/events.js';

/**
 * The one API between the UI and the engine. Every transport is derived from {@link apiMethods}:
 * the preload bridge and the IPC registration (desktop), the WebSocket host (serve mode), the
 * renderer's clients and the test fakes. Requests are validated on the engine side with these
 * schemas; run events travel on one channel as {@link RunEvent}s (each with its run id and
 * sequence number).
 */

const positiveInt = z.number().int().positive();


/** True when a URL carries a user name or password (which would then be written where URLs are). */
export function urlHasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** What the New run form holds. The API key is sent once and never returned. */
export const runSettingsSchema = z.object({
  endpoint: z.object({
    // Credentials in the URL would be written to run files and settings with it: the key has its own field.
    baseURL: z
      .string()
      .url()
      .refine((url) => !urlHasCredentials(url), 'must not hold a user name or password: give the key as the API key'),
    model: z.string().min(1),
    /** Only when the user typed a new key; otherwise the stored key is used. */
    apiKey: z.string().optional(),
    stream: z.boolean().default(true),
  }),
  sampling: z.object({ temperature: temperatureSchema.default(LOOP_DEFAULTS.temperature), maxTokens: maxTokensSchema.default(LOOP_DEFAULTS.maxTokens) }),
  limits: z.object({ maxTurns: positiveInt.max(10_000).default(LOOP_DEFAULTS.maxTurns), maxContextTokens: positiveInt.nullable().default(LOOP_DEFAULTS.maxContextTokens) }),
  prompt: z.object({ system: z.string().default(''), user: z.string().min(1) }),
  tools: z.object({
    /** OpenAI tool schemas (from a JSON file the user picked). */
    schemas: z.array(toolSchemaSchema).default([]),
    /** Executes `schemas`: POST {tool_name, arguments, task_id}. */
    endpointURL: z.string().url().nullable().default(null),
    /** MCP server command lines. */
    mcpCommands: z.array(z.string().min(1)).default([]),
    /** Built-in tools (off unless listed) and the folder they are confined to. */
    builtin: z.array(z.enum(['terminal', 'read_file', 'write_file'])).default([]),
    workspace: z.string().nullable().default(null),
    /** Each terminal command waits for the user's approval before it runs (when terminal is on). */
    approveTerminal: z.boolean().default(true),
  }),
  breakpoints: breakpointsSchema.default(breakpointsSchema.parse({})),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;
/** Run settings as the form edits them (defaults not yet applied). */
export type RunSettingsInput = z.input<typeof runSettingsSchema>;

/** One run as the run picker and the branch tree list it. */
export const runSummarySchema = z.object({
  runId: z.string(),
  title: z.string(),
  startedAt: z.number(),
  state: z.enum(['running', 'paused', 'ended']),
  parentRunId: z.string().nullable(),
  /** The last turn of the parent this run kept (a branch), or null. */
  forkTurn: z.number().int().nonnegative().nullable().default(null),
  /** What the branch changed, in words (e.g. "turn 3: arguments of read_file edited"), or null. */
  change: z.string().nullable().default(null),
  /** How the run ended so far: turns used, tool errors, finished naturally. */
  outcome: z
    .object({ turnsUsed: z.number().int().nonnegative(), toolErrors: z.number().int().nonnegative(), finishedNaturally: z.boolean(), endReason: z.string().nullable() })
    .nullable()
    .default(null),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

/** One trajectory of an opened file, as the collection table lists it (see shared/formats/summary.ts). */
export { trajectorySummarySchema };

/** An opened trajectory file: how far indexing got, and what went wrong. */
export const openedFileSchema = z.object({
  fileId: z.string(),
  path: z.string(),
  name: z.string(),
  size: z.number().nonnegative(),
  /** Known once the first bytes are read; null until then, or when they looked like no known format. */
  format: formatIdSchema.nullable(),
  state: z.enum(['indexing', 'done', 'failed', 'cancelled']),
  bytesRead: z.number().nonnegative(),
  trajectories: z.number().int().nonnegative(),
  /** The first problems (skipped lines), `FILE:LINE: what`. */
  problems: z.array(z.string()),
  problemCount: z.number().int().nonnegative(),
  /** The FormatError message (naming the file) when indexing failed. */
  error: z.string().nullable(),
  elapsedMs: z.number().nonnegative(),
  /** The trajectory to show first (`trajdbg open FILE#N`), when one was asked for. */
  focusIndex: z.number().int().nonnegative().nullable(),
});
export type OpenedFile = z.infer<typeof openedFileSchema>;

/** The formats an export writes (shared/formats/export.ts). */
export const exportFormatSchema = z.enum(['agent-result', 'openai-jsonl', 'sharegpt', 'html', 'markdown']);

/** An open rollout set (see shared/api/rollout-set.ts). */
export const openedSetSchema = z.object({ setId: z.string(), name: z.string(), status: setStatusSchema });
export type OpenedSet = z.infer<typeof openedSetSchema>;

const rolloutColumnSchema = z.enum(ROLLOUT_COLUMN_NAMES as [RolloutColumn, ...RolloutColumn[]]);
/** A filter over a set's rollouts: a SQL expression (DuckDB) and a text search. */
const setFilter = z.object({ setId: z.string().min(1), where: z.string().max(10_000).default(''), search: z.string().max(1_000).default('') });
const setOrder = z.object({ orderBy: rolloutColumnSchema.optional(), descending: z.boolean().default(false) });


const runRef = z.object({ runId: z.string().min(1) });
const fileRef = z.object({ fileId: z.string().min(1) });
const runStarted = z.object({ runId: z.string() });
const nothing = z.object({});

/** Every method of the API: its parameters and its result. */
export const apiMethods = {
  /** Where the UI runs and how the API key is kept. */
  'app.info': {
    params: nothing,
    result: z.object({
      mode: z.enum(['desktop', 'serve']),
      /** How a failed model call is retried and timed out, in words (shown with the endpoint). */
      retryPolicy: z.string().default(''),
      /** What the user must know from the start: e.g. a corrupt settings file that was set aside. */
      notices: z.array(z.string()).default([]),
      version: z.string(),
      keyStorage: z.enum(['os-keychain', 'memory']),
    }),
  },
  /** The last settings used (without the key) and whether a key is stored. */
  'settings.load': {
    params: nothing,
    result: z.object({ settings: runSettingsSchema.nullable(), hasApiKey: z.boolean() }),
  },
  /** Start a run; the settings (without the key) are remembered for next time. */
  'run.start': { params: z.object({ settings: runSettingsSchema, startPaused: z.boolean().default(false) }), result: runStarted },
  /** Start the built-in demo: a scripted model and the built-in tools, no endpoint or key. */
  'run.demo': {
    params: z.object({ breakpoints: breakpointsSchema.optional(), startPaused: z.boolean().default(false) }),
    result: runStarted,
  },
  /** Replay a recorded trajectory through the engine, as if it were running. */
  'run.replay': {
    params: z.object({
      title: z.string().default('replay'),
      messages: z.array(chatMessageSchema).min(1),
      tools: z.array(toolSchemaSchema).optional(),
      maxContextTokens: positiveInt.nullable().default(null),
      breakpoints: breakpointsSchema.optional(),
      startPaused: z.boolean().default(false),
    }),
    result: runStarted,
  },
  /** Retry from where a run ended (after fixing the settings): a new run continuing its trajectory. */
  'run.retry': { params: z.object({ runId: z.string().min(1), settings: runSettingsSchema }), result: runStarted },
  /**
   * A new branch of a run: the change applied at its fork, then the loop re-executed from there
   * against a model and real tools (nothing is served from the recording unless
   * `reuseToolResults`: then a tool call identical to the parent's at the same turn and position
   * gets the parent's result). The model and tools are `settings` when given, else the parent's
   * own (a demo run's scripted model and workspace; a run's settings); an opened trajectory has
   * none, so it needs `settings`. The original is never modified.
   */
  'run.branch': {
    params: runRef.extend({
      change: branchChangeSchema,
      settings: runSettingsSchema.optional(),
      reuseToolResults: z.boolean().default(false),
      /** Pause before the branch's first model call or tools, to step from the fork. */
      startPaused: z.boolean().default(false),
      /** The breakpoints the branch runs with (default: its settings'). */
      breakpoints: breakpointsSchema.optional(),
    }),
    result: runStarted,
  },
  /** Pause, resume (run), step one turn, or stop a run. */
  'run.control': { params: runRef.extend({ action: z.enum(['pause', 'resume', 'step', 'stop']) }), result: nothing },
  'run.breakpoints': { params: runRef.extend({ breakpoints: breakpointsSchema }), result: nothing },
  /**
   * Decide on the terminal command a run waits for (paused at `approval`): run it as is, run
   * `command` instead (`edit`, which needs it), or refuse it (`reject`: the call's result is a
   * tool error). Rejects when the run waits for no command.
   */
  'run.approve': {
    params: runRef
      .extend({ decision: approvalDecisionSchema, command: z.string().optional() })
      .superRefine((params, context) => {
        if (params.decision === 'edit' && !params.command?.trim()) context.addIssue({ code: 'custom', path: ['command'], message: 'an edit needs the command to run instead' });
        if (params.decision !== 'edit' && params.command !== undefined) context.addIssue({ code: 'custom', path: ['command'], message: `only an edit takes a command, not ${params.decision}` });
      }),
    result: nothing,
  },
  /**
   * Change tool call `index` of `turn` before it runs, while the run is paused before that turn's
   * tools (or on a tool error before it): run it with `arguments` (raw JSON text, as a model sends
   * it) instead of the model's, or skip it (the model gets a tool error saying the user skipped
   * it). Recorded as a `tool_call_intervened` event; Continue (resume) or Step then runs the tools.
   * Rejects when the call cannot be changed (not paused there, already run, a recording).
   */
  'run.intervene': {
    params: runRef.extend({ turn: positiveInt, index: z.number().int().nonnegative(), change: toolCallInterventionRequestSchema }),
    result: nothing,
  },
  /**
   * The run's recorded events from a sequence number on, at most `limit` of them (to catch up
   * after connecting, a page at a time); `complete` says whether these reach the last one so far.
   */
  'run.events': {
    params: runRef.extend({ fromSeq: z.number().int().nonnegative().default(0), limit: positiveInt.max(50_000).default(5_000) }),
    result: z.object({ events: z.array(runEventSchema), complete: z.boolean() }),
  },
  'run.list': { params: nothing, result: z.object({ runs: z.array(runSummarySchema) }) },
  /**
   * Run files of earlier sessions whose runs never ended (the app or serve mode was killed mid-run),
   * most recent first, to offer reopening them: every completed turn is in the file.
   */
  'run.interrupted': {
    params: nothing,
    result: z.object({
      files: z.array(z.object({ path: z.string(), modifiedAt: z.number(), unfinishedRuns: z.number().int(), completedTurns: z.number().int() })),
    }),
  },
  /**
   * A new run that continues a run's trajectory live against a model: its messages up to the end
   * of `turn` (0: the initial messages only) are the history. The new run is a branch of that run.
   */
  'run.continue': { params: runRef.extend({ turn: z.number().int().nonnegative(), settings: runSettingsSchema }), result: runStarted },

  /**
   * Change the model call a run is paused before (at `before_model`), then let it go on: the
   * edit applies to that one call and is recorded on its turn. Rejects when the run waits elsewhere.
   */
  'run.editModelCall': { params: runRef.extend({ edit: modelCallEditSchema }), result: nothing },
  /**
   * Send turn `turn`'s prompt to the model once, with `edit` applied, and return the reply: the
   * run and its file are not touched and the loop does not go on. The model is the run's own,
   * or `endpoint` (an opened trajectory has none: without `endpoint` it rejects with `needs_endpoint`).
   */
  'run.askOnce': {
    params: runRef.extend({ turn: positiveInt, edit: modelCallEditSchema.default({}), endpoint: runSettingsSchema.shape.endpoint.optional() }),
    result: z.object({ request: chatRequestSchema, reply: assistantReplySchema, latencyMs: z.number().nonnegative(), usage: tokenUsageSchema.nullable(), model: z.string().nullable() }),
  },

  /** Open a trajectory file on the engine's machine (absolute path); indexing goes on in the background. */
  'file.open': { params: z.object({ path: z.string().min(1), index: z.number().int().nonnegative().optional() }), result: openedFileSchema },
  /** Every open file and its progress. */
  'file.list': { params: nothing, result: z.object({ files: z.array(openedFileSchema) }) },
  /** Rows of an opened file's index, from `from`. */
  'file.rows': {
    params: fileRef.extend({ from: z.number().int().nonnegative().default(0), limit: positiveInt.max(50_000).default(5_000) }),
    result: z.object({ rows: z.array(trajectorySummarySchema) }),
  },
  /** Indices of the trajectories whose content contains `text` (case-insensitive). */
  'file.search': { params: fileRef.extend({ text: z.string().min(1).max(1_000) }), result: z.object({ indices: z.array(z.number().int()) }) },
  /** Stop indexing a file (what was indexed stays). */
  'file.cancel': { params: fileRef, result: nothing },
  'file.close': { params: fileRef, result: nothing },
  /**
   * Show trajectory `index` of a file as a run: played to the end at once, or paused before its
   * first turn to step through it (`startPaused`). Prompt views use `maxContextTokens`.
   */
  'file.view': {
    params: fileRef.extend({
      index: z.number().int().nonnegative(),
      startPaused: z.boolean().default(false),
      maxContextTokens: positiveInt.nullable().default(null),
      breakpoints: breakpointsSchema.optional(),
    }),
    result: runStarted,
  },
  /** The exact prompt the file records for a turn of a trajectory, or null when it records none. */
  'file.recordedPrompt': {
    params: fileRef.extend({ index: z.number().int().nonnegative(), turn: positiveInt }),
    result: z.object({ messages: z.array(chatMessageSchema).nullable() }),
  },
  /** Files opened before, most recent first. */
  'file.recent': { params: nothing, result: z.object({ files: z.array(z.object({ path: z.string(), openedAt: z.number() })) }) },
  /** A native file dialog (desktop only): the path chosen, or null when cancelled. */
  'file.pick': {
    params: z.object({ purpose: z.enum(['open', 'save']), defaultPath: z.string().optional() }),
    result: z.object({ path: z.string().nullable() }),
  },
  /**
   * Write trajectories to a file on the engine's machine: one run, one trajectory of an opened
   * file, or all of them (`index` left out). Written to a temporary file, then renamed.
   */
  'export.write': {
    params: z.object({
      source: z.union([runRef, fileRef.extend({ index: z.number().int().nonnegative().optional() })]),
      format: exportFormatSchema,
      path: z.string().min(1),
    }),
    result: z.object({ path: z.string(), trajectories: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  },

  /**
   * Open a rollout set: folders, globs or shard files (.jsonl, .jsonl.gz, .jsonl.zst, .parquet) on
   * the engine's machine, as one table indexed in the background and watched for growth. With
   * `onlyIfSet`, a single plain file (a JSONL or JSON trajectory file) is not opened: `set` is null.
   */
  'set.open': { params: z.object({ sources: z.array(z.string().min(1)).min(1), onlyIfSet: z.boolean().default(false) }), result: z.object({ set: openedSetSchema.nullable() }) },
  'set.list': { params: nothing, result: z.object({ sets: z.array(openedSetSchema) }) },
  'set.status': { params: z.object({ setId: z.string().min(1) }), result: openedSetSchema },
  /** Rows of a set a filter keeps, in order, a page at a time, and how many it keeps. A bad filter rejects with DuckDB's message. */
  'set.query': {
    params: setFilter.merge(setOrder).extend({ offset: z.number().int().nonnegative().default(0), limit: positiveInt.max(5_000).default(200) }),
    result: z.object({ rows: z.array(rolloutRowSchema), total: z.number().int().nonnegative() }),
  },
  /** Charts of the rollouts a filter keeps. */
  'set.charts': { params: setFilter, result: setChartsSchema },
  /** Show one rollout of a set as a run (read from its line's bytes or its Parquet row only). */
  'set.view': {
    params: z.object({ setId: z.string().min(1), rid: z.number().int().nonnegative(), startPaused: z.boolean().default(false), maxContextTokens: positiveInt.nullable().default(null), breakpoints: breakpointsSchema.optional() }),
    result: runStarted,
  },
  /** Write the rollouts a filter keeps in an export format, streamed (written to a temporary file, then renamed). */
  'set.export': {
    params: setFilter.merge(setOrder).extend({ format: exportFormatSchema, path: z.string().min(1) }),
    result: z.object({ path: z.string(), trajectories: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  },
  'set.close': { params: z.object({ setId: z.string().min(1) }), result: nothing },
} as const;

/** A method name of the API. */
export type ApiMethod = keyof typeof apiMethods;
/** The parameters a caller passes (defaults may be left out). */
export type ApiParams<M extends ApiMethod> = z.input<(typeof apiMethods)[M]['params']>;
/** The parameters as a handler receives them (validated, defaults applied). */
export type ApiRequest<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['params']>;
/** What a method resolves with. */
export type ApiResult<M extends ApiMethod> = z.output<(typeof apiMethods)[M]['result']>;

/** The method names, for transports that register or expose each one. */
export const API_METHOD_NAMES = Object.keys(apiMethods) as ApiMethod[];

/** The implementation side: one handler per method. */
export type ApiHandlers = { [M in ApiMethod]: (params: ApiRequest<M>) => Promise<ApiResult<M>> };

/** What the UI talks to, over IPC or WebSocket alike. */
export interface ApiClient {
  /** Calls `method`; aborting `signal` cancels the call (it rejects with the `cancelled` code). */
  call<M extends ApiMethod>(method: M, params: ApiParams<M>, signal?: AbortSignal): Promise<ApiResult<M>>;
  /** Every run event, in order per run. Returns an unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Progress and state of opened files (also files opened from the menu or the command line). */
  onFile(listener: (file: OpenedFile) => void): () => void;
}

/** An error a method rejected with, carried across the process boundary as plain data (code, message, method). */
export type ApiErrorData = RpcErrorData;

/** Validates a method call's parameters; the error names the method and the first bad field. */
export function parseApiParams<M extends ApiMethod>(method: M, params: unknown): ApiRequest<M> {
  const schema = apiMethods[method]?.params;
  if (!schema) throw new ApiError('unknown_method', `unknown API method '${String(method)}'`);
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError('invalid_params', `${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`, method);
  }
  return parsed.data as ApiRequest<M>;
}

/** The RPC layer's call into `handlers`: the method checked, its params validated (errors as {@link ApiError}s). */
export function apiCall(handlers: ApiHandlers): (method: string, params: unknown) => Promise<unknown> {
  return async (method, params) => {
    if (!isApiMethod(method)) throw new ApiError('unknown_method', `unknown API method '${method.slice(0, 200)}'`, method.slice(0, 200));
    const handler = handlers[method] as (params: unknown) => Promise<unknown>;
    return handler(parseApiParams(method, params));
  };
}

/** True for a method name of the API (transports refuse anything else). */
export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}
