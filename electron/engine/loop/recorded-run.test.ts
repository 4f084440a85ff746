import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '#shared/model/chat.js';
import { trajectoryRunEvents } from '#shared/formats/trajectory-events.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import type { RunEvent } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { playRecordedRun } from './recorded-run.js';

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
});
