import type { RunSettings } from '#shared/api/contract.js';
import type { LoopConfig } from '#shared/run/events.js';
import { openDemoResources } from '../demo/demo-run.js';
import type { EngineDeps, RunRequest } from '../loop/run-handle.js';
import type { ModelClient } from '../model/model-client.js';
import { createOpenAIModelClient } from '../model/openai-client.js';
import { withoutApiKey, type SecretStore, type SettingsStore } from '../persistence/settings.js';
import { TERMINAL_APPROVAL } from '../tools/builtin-tools.js';
import { openToolSources, ToolSourceError } from '../tools/open-tools.js';
import type { RunOrigin } from './run-registry.js';

/** A model and tools opened for a run, with what its `run_started.source` says of them. */
export interface RunResources {
  model: EngineDeps['model'];
  tools: EngineDeps['tools'];
  source: Record<string, unknown>;
  origin: RunOrigin;
  close(): Promise<void>;
}

const TOOL_SOURCE_NAMES = { endpoint: 'Tool endpoint', mcp: 'MCP server', builtin: 'Built-in tools' } as const;

/** The model client of an endpoint; a key given with it is kept in the secret store (never in settings). */
export function openEndpointModel(secrets: SecretStore, endpoint: RunSettings['endpoint']): ModelClient {
  if (endpoint.apiKey) secrets.setApiKey(endpoint.apiKey);
  try {
    return createOpenAIModelClient({ baseURL: endpoint.baseURL, apiKey: secrets.getApiKey() ?? undefined, model: endpoint.model, stream: endpoint.stream });
  } catch (error) {
    throw new Error(`Base URL ${endpoint.baseURL}: ${(error as Error).message}`);
  }
}

/** The endpoint and tools of the settings; `remember` saves the settings (without the key) for next time. */
export async function openSettingsResources(stores: { settings: SettingsStore; secrets: SecretStore }, settings: RunSettings, remember: boolean): Promise<RunResources> {
  const model = openEndpointModel(stores.secrets, settings.endpoint);
  let tools;
  try {
    ({ registry: tools } = await openToolSources(settings.tools));
  } catch (error) {
    if (error instanceof ToolSourceError) throw new Error(`${TOOL_SOURCE_NAMES[error.source]}: ${error.message}`);
    throw error;
  }
  const kept = withoutApiKey(settings);
  if (remember) stores.settings.save(kept);
  return {
    model,
    tools,
    source: { model: settings.endpoint.model, baseURL: settings.endpoint.baseURL, stream: settings.endpoint.stream },
    origin: { kind: 'settings', settings: kept },
    close: async () => tools.close?.(),
  };
}

/** The demo's scripted model (answering from `fromTurn`) and built-in tools in `workspace` (default: a new one). */
export async function openDemo(options: { workspace?: string; fromTurn?: number } = {}): Promise<RunResources> {
  const demo = await openDemoResources(options);
  return {
    model: demo.model,
    tools: demo.tools,
    source: { model: 'scripted', baseURL: demo.baseURL, stream: true, toolSources: [`builtin terminal,read_file,write_file in ${demo.workspace}`] },
    origin: { kind: 'demo', workspace: demo.workspace },
    close: () => demo.close(),
  };
}

/** Whether the settings' terminal asks before each command (the demo and the CLI never ask). */
export function approvalOf(settings: RunSettings): Pick<RunRequest, 'approval'> {
  return settings.tools.builtin.includes('terminal') && settings.tools.approveTerminal ? { approval: TERMINAL_APPROVAL } : {};
}

/** The loop settings of the New run form. */
export function loopConfigOf(settings: RunSettings): Partial<LoopConfig> {
  return { maxTurns: settings.limits.maxTurns, temperature: settings.sampling.temperature, maxTokens: settings.sampling.maxTokens, maxContextTokens: settings.limits.maxContextTokens };
}
