import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/model/chat.js';
import type { BranchChange, RunEvent } from '#shared/run/events.js';
import type { AgentResult } from '#shared/run/run-state.js';
import { BranchError, planBranch, type BranchPlan } from './branch.js';
import { createEngine } from './engine.js';
import { type EngineTools, type RunOutcome } from './run-handle.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools, type ConformanceCase } from '../../testing/conformance.js';

const cases = loadConformanceCases();
const byName = (name: string) => cases.find((c) => c.name === name)!;

/** Runs a conformance case and keeps its events. */
async function runCase(c: ConformanceCase) {
  const engine = createEngine({ model: scriptedModel(c.model), tools: scriptedTools(c.tools, c.tools_out) });
  const run = engine.start({ messages: structuredClone(c.messages), config: caseConfig(c) });
  const events: RunEvent[] = [];
  run.subscribe((e) => events.push(e));
  const outcome = await run.done;
  return { run, events, outcome };
}

/** Tools that count their calls, answering from a case's tool outputs. */
function countingTools(tools: EngineTools): EngineTools & { calls: string[] } {
  const calls: string[] = [];
  return { ...tools, calls, call: (name, args, context) => (calls.push(name), tools.call(name, args, context)) };
}

/** The known tool calls of a run before `turn` (each consumed one scripted tool output). */
function toolOutputsBefore(events: readonly RunEvent[], turn: number): number {
  return events.filter((e) => e.type === 'tool_started' && e.known && e.turn < turn).length;
}

/** Runs a planned branch against a case's model replies and tool outputs from where the branch asks for them. */
async function runBranch(c: ConformanceCase, parentEvents: RunEvent[], plan: BranchPlan, replies = c.model.slice(plan.firstModelTurn - 1)) {
  const model = scriptedModel(replies);
  const tools = countingTools(scriptedTools(c.tools, c.tools_out.slice(toolOutputsBefore(parentEvents, plan.resume.turn))));
  const started = parentEvents[0] as Extract<RunEvent, { type: 'run_started' }>;
  const engine = createEngine({ model, tools });
  const run = engine.start({ messages: plan.messages, config: { ...started.config, ...plan.config }, prefix: plan.prefix, resume: plan.resume, ...(plan.recordedToolResult ? { recordedToolResult: plan.recordedToolResult } : {}) });
  const events: RunEvent[] = [];
  run.subscribe((e) => events.push(e));
  const outcome = await run.done;
  return { run, events, outcome, model, tools };
}

const RESULT_KEYS: Array<keyof AgentResult> = ['messages', 'managed_state', 'turns_used', 'finished_naturally', 'reasoning_per_turn', 'tool_errors', 'tool_calls_attempted', 'tool_calls_schema_valid', 'tool_calls_executed_ok', 'tool_calls_exec_error'];

function expectSameResult(branch: RunOutcome, parent: RunOutcome, what: string): void {
  for (const key of RESULT_KEYS) expect(JSON.parse(JSON.stringify(branch.result[key] ?? null)), `${what}: ${key}`).toEqual(JSON.parse(JSON.stringify(parent.result[key] ?? null)));
  expect(branch.reason, `${what}: end reason`).toBe(parent.reason);
}

/** The arguments of a reply's tool calls, unchanged. */
function originalArguments(events: readonly RunEvent[], turn: number): Extract<BranchChange, { kind: 'tool_arguments' }>['arguments'] {
  const reply = events.find((e) => e.type === 'model_reply' && e.turn === turn) as Extract<RunEvent, { type: 'model_reply' }> | undefined;
  const calls = (reply?.message.tool_calls ?? []) as Array<{ function: { arguments: string } }>;
  return calls.map((call, index) => ({ index, arguments: call.function.arguments }));
}

describe('a branch of every conformance case with tool calls', () => {
  const withTools = cases.filter((c) => c.expected.result.messages.some((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0));

  it('covers the cases', () => {
    expect(withTools.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of withTools) {
    it(`${c.name}: the original arguments again, at each turn, give the original AgentResult`, async () => {
      const parent = await runCase(c);
      expect(JSON.parse(JSON.stringify(parent.outcome.result))).toEqual(c.expected.result);
      let branched = 0;
      for (let turn = 1; turn <= parent.run.state.current.turns.length; turn++) {
        const args = originalArguments(parent.events, turn);
        if (args.length === 0) continue;
        const plan = planBranch({ runId: 'parent', events: parent.events }, { kind: 'tool_arguments', turn, arguments: args }, { reuseToolResults: false });
        expect(plan).toMatchObject({ forkTurn: turn - 1, resume: { turn, phase: 'tools' }, firstModelTurn: turn + 1 });
        const branch = await runBranch(c, parent.events, plan);
        expectSameResult(branch.outcome, parent.outcome, `turn ${turn}`);
        // The model is called again from the next turn on, with the reference's prompts.
        expect(branch.model.requests.map((r) => r.messages), `turn ${turn}: requests`).toEqual(c.expected.requests.slice(turn).map((r) => r.messages));
        // Every known call of the edited turn and after really ran.
        expect(branch.tools.calls).toHaveLength(parent.events.filter((e) => e.type === 'tool_started' && e.known && e.turn >= turn).length);
        expect(branch.run.state.current.turns[turn - 1]!.edited).toBe(true);
        branched += 1;
      }
      expect(branched).toBeGreaterThan(0);
    });

    it(`${c.name}: a resample at each turn, answered as before, gives the original AgentResult and prompt views`, async () => {
      const parent = await runCase(c);
      const turns = parent.run.state.current.turns;
      for (let turn = 1; turn <= turns.length; turn++) {
        const plan = planBranch({ runId: 'parent', events: parent.events }, { kind: 'resample', turn }, { reuseToolResults: false });
        expect(plan).toMatchObject({ forkTurn: turn - 1, resume: { turn, phase: 'model' }, firstModelTurn: turn });
        const branch = await runBranch(c, parent.events, plan);
        expectSameResult(branch.outcome, parent.outcome, `turn ${turn}`);
        expect(branch.model.requests.map((r) => r.messages), `turn ${turn}: requests`).toEqual(c.expected.requests.slice(turn - 1).map((r) => r.messages));
        expect(branch.run.state.current.turns.map((t) => t.promptView)).toEqual(turns.map((t) => t.promptView));
      }
    });
  }
});

describe('planning a branch', () => {
  it('copies the turns before the fork with their turn numbers, and leaves the parent as it was', async () => {
    const parent = await runCase(byName('max_turns_hit'));
    const before = structuredClone(parent.events);
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'resample', turn: 3, temperature: 0.2, maxTokens: 64 }, { reuseToolResults: false });
    expect(parent.events).toEqual(before);
    expect(plan.prefix.map((e) => ('turn' in e ? `${e.type}:${e.turn}` : e.type))).toEqual(
      [1, 2].flatMap((t) => [`turn_started:${t}`, `prompt_view:${t}`, `model_reply:${t}`, `tool_started:${t}`, `tool_finished:${t}`, `turn_finished:${t}`]),
    );
    expect(plan.prefix.some((e) => 'runId' in e || 'seq' in e)).toBe(false);
    expect(plan.config).toEqual({ temperature: 0.2, maxTokens: 64 });
    expect(plan.words).toEqual({ turn: 3, what: 'resampled at temperature 0.2, max tokens 64' });
  });

  it('refuses turns and tool calls the parent does not have, naming the run, the turn and the call', async () => {
    const parent = await runCase(byName('parallel_calls'));
    const plan = (change: BranchChange) => () => planBranch({ runId: 'run-7', events: parent.events }, change, { reuseToolResults: false });
    expect(plan({ kind: 'resample', turn: 3 })).toThrow(new BranchError('run run-7 has 2 turns; there is no turn 3 to branch at'));
    expect(plan({ kind: 'tool_arguments', turn: 1, arguments: [{ index: 5, arguments: '{}' }] })).toThrow('turn 1 of run run-7 has 3 tool calls; there is no call 5');
    expect(plan({ kind: 'tool_result', turn: 2, index: 0, content: 'x' })).toThrow('turn 2 of run run-7 has 0 tool calls; there is no call 0');
    expect(plan({ kind: 'assistant_message', turn: 4, content: 'hi', toolCalls: [] })).toThrow('there is no turn 4');
    expect(() => planBranch({ runId: 'empty', events: [] }, { kind: 'prompt', system: '', user: 'hi' }, { reuseToolResults: false })).toThrow('run empty has not started yet');
    const failed = await runCase(byName('api_error_mid_run'));
    expect(() => planBranch({ runId: 'f', events: failed.events }, { kind: 'tool_arguments', turn: 2, arguments: [{ index: 0, arguments: '{}' }] }, { reuseToolResults: false })).toThrow(
      'turn 2 of run f has no model reply (its model call failed or has not returned)',
    );
  });
});

describe('each change kind', () => {
  it('tool_result: the edited result is classified with the reference rules, and the loop goes on at the next turn', async () => {
    const c = byName('max_turns_hit');
    const parent = await runCase(c);
    const plain = planBranch({ runId: 'p', events: parent.events }, { kind: 'tool_result', turn: 1, index: 0, content: '{"error": "disk full"}' }, { reuseToolResults: false });
    expect(plain).toMatchObject({ forkTurn: 1, resume: { turn: 2, phase: 'model' }, firstModelTurn: 2 });
    const branch = await runBranch(c, parent.events, plain);
    const call = branch.run.state.current.turns[0]!.toolCalls[0]!;
    expect(call).toMatchObject({ status: 'error_result', result: '{"error": "disk full"}', toolError: null });
    expect(branch.outcome.result.tool_calls_exec_error).toBe(parent.outcome.result.tool_calls_exec_error + 1);
    expect(branch.outcome.result.tool_calls_executed_ok).toBe(parent.outcome.result.tool_calls_executed_ok - 1);
    // Turn 2's prompt carries the edited result.
    expect(branch.model.requests[0]!.messages.find((m) => m.role === 'tool')?.content).toBe('{"error": "disk full"}');
    expect(branch.model.requests).toHaveLength(2);

    const raised = '{"error": "Tool execution failed: TimeoutError: took too long"}';
    const asException = planBranch({ runId: 'p', events: parent.events }, { kind: 'tool_result', turn: 1, index: 0, content: raised }, { reuseToolResults: false });
    const thrown = await runBranch(c, parent.events, asException);
    expect(thrown.run.state.current.turns[0]!.toolCalls[0]).toMatchObject({ status: 'exception', result: raised, toolError: { turn: 1, error: 'TimeoutError: took too long', tool_result: raised } });
    expect(thrown.outcome.result.tool_errors[0]).toMatchObject({ turn: 1, error: 'TimeoutError: took too long' });
  });

  it('assistant_message: the whole reply is replaced and its tool calls run', async () => {
    const c = byName('one_call_then_answer');
    const parent = await runCase(c);
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'assistant_message', turn: 1, content: 'Let me look.', toolCalls: [{ id: 'mine', name: c.tools[0]!.function.name, arguments: '{"q": 1}' }] }, { reuseToolResults: false });
    expect(plan.words).toEqual({ turn: 1, what: 'reply edited' });
    const branch = await runBranch(c, parent.events, plan);
    const turn = branch.run.state.current.turns[0]!;
    expect(turn).toMatchObject({ edited: true, reasoning: null, latencyMs: 0 });
    expect(branch.outcome.result.messages[c.messages.length]).toEqual({ role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'mine', type: 'function', function: { name: c.tools[0]!.function.name, arguments: '{"q": 1}' } }] });
    expect(turn.toolCalls[0]).toMatchObject({ id: 'mine', arguments: '{"q": 1}', status: 'ok' });
    expect(branch.tools.calls).toEqual([c.tools[0]!.function.name]);
    expect(branch.outcome).toMatchObject({ reason: 'finished_naturally', result: { turns_used: 2 } });

    // A reply without tool calls ends the run at that turn.
    const answer = planBranch({ runId: 'p', events: parent.events }, { kind: 'assistant_message', turn: 1, content: 'No tools needed.', toolCalls: [] }, { reuseToolResults: false });
    const ended = await runBranch(c, parent.events, answer);
    expect(ended.outcome).toMatchObject({ reason: 'finished_naturally', result: { turns_used: 1, finished_naturally: true } });
    expect(ended.model.requests).toHaveLength(0);
  });

  it('prompt: the loop runs from turn 1 with the new system and user messages', async () => {
    const c = byName('one_call_then_answer');
    const parent = await runCase(c);
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'prompt', system: '  ', user: 'Something else' }, { reuseToolResults: false });
    expect(plan).toMatchObject({ forkTurn: 0, prefix: [], resume: { turn: 1, phase: 'model' }, messages: [{ role: 'user', content: 'Something else' }] });
    const branch = await runBranch(c, parent.events, plan);
    expect(branch.model.requests[0]!.messages).toEqual([{ role: 'user', content: 'Something else' }]);
    expect(branch.outcome.result.turns_used).toBe(2);
  });

  it('asked_once: the reply asked for stands as the turn\'s reply after the recorded prompt view and the edit, and its tools run', async () => {
    const c = byName('one_call_then_answer');
    const parent = await runCase(c);
    const reply = { role: 'assistant', content: 'Asked again.', tool_calls: [{ id: 'asked', type: 'function', function: { name: c.tools[0]!.function.name, arguments: '{"q": 2}' } }] };
    const change: BranchChange = { kind: 'asked_once', turn: 1, reply, edit: { temperature: 0.3 }, latencyMs: 12, usage: null };
    const plan = planBranch({ runId: 'p', events: parent.events }, change, { reuseToolResults: false });
    expect(plan.words).toEqual({ turn: 1, what: 'asked once (temperature 0.3 changed)' });
    expect(plan.config).toEqual({ temperature: 0.3 });
    expect(plan.prefix.map((e) => e.type)).toEqual(['turn_started', 'prompt_view', 'model_call_edited', 'model_reply']);
    const branch = await runBranch(c, parent.events, plan);
    const turn = branch.run.state.current.turns[0]!;
    expect(turn).toMatchObject({ callEdit: { temperature: 0.3 }, latencyMs: 12 });
    expect(turn.edited).toBeUndefined();
    expect(turn.toolCalls[0]).toMatchObject({ id: 'asked', arguments: '{"q": 2}', status: 'ok' });
    expect(branch.model.requests[0]!.temperature).toBe(0.3);
    expect(branch.outcome).toMatchObject({ reason: 'finished_naturally', result: { turns_used: 2 } });
  });

  it('skipped_call: the call runs nothing and the model gets the tool error of a skip at a breakpoint, counted as the engine counts it', async () => {
    const c = byName('one_call_then_answer');
    const parent = await runCase(c);
    const name = c.tools[0]!.function.name;
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'skipped_call', turn: 1, index: 0 }, { reuseToolResults: true });
    expect(plan).toMatchObject({ forkTurn: 0, resume: { turn: 1, phase: 'tools' }, firstModelTurn: 2, words: { turn: 1, what: `${name} call skipped` } });
    expect(plan.prefix.map((e) => e.type)).toEqual(['turn_started', 'prompt_view', 'model_reply', 'tool_call_intervened']);
    const branch = await runBranch(c, parent.events, plan);
    const turn = branch.run.state.current.turns[0]!;
    const modelArguments = originalArguments(parent.events, 1)[0]!.arguments;
    expect(turn.interventions?.[0]).toEqual({ action: 'skip', modelArguments });
    // The reply is the model's, not an edit of it.
    expect(turn.edited).toBeUndefined();
    const skipped = '{"error": "Tool execution failed: PermissionError: the user skipped the call"}';
    expect(turn.toolCalls[0]).toMatchObject({ status: 'exception', result: skipped, toolError: { turn: 1, error: 'PermissionError: the user skipped the call' } });
    // Not even a recorded result stands in for a skipped call.
    expect(branch.tools.calls).toEqual([]);
    const result = branch.outcome.result;
    expect(result.tool_errors).toMatchObject([{ turn: 1, error: 'PermissionError: the user skipped the call', tool_result: skipped }]);
    expect(result.tool_calls_exec_error).toBe(parent.outcome.result.tool_calls_exec_error + 1);
    expect(result.tool_calls_executed_ok).toBe(parent.outcome.result.tool_calls_executed_ok - 1);
    expect(branch.model.requests[0]!.messages.find((m) => m.role === 'tool')?.content).toBe(skipped);
    expect(() => planBranch({ runId: 'p', events: parent.events }, { kind: 'skipped_call', turn: 1, index: 3 }, { reuseToolResults: false })).toThrow('turn 1 of run p has 1 tool call; there is no call 3');
  });

  it('keeps the total turn limit: a branch at turn N of an M-turn limit has M - N + 1 model calls left', async () => {
    const c = byName('max_turns_hit');
    const parent = await runCase(c);
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'resample', turn: 2 }, { reuseToolResults: false });
    const branch = await runBranch(c, parent.events, plan, [...c.model.slice(1), ...c.model]);
    expect(branch.model.requests).toHaveLength(caseConfig(c).maxTurns - 1);
    expect(branch.outcome).toMatchObject({ reason: 'max_turns', result: { turns_used: caseConfig(c).maxTurns } });
  });
});

describe('reusing tool results', () => {
  it('off, every call runs; on, only a call identical to the parent one at the same turn and position is reused', async () => {
    const c = byName('parallel_calls');
    const parent = await runCase(c);
    const args = originalArguments(parent.events, 1);
    const edited = [{ index: 1, arguments: args[1]!.arguments.replace(/}$/, ', "extra": 1}') }];
    const off = await runBranch(c, parent.events, planBranch({ runId: 'p', events: parent.events }, { kind: 'tool_arguments', turn: 1, arguments: edited }, { reuseToolResults: false }));
    expect(off.tools.calls).toHaveLength(3);

    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'tool_arguments', turn: 1, arguments: edited }, { reuseToolResults: true });
    // The one call that runs gets the output the parent's second call got.
    const tools = countingTools(scriptedTools(c.tools, [c.tools_out[1]!]));
    const started = parent.events[0] as Extract<RunEvent, { type: 'run_started' }>;
    const run = createEngine({ model: scriptedModel(c.model.slice(1)), tools }).start({ messages: plan.messages, config: started.config, prefix: plan.prefix, resume: plan.resume, recordedToolResult: plan.recordedToolResult! });
    const outcome = await run.done;
    expect(tools.calls).toHaveLength(1);
    const calls = run.state.current.turns[0]!.toolCalls;
    const parentCalls = parent.run.state.current.turns[0]!.toolCalls;
    // The identical calls carry the parent's results; the edited one ran (the echo tool shows its new arguments).
    expect([calls[0]!.result, calls[2]!.result]).toEqual([parentCalls[0]!.result, parentCalls[2]!.result]);
    expect(calls[1]!.result).toBe('{"args": {"extra": 1, "query": "x"}, "tool": "web_search"}');
    expect(calls[0]!.durationMs).toBe(0);
    expect(outcome.reason).toBe('finished_naturally');
  });
});

describe('a run started from a prefix', () => {
  it('fails with a clear error when the prefix does not end where the loop resumes, or holds a live-only event', async () => {
    const c = byName('max_turns_hit');
    const parent = await runCase(c);
    const plan = planBranch({ runId: 'p', events: parent.events }, { kind: 'resample', turn: 3 }, { reuseToolResults: false });
    const start = (request: Partial<Parameters<ReturnType<typeof createEngine>['start']>[0]>) =>
      createEngine({ model: scriptedModel(c.model), tools: scriptedTools(c.tools, c.tools_out) }).start({ messages: plan.messages as ChatMessage[], ...request }).done;
    expect(await start({ prefix: plan.prefix, resume: { turn: 2, phase: 'model' } })).toMatchObject({ reason: 'failed', error: 'Error: resuming at turn 2 (model): the prefix must hold turns 1 to 1, each finished; it holds 2' });
    expect(await start({ prefix: plan.prefix, resume: { turn: 2, phase: 'tools' } })).toMatchObject({ reason: 'failed', error: "Error: resuming at turn 2 (tools): the prefix must end with turn 2's reply, before its tools" });
    expect(await start({ prefix: [{ type: 'paused', turn: 1, at: 'before_model' }] })).toMatchObject({ reason: 'failed', error: "TypeError: a run cannot start with a 'paused' event" });
    // Without `resume`, the loop goes on after the prefix.
    expect((await start({ prefix: plan.prefix, config: caseConfig(c) })).result.turns_used).toBe(3);
  });
});

describe('reusing recorded tool results', () => {
  it('reuses an identical call the parent ran as asked, never one the user edited or rejected', async () => {
    const c = cases.find((x) => x.expected.result.messages.filter((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0).length >= 2)!;
    const parent = await runCase(c);
    const first = parent.events.find((e) => e.type === 'tool_started' && e.known) as Extract<RunEvent, { type: 'tool_started' }>;
    const key = { turn: first.turn, index: first.index, name: first.name!, arguments: first.arguments };
    const plan = (events: RunEvent[]) => planBranch({ runId: 'p', events }, { kind: 'resample', turn: first.turn }, { reuseToolResults: true });
    expect(plan(parent.events).recordedToolResult!(key)).not.toBeNull();
    for (const decision of ['edit', 'reject'] as const) {
      const decided = parent.events.map((e) => (e === first ? { ...first, approval: { decision, command: 'something else' } } : e)) as RunEvent[];
      expect(plan(decided).recordedToolResult!(key), decision).toBeNull();
    }
  });
});
