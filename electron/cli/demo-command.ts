import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEngine } from '../engine/loop/engine.js';
import { openDemoResources, removeDemoWorkspaces } from '../engine/demo/demo-run.js';
import { DEMO_CONFIG, DEMO_MESSAGES } from '../engine/demo/demo-script.js';
import { createRunFile } from '../engine/persistence/run-file.js';
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
  const demo = await openDemoResources();
  const runFile = createRunFile(join(outDir, 'run.jsonl'));
  try {
    stderr(`demo: scripted model at ${demo.baseURL}, tools in ${demo.workspace}`);
    const engine = createEngine({ model: demo.model, tools: demo.tools, sink: runFile });
    const run = engine.start({ messages: DEMO_MESSAGES, config: DEMO_CONFIG, source: { model: 'scripted', baseURL: demo.baseURL, stream: true, toolSources: ['builtin'] } });
    run.subscribe(progressPrinter(stderr));
    const outcome = await run.done;
    writeJsonFile(join(outDir, 'result.json'), outcome.result);
    const r = outcome.result;
    stderr(`tool calls: ${r.tool_calls_attempted} attempted, ${r.tool_calls_schema_valid} schema-valid, ${r.tool_calls_executed_ok} ok, ${r.tool_calls_exec_error} failed; ${r.tool_errors.length} tool errors recorded`);
    stderr(`wrote ${join(outDir, 'result.json')} and ${join(outDir, 'run.jsonl')}`);
    return outcome.reason === 'failed' ? 1 : 0;
  } finally {
    runFile.close();
    await demo.close();
    removeDemoWorkspaces();
  }
}
