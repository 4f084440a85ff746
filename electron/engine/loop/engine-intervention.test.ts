import { describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import { pyJsonDumps } from '#shared/python/json.js';
import type { PyValue } from '#shared/python/value.js';
import { runEventSchema, type RunEvent } from '#shared/run/events.js';
import { RunState } from '#shared/run/run-state.js';
import { createEngine } from './engine.js';
import type { EngineTools, RunHandle, RunRequest, RunSink } from './run-handle.js';
import { SKIPPED_CALL_ERROR } from './tool-intervention.js';
import { planBranch } from './branch.js';
import { scriptedModel, type CaseReply } from '../../testing/conformance.js';
import { TERMINAL_APPROVAL } from '../tools/builtin-tools.js';

type Paused = Extract<RunEvent, { type: 'paused' }>;

const readFileSchema: ToolSchema = {
  type: 'function',
  function: { name: 'read_file', parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
};
const terminalSchema: ToolSchema = { type: 'function', function: { name: 'terminal', parameters: { type: 'object' } } };

/** read_file and terminal tools that answer at once and remember the arguments each call got. */
function recordingTools(): EngineTools & { calls: Array<{ name: string; args: string }> } {
  const calls: Array<{ name: string; args: string }> = [];
  return {
    calls,
    schemas: [readFileSchema, terminalSchema],
    validNames: new Set(['read_file', 'terminal']),
    async call(name, args) {
      calls.push({ name, args: pyJsonDumps(args) });
      const dict = args as Map<string, PyValue>;
      return pyJsonDumps(new Map([['content', `contents of ${String(dict.get('path') ?? dict.get('command'))}`]]));
    },
  };
}

function readCall(id: string, path: string) {
  return { id, type: 'function' as const, function: { name: 'read_file', arguments: JSON.stringify({ path }) } };
}

/** Turn 1 reads `paths` (one call each) with "Break before tools" on; turn 2 ends the run. Events also go to a sink, as to a run file. */
function startRun(paths: string[], request: Partial<RunRequest> = {}) {
  const replies: CaseReply[] = [{ message: { content: 'Reading.', tool_calls: paths.map((p, i) => readCall(`c${i + 1}`, p)) } }, { message: { content: 'Done.' } }];
  const model = scriptedModel(replies);
  const tools = recordingTools();
  const persisted: RunEvent[] = [];
  const sink: RunSink = { append: (event) => persisted.push(runEventSchema.parse(JSON.parse(JSON.stringify(event)))) };
  const run = createEngine({ model, tools, sink }).start({ messages: [{ role: 'user', content: 'go' }], breakpoints: { beforeTools: true }, ...request });
  return { run, model, tools, persisted };
}

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

describe('changing pending tool calls at the "before tools" breakpoint', () => {
  it('runs an edited call with the user’s arguments, records both, and the next prompt carries them', async () => {
    const { run, model, tools, persisted } = startRun(['a.txt']);
    expect(await nextPause(run)).toMatchObject({ turn: 1, at: 'before_tools' });
    run.intervene!(1, 0, { action: 'edit', arguments: '{"path": "b.txt"}' });
    // Before anything runs, the state already shows what will run.
    expect(run.state.current.turns[0]!.interventions).toEqual({ 0: { action: 'edit', modelArguments: '{"path":"a.txt"}', arguments: '{"path": "b.txt"}' } });
    run.resume();
    const outcome = await run.done;
    expect(outcome.reason).toBe('finished_naturally');
    expect(tools.calls).toEqual([{ name: 'read_file', args: '{"path": "b.txt"}' }]);

    // The run file holds the model's arguments (its reply) and the user's (the intervention, the call that ran).
    const reply = persisted.find((e) => e.type === 'model_reply')!;
    expect(reply).toMatchObject({ message: { tool_calls: [{ function: { arguments: '{"path":"a.txt"}' } }] } });
    const intervened = persisted.find((e) => e.type === 'tool_call_intervened');
    expect(intervened).toMatchObject({ turn: 1, index: 0, intervention: { action: 'edit', modelArguments: '{"path":"a.txt"}', arguments: '{"path": "b.txt"}' } });
    expect(persisted.find((e) => e.type === 'tool_started')).toMatchObject({ arguments: '{"path": "b.txt"}', normalizedArguments: '{"path": "b.txt"}', schemaValid: true });

    // The trajectory (and so the next prompt) holds the arguments that ran.
    expect(outcome.result.messages[1]).toMatchObject({ role: 'assistant', tool_calls: [{ function: { arguments: '{"path": "b.txt"}' } }] });
    expect(model.requests[1]!.messages[1]).toMatchObject({ tool_calls: [{ function: { arguments: '{"path": "b.txt"}' } }] });
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c1', content: '{"content": "contents of b.txt"}' });
    expect(run.state.current.turns[0]!.toolCalls[0]).toMatchObject({ status: 'ok', intervention: { action: 'edit', modelArguments: '{"path":"a.txt"}' } });

    // A run file read back gives the same state.
    const reread = new RunState();
    for (const event of persisted) reread.apply(event);
    expect(reread.current.messages).toEqual(run.state.current.messages);
    expect(reread.current.turns[0]!.toolCalls[0]!.intervention).toEqual(run.state.current.turns[0]!.toolCalls[0]!.intervention);
  });

  it('counts what ran: edited arguments that no longer decode to an object are not schema valid', async () => {
    const { run, tools } = startRun(['a.txt', 'b.txt']);
    await nextPause(run);
    run.intervene!(1, 1, { action: 'edit', arguments: '"c.txt"' });
    run.resume();
    const outcome = await run.done;
    expect(tools.calls.map((c) => c.args)).toEqual(['{"path": "a.txt"}', '{"input": "c.txt"}']);
    expect(outcome.result).toMatchObject({ tool_calls_attempted: 2, tool_calls_schema_valid: 1, tool_calls_executed_ok: 2, tool_calls_exec_error: 0 });
  });

  it('skips a call: the tool never runs and the model gets a tool error saying the user skipped it', async () => {
    const { run, tools, model } = startRun(['a.txt', 'secret.txt']);
    await nextPause(run);
    run.intervene!(1, 1, { action: 'skip' });
    run.resume();
    const outcome = await run.done;
    expect(tools.calls.map((c) => c.args)).toEqual(['{"path": "a.txt"}']);
    const result = `{"error": "Tool execution failed: ${SKIPPED_CALL_ERROR}"}`;
    expect(result).toBe('{"error": "Tool execution failed: PermissionError: the user skipped the call"}');
    expect(model.requests[1]!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'c2', content: result });
    expect(run.state.current.turns[0]!.toolCalls[1]).toMatchObject({ status: 'exception', result, durationMs: 0, intervention: { action: 'skip', modelArguments: '{"path":"secret.txt"}' } });
    expect(outcome.result).toMatchObject({
      tool_calls_attempted: 2,
      tool_calls_executed_ok: 1,
      tool_calls_exec_error: 1,
      tool_errors: [{ turn: 1, tool_name: 'read_file', error: SKIPPED_CALL_ERROR, tool_result: result }],
    });
    // A skipped call keeps the model's arguments in the trajectory.
    expect(outcome.result.messages[1]).toMatchObject({ tool_calls: [{}, { function: { arguments: '{"path":"secret.txt"}' } }] });
  });

  it('lets a later change replace an earlier one, and a skipped terminal command is never asked about', async () => {
    const replies: CaseReply[] = [
      { message: { content: '', tool_calls: [{ id: 't1', type: 'function', function: { name: 'terminal', arguments: '{"command": "rm -rf /"}' } }] } },
      { message: { content: 'Done.' } },
    ];
    const tools = recordingTools();
    const run = createEngine({ model: scriptedModel(replies), tools }).start({ messages: [{ role: 'user', content: 'go' }], breakpoints: { beforeTools: true }, approval: TERMINAL_APPROVAL });
    const pauses: Paused[] = [];
    run.subscribe((e) => {
      if (e.type === 'paused') pauses.push(e);
    });
    await nextPause(run);
    run.intervene!(1, 0, { action: 'edit', arguments: '{"command": "ls"}' });
    run.intervene!(1, 0, { action: 'skip' });
    run.resume();
    await run.done;
    expect(pauses.map((p) => p.at)).toEqual(['before_tools']);
    expect(tools.calls).toEqual([]);
    expect(run.state.current.messages[1]).toMatchObject({ tool_calls: [{ function: { arguments: '{"command": "rm -rf /"}' } }] });
  });

  it('refuses a change when the run is not paused before that call, naming the call', async () => {
    const { run } = startRun(['a.txt'], { breakpoints: { beforeModel: true } });
    expect(await nextPause(run)).toMatchObject({ at: 'before_model' });
    expect(() => run.intervene!(1, 0, { action: 'skip' })).toThrow(/turn 1, tool call 0: the run is not paused before the tools of turn 1/);
    run.setBreakpoints({ beforeTools: true });
    run.resume();
    await nextPause(run);
    expect(() => run.intervene!(1, 3, { action: 'skip' })).toThrow(/tool call 3: the reply of turn 1 has no such tool call/);
    run.resume();
    await run.done;
    expect(() => run.intervene!(1, 0, { action: 'skip' })).toThrow(/the run has ended/);
  });

  it('a branch after the changed turn keeps the change: its trajectory holds the arguments that ran', async () => {
    const { run, persisted } = startRun(['a.txt']);
    await nextPause(run);
    run.intervene!(1, 0, { action: 'edit', arguments: '{"path": "b.txt"}' });
    run.resume();
    await run.done;
    const all = [...run.state.current.messages];
    const plan = planBranch({ runId: run.runId, events: persisted }, { kind: 'resample', turn: 2 }, { reuseToolResults: false });
    const branch = createEngine({ model: scriptedModel([{ message: { content: 'Again.' } }]), tools: recordingTools() }).start({ messages: plan.messages, prefix: plan.prefix, resume: plan.resume });
    await branch.done;
    expect(branch.state.current.messages.slice(0, 3)).toEqual(all.slice(0, 3));
    expect(branch.state.current.turns[0]!.toolCalls[0]!.intervention).toMatchObject({ action: 'edit', arguments: '{"path": "b.txt"}' });
  });

  it('lets a call after a failed one be changed at the tool-error breakpoint', async () => {
    const replies: CaseReply[] = [{ message: { content: '', tool_calls: [{ id: 'x', type: 'function', function: { name: 'nope', arguments: '{}' } }, readCall('c2', 'a.txt')] } }, { message: { content: 'Done.' } }];
    const tools = recordingTools();
    const run = createEngine({ model: scriptedModel(replies), tools }).start({ messages: [{ role: 'user', content: 'go' }], breakpoints: { onToolError: true } });
    expect(await nextPause(run)).toMatchObject({ at: 'tool_error' });
    expect(() => run.intervene!(1, 0, { action: 'skip' })).toThrow(/the call has already run/);
    run.intervene!(1, 1, { action: 'edit', arguments: '{"path": "z.txt"}' });
    run.resume();
    await run.done;
    expect(tools.calls).toEqual([{ name: 'read_file', args: '{"path": "z.txt"}' }]);
  });
});
