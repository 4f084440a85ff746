import { describe, expect, it } from 'vitest';
import { RunState } from '#shared/run/run-state.js';
import type { RunEvent } from '#shared/run/events.js';
import { errorsRun, failedRun } from '../../test/fixtures.js';
import { RunBuilder } from '../../test/run-builder.js';
import { describeRunState } from './status-text.js';

function snapshotOf(events: RunEvent[]) {
  const state = new RunState();
  for (const event of events) state.apply(event);
  return state.current;
}

const prompt = [{ role: 'user', content: 'go' }];

describe('describeRunState', () => {
  it('says when there is no run or no engine', () => {
    expect(describeRunState('open', false, null)).toBe('No run');
    expect(describeRunState('connecting', false, null)).toBe('Connecting to the engine');
    expect(describeRunState('closed', true, snapshotOf(errorsRun().events))).toBe('Disconnected from the engine');
  });

  it('names the running turn and every pause point', () => {
    const run = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).startTurn();
    expect(describeRunState('open', true, snapshotOf(run.events))).toBe('Running turn 2');
    expect(describeRunState('open', true, snapshotOf(new RunBuilder('r', prompt).startTurn({ beforeModel: true }).pause('before_model').events))).toBe('Paused before model call on turn 1');
    expect(describeRunState('open', true, snapshotOf(new RunBuilder('r', prompt).startTurn().pause('before_tools').events))).toBe('Paused before tools on turn 1');
    expect(describeRunState('open', true, snapshotOf(new RunBuilder('r', prompt).startTurn().pause('tool_error').events))).toBe('Paused on tool error in turn 1');
    expect(describeRunState('open', true, snapshotOf(new RunBuilder('r', prompt).startTurn().pause('before_tools').resume().events))).toBe('Running turn 1');
    const waiting = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).startTurn().events;
    const last = waiting.at(-1)!;
    waiting.push({ type: 'paused', turn: 2, at: 'approval', approval: { index: 0, tool: 'terminal', command: 'ls' }, runId: 'r', seq: last.seq + 1, time: last.time + 1 });
    expect(describeRunState('open', true, snapshotOf(waiting))).toBe('Waiting for approval of a terminal command on turn 2');
  });

  it('says how each run ended', () => {
    expect(describeRunState('open', true, snapshotOf(errorsRun().events))).toBe('Finished naturally after 5 turns');
    const maxTurns = new RunBuilder('r', prompt, { maxTurns: 2 }).turn({ reply: { content: '' } }).turn({ reply: { content: '' } }).finish('max_turns');
    expect(describeRunState('open', true, snapshotOf(maxTurns.events))).toBe('Stopped at max turns (2)');
    expect(describeRunState('open', true, snapshotOf(failedRun().events))).toBe('Failed: HTTP 500 from http://127.0.0.1:8000/v1/chat/completions on turn 3');
    const stopped = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).finish('stopped');
    expect(describeRunState('open', true, snapshotOf(stopped.events))).toBe('Stopped by user after 1 turn');
    const broken = new RunBuilder('r', prompt).finish('failed', 'TypeError: boom');
    expect(describeRunState('open', true, snapshotOf(broken.events))).toBe('Engine failed after 0 turns: TypeError: boom');
  });

  it('says so when the file an opened trajectory came from records another end than the replay', () => {
    const opened = (reason: 'finished_naturally' | 'recording_ended', recorded: Record<string, unknown>) => {
      const events = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).finish(reason).events;
      const started = events[0] as Extract<RunEvent, { type: 'run_started' }>;
      events[0] = { ...started, source: { imported: { fileId: 'f', path: '/runs/x.traj', index: 0, trajectoryId: 'x', format: 'swe-agent-traj', recorded, derived: [], recordedPromptTurns: [], reward: null } } };
      return describeRunState('open', true, snapshotOf(events));
    };
    // An agent that ended by calling its end tool: the loop would have run the tool and gone on.
    expect(opened('recording_ended', { finished_naturally: true })).toBe('End of the recording after 1 turn; the file records it finished');
    expect(opened('finished_naturally', { finished_naturally: false })).toBe('Finished naturally after 1 turn; the file records it not finished');
    expect(opened('finished_naturally', { finished_naturally: true })).toBe('Finished naturally after 1 turn');
    expect(opened('recording_ended', {})).toBe('End of the recording after 1 turn');
  });
});
