import { z } from 'zod';
import { runEventSchema, type RunEvent } from '../run/events.js';

/**
 * The one API between the UI and the engine. Every transport is derived from {@link apiMethods}:
 * the preload bridge and the IPC registration (desktop), the WebSocket host (serve mode), the
 * renderer's clients and the test fakes. Requests are validated on the engine side with these
 * schemas; run events travel on one channel as {@link RunEvent}s (each with its run id and
 * sequence number).
 */

const toolSchema = z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) });
const chatMessage = z.looseObject({ role: z.string() });
const positiveInt = z.number().int().positive();

/** The debugger's breakpoints: where a run pauses by itself. */
export const breakpointsSchema = z.object({
  beforeModel: z.boolean().default(false),
  beforeTools: z.boolean().default(false),
  onToolError: z.boolean().default(false),
});
export type BreakpointSettings = z.infer<typeof breakpointsSchema>;

/** What the New run form holds. The API key is sent once and never returned. */
export const runSettingsSchema = z.object({
  endpoint: z.object({
    baseURL: z.string().url(),
    model: z.string().min(1),
    /** Only when the user typed a new key; otherwise the stored key is used. */
    apiKey: z.string().optional(),
    stream: z.boolean().default(true),
  }),
  sampling: z.object({ temperature: z.number().min(0).max(2).default(1.0), maxTokens: positiveInt.nullable().default(null) }),
  limits: z.object({ maxTurns: positiveInt.max(10_000).default(30), maxContextTokens: positiveInt.nullable().default(null) }),
  prompt: z.object({ system: z.string().default(''), user: z.string().min(1) }),
  tools: z.object({
    /** OpenAI tool schemas (from a JSON file the user picked). */
    schemas: z.array(toolSchema).default([]),
    /** Executes `schemas`: POST {tool_name, arguments, task_id}. */
    endpointURL: z.string().url().nullable().default(null),
    /** MCP server command lines. */
    mcpCommands: z.array(z.string().min(1)).default([]),
    /** Built-in tools (off unless listed) and the folder they are confined to. */
    builtin: z.array(z.enum(['terminal', 'read_file', 'write_file'])).default([]),
    workspace: z.string().nullable().default(null),
  }),
  breakpoints: breakpointsSchema.default({ beforeModel: false, beforeTools: false, onToolError: false }),
});
export type RunSettings = z.infer<typeof runSettingsSchema>;
/** Run settings as the form edits them (defaults not yet applied). */
export type RunSettingsInput = z.input<typeof runSettingsSchema>;

/** One run as the run picker lists it. */
export const runSummarySchema = z.object({
  runId: z.string(),
  title: z.string(),
  startedAt: z.number(),
  state: z.enum(['running', 'paused', 'ended']),
  parentRunId: z.string().nullable(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

const runRef = z.object({ runId: z.string().min(1) });
const runStarted = z.object({ runId: z.string() });
const nothing = z.object({});

/** Every method of the API: its parameters and its result. */
export const apiMethods = {
  /** Where the UI runs and how the API key is kept. */
  'app.info': {
    params: nothing,
    result: z.object({
      mode: z.enum(['desktop', 'serve']),
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
      messages: z.array(chatMessage).min(1),
      tools: z.array(toolSchema).optional(),
      maxContextTokens: positiveInt.nullable().default(null),
      breakpoints: breakpointsSchema.optional(),
      startPaused: z.boolean().default(false),
    }),
    result: runStarted,
  },
  /** Retry from where a run ended (after fixing the settings): a new run continuing its trajectory. */
  'run.retry': { params: z.object({ runId: z.string().min(1), settings: runSettingsSchema }), result: runStarted },
  /** Pause, resume (run), step one turn, or stop a run. */
  'run.control': { params: runRef.extend({ action: z.enum(['pause', 'resume', 'step', 'stop']) }), result: nothing },
  'run.breakpoints': { params: runRef.extend({ breakpoints: breakpointsSchema }), result: nothing },
  /**
   * The run's recorded events from a sequence number on, at most `limit` of them (to catch up
   * after connecting, a page at a time); `complete` says whether these reach the last one so far.
   */
  'run.events': {
    params: runRef.extend({ fromSeq: z.number().int().nonnegative().default(0), limit: positiveInt.max(50_000).default(5_000) }),
    result: z.object({ events: z.array(runEventSchema), complete: z.boolean() }),
  },
  'run.list': { params: nothing, result: z.object({ runs: z.array(runSummarySchema) }) },
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
  call<M extends ApiMethod>(method: M, params: ApiParams<M>): Promise<ApiResult<M>>;
  /** Every run event, in order per run. Returns an unsubscribe function. */
  onEvent(listener: (event: RunEvent) => void): () => void;
}

/** An error a method rejected with, carried across the process boundary as plain data. */
export interface ApiErrorData {
  method: string;
  message: string;
}

/** Validates a method call's parameters; the error names the method and the first bad field. */
export function parseApiParams<M extends ApiMethod>(method: M, params: unknown): ApiRequest<M> {
  const schema = apiMethods[method]?.params;
  if (!schema) throw new Error(`unknown API method '${String(method)}'`);
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`);
  }
  return parsed.data as ApiRequest<M>;
}

/** True for a method name of the API (transports refuse anything else). */
export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiMethods, name);
}

/** The IPC channel of a method (desktop). */
export function ipcChannel(method: ApiMethod): string {
  return `api:${method}`;
}

/** The IPC channel run events travel on (desktop). */
export const EVENT_CHANNEL = 'api:event';
