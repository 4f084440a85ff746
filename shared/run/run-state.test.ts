import { describe, expect, it } from 'vitest';
import { forkMarkOf, RunState } from './run-state.js';
import { stampEvent, type RunEventBody } from './events.js';

function stateOf(source: Record<string, unknown>, bodies: RunEventBody[] = []): RunState {
  const state = new RunState();
  const all: RunEventBody[] = [
    { type: 'run_started', format: 'trajdbg-run/1', config: { maxTurns: 5, temperature: 1, maxTokens: null, maxContextTokens: null, taskId: 't' }, source, tools: [], validToolNames: [], messages: [{ role: 'user', content: 'u' }] },
    ...bodies,
  ];
  all.forEach((body, seq) => state.apply(stampEvent(body, 'r', seq, 0)));
  return state;
}

describe('forkMarkOf', () => {
  it("names what changed on a branch's first turn only", () => {
    const s = stateOf({ parentRunId: 'p', forkTurn: 1, change: { kind: 'resample', turn: 2, temperature: 0.5 } }).current;
    expect(forkMarkOf(s, 2)).toBe('turn 2: resampled at temperature 0.5');
    expect(forkMarkOf(s, 1)).toBeNull();
    expect(forkMarkOf(s, 3)).toBeNull();
  });

  it('says a branch without a change continued live, and marks no turn of a run that is no branch', () => {
    expect(forkMarkOf(stateOf({ parentRunId: 'p', forkTurn: 0 }).current, 1)).toBe('continued live');
    expect(forkMarkOf(stateOf({}).current, 1)).toBeNull();
  });

  it('names a reply asked once and what was changed in its call', () => {
    const change = { kind: 'asked_once', turn: 1, reply: { content: 'x' }, edit: { maxTokens: 10 } };
    expect(forkMarkOf(stateOf({ parentRunId: 'p', forkTurn: 0, change }).current, 1)).toBe('turn 1: asked once (max tokens 10 changed)');
  });
});

describe('a model call edited before it was sent', () => {
  it('is recorded on its turn', () => {
    const s = stateOf({}, [
      { type: 'turn_started', turn: 1 },
      { type: 'model_call_edited', turn: 1, edit: { temperature: 0 } },
    ]).current;
    expect(s.turns[0]!.callEdit).toEqual({ temperature: 0 });
  });
});
