import { describe, expect, it } from 'vitest';
import { RunState } from '../../../../shared/run/run-state.js';
import type { RunEvent } from '../../../../shared/run/events.js';
import { RunBuilder, toolCall } from '../../test/run-builder.js';
import { callStatusText, turnSummary } from './turn-badges.js';

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
