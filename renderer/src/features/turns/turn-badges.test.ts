import { describe, expect, it } from 'vitest';
import type { TurnRecord } from '../../../../shared/run/run-state.js';
import { turnBadges, turnSummary } from './turn-badges.js';

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
    expect(turnBadges(turn)).toContain('edited at breakpoint');
  });
});
