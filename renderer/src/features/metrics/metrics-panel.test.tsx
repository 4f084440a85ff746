import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { trajectoryRunEvents } from '#shared/formats/trajectory-events.js';
import type { RunEvent } from '#shared/run/events.js';
import { useStore } from '../../store/store.js';
import { errorsRun, truncatedRun } from '../../test/fixtures.js';
import { renderApp } from '../../test/render-app.js';
import { RunBuilder, toolCall, toolNamed } from '../../test/run-builder.js';

function metrics() {
  return screen.getByRole('region', { name: 'Metrics' });
}

function counter(label: string): string | null | undefined {
  return within(metrics()).getByText(label).nextElementSibling?.textContent;
}

describe('Metrics', () => {
  it('shows turns used, the end, and the four tool call counters', async () => {
    await renderApp([errorsRun().events]);
    expect(counter('Turns used')).toBe('5');
    expect(counter('Finished naturally')).toBe('yes');
    // The unknown tool is not attempted; the double-encoded arguments are not schema valid.
    expect(counter('Attempted')).toBe('3');
    expect(counter('Schema valid')).toBe('2');
    expect(counter('Executed OK')).toBe('2');
    expect(counter('Exec errors (failed calls)')).toBe('2');
  });

  it('lists tool errors; clicking one jumps to its turn', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    const errors = within(metrics()).getAllByRole('button', { name: /^Turn \d+:/ });
    expect(errors.map((b) => b.textContent)).toEqual(["Turn 2: terminal: command failed", "Turn 3: web_search: Unknown tool 'web_search'"]);
    await user.click(errors[0]!);
    expect(useStore.getState().selectedTurn).toBe(2);
    const current = within(screen.getByRole('region', { name: 'Turns' }))
      .getAllByRole('listitem')
      .find((r) => within(r).getByRole('button').getAttribute('aria-current') === 'true')!;
    expect(within(current).getByText('Turn 2')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Prompt view' })).getByText('Turn 2 prompt')).toBeTruthy();
  });

  it('lists failed calls the reference leaves out of tool_errors, so the oddity is visible', async () => {
    const user = userEvent.setup();
    const run = new RunBuilder('run-odd', [{ role: 'user', content: 'go' }], { tools: [toolNamed('read_file')] })
      .turn({ reply: { content: '', tool_calls: [toolCall('c1', 'read_file', '{"path": "draft.md"}')] }, results: ['{"error": "file not found: draft.md"}'] })
      .turn({ reply: { content: 'done' } })
      .finish('finished_naturally');
    await renderApp([run.events]);
    expect(counter('Exec errors (failed calls)')).toBe('1');
    expect(within(metrics()).getByText('tool_errors (0)')).toBeTruthy();
    const unrecorded = within(metrics()).getByRole('list', { name: /not in tool_errors/ });
    const failure = within(unrecorded).getByRole('button', { name: 'Turn 1: read_file: file not found: draft.md' });
    await user.click(failure);
    expect(useStore.getState().selectedTurn).toBe(1);
  });

  it('shows no such list when every failed call is in tool_errors', async () => {
    await renderApp([errorsRun().events]);
    expect(within(metrics()).queryByRole('list', { name: /not in tool_errors/ })).toBeNull();
  });

  it('charts tokens per turn against the budget', async () => {
    await renderApp([truncatedRun().events]);
    const chart = within(metrics()).getByRole('img');
    expect(chart.querySelector('title')?.textContent).toMatch(/^Estimated prompt tokens per turn: peak \d+ against a budget of 400$/);
    expect(chart.querySelector('.budget-line')).toBeTruthy();
    expect(chart.querySelectorAll('circle')).toHaveLength(6);
  });
});

describe('Metrics of an opened trajectory', () => {
  it('shows a recorded count that contradicts the messages as recorded, marked, and the stop reason', async () => {
    const t: Trajectory = {
      id: 'demo', model: 'm', reward: null, source: { format: 'swe-agent-traj', index: 0 }, stopReason: 'submitted',
      recorded: { turns_used: 0, finished_naturally: true },
      messages: [{ role: 'user', content: 'fix' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'go on' }, { role: 'assistant', content: 'b' }],
    };
    const events = trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x/demo.traj' }, maxContextTokens: null }).map((body, seq) => ({ ...body, runId: 'opened', seq, time: 0 }) as RunEvent);
    await renderApp([events]);
    expect(counter('Turns used')).toMatch(/^0recorded/);
    const mark = within(metrics()).getByText('contradicts the messages');
    expect(mark.getAttribute('title')).toBe('contradicts the messages: they hold 2 assistant messages; counted as 2');
    expect(counter('Stop reason')).toMatch(/^submitted/);
  });
});

describe('Metrics of a replayed recording', () => {
  it('shows the values as of the replayed turn, with the recorded final values apart', async () => {
    const t: Trajectory = {
      id: 'demo', model: 'm', reward: null, source: { format: 'swe-agent-traj', index: 0 },
      recorded: { turns_used: 2, finished_naturally: true },
      messages: [{ role: 'user', content: 'fix' }, { role: 'assistant', content: 'a' }, { role: 'user', content: 'go on' }, { role: 'assistant', content: 'b' }],
    };
    const all = trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x/demo.traj' }, maxContextTokens: null }).map((body, seq) => ({ ...body, runId: 'replay', seq, time: 0 }) as RunEvent);
    // Replayed up to the start of turn 2: the run has not ended.
    const secondTurn = all.findIndex((e) => e.type === 'turn_started' && e.turn === 2);
    await renderApp([all.slice(0, secondTurn + 1)]);
    expect(counter('Turns used')).toBe('2derivedrecorded at end: 2');
    expect(counter('Finished naturally')).toBe('not yetderivedrecorded at end: yes');
  });
});

describe('Evaluation of an opened sample', () => {
  it('shows the target and each scorer with its answer and explanation, as recorded', async () => {
    const t: Trajectory = {
      id: '1#1', model: 'm', reward: 0.5, recorded: {}, source: { format: 'inspect-log', index: 0 },
      messages: [{ role: 'user', content: 'How many?' }, { role: 'assistant', content: 'Two.' }],
      evaluation: { target: '2', scores: [{ scorer: 'model_graded_qa', value: 'P', answer: 'Two.', explanation: 'Partly right.' }], metadata: { level: 1 } },
    };
    const events = trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x/log.json' }, maxContextTokens: null }).map((body, seq) => ({ ...body, runId: 'opened', seq, time: 0 }) as RunEvent);
    await renderApp([events]);
    expect(counter('Target')).toMatch(/^2recorded/);
    expect(counter('model_graded_qa')).toBe('P\nanswer: Two.\nexplanation: Partly right.recorded');
  });
});
