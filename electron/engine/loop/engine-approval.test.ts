import { describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import { pyJsonDumps } from '#shared/python/json.js';
import type { PyValue } from '#shared/python/value.js';
import type { RunEvent } from '#shared/run/events.js';
import { createEngine } from './engine.js';
import { REJECTED_COMMAND_ERROR, type EngineTools, type RunHandle, type RunRequest } from './run-handle.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools, type CaseReply } from '../../testing/conformance.js';
import { TERMINAL_APPROVAL } from '../tools/builtin-tools.js';

type Paused = Extract<RunEvent, { type: 'paused' }>;
type ToolStarted = Extract<RunEvent, { type: 'tool_started' }>;
type ToolFinished = Extract<RunEvent, { type: 'tool_finished' }>;

const schema = (name: string): ToolSchema => ({ type: 'function', function: { name, parameters: { type: 'object' } } });

function terminalCall(id: string, command: string) {
  return { id, type: 'function' as const, function: { name: 'terminal', arguments: JSON.stringify({ command }) } };
}

/** A terminal and a read_file that answer at once, recording each command and path they were given. */
function recordingTools(): EngineTools & { commands: string[] } {
  const commands: string[] = [];
  return {
    commands,
    schemas: [schema('terminal'), schema('read_file')],
    validNames: new Set(['terminal', 'read_file']),
    async call(name, args) {
      const dict = args as Map<string, PyValue>;
      if (name === 'read_file') return pyJsonDumps(new Map([['content', `contents of ${String(dict.get('path'))}`]]));
      const command = String(dict.get('command'));
      commands.push(command);
      return pyJsonDumps(new Map<string, PyValue>([['output', `ran: ${command}\n`], ['exit_code', 0n]]));
    },
  };
}

/** Turn 1 asks for `commands` (one terminal call each); turn 2 ends the run. */
function startRun(commands: string[], request: Partial<RunRequest> = {}) {
  const replies: CaseReply[] = [
    { message: { content: 'Running them.', tool_calls: commands.map((command, i) => terminalCall(`c${i + 1}`, command)) } },
    { message: { content: 'Done.' } },
  ];
  const model = scriptedModel(replies);
  const tools = recordingTools();
  const run = createEngine({ model, tools }).start({ messages: [{ role: 'user', content: 'go' }], approval: TERMINAL_APPROVAL, ...request });
  const events: RunEvent[] = [];
  run.subscribe((event) => events.push(event));
  return { run, model, tools, events };
}

/** Resolves at the next `paused` event of a run. */
function nextPause(run: RunHandle): Promise<Paused> {
  return new Promise((resolve) => {
    const off = run.subscribe((event) => {
      if (event.type === 'paused') {
        off();
        resolve(event);
      }
    });
  });
}

const started = (events: RunEvent[]) => events.filter((e): e is ToolStarted => e.type === 'tool_started');
const finished = (events: RunEvent[]) => events.filter((e): e is ToolFinished => e.type === 'tool_finished');
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('asking before a terminal command', () => {
  it('waits before the call, says what waits, and runs the command once approved', async () => {
    const { run, tools, events } = startRun(['echo one']);
    const pause = await nextPause(run);
    expect(pause).toMatchObject({ turn: 1, at: 'approval', approval: { index: 0, tool: 'terminal', command: 'echo one' } });
    expect(run.state.current.pausedAt).toEqual({ turn: 1, at: 'approval', approval: { index: 0, tool: 'terminal', command: 'echo one' } });
    expect(tools.commands).toEqual([]);
    expect(started(events)).toEqual([]);
    run.approve!({ decision: 'approve' });
    const outcome = await run.done;
    expect(outcome.reason).toBe('finished_naturally');
    expect(tools.commands).toEqual(['echo one']);
    expect(started(events)[0]).toMatchObject({ arguments: '{"command":"echo one"}', normalizedArguments: '{"command": "echo one"}', approval: { decision: 'approve', command: 'echo one' } });
    expect(run.state.current.turns[0]!.toolCalls[0]).toMatchObject({ status: 'ok', approval: { decision: 'approve', command: 'echo one' } });
    expect(run.state.current.pausedAt).toBeNull();
  });

  it('runs an edited command and records it as the normalized arguments; the model’s arguments stay as sent', async () => {
    const { run, tools, events, model } = startRun(['echo one']);
    await nextPause(run);
    run.approve!({ decision: 'edit', command: 'echo edited' });
    const outcome = await run.done;
    expect(outcome.reason).toBe('finished_naturally');
    expect(tools.commands).toEqual(['echo edited']);
    const call = started(events)[0]!;
    expect(call.arguments).toBe('{"command":"echo one"}');
    expect(call.normalizedArguments).toBe('{"command": "echo edited"}');
    expect(call.approval).toEqual({ decision: 'edit', command: 'echo edited' });
    const result = '{"output": "ran: echo edited\\n", "exit_code": 0}';
    expect(finished(events)[0]).toMatchObject({ status: 'ok', result });
    // The model's own message keeps its call; the next prompt carries the edited command's result.
    expect(outcome.result.messages[1]).toMatchObject({ role: 'assistant', tool_calls: [{ function: { arguments: '{"command":"echo one"}' } }] });
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c1', content: result });
    expect(outcome.result.tool_calls_executed_ok).toBe(1);
  });

  it('records a rejected command as a tool that raised, counts it, and goes on to the next model call', async () => {
    const { run, tools, events, model } = startRun(['rm -rf build']);
    await nextPause(run);
    run.approve!({ decision: 'reject' });
    const outcome = await run.done;
    expect(tools.commands).toEqual([]);
    const result = `{"error": "Tool execution failed: ${REJECTED_COMMAND_ERROR}"}`;
    expect(result).toBe('{"error": "Tool execution failed: PermissionError: the user rejected the command"}');
    expect(started(events)[0]).toMatchObject({ normalizedArguments: '{"command": "rm -rf build"}', approval: { decision: 'reject', command: 'rm -rf build' } });
    expect(finished(events)[0]).toMatchObject({ status: 'exception', result, durationMs: 0 });
    expect(outcome.reason).toBe('finished_naturally');
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c1', content: result });
    expect(outcome.result).toMatchObject({
      tool_calls_attempted: 1,
      tool_calls_schema_valid: 1,
      tool_calls_executed_ok: 0,
      tool_calls_exec_error: 1,
      tool_errors: [{ turn: 1, tool_name: 'terminal', arguments: '{"command":"rm -rf build"}', error: REJECTED_COMMAND_ERROR, tool_result: result }],
    });
  });

  it('asks once per command, in order, and each decision applies to its own call', async () => {
    const { run, tools, events } = startRun(['echo one', 'echo two']);
    expect((await nextPause(run)).approval).toMatchObject({ index: 0, command: 'echo one' });
    const second = nextPause(run);
    run.approve!({ decision: 'edit', command: 'echo edited' });
    expect((await second).approval).toMatchObject({ index: 1, command: 'echo two' });
    run.approve!({ decision: 'reject' });
    expect((await run.done).reason).toBe('finished_naturally');
    expect(tools.commands).toEqual(['echo edited']);
    expect(finished(events).map((e) => e.status)).toEqual(['ok', 'exception']);
  });

  it('stop ends a run that waits, without running the command', async () => {
    const { run, tools, events } = startRun(['echo one']);
    await nextPause(run);
    run.stop();
    const outcome = await run.done;
    expect(outcome.reason).toBe('stopped');
    expect(outcome.result.turns_used).toBe(1);
    expect(tools.commands).toEqual([]);
    expect(started(events)).toEqual([]);
    expect(() => run.approve!({ decision: 'approve' })).toThrow(/is not waiting for approval of a command/);
  });

  it('resume and step do not approve; step still pauses before the next model call once decided', async () => {
    const { run, tools } = startRun(['echo one']);
    await nextPause(run);
    run.resume();
    run.step();
    await settle();
    expect(tools.commands).toEqual([]);
    expect(run.state.current.pausedAt?.at).toBe('approval');
    const next = nextPause(run);
    run.approve!({ decision: 'approve' });
    expect(await next).toMatchObject({ turn: 2, at: 'before_model' });
    expect(tools.commands).toEqual(['echo one']);
    run.resume();
    expect((await run.done).reason).toBe('finished_naturally');
  });

  it('refuses a decision when nothing waits, and an edit without a command (still waiting)', async () => {
    const { run, tools } = startRun(['echo one'], { startPaused: true });
    expect((await nextPause(run)).at).toBe('before_model');
    expect(() => run.approve!({ decision: 'approve' })).toThrow(/^run .* is not waiting for approval of a command$/);
    run.resume();
    await nextPause(run);
    expect(() => run.approve!({ decision: 'edit', command: '  ' })).toThrow('command: an edit needs the command to run instead');
    expect(() => run.approve!({ decision: 'edit' })).toThrow(/^command: /);
    expect(run.state.current.pausedAt?.at).toBe('approval');
    run.approve!({ decision: 'approve' });
    await run.done;
    expect(tools.commands).toEqual(['echo one']);
  });

  it('keeps the breakpoints: before tools, then the approval, then the tool error of a rejection', async () => {
    const { run } = startRun(['echo one'], { breakpoints: { beforeTools: true, onToolError: true } });
    expect(await nextPause(run)).toMatchObject({ at: 'before_tools', turn: 1 });
    let next = nextPause(run);
    run.resume();
    expect(await next).toMatchObject({ at: 'approval', turn: 1 });
    next = nextPause(run);
    run.approve!({ decision: 'reject' });
    expect(await next).toMatchObject({ at: 'tool_error', turn: 1 });
    run.resume();
    expect((await run.done).reason).toBe('finished_naturally');
  });

  it('runs at once when approval is off, and never asks about other tools', async () => {
    const off = startRun(['echo one'], { approval: undefined });
    expect((await off.run.done).reason).toBe('finished_naturally');
    expect(off.tools.commands).toEqual(['echo one']);
    expect(off.events.some((e) => e.type === 'paused')).toBe(false);
    expect(started(off.events)[0]!.approval).toBeUndefined();

    const model = scriptedModel([{ message: { content: '', tool_calls: [{ id: 'r1', type: 'function', function: { name: 'read_file', arguments: '{"path": "a"}' } }] } }, { message: { content: 'ok' } }]);
    const run = createEngine({ model, tools: recordingTools() }).start({ messages: [{ role: 'user', content: 'go' }], approval: TERMINAL_APPROVAL });
    const events: RunEvent[] = [];
    run.subscribe((event) => events.push(event));
    expect((await run.done).reason).toBe('finished_naturally');
    expect(events.some((e) => e.type === 'paused')).toBe(false);
  });

  it('does not ask about a call whose recorded result is reused (nothing runs)', async () => {
    const { run, tools, events } = startRun(['echo one'], {
      recordedToolResult: () => ({ status: 'ok', result: '{"output": "recorded", "exit_code": 0}', toolError: null }),
    });
    expect((await run.done).reason).toBe('finished_naturally');
    expect(tools.commands).toEqual([]);
    expect(events.some((e) => e.type === 'paused')).toBe(false);
  });
});

describe('approval and the reference loop', () => {
  const cases = loadConformanceCases();
  let approvals = 0;

  for (const c of cases) {
    it(`${c.name}: approving every command gives the reference's result and requests`, async () => {
      const plain = createEngine({ model: scriptedModel(c.model), tools: scriptedTools(c.tools, c.tools_out), now: () => 0, newId: () => 'id' });
      const asked = scriptedModel(c.model);
      const asking = createEngine({ model: asked, tools: scriptedTools(c.tools, c.tools_out), now: () => 0, newId: () => 'id' });
      const plainRun = plain.start({ messages: structuredClone(c.messages), config: caseConfig(c) });
      const plainEvents: RunEvent[] = [];
      plainRun.subscribe((event) => plainEvents.push(event));
      const run = asking.start({ messages: structuredClone(c.messages), config: caseConfig(c), approval: TERMINAL_APPROVAL });
      const events: RunEvent[] = [];
      run.subscribe((event) => {
        events.push(event);
        if (event.type === 'paused' && event.at === 'approval') {
          approvals += 1;
          queueMicrotask(() => run.approve!({ decision: 'approve' }));
        }
      });
      const outcome = await run.done;
      await plainRun.done;
      expect(JSON.parse(JSON.stringify(outcome.result))).toEqual(c.expected.result);
      expect(asked.requests.map((r) => r.messages)).toEqual(c.expected.requests.map((r) => r.messages));
      // The same events but the pauses and the decisions they record.
      const strip = (list: RunEvent[]) =>
        list
          .filter((e) => e.type !== 'paused' && e.type !== 'resumed')
          .map((e) => {
            const { seq: _seq, ...rest } = e as RunEvent & { approval?: unknown };
            if (rest.type === 'tool_started') delete (rest as { approval?: unknown }).approval;
            return rest;
          });
      expect(strip(events)).toEqual(strip(plainEvents));
    });
  }

  it('asked about the terminal commands of those cases', () => {
    expect(approvals).toBeGreaterThan(20);
  });
});
