import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelClient } from '../model/model-client.js';
import { createOpenAIModelClient } from '../model/openai-client.js';
import { loadScript, startScriptedServer } from '../../scripted-server/scripted-server.js';
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

/** Where a demo run starts: for a branch of a demo, its parent's workspace and the turn it asks the model for next. */
export interface DemoOptions {
  /** The workspace folder to use as it is (default: a new scratch folder). */
  workspace?: string;
  /** The turn of the first model call: the script answers from that turn's reply on (default 1). */
  fromTurn?: number;
}

/** The scratch workspaces this process created; a branch of a demo reuses its parent's, so they live until removed. */
const createdWorkspaces = new Set<string>();
let exitHookInstalled = false;

/**
 * Removes every scratch workspace a demo of this process created (never one given in `workspace`).
 * Runs by itself when the process exits; the CLI and the hosts call it once their runs are closed.
 */
export function removeDemoWorkspaces(): void {
  for (const workspace of createdWorkspaces) {
    try {
      rmSync(workspace, { recursive: true, force: true, maxRetries: 2 });
    } catch {
      // A folder held open elsewhere (Windows) stays; the temporary folder is cleared in time.
    }
    createdWorkspaces.delete(workspace);
  }
}

function newScratchWorkspace(): string {
  if (!exitHookInstalled) {
    process.once('exit', removeDemoWorkspaces);
    exitHookInstalled = true;
  }
  const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-demo-workspace-'));
  createdWorkspaces.add(workspace);
  return workspace;
}

/**
 * Starts the demo's scripted model server and tools; `close` stops both. The workspace stays for
 * branches of the run until removeDemoWorkspaces (or the process exit).
 */
export async function openDemoResources(options: DemoOptions = {}): Promise<DemoResources> {
  const workspace = options.workspace ?? newScratchWorkspace();
  // The demo's turns are the script's replies in order, so turn N is reply N - 1 (a branch
  // keeps its parent's turn numbers).
  const server = await startScriptedServer({ script: loadScript(DEMO_SCRIPT.slice(Math.max(0, (options.fromTurn ?? 1) - 1))) });
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
