import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/engine.js';
import { DEMO_CONFIG, DEMO_MESSAGES, DEMO_SCRIPT } from '../engine/demo/demo-script.js';
import { createOpenAIModelClient } from '../engine/model/openai-client.js';
import { createRunFile } from '../engine/run-file.js';
import { loadScript, startScriptedServer } from '../engine/scripted-server/scripted-server.js';
import { createBuiltinTools } from '../engine/tools/builtin-tools.js';
import { createToolRegistry } from '../engine/tools/tool-registry.js';
import { writeJsonFile } from './output-files.js';
import { progressPrinter } from './progress.js';

export const DEMO_USAGE = `Usage: trajdbg demo [--out-dir DIR]

Runs the built-in demo: a scripted model server on 127.0.0.1 and the built-in tools in a scratch
workspace, through the real engine, HTTP and streaming. Writes the AgentResult and the run file.
  --out-dir DIR   where to write result.json and run.jsonl (default: a new temporary folder)`;

/** `trajdbg demo`: a complete loop with no model server or key. */
export async function demoCommand(args: string[], stderr: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { 'out-dir': { type: 'string' } } });
  const outDir = values['out-dir'] ?? mkdtempSync(join(tmpdir(), 'trajdbg-demo-'));
  const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-demo-workspace-'));
  const server = await startScriptedServer({ script: loadScript(DEMO_SCRIPT) });
  const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal', 'read_file', 'write_file'], workspace, timeoutMs: 10_000 })]);
  const runFile = createRunFile(join(outDir, 'run.jsonl'));
  try {
    stderr(`demo: scripted model at ${server.url}, tools in ${workspace}`);
    const engine = createEngine({ model: createOpenAIModelClient({ baseURL: server.url, model: 'scripted', maxRetries: 0 }), tools, sink: runFile });
    const run = engine.start({ messages: DEMO_MESSAGES, config: DEMO_CONFIG, source: { model: 'scripted', baseURL: server.url, stream: true, toolSources: ['builtin'] } });
    run.subscribe(progressPrinter(stderr));
    const outcome = await run.done;
    writeJsonFile(join(outDir, 'result.json'), outcome.result);
    const r = outcome.result;
    stderr(`tool calls: ${r.tool_calls_attempted} attempted, ${r.tool_calls_schema_valid} schema-valid, ${r.tool_calls_executed_ok} ok, ${r.tool_calls_exec_error} failed; ${r.tool_errors.length} tool errors recorded`);
    stderr(`wrote ${join(outDir, 'result.json')} and ${join(outDir, 'run.jsonl')}`);
    return outcome.reason === 'failed' ? 1 : 0;
  } finally {
    runFile.close();
    await tools.close?.();
    await server.close();
  }
}
