import { describe, expect, it } from 'vitest';
import { RunState, type TurnRecord } from '#shared/run/run-state.js';
import type { RunEvent } from '#shared/run/events.js';
import { RunBuilder, toolCall } from '../../test/run-builder.js';
import { callStatusText, turnBadges, turnSummary } from './turn-badges.js';

const readCall = (path: string) => ({ id: path, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path }) } });

/** Turn 2 with a reply asking for two reads, before any tool ran. */
function pausedBeforeTools(): TurnRecord {
  return {
    turn: 2,
    promptView: null,
    request: null,
    reply: { content: 'Reading.', tool_calls: [readCall('a.txt'), readCall('b.txt')] },
    reasoning: null,
    latencyMs: 1,
    usage: null,
    finishReason: 'tool_calls',
    failure: null,
    toolCalls: [],
    messageRange: [2, 3],
    finished: false,
  };
}

describe('a turn row paused before tools', () => {
  it('names the pending calls, not "answer", and says they are pending', () => {
    const turn = pausedBeforeTools();
    expect(turnSummary(turn)).toBe('read_file, read_file');
    expect(turnBadges(turn)).toContain('pending tool calls');
    // Once the run has ended, nothing is pending any more.
    expect(turnBadges(turn, true)).not.toContain('pending tool calls');
  });

  it('marks a turn whose calls the user changed', () => {
    const turn = { ...pausedBeforeTools(), interventions: { 1: { action: 'skip' as const, modelArguments: '{"path":"b.txt"}' } } };
    // A skip alone is named as a skip; an edit beside it adds its own mark.
    expect(turnBadges(turn)).toContain('skipped at breakpoint');
    expect(turnBadges(turn)).not.toContain('edited at breakpoint');
    const both = { ...turn, interventions: { ...turn.interventions, 0: { action: 'edit' as const, modelArguments: '{"path":"a.txt"}', arguments: '{"path":"notes.md"}' } } };
    expect(turnBadges(both)).toEqual(expect.arrayContaining(['edited at breakpoint', 'skipped at breakpoint']));
  });
});
function snapshotOf(events: RunEvent[]) {
  const state = new RunState();
  for (const event of events) state.apply(event);
  return state.current;
}

const prompt = [{ role: 'user', content: 'go' }];

describe('turn and call statuses once the run ended', () => {
  it('a turn stopped during its model call no longer waits for the model', () => {
    const running = snapshotOf(new RunBuilder('r', prompt).startTurn().events);
    expect(turnSummary(running.turns[0]!, running.end?.reason ?? null)).toBe('waiting for the model');
    const stopped = snapshotOf(new RunBuilder('r', prompt).startTurn().finish('stopped').events);
    expect(turnSummary(stopped.turns[0]!, stopped.end?.reason ?? null)).toBe('stopped before the reply');
  });

  it('a call without a result in a closed recording is not running', () => {
    const events = new RunBuilder('r', prompt).startTurn().events;
    const last = events.at(-1)!;
    let seq = last.seq;
    const stamp = (body: Record<string, unknown>) => ({ ...body, runId: 'r', seq: ++seq, time: last.time }) as RunEvent;
    events.push(stamp({ type: 'model_reply', turn: 1, message: { role: 'assistant', content: '', tool_calls: [toolCall('c1', 'finish', '{}')] }, latencyMs: 1 }));
    events.push(stamp({ type: 'tool_started', turn: 1, index: 0, id: 'c1', name: 'finish', arguments: '{}', known: true, normalizedArguments: '{}', schemaValid: true }));
    const open = snapshotOf(events);
    expect(callStatusText(open.turns[0]!.toolCalls[0]!, false)).toBe('running');
    events.push(stamp({ type: 'run_finished', reason: 'recording_ended', turnsUsed: 1 }));
    const closed = snapshotOf(events);
    expect(callStatusText(closed.turns[0]!.toolCalls[0]!, closed.end !== null)).toBe('no result');
  });
});
