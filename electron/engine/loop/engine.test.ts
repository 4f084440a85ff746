import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { createEngine } from './engine.js';
import { type RunHandle } from './run-handle.js';
import { planReplay } from './replay.js';
import { createRunFile, parseRunFile, readRunFile } from '../persistence/run-file.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools } from '../../testing/conformance.js';

const cases = loadConformanceCases();
const byName = (name: string) => cases.find((c) => c.name === name)!;

function startCase(name: string, options: { breakpoints?: Parameters<ReturnType<typeof createEngine>['start']>[0]['breakpoints']; startPaused?: boolean; sink?: ReturnType<typeof createRunFile> } = {}) {
  const c = byName(name);
  const model = scriptedModel(c.model);
  const engine = createEngine({ model, tools: scriptedTools(c.tools, c.tools_out), ...(options.sink ? { sink: options.sink } : {}) });
  const run = engine.start({ messages: structuredClone(c.messages), config: caseConfig(c), breakpoints: options.breakpoints, startPaused: options.startPaused });
  return { c, model, run };
}

/** Resolves at the next `paused` event of a run. */
function nextPause(run: RunHandle): Promise<Extract<RunEvent, { type: 'paused' }>> {
  return new Promise((resolve) => {
    const off = run.subscribe((event) => {
      if (event.type === 'paused') {
        off();
        resolve(event);
      }
    });
  });
}

describe('stepping a run', () => {
  it('pauses before the first model call and steps one turn at a time', async () => {
    const { c, model, run } = startCase('max_turns_hit', { startPaused: true });
    const first = await nextPause(run);
    expect(first).toMatchObject({ turn: 1, at: 'before_model' });
    expect(model.requests).toHaveLength(0);
    for (let turn = 2; turn <= 3; turn++) {
      const pause = nextPause(run);
      run.step();
      expect(await pause).toMatchObject({ turn, at: 'before_model' });
      expect(model.requests).toHaveLength(turn - 1);
      expect(run.state.current.turns[turn - 2]!.finished).toBe(true);
    }
    run.resume();
    const outcome = await run.done;
    expect(outcome.reason).toBe('max_turns');
    expect(JSON.parse(JSON.stringify(outcome.result))).toEqual(c.expected.result);
  });

  it('stops at breakpoints before tools and on tool errors', async () => {
    const { run } = startCase('tool_error_json', { breakpoints: { beforeTools: true, onToolError: true } });
    expect(await nextPause(run)).toMatchObject({ turn: 1, at: 'before_tools' });
    expect(run.state.current.turns[0]!.toolCalls).toHaveLength(0);
    const errorPause = nextPause(run);
    run.resume();
    const pause = await errorPause;
    expect(pause.at).toBe('tool_error');
    const failed = run.state.current.turns[0]!.toolCalls.filter((t) => t.status !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    run.setBreakpoints({});
    run.resume();
    expect((await run.done).reason).toBe('finished_naturally');
  });

  it('stop ends a paused run, keeping what happened', async () => {
    const { run } = startCase('max_turns_hit', { breakpoints: { beforeModel: true } });
    await nextPause(run);
    run.step();
    await nextPause(run);
    run.stop();
    const outcome = await run.done;
    expect(outcome.reason).toBe('stopped');
    expect(outcome.result.turns_used).toBe(2);
    expect(outcome.result.messages.length).toBeGreaterThan(2);
  });

  it('stop aborts a model call in flight', async () => {
    const engine = createEngine({
      model: { chatCompletion: (_request, options) => new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(new Error('aborted')))) },
      tools: scriptedTools([], []),
    });
    const run = engine.start({ messages: [{ role: 'user', content: 'hi' }] });
    await new Promise((r) => setTimeout(r, 10));
    run.stop();
    expect((await run.done).reason).toBe('stopped');
  });
});

describe('run files', () => {
  it('hold every event but deltas, and read back into the same AgentResult', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-run-'));
    for (const c of cases) {
      const path = join(dir, `${c.name}.jsonl`);
      const sink = createRunFile(path);
      const { run } = startCase(c.name, { sink });
      const outcome = await run.done;
      sink.close();
      const { state, problems } = readRunFile(path);
      expect(problems).toEqual([]);
      expect(agentResultOf(state.current)).toEqual(outcome.result);
      expect(JSON.parse(JSON.stringify(agentResultOf(state.current)))).toEqual(c.expected.result);
    }
  });

  it('store prompt views by reference, not as copies of the history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-run-'));
    const path = join(dir, 'run.jsonl');
    const sink = createRunFile(path);
    const { run } = startCase('trunc_0_0', { sink });
    await run.done;
    sink.close();
    const text = readFileSync(path, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    const views = lines.filter((e) => e.type === 'prompt_view');
    expect(views.length).toBeGreaterThan(5);
    // The trajectory's text appears once in the file (a tool result is not repeated per turn).
    const sample = (lines.find((e) => e.type === 'tool_finished') as Extract<RunEvent, { type: 'tool_finished' }>).result;
    expect(text.split(JSON.stringify(sample).slice(1, -1)).length - 1).toBe(1);
  });

  it('keep every completed event when the last line was cut short', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-run-'));
    const path = join(dir, 'run.jsonl');
    const sink = createRunFile(path);
    const { run } = startCase('parallel_calls', { sink });
    await run.done;
    sink.close();
    const text = readFileSync(path, 'utf8');
    const cut = text.slice(0, text.length - 40);
    writeFileSync(path, cut);
    const { events, problems, state } = readRunFile(path);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/run\.jsonl:\d+: the last line is incomplete/);
    expect(events.length).toBe(cut.split('\n').length - 1);
    expect(state.current.messages.length).toBeGreaterThan(2);
  });

  it('name the line and field of a bad event', () => {
    const { problems } = parseRunFile('{"type":"run_started","runId":"r","seq":0,"time":0}\n', 'bad.jsonl');
    expect(problems[0]!.message).toMatch(/^bad\.jsonl:1: field /);
  });

  it('refuse to overwrite an existing file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-run-')), 'run.jsonl');
    writeFileSync(path, 'keep me');
    expect(() => createRunFile(path)).toThrow(/EEXIST/);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });
});

describe('replay', () => {
  it("reproduces the engine's own AgentResult exactly, for every conformance case that starts without assistant history", async () => {
    // A replay takes the first assistant message for the model's first reply, so a case whose
    // input already holds assistant turns (given, not generated) cannot be told apart from it.
    const replayable = cases.filter((c) => !c.messages.some((m) => m.role === 'assistant'));
    expect(replayable.length).toBeGreaterThan(cases.length / 2);
    for (const c of replayable) {
      const plan = planReplay({ messages: c.expected.result.messages, turnsUsed: c.expected.result.turns_used, finishedNaturally: c.expected.result.finished_naturally }, c.tools);
      const model = plan.model;
      const requests: unknown[] = [];
      const recording = { chatCompletion: (r: Parameters<typeof model.chatCompletion>[0], o?: Parameters<typeof model.chatCompletion>[1]) => (requests.push(structuredClone(r.messages)), model.chatCompletion(r, o)) };
      const engine = createEngine({ model: recording, tools: plan.tools });
      const outcome = await engine.start({ messages: plan.initialMessages, config: { ...caseConfig(c), maxTurns: plan.maxTurns } }).done;
      expect(JSON.parse(JSON.stringify(outcome.result)), c.name).toEqual(c.expected.result);
      expect(requests, c.name).toEqual(c.expected.requests.map((r) => r.messages));
    }
  });

  it('recomputes prompt views under another budget', async () => {
    const c = byName('trunc_0_0');
    const plan = planReplay({ messages: c.expected.result.messages }, c.tools);
    const engine = createEngine({ model: plan.model, tools: plan.tools });
    const run = engine.start({ messages: plan.initialMessages, config: { maxTurns: plan.maxTurns, maxContextTokens: 500 } });
    const outcome = await run.done;
    expect(outcome.result.messages).toEqual(c.expected.result.messages);
    const phases = run.state.current.turns.map((t) => t.promptView!.phase);
    expect(phases).toContain('dropped');
    for (const { promptView: v } of run.state.current.turns) {
      // Within budget, unless the whole middle was dropped (only the protected 2 + 6 remain).
      const kept = v!.messageCount - v!.dropped.reduce((n, [a, b]) => n + b - a, 0);
      if (v!.estimatedTokens > 500) expect(kept).toBeLessThanOrEqual(8);
    }
  });
});
