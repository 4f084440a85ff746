import { LOOP_DEFAULTS } from '#shared/loop/defaults.js';
import { runSettingsSchema, type Breakpoints, type RunSettings, type RunSettingsInput } from '#shared/api/contract.js';
import type { ToolSchema } from '#shared/model/chat.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { MAX_TOKENS_PROBLEM, TEMPERATURE_PROBLEM, typedMaxTokens, typedTemperature } from '../../ui/sampling-fields.js';

/** A built-in tool the engine offers (confined to the workspace folder). */
export type BuiltinTool = RunSettings['tools']['builtin'][number];

/** The built-in tools, in the order the form lists them. */
export const BUILTIN_TOOLS: readonly BuiltinTool[] = ['terminal', 'read_file', 'write_file'];

/** The New run form as typed: numbers are kept as text until submitted. */
export interface NewRunForm {
  baseURL: string;
  model: string;
  apiKey: string;
  stream: boolean;
  temperature: string;
  maxTokens: string;
  maxTurns: string;
  maxContextTokens: string;
  system: string;
  user: string;
  toolEndpointURL: string;
  mcpCommands: string;
  builtin: BuiltinTool[];
  workspace: string;
  /** Each terminal command waits for the user's approval (only matters with terminal on). */
  approveTerminal: boolean;
  schemas: ToolSchema[];
  startPaused: boolean;
}

/** A field of the form. */
export type FormField = keyof NewRunForm;
/** What is wrong with each field (and `form`: with none in particular), in words shown under it. */
export type FieldErrors = Partial<Record<FormField | 'form', string>>;

/** The form filled from the last settings used (or the defaults when there are none). */
export function formFromSettings(settings: RunSettings | null): NewRunForm {
  return {
    baseURL: settings?.endpoint.baseURL ?? 'http://127.0.0.1:8000/v1',
    model: settings?.endpoint.model ?? '',
    apiKey: '',
    stream: settings?.endpoint.stream ?? true,
    temperature: String(settings?.sampling.temperature ?? LOOP_DEFAULTS.temperature),
    maxTokens: settings?.sampling.maxTokens?.toString() ?? '',
    maxTurns: String(settings?.limits.maxTurns ?? LOOP_DEFAULTS.maxTurns),
    maxContextTokens: settings?.limits.maxContextTokens?.toString() ?? '',
    system: settings?.prompt.system ?? '',
    user: settings?.prompt.user ?? '',
    toolEndpointURL: settings?.tools.endpointURL ?? '',
    mcpCommands: (settings?.tools.mcpCommands ?? []).join('\n'),
    builtin: [...(settings?.tools.builtin ?? [])],
    workspace: settings?.tools.workspace ?? '',
    approveTerminal: settings?.tools.approveTerminal ?? true,
    schemas: (settings?.tools.schemas ?? []) as ToolSchema[],
    startPaused: false,
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The form for retrying a run: the last settings, overlaid with what the failed run itself
 * recorded (endpoint, loop settings, its system and user prompt), since the last settings may
 * belong to another run. Tools are not recorded in a form the form can take: they stay as last used.
 */
export function formForRetry(form: NewRunForm, run: RunSnapshot): NewRunForm {
  const source = run.source as { baseURL?: unknown; model?: unknown; stream?: unknown; imported?: unknown };
  const system = run.messages.find((m) => m.role === 'system');
  const user = run.messages.find((m) => m.role === 'user');
  // An opened file records no loop settings: keep the last endpoint and tools to branch against,
  // take what the file records, and nothing of the last New run's prompt or budget.
  if (source.imported) {
    return {
      ...form,
      model: text(source.model) ?? form.model,
      system: text(system?.content) ?? '',
      user: text(user?.content) ?? '',
      maxContextTokens: run.config.maxContextTokens?.toString() ?? '',
      maxTokens: run.config.maxTokens?.toString() ?? '',
    };
  }
  return {
    ...form,
    baseURL: text(source.baseURL) ?? form.baseURL,
    model: text(source.model) ?? form.model,
    stream: typeof source.stream === 'boolean' ? source.stream : form.stream,
    temperature: String(run.config.temperature),
    maxTokens: run.config.maxTokens?.toString() ?? '',
    maxTurns: String(run.config.maxTurns),
    maxContextTokens: run.config.maxContextTokens?.toString() ?? '',
    system: text(system?.content) ?? form.system,
    user: text(user?.content) ?? form.user,
  };
}

const MESSAGES: Partial<Record<FormField, string>> = {
  baseURL: 'Base URL must be a full URL, e.g. http://127.0.0.1:8000/v1',
  model: 'Model is required',
  temperature: TEMPERATURE_PROBLEM,
  maxTokens: MAX_TOKENS_PROBLEM,
  maxTurns: 'Max turns must be a whole number from 1 to 10,000',
  maxContextTokens: 'Max context tokens must be a whole number above 0, or empty for no budget',
  user: 'User prompt is required',
  toolEndpointURL: 'Tool endpoint must be a full URL, or empty',
  mcpCommands: 'Each MCP server command must be a command line',
  schemas: 'Tool schemas are not valid',
};

// Where each settings path is typed in the form.
const FIELD_OF: Record<string, FormField> = {
  'endpoint.baseURL': 'baseURL',
  'endpoint.model': 'model',
  'endpoint.apiKey': 'apiKey',
  'sampling.temperature': 'temperature',
  'sampling.maxTokens': 'maxTokens',
  'limits.maxTurns': 'maxTurns',
  'limits.maxContextTokens': 'maxContextTokens',
  'prompt.user': 'user',
  'prompt.system': 'system',
  'tools.endpointURL': 'toolEndpointURL',
  'tools.mcpCommands': 'mcpCommands',
  'tools.schemas': 'schemas',
  'tools.workspace': 'workspace',
};

/** A typed field's value, or `refused` (which the contract's schema then reports on that field). */
function valueOr<T>(typed: { value: T } | { problem: string }, refused: number): T | number {
  return 'value' in typed ? typed.value : refused;
}

function optionalNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

/**
 * The run settings a filled form asks for, checked with the contract's schema; or what is wrong,
 * field by field. An empty API key is left out so the engine reuses the stored one.
 */
export function settingsFromForm(form: NewRunForm, breakpoints: Breakpoints): { settings: RunSettingsInput } | { errors: FieldErrors } {
  const settings: RunSettingsInput = {
    endpoint: { baseURL: form.baseURL.trim(), model: form.model.trim(), stream: form.stream, ...(form.apiKey ? { apiKey: form.apiKey } : {}) },
    sampling: { temperature: valueOr(typedTemperature(form.temperature), Number.NaN), maxTokens: valueOr(typedMaxTokens(form.maxTokens), Number.NaN) },
    limits: { maxTurns: form.maxTurns.trim() === '' ? Number.NaN : Number(form.maxTurns), maxContextTokens: optionalNumber(form.maxContextTokens) },
    prompt: { system: form.system, user: form.user },
    tools: {
      schemas: form.schemas,
      endpointURL: form.toolEndpointURL.trim() || null,
      mcpCommands: form.mcpCommands.split('\n').map((line) => line.trim()).filter(Boolean),
      builtin: form.builtin,
      workspace: form.workspace.trim() || null,
      approveTerminal: form.approveTerminal,
    },
    breakpoints,
  };
  const errors: FieldErrors = {};
  if (form.user.trim() === '') errors.user = MESSAGES.user;
  if (form.builtin.length > 0 && form.workspace.trim() === '') errors.workspace = 'Built-in tools need a workspace folder';
  const parsed = runSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[issue.path.slice(0, 2).join('.')];
      if (field) errors[field] ??= MESSAGES[field] ?? issue.message;
      else errors.form ??= `${issue.path.join('.')}: ${issue.message}`;
    }
  }
  return Object.keys(errors).length > 0 ? { errors } : { settings };
}
