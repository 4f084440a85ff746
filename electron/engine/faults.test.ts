import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentResultOf } from '../../shared/run/run-state.js';
import { createEngine, type EngineTools } from './engine.js';
import { createOpenAIModelClient } from './model/openai-client.js';
import { createRunFile, readRunFile } from './run-file.js';
import { loadScript, startScriptedServer, type ScriptedReply } from './scripted-server/scripted-server.js';
import { createBuiltinTools } from './tools/builtin-tools.js';
import { connectMcpServers } from './tools/mcp-tools.js';
import { createToolRegistry } from './tools/tool-registry.js';

/**
 * Faults met on the way, through the real client, server and tools: each ends with a clear
 * message, and the run file read back still holds every turn completed before it.
 */
async function runWithFaults(script: unknown[], tools: EngineTools, maxTurns = 5) {
  const server = await startScriptedServer({ script: loadScript(script) as ScriptedReply[] });
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-faults-')), 'run.jsonl');
  const sink = createRunFile(path);
  try {
    const engine = createEngine({ model: createOpenAIModelClient({ baseURL: server.url, model: 'm', maxRetries: 0, timeoutMs: 5_000 }), tools, sink });
    const outcome = await engine.start({ messages: [{ role: 'user', content: 'go' }], config: { maxTurns } }).done;
    sink.close();
    const file = readRunFile(path);
    expect(file.problems).toEqual([]);
    expect(agentResultOf(file.state.current)).toEqual(outcome.result);
    return { outcome, file };
  } finally {
    sink.close();
    await server.close();
  }
}

const terminalCall = (id: string, command: string) => ({ message: { content: '', tool_calls: [{ id, type: 'function', function: { name: 'terminal', arguments: JSON.stringify({ command }) } }] } });

describe('faults are shown, and nothing already recorded is lost', () => {
  it('a stream cut in the middle of a tool call ends the run on that turn', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace })]);
    const cut = { ...terminalCall('c2', 'echo never'), cut_after_chunks: 2 };
    const { outcome, file } = await runWithFaults([terminalCall('c1', 'echo one'), cut], tools);
    expect(outcome.reason).toBe('model_error');
    expect(outcome.result.turns_used).toBe(2);
    const turns = file.state.current.turns;
    expect(turns[0]!.finished).toBe(true);
    expect(turns[0]!.toolCalls[0]!.result).toBe('{"output": "one\\n", "exit_code": 0}');
    expect(turns[1]!.failure?.error).toMatch(/^stream ended mid-reply \(after 2 chunks/);
    expect(file.state.current.messages).toHaveLength(3);
  });

  it('a tool that hangs past its timeout is a tool error, and the loop goes on', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace, timeoutMs: 300 })]);
    const { outcome } = await runWithFaults([terminalCall('c1', 'sleep 30'), { message: { content: 'gave up' } }], tools);
    expect(outcome.reason).toBe('finished_naturally');
    const toolMessage = outcome.result.messages[2]!;
    expect(toolMessage.content).toMatch(/"exit_code": -1, "error": "command timed out after 0.3 s"/);
    expect(outcome.result.tool_errors[0]).toMatchObject({ tool_name: 'terminal', error: 'command timed out after 0.3 s' });
  });

  it('a tool that prints megabytes is capped, with the cut said in the result', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace, outputCapBytes: 100_000 })]);
    const { outcome } = await runWithFaults([terminalCall('c1', "head -c 5000000 /dev/zero | tr '\\0' x"), { message: { content: 'ok' } }], tools);
    const content = outcome.result.messages[2]!.content as string;
    expect(content.length).toBeLessThan(110_000);
    expect(content).toMatch(/\[output truncated: 4900000 bytes omitted\]/);
    expect(outcome.result.tool_calls_executed_ok).toBe(1);
  });

  it('an MCP server that exits mid-call is a tool exception with its reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-mcp-'));
    const server = join(dir, 'crash.mjs');
    const sdk = (p: string) => JSON.stringify(new URL(import.meta.resolve(`@modelcontextprotocol/sdk/${p}`)).href);
    writeFileSync(
      server,
      `import { McpServer } from ${sdk('server/mcp.js')};
import { StdioServerTransport } from ${sdk('server/stdio.js')};
const s = new McpServer({ name: 'crash', version: '1.0.0' });
s.registerTool('crash', { description: 'exits' }, async () => { process.stderr.write('bye\\n'); process.exit(3); });
await s.connect(new StdioServerTransport());`,
    );
    const tools = createToolRegistry([await connectMcpServers([`"${process.execPath}" "${server}"`], { timeoutMs: 10_000 })]);
    try {
      const call = { message: { content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'crash', arguments: '{}' } }] } };
      const { outcome } = await runWithFaults([call, { message: { content: 'the tool crashed' } }], tools);
      expect(outcome.reason).toBe('finished_naturally');
      expect(outcome.result.tool_calls_exec_error).toBe(1);
      expect(outcome.result.tool_errors[0]!.error).toMatch(/crash/);
      expect(outcome.result.messages[2]!.content).toMatch(/^\{"error": "Tool execution failed: /);
    } finally {
      await tools.close?.();
    }
  });
});
