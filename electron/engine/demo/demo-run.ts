import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelClient } from '../model/model-client.js';
import { createOpenAIModelClient } from '../model/openai-client.js';
import { loadScript, startScriptedServer } from '../scripted-server/scripted-server.js';
import { createBuiltinTools } from '../tools/builtin-tools.js';
import { createToolRegistry, type ToolRegistry } from '../tools/tool-registry.js';
import { DEMO_SCRIPT } from './demo-script.js';

/** What a demo run needs: the scripted model behind real HTTP, and built-in tools in a scratch folder. */
export interface DemoResources {
  model: ModelClient;
  tools: ToolRegistry;
  baseURL: string;
  workspace: string;
  close(): Promise<void>;
}

/** Starts the demo's scripted model server and tools; `close` stops both. */
export async function openDemoResources(): Promise<DemoResources> {
  const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-demo-workspace-'));
  const server = await startScriptedServer({ script: loadScript(DEMO_SCRIPT) });
  try {
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal', 'read_file', 'write_file'], workspace, timeoutMs: 10_000 })]);
    const model = createOpenAIModelClient({ baseURL: server.url, model: 'scripted', maxRetries: 0 });
    return {
      model,
      tools,
      baseURL: server.url,
      workspace,
      async close() {
        await tools.close?.();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
