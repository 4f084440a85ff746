import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat.js';
import { truncateContext, materializePromptView } from '../loop/truncate.js';
import type { RunEvent } from '../run/events.js';
import { RunState, agentResultOf } from '../run/run-state.js';
import { importText } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { trajectoryRunEvents } from './trajectory-events.js';
import { corpusPath } from '../../electron/testing/corpus.js';

const origin = { fileId: 'f1', path: '/data/x.jsonl' };

function replay(t: Trajectory, budget: number | null = null): RunState {
  const state = new RunState();
  trajectoryRunEvents(t, { origin, maxContextTokens: budget }).forEach((body, seq) => state.apply({ ...body, runId: 'r', seq, time: 0 } as RunEvent));
  return state;
}

function trajectory(messages: ChatMessage[]): Trajectory {
  return { id: 't', model: 'm', messages, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } };
}

const toolCall = fc.record({
  name: fc.constantFrom('terminal', 'read_file', 'search'),
  args: fc.oneof(fc.constant('{"command": "ls"}'), fc.constant('{"path": "a.txt"}'), fc.constant('not json'), fc.constant('{}')),
  result: fc.oneof(fc.constant('ok'), fc.constant('{"error": "boom"}'), fc.constant('{"output": "x", "exit_code": -1}'), fc.string({ maxLength: 400 })),
});
const turnArb = fc.record({
  content: fc.string({ maxLength: 50 }),
  reasoning: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
  calls: fc.array(toolCall, { maxLength: 3 }),
  userAfter: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

/** A trajectory in the shape the engine writes (tool results in call order, content strings). */
const trajectoryArb = fc.array(turnArb, { minLength: 1, maxLength: 8 }).map((turns) => {
  const messages: ChatMessage[] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'task' },
  ];
  turns.forEach((turn, t) => {
    const message: ChatMessage = { role: 'assistant', content: turn.content };
    if (turn.calls.length > 0) message.tool_calls = turn.calls.map((c, k) => ({ id: `c${t}_${k}`, type: 'function', function: { name: c.name, arguments: c.args } }));
    if (turn.reasoning) message.reasoning_content = turn.reasoning;
    messages.push(message);
    turn.calls.forEach((c, k) => messages.push({ role: 'tool', tool_call_id: `c${t}_${k}`, content: c.result }));
    if (turn.userAfter !== undefined) messages.push({ role: 'user', content: turn.userAfter });
  });
  return trajectory(messages);
});

describe('trajectoryRunEvents', () => {
  it('folds into the same trajectory and the same derived AgentResult', () => {
    fc.assert(
      fc.property(trajectoryArb, (t) => {
        const s = replay(t).current;
        const derived = deriveAgentResult(t).result;
        const result = agentResultOf(s);
        expect(result.messages).toEqual(t.messages.map((m) => (m.role === 'assistant' ? { ...m, content: m.content || '' } : m)));
        expect({ ...result, messages: null }).toEqual({ ...derived, messages: null });
      }),
      { numRuns: 300 },
    );
  });

  it('computes each prompt view with the engine truncation of the messages before the turn', () => {
    fc.assert(
      fc.property(trajectoryArb, fc.integer({ min: 20, max: 400 }), (t, budget) => {
        const s = replay(t, budget).current;
        for (const turn of s.turns) {
          const view = turn.promptView!;
          expect(materializePromptView(s.messages, view)).toEqual(truncateContext(s.messages.slice(0, view.messageCount), budget));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('marks recorded and derived fields and recorded prompt turns on the run source', () => {
    const t: Trajectory = { ...trajectory([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }]), recorded: { finished_naturally: false }, promptViews: [[{ role: 'user', content: 'q' }]] };
    const s = replay(t).current;
    const imported = s.source.imported as { recorded: object; derived: string[]; recordedPromptTurns: number[] };
    expect(imported.recorded).toEqual({ finished_naturally: false });
    expect(imported.derived).not.toContain('finished_naturally');
    expect(imported.derived).toContain('tool_calls_attempted');
    expect(imported.recordedPromptTurns).toEqual([1]);
    expect(s.end?.reason).toBe('finished_naturally');
  });

  it('ends a trajectory cut after a tool call as the end of the recording, the call without result', () => {
    const t = trajectory([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls"}' } }] },
    ]);
    const s = replay(t).current;
    expect(s.end).toEqual({ reason: 'recording_ended', turnsUsed: 1 });
    expect(s.turns[0]!.toolCalls[0]!.status).toBe('running');
  });

  it('gives every hermes session the counts convert --list derives', () => {
    const { trajectories } = importText(readFileSync(corpusPath('hermes-agent_session_export.jsonl'), 'utf8'), 'h.jsonl');
    let turns = 0;
    let calls = 0;
    for (const t of trajectories) {
      const result = agentResultOf(replay(t).current);
      const derived = deriveAgentResult(t).result;
      expect(result.tool_calls_exec_error).toBe(derived.tool_calls_exec_error);
      expect(result.messages.length).toBe(t.messages.length);
      turns += result.turns_used;
      calls += result.tool_calls_attempted;
    }
    expect(turns).toBe(143);
    expect(calls).toBe(125);
  });
});
