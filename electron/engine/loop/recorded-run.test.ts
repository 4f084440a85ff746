import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/model/chat.js';
import { eachTrajectoryRunEvent, trajectoryRunEvents } from '#shared/formats/trajectory-events.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import type { RunEvent, RunEventBody } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { countingTrajectory } from '../../testing/counting-trajectory.js';
import { playRecordedRun, recordedRunInSlices } from './recorded-run.js';

const call = (id: string, command: string) => ({ id, type: 'function' as const, function: { name: 'terminal', arguments: JSON.stringify({ command }) } });
const messages: ChatMessage[] = [
  { role: 'system', content: 's' },
  { role: 'user', content: 'u' },
  { role: 'assistant', content: '', tool_calls: [call('a', 'ls')] },
  { role: 'tool', tool_call_id: 'a', content: '{"output": "x", "exit_code": 0}' },
  { role: 'assistant', content: '', tool_calls: [call('b', 'cat nope')] },
  { role: 'tool', tool_call_id: 'b', content: '{"output": "", "exit_code": -1, "error": "No such file"}' },
  { role: 'assistant', content: 'done' },
];
const t: Trajectory = { id: 't', model: 'm', messages, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } };
const bodies = () => trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x' }, maxContextTokens: null });

/** Events that cannot even start: building the first one throws. */
const breaksAtOnce: Iterable<RunEventBody> = {
  [Symbol.iterator]: () => ({
    next: () => {
      throw new Error('no messages');
    },
  }),
};

function until(run: ReturnType<typeof playRecordedRun>, predicate: (e: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const off = run.subscribe((e) => {
      if (predicate(e)) {
        off();
        resolve(e);
      }
    });
  });
}

describe('playRecordedRun', () => {
  it('plays to the end into the same AgentResult as the recording', async () => {
    const run = playRecordedRun(bodies());
    const outcome = await run.done;
    expect(outcome.reason).toBe('finished_naturally');
    expect(outcome.result.messages).toEqual(messages);
    expect(outcome.result.tool_calls_exec_error).toBe(1);
    expect(outcome.result.tool_errors[0]!.error).toBe('No such file');
  });

  it('steps one turn at a time from a paused start', async () => {
    const run = playRecordedRun(bodies(), { startPaused: true });
    await until(run, (e) => e.type === 'paused');
    expect(run.state.current.turns).toHaveLength(1);
    expect(run.state.current.turns[0]!.reply).toBeNull();
    run.step();
    const paused = await until(run, (e) => e.type === 'paused');
    expect(paused).toMatchObject({ turn: 2, at: 'before_model' });
    expect(run.state.current.turns[0]!.toolCalls[0]!.status).toBe('ok');
    run.resume();
    expect((await run.done).reason).toBe('finished_naturally');
  });

  it('pauses before a model call with the turn\'s recorded prompt view and request, and before its tools with the reply', async () => {
    const run = playRecordedRun(bodies(), { breakpoints: { beforeModel: true, beforeTools: true } });
    expect(await until(run, (e) => e.type === 'paused')).toMatchObject({ turn: 1, at: 'before_model' });
    const turn = run.state.current.turns[0]!;
    expect(turn.promptView).toMatchObject({ messageCount: 2 });
    expect(turn.request).not.toBeNull();
    expect(turn.reply).toBeNull();
    run.resume();
    expect(await until(run, (e) => e.type === 'paused')).toMatchObject({ turn: 1, at: 'before_tools' });
    expect(run.state.current.turns[0]!.reply?.tool_calls).toHaveLength(1);
    expect(run.state.current.turns[0]!.toolCalls).toEqual([]);
    run.stop();
    expect((await run.done).reason).toBe('stopped');
  });

  it('pauses on a recorded tool error when that breakpoint is on, and stops on Stop', async () => {
    const run = playRecordedRun(bodies(), { breakpoints: { onToolError: true } });
    const paused = await until(run, (e) => e.type === 'paused');
    expect(paused).toMatchObject({ turn: 2, at: 'tool_error' });
    run.stop();
    const outcome = await run.done;
    expect(outcome.reason).toBe('stopped');
    expect(agentResultOf(run.state.current).turns_used).toBe(2);
  });

  it('builds each event as it gets to it: paused before turn 1, the later turns are not built yet', async () => {
    let built = 0;
    function* counted(): Generator<RunEventBody> {
      for (const body of eachTrajectoryRunEvent({ ...t, messages: [...countingTrajectory(300), { role: 'assistant', content: 'done' }] }, { origin: { fileId: 'f', path: '/x' }, maxContextTokens: null })) {
        built += 1;
        yield body;
      }
    }
    const run = playRecordedRun(counted(), { startPaused: true });
    expect(await until(run, (e) => e.type === 'paused')).toMatchObject({ turn: 1, at: 'before_model' });
    expect(built).toBeLessThan(10);
    run.resume();
    expect((await run.done).reason).toBe('finished_naturally');
    expect(run.state.current.turns).toHaveLength(301);
  });

  it('throws what it cannot start with, and ends as failed, with the reason, when a later event cannot be built', async () => {
    expect(() => playRecordedRun(breaksAtOnce)).toThrow('no messages');
    function* breaksLater(): Generator<RunEventBody> {
      yield* bodies().slice(0, 8);
      throw new Error('tool call 1 of turn 2 has no name');
    }
    const failed = playRecordedRun(breaksLater());
    expect(await failed.done).toMatchObject({ reason: 'failed' });
    expect(failed.state.current.end).toMatchObject({ reason: 'failed', error: 'tool call 1 of turn 2 has no name', turnsUsed: 2 });
  });
});

describe('recordedRunInSlices', () => {
  /** A trajectory of `turns` turns, each a terminal call and its result: five events a turn. */
  function long(turns: number): Trajectory {
    return { ...t, messages: [...countingTrajectory(turns), { role: 'assistant', content: 'done' }] };
  }
  const eventsOf = (trajectory: Trajectory) => trajectoryRunEvents(trajectory, { origin: { fileId: 'f', path: '/x' }, maxContextTokens: null });

  it('emits its first slice before it is returned and the rest a slice per task, into the same events', async () => {
    const expected = eventsOf(long(600));
    const run = recordedRunInSlices(expected);
    const first = run.recorded!();
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(expected.length);
    expect(run.state.current.end).toBeNull();
    const later: RunEvent[] = [];
    run.subscribe((e) => later.push(e));
    expect((await run.done).reason).toBe('finished_naturally');
    const all = [...first, ...later];
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect(all.map(({ runId: _r, seq: _s, time: _t, ...body }) => body)).toEqual(expected);
  });

  it('ends where it got to when stopped, and as failed, with the reason, when an event cannot be built', async () => {
    const stopped = recordedRunInSlices(eventsOf(long(600)));
    stopped.stop();
    expect((await stopped.done).reason).toBe('stopped');
    expect(stopped.state.current.end).toMatchObject({ reason: 'stopped' });
    expect(stopped.state.current.turns.length).toBeLessThan(600);

    function* breaksLater(): Generator<RunEventBody> {
      const bodies = eventsOf(long(600));
      yield* bodies.slice(0, 2_000);
      throw new Error('tool call 3 of turn 401 has no name');
    }
    const failed = recordedRunInSlices(breaksLater());
    expect((await failed.done).reason).toBe('failed');
    expect(failed.state.current.end).toMatchObject({ reason: 'failed', error: 'tool call 3 of turn 401 has no name' });
  });

  it('throws what its first slice cannot build', () => {
    expect(() => recordedRunInSlices(breaksAtOnce)).toThrow('no messages');
  });
});
