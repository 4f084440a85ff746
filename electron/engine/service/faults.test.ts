import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import { isPersistedEvent, type RunEvent } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { main } from '../../cli/main.js';
import { RUN_USAGE } from '../../cli/run-command.js';
import { createEngine } from '../loop/engine.js';
import { type EngineTools, type RunOutcome } from '../loop/run-handle.js';
import { createOpenAIModelClient, describeRetryPolicy, MAX_RETRY_AFTER_SECONDS, type OpenAIClientOptions } from '../model/openai-client.js';
import { createRunFile, parseRunFile, readRunFile, type RunFileContents } from '../persistence/run-file.js';
import { loadScript, startScriptedServer, type ScriptedServer } from '../../scripted-server/scripted-server.js';
import { createBuiltinTools } from '../tools/builtin-tools.js';
import { connectMcpServers } from '../tools/mcp-tools.js';
import { createToolRegistry } from '../tools/tool-registry.js';

/**
 * Faults met on the way, one test each, through the real engine, model client and scripted
 * server (real HTTP) or real tools. Each checks what the UI is told (the `model_failed` or
 * `tool_finished` event and `run_finished`), what the run file read back keeps (every turn
 * completed before the fault, and the failure), and that the API key went nowhere but the
 * model server's Authorization header.
 */

const KEY = 'sk-PLANTED-faults-key-0123456789abcdef';

interface FaultRunOptions {
  maxTurns?: number;
  /** Client options over these tests' defaults: no retries, a 5 s timeout, streaming. */
  client?: Partial<OpenAIClientOptions>;
  /** Call this base URL instead of the scripted server's (a closed port, a host that does not resolve). */
  baseURL?: string;
}

interface FaultRun {
  outcome: RunOutcome;
  /** The run file, read back from disk. */
  file: RunFileContents;
  /** Every event as the UI receives it, deltas included. */
  live: RunEvent[];
  server: ScriptedServer;
}

type ToolsFor = EngineTools | ((server: ScriptedServer) => EngineTools | Promise<EngineTools>);

/** Runs a script to its end and checks what holds whatever the fault: see the file comment. */
async function runWithFaults(script: unknown[], tools: ToolsFor, options: FaultRunOptions = {}): Promise<FaultRun> {
  const server = await startScriptedServer({ script: loadScript(script) });
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-faults-'));
  const path = join(dir, 'run.jsonl');
  const sink = createRunFile(path);
  try {
    const model = createOpenAIModelClient({ baseURL: options.baseURL ?? server.url, apiKey: KEY, model: 'm', maxRetries: 0, timeoutMs: 5_000, ...options.client });
    const engine = createEngine({ model, tools: typeof tools === 'function' ? await tools(server) : tools, sink });
    const run = engine.start({ messages: [{ role: 'user', content: 'go' }], config: { maxTurns: options.maxTurns ?? 5 } });
    const live: RunEvent[] = [];
    run.subscribe((event) => live.push(event));
    const outcome = await run.done;
    sink.close();
    const text = readFileSync(path, 'utf8');
    const file = parseRunFile(text, path);
    expect(file.problems).toEqual([]);
    // Nothing lost, nothing invented: the file holds every event the UI saw but the live-only deltas.
    expect(file.events).toEqual(live.filter(isPersistedEvent));
    expect(agentResultOf(file.state.current)).toEqual(outcome.result);
    expect(file.events.at(-1)).toMatchObject({ type: 'run_finished', reason: outcome.reason, turnsUsed: outcome.result.turns_used });
    for (const where of [text, JSON.stringify(live), JSON.stringify(outcome)]) expect(where.includes(KEY)).toBe(false);
    expect(server.requestHeaders.every((headers) => headers.authorization === `Bearer ${KEY}`)).toBe(true);
    return { outcome, file, live, server };
  } finally {
    sink.close();
    await server.close();
    // The 50 MB case writes as much to its run file.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks a run that ended on a failed model call at `turn`, every earlier turn whole; returns the failure. */
function expectModelFailure(run: FaultRun, turn: number, reason: 'model_error' | 'empty_response' = 'model_error') {
  const { outcome, file, live } = run;
  expect(outcome.reason).toBe(reason);
  expect(outcome.result.turns_used).toBe(turn);
  const failures = file.events.filter((e) => e.type === 'model_failed');
  expect(failures).toHaveLength(1);
  const failure = failures[0]!;
  expect(failure.turn).toBe(turn);
  expect(live.filter((e) => e.type === 'model_failed')).toEqual(failures);
  expect(file.events.at(-1)).toMatchObject({ type: 'run_finished', reason, turnsUsed: turn });
  const turns = file.state.current.turns;
  expect(turns).toHaveLength(turn);
  for (const earlier of turns.slice(0, -1)) {
    expect(earlier.finished).toBe(true);
    expect(earlier.failure).toBeNull();
    expect(earlier.toolCalls.every((call) => call.result !== null)).toBe(true);
  }
  const last = turns.at(-1)!;
  expect(last.finished).toBe(false);
  expect(last.reply).toBeNull();
  const { kind, error, status, code } = failure;
  expect(last.failure).toEqual({ kind, error, ...(status !== undefined ? { status } : {}), ...(code !== undefined ? { code } : {}) });
  return failure;
}

/** Tools answered in process: `note` (for turns that complete) and any others given. */
function scriptedTools(extra: Record<string, () => Promise<string>> = {}): EngineTools {
  const handlers: Record<string, () => Promise<string>> = { note: async () => 'noted', ...extra };
  const schemas: ToolSchema[] = Object.keys(handlers).map((name) => ({ type: 'function', function: { name, description: name, parameters: { type: 'object', properties: {} } } }));
  return createToolRegistry([{ schemas, call: async (name) => handlers[name]!() }]);
}

const toolCall = (id: string, name: string, args: unknown = {}) => ({ message: { content: '', tool_calls: [{ id, type: 'function', function: { name, arguments: JSON.stringify(args) } }] } });
const terminalCall = (id: string, command: string) => toolCall(id, 'terminal', { command });
const answer = (content: string) => ({ message: { content } });

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the model server cannot be reached', () => {
  it('connection refused (the server went away mid-run): retried as the policy says, then the turn fails', async () => {
    const tools = (server: ScriptedServer) =>
      scriptedTools({
        stop_server: async () => {
          await server.close();
          return 'stopped';
        },
      });
    const run = await runWithFaults([toolCall('c1', 'stop_server'), answer('never asked')], tools, { client: { maxRetries: 1 } });
    const failure = expectModelFailure(run, 2);
    expect(failure).toMatchObject({ kind: 'error', code: 'connection_refused', error: `connection refused at ${run.server.url} (2 attempts)` });
    expect(run.file.state.current.turns[0]!.toolCalls[0]!.result).toBe('stopped');
    expect(run.server.requests).toHaveLength(1);
  });

  it('connection refused from the first call', async () => {
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    const run = await runWithFaults([], scriptedTools(), { baseURL });
    expect(expectModelFailure(run, 1)).toMatchObject({ code: 'connection_refused', error: `connection refused at ${baseURL}` });
  });

  it('a host name that does not resolve (DNS failure)', async () => {
    const run = await runWithFaults([], scriptedTools(), { baseURL: 'http://nonexistent.invalid/v1', client: { maxRetries: 1 } });
    const failure = expectModelFailure(run, 1);
    expect(failure).toMatchObject({ kind: 'error', code: 'dns', error: 'could not resolve host nonexistent.invalid (2 attempts)' });
    expect(failure.status).toBeUndefined();
  });
});

describe('the model server answers with an HTTP error', () => {
  it('401: not retried, fails with the body, the echoed key scrubbed', async () => {
    const body = `{"error": {"message": "Incorrect API key provided: ${KEY}", "code": "invalid_api_key"}}`;
    const run = await runWithFaults([toolCall('c1', 'note'), { http_error: 401, body }, answer('never asked')], scriptedTools(), { client: { maxRetries: 2 } });
    const failure = expectModelFailure(run, 2);
    expect(failure).toMatchObject({ kind: 'error', status: 401, code: 'http' });
    expect(failure.error).toBe(`HTTP 401 from ${run.server.url}: {"error": {"message": "Incorrect API key provided: ***", "code": "invalid_api_key"}}`);
    expect(run.server.requests).toHaveLength(2);
  });

  it('429 with a short Retry-After: waited for and retried, and the turn goes on as if nothing happened', async () => {
    expect(describeRetryPolicy({ maxRetries: 2 })).toMatch(/on HTTP 408, 409, 429 .*Retry-After \(seconds or an HTTP date\) when present, taken as given/);
    const run = await runWithFaults([{ http_error: 429, retry_after: 1, body: 'slow down' }, answer('after the wait')], scriptedTools(), { client: { maxRetries: 2 } });
    expect(run.outcome.reason).toBe('finished_naturally');
    expect(run.file.events.some((e) => e.type === 'model_failed')).toBe(false);
    expect(run.file.state.current.turns[0]!.reply?.content).toBe('after the wait');
    expect(run.server.requests).toHaveLength(2);
    expect(run.server.requests[1]).toEqual(run.server.requests[0]);
  });

  it(`429 with a Retry-After over ${MAX_RETRY_AFTER_SECONDS} s: not waited for, and the message says so`, async () => {
    const run = await runWithFaults([toolCall('c1', 'note'), { http_error: 429, retry_after: 120, body: 'quota exceeded' }, answer('never asked')], scriptedTools(), { client: { maxRetries: 2 } });
    const failure = expectModelFailure(run, 2);
    expect(failure).toMatchObject({ status: 429, code: 'http' });
    expect(failure.error).toBe(`HTTP 429 from ${run.server.url}: quota exceeded [not retried: the server asked to wait 120 s, more than 60 s]`);
    expect(run.server.requests).toHaveLength(2);
  });

  it('500: retried with backoff as the policy says; once the retries are spent the turn fails with the last body', async () => {
    const script = [
      { http_error: 500, body: 'blip' },
      toolCall('c1', 'note'),
      { http_error: 500, body: 'upstream overloaded (attempt 1)' },
      { http_error: 500, body: 'upstream overloaded (attempt 2)' },
      { http_error: 500, body: 'upstream overloaded (attempt 3)' },
      answer('too late'),
    ];
    const run = await runWithFaults(script, scriptedTools(), { client: { maxRetries: 2 } });
    const failure = expectModelFailure(run, 2);
    expect(failure).toMatchObject({ status: 500, code: 'http', error: `HTTP 500 from ${run.server.url} (3 attempts): upstream overloaded (attempt 3)` });
    // Turn 1's 500 was retried once and succeeded; turn 2 made 1 + 2 attempts.
    expect(run.server.requests).toHaveLength(5);
    expect(run.file.state.current.turns[0]!.toolCalls[0]!.result).toBe('noted');
  });
});

describe('the model server answers, but not a usable reply', () => {
  it('a response that never comes: the client timeout fires on each attempt', async () => {
    const hang = { ...answer('never'), hang: true };
    const run = await runWithFaults([toolCall('c1', 'note'), hang, hang], scriptedTools(), { client: { maxRetries: 1, timeoutMs: 300 } });
    expect(expectModelFailure(run, 2)).toMatchObject({ code: 'timeout', error: `no response from ${run.server.url} within 300 ms (2 attempts)` });
    expect(run.server.requests).toHaveLength(3);
  });

  it('a stream that stops mid-reply and never ends: the silence timeout fires, and a started stream is not retried', async () => {
    const stall = { message: { content: 'I will now', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'note', arguments: '{}' } }] }, stall_after_chunks: 3 };
    const run = await runWithFaults([toolCall('c1', 'note'), stall, answer('never asked')], scriptedTools(), { client: { maxRetries: 2, timeoutMs: 300 } });
    const failure = expectModelFailure(run, 2);
    expect(failure).toMatchObject({ code: 'timeout', error: `no data from ${run.server.url} for 300 ms while reading the reply (after 3 chunks, inside content)` });
    expect(run.server.requests).toHaveLength(2);
    // The streamed text reached the UI live, and is not kept as a reply.
    expect(run.live.filter((e) => e.type === 'model_delta' && e.turn === 2).length).toBeGreaterThan(0);
  });

  it('a JSON body that stops halfway and never ends (stream off)', async () => {
    const run = await runWithFaults([{ ...answer('abcdefgh'), stall_after_chunks: 0 }], scriptedTools(), { client: { stream: false, maxRetries: 2, timeoutMs: 300 } });
    expect(expectModelFailure(run, 1)).toMatchObject({ code: 'timeout', error: `no data from ${run.server.url} for 300 ms while reading the reply` });
    expect(run.server.requests).toHaveLength(1);
  });

  it('a stream cut in the middle of a tool call ends the run on that turn, not retried', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace })]);
    const cut = { ...terminalCall('c2', 'echo never'), cut_after_chunks: 2 };
    const run = await runWithFaults([terminalCall('c1', 'echo one'), cut], tools, { client: { maxRetries: 2 } });
    const failure = expectModelFailure(run, 2);
    expect(failure.code).toBe('stream_cut');
    expect(failure.error).toMatch(/^stream ended mid-reply \(after 2 chunks, inside tool call 0\): /);
    const turns = run.file.state.current.turns;
    expect(turns[0]!.toolCalls[0]!.result).toBe('{"output": "one\\n", "exit_code": 0}');
    expect(run.file.state.current.messages).toHaveLength(3);
    expect(run.server.requests).toHaveLength(2);
  });

  it('invalid JSON in a stream chunk', async () => {
    const broken = { message: { content: '', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'note', arguments: '{"text": "abc"}' } }] }, invalid_chunk_after: 3 };
    const run = await runWithFaults([toolCall('c1', 'note'), broken], scriptedTools(), { client: { maxRetries: 2 } });
    const failure = expectModelFailure(run, 2);
    expect(failure.code).toBe('invalid_chunk');
    expect(failure.error).toMatch(/^server sent a chunk that is not JSON \(after 3 chunks, inside tool call 0\): /);
    expect(run.server.requests).toHaveLength(2);
  });

  it('a JSON body that is not JSON (stream off)', async () => {
    const run = await runWithFaults([{ ...answer('abc'), invalid_chunk_after: 0 }], scriptedTools(), { client: { stream: false } });
    const failure = expectModelFailure(run, 1);
    expect(failure.code).toBe('invalid_response');
    expect(failure.error).toMatch(new RegExp(`^reply from ${run.server.url} is not JSON: `));
  });

  it.each([true, false])('a completion with empty choices ends the run as an empty response (stream: %s)', async (stream) => {
    const run = await runWithFaults([toolCall('c1', 'note'), { empty: true }], scriptedTools(), { client: { stream } });
    const failure = expectModelFailure(run, 2, 'empty_response');
    expect(failure).toMatchObject({ kind: 'empty', error: 'the response had no choices' });
    expect(failure.code).toBeUndefined();
  });
});

describe('a tool misbehaves', () => {
  it('a tool that hangs past its timeout is a tool error, and the loop goes on', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace, timeoutMs: 300 })]);
    const run = await runWithFaults([terminalCall('c1', 'sleep 30'), answer('gave up')], tools);
    const { outcome, file } = run;
    expect(outcome.reason).toBe('finished_naturally');
    const finished = file.events.filter((e) => e.type === 'tool_finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ turn: 1, status: 'error_result', toolError: { tool_name: 'terminal', error: 'command timed out after 0.3 s' } });
    expect(finished[0]!.result).toMatch(/"exit_code": -1, "error": "command timed out after 0.3 s"/);
    expect(outcome.result.tool_errors[0]).toMatchObject({ tool_name: 'terminal', error: 'command timed out after 0.3 s' });
    expect(file.state.current.messages[2]!.content).toBe(finished[0]!.result);
    expect(file.state.current.turns[1]!.reply?.content).toBe('gave up');
  });

  it('a tool that prints megabytes is capped, with the cut said in the result', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const tools = createToolRegistry([await createBuiltinTools({ enabled: ['terminal'], workspace, outputCapBytes: 100_000 })]);
    const { outcome, file } = await runWithFaults([terminalCall('c1', "head -c 5000000 /dev/zero | tr '\\0' x"), answer('ok')], tools);
    const content = outcome.result.messages[2]!.content as string;
    expect(content.length).toBeLessThan(110_000);
    expect(content).toMatch(/\[output truncated: 4900000 bytes omitted\]/);
    expect(outcome.result.tool_calls_executed_ok).toBe(1);
    expect(file.state.current.turns[0]!.toolCalls[0]!.result).toBe(content);
  });

  it('a tool that returns 50 MB: recorded whole in the event and the run file, and sent whole to the model', async () => {
    // Not the same 16 bytes over and over, so that a cut or a shuffle would show.
    const big = Array.from({ length: 50 * 2 ** 20 / 16 }, (_, i) => i.toString(16).padStart(16, '.')).join('');
    expect(big.length).toBe(50 * 2 ** 20);
    // Sending 50 MB and parsing it in the scripted server (this same process) takes seconds on a
    // busy machine: the per-attempt timeout is the app's own (240 s), not the 5 s of the fault cases.
    const run = await runWithFaults([toolCall('c1', 'dump'), answer('read it')], scriptedTools({ dump: async () => big }), { client: { timeoutMs: undefined } });
    expect(run.outcome.reason, JSON.stringify(run.live.find((e) => e.type === 'model_failed'))).toBe('finished_naturally');
    const finished = run.live.find((e) => e.type === 'tool_finished');
    // The UI gets the whole result in the event and folds it (past FOLD_AT, 2,000 characters, in renderer/src/ui/folded-text.tsx).
    expect(finished).toMatchObject({ status: 'ok', toolError: null });
    expect(finished?.type === 'tool_finished' && finished.result === big).toBe(true);
    expect(run.file.state.current.turns[0]!.toolCalls[0]!.result === big).toBe(true);
    expect(run.file.state.current.messages[2]!.content === big).toBe(true);
    const sent = run.server.requests[1] as { messages: Array<{ content: unknown }> };
    expect(sent.messages[2]!.content === big).toBe(true);
    // Longer than the app's own 240 s per attempt; at a load average of 11 on 2 cores the whole case took 115 s.
  }, 300_000);

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
      const { outcome, file } = await runWithFaults([toolCall('c1', 'crash'), answer('the tool crashed')], tools);
      expect(outcome.reason).toBe('finished_naturally');
      expect(outcome.result.tool_calls_exec_error).toBe(1);
      expect(outcome.result.tool_errors[0]!.error).toMatch(/crash/);
      const finished = file.events.find((e) => e.type === 'tool_finished');
      expect(finished).toMatchObject({ turn: 1, status: 'exception', toolError: { tool_name: 'crash' } });
      expect(finished?.type === 'tool_finished' && finished.result).toMatch(/^\{"error": "Tool execution failed: /);
      expect(file.state.current.messages[2]!.content).toMatch(/^\{"error": "Tool execution failed: /);
      expect(file.state.current.turns[1]!.reply?.content).toBe('the tool crashed');
    } finally {
      await tools.close?.();
    }
  });
});

describe('the retry policy is stated where the user meets it', () => {
  it('trajdbg run follows the default policy on a 500, and its progress and run file say how many attempts were made', async () => {
    expect(describeRetryPolicy({})).toMatch(/^Up to 2 retries \(3 attempts in all\) on HTTP 408, 409, 429 and any status >= 500/);
    const server = await startScriptedServer({ script: loadScript([1, 2, 3].map((n) => ({ http_error: 500, body: `upstream overloaded (attempt ${n})` }))) });
    const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-faults-')), 'run.jsonl');
    const lines: string[] = [];
    try {
      const code = await main(['run', '--base-url', server.url, '--api-key', KEY, '--model', 'm', '--user', 'go', '--run-file', path], (line) => lines.push(line));
      expect(code).toBe(0);
    } finally {
      await server.close();
    }
    const error = `HTTP 500 from ${server.url} (3 attempts): upstream overloaded (attempt 3)`;
    expect(lines).toEqual(['turn 1: calling the model (1 messages)', `turn 1: model call failed: ${error}`, 'run ended: model error after 1 turn', `wrote ${path}`]);
    expect(server.requests).toHaveLength(3);
    const file = readRunFile(path);
    expect(file.problems).toEqual([]);
    expect(file.state.current.turns[0]!.failure).toEqual({ kind: 'error', error, status: 500, code: 'http' });
    expect(readFileSync(path, 'utf8').includes(KEY) || lines.join('\n').includes(KEY)).toBe(false);
  });

  it('trajdbg run --help states the policy its model client follows', () => {
    expect(RUN_USAGE).toContain(describeRetryPolicy({}));
  });
});

const BIG = process.env.TRAJDBG_BIG_TESTS === '1';
const slow = (title: string): string => (BIG ? title : `${title} (skipped: takes five minutes; set TRAJDBG_BIG_TESTS=1 to run it)`);

describe('the default timeouts, as the app and trajdbg run build the client (no timeoutMs)', () => {
  // The default timeout (240 s) fires before Node's fetch gives up on a silent body (300 s), so
  // a stalled stream is reported as the timeout it is, as the retry policy says.
  it.skipIf(!BIG)(slow('a stream that stalls is reported as a timeout'), async () => {
    const run = await runWithFaults([{ ...answer('abcdefghijkl'), stall_after_chunks: 2 }], scriptedTools(), { client: { timeoutMs: undefined } });
    expect(expectModelFailure(run, 1)).toMatchObject({ code: 'timeout' });
  }, 420_000);
});
