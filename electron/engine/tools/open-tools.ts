import type { ToolSchema } from '#shared/model/chat.js';
import { createBuiltinTools, type BuiltinToolName } from './builtin-tools.js';
import { createEndpointTools } from './endpoint-tools.js';
import { connectMcpServers } from './mcp-tools.js';
import type { ToolProvider } from './tool-provider.js';
import { createToolRegistry, type ToolRegistry } from './tool-registry.js';

/** Where a run's tools come from (the CLI flags and the New run form say the same things). */
export interface ToolSourceSettings {
  /** OpenAI tool schemas; executed by `endpointURL` when given, else advertised with no executor. */
  schemas: ToolSchema[];
  endpointURL: string | null;
  mcpCommands: string[];
  builtin: BuiltinToolName[];
  /** The folder built-in tools are confined to. */
  workspace: string | null;
}

/** Which part of the settings a failure to open tools came from, for messages that name it. */
export class ToolSourceError extends Error {
  constructor(
    readonly source: 'endpoint' | 'mcp' | 'builtin',
    message: string,
  ) {
    super(message);
    this.name = 'ToolSourceError';
  }
}

/**
 * Opens every tool source and combines them in one registry; closes what it opened if a later
 * source fails. Also returns a one-line description of each source, for the run's record.
 */
export async function openToolSources(settings: ToolSourceSettings): Promise<{ registry: ToolRegistry; sources: string[] }> {
  const providers: ToolProvider[] = [];
  const sources: string[] = [];
  try {
    let unexecuted: ToolSchema[] = settings.schemas;
    if (settings.endpointURL) {
      providers.push(createEndpointTools({ url: settings.endpointURL, schemas: settings.schemas }));
      sources.push(`endpoint ${settings.endpointURL}`);
      unexecuted = [];
    }
    if (settings.mcpCommands.length > 0) {
      providers.push(
        await connectMcpServers(settings.mcpCommands).catch((error: unknown) => {
          throw new ToolSourceError('mcp', (error as Error).message);
        }),
      );
      sources.push(...settings.mcpCommands.map((command) => `mcp ${command}`));
    }
    if (settings.builtin.length > 0) {
      if (!settings.workspace) throw new ToolSourceError('builtin', 'built-in tools need a workspace folder');
      providers.push(
        await createBuiltinTools({ enabled: settings.builtin, workspace: settings.workspace }).catch((error: unknown) => {
          throw new ToolSourceError('builtin', (error as Error).message);
        }),
      );
      sources.push(`builtin ${settings.builtin.join(',')} in ${settings.workspace}`);
    }
    return { registry: createToolRegistry(providers, unexecuted), sources };
  } catch (error) {
    await Promise.allSettled(providers.map((p) => p.close?.()));
    throw error;
  }
}
