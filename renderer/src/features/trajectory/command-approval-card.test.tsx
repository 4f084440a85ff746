import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventBody } from '#shared/run/events.js';
import { FakeClient } from '../../api/fake-client.js';
import { push, renderApp } from '../../test/render-app.js';
import { RunBuilder, toolCall, toolNamed } from '../../test/run-builder.js';

/** A live run whose turn 1 asked for `ls -la` and waits for the user to decide on it. */
function waitingRun() {
  const run = new RunBuilder('live', [{ role: 'user', content: 'List the files.' }], { tools: [toolNamed('terminal')] }).startTurn();
  const events: RunEvent[] = [...run.events];
  const add = (...bodies: RunEventBody[]) => {
    const from = events.length;
    for (const body of bodies) events.push({ ...body, runId: 'live', seq: events.length, time: 1_700_000_000_000 + events.length } as RunEvent);
    return events.slice(from);
  };
  add(
    { type: 'model_reply', turn: 1, message: { content: 'Listing them.', tool_calls: [toolCall('c1', 'terminal', '{"command": "ls -la"}')] }, latencyMs: 5, usage: null, finishReason: 'tool_calls' },
    { type: 'paused', turn: 1, at: 'approval', approval: { index: 0, tool: 'terminal', command: 'ls -la' } },
  );
  return { events, add };
}

const trajectory = () => screen.getByRole('region', { name: 'Trajectory' });
const waitingCard = () => within(trajectory()).getByRole('group', { name: 'Tool call terminal waiting for approval' });
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('A terminal command waiting for approval', () => {
  it('shows the command on its turn with Approve, Edit and Reject, and the status says what waits', async () => {
    await renderApp([waitingRun().events]);
    expect(screen.getByRole('status').textContent).toBe('Waiting for approval of a terminal command on turn 1');
    const card = waitingCard();
    expect(within(trajectory()).getByRole('article', { name: 'Turn 1' }).contains(card)).toBe(true);
    expect(within(card).getByText('ls -la')).toBeTruthy();
    expect(within(card).getByText('waiting for approval')).toBeTruthy();
    expect(['Approve', 'Edit', 'Reject'].map((name) => (within(card).getByRole('button', { name }) as HTMLButtonElement).disabled)).toEqual([false, false, false]);
  });

  it('Approve sends the decision for this run', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp([waitingRun().events]);
    await user.click(within(waitingCard()).getByRole('button', { name: 'Approve' }));
    expect(client.callsOf('run.approve')).toEqual([{ runId: 'live', decision: 'approve' }]);
  });

  it('Reject sends the decision for this run', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp([waitingRun().events]);
    await user.click(within(waitingCard()).getByRole('button', { name: 'Reject' }));
    expect(client.callsOf('run.approve')).toEqual([{ runId: 'live', decision: 'reject' }]);
  });

  it('Edit opens the command in a field; the edited command is what is sent, never an empty one', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp([waitingRun().events]);
    await user.click(within(waitingCard()).getByRole('button', { name: 'Edit' }));
    const field = within(waitingCard()).getByRole('textbox', { name: 'Command to run' }) as HTMLTextAreaElement;
    expect(field.value).toBe('ls -la');
    await user.clear(field);
    expect(button('Run edited command').disabled).toBe(true);
    await user.type(field, 'ls -1');
    await user.click(button('Run edited command'));
    expect(client.callsOf('run.approve')).toEqual([{ runId: 'live', decision: 'edit', command: 'ls -1' }]);
  });

  it('Cancel leaves the edit without deciding', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp([waitingRun().events]);
    await user.click(within(waitingCard()).getByRole('button', { name: 'Edit' }));
    await user.click(within(waitingCard()).getByRole('button', { name: 'Cancel' }));
    expect(within(waitingCard()).queryByRole('textbox')).toBeNull();
    expect(within(waitingCard()).getByRole('button', { name: 'Approve' })).toBeTruthy();
    expect(client.callsOf('run.approve')).toEqual([]);
  });

  it('Run and Step stay controls of the run: they never decide on the command', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp([waitingRun().events]);
    await user.click(button('Run'));
    await user.click(button('Step'));
    expect(client.callsOf('run.control').map((c) => c.action)).toEqual(['resume', 'step']);
    expect(client.callsOf('run.approve')).toEqual([]);
    expect(waitingCard()).toBeTruthy();
  });

  it('shows the engine’s refusal of a decision', async () => {
    const user = userEvent.setup();
    const client = new FakeClient();
    client.replies['run.approve'] = () => {
      throw new Error('run live is not waiting for approval of a command');
    };
    await renderApp([waitingRun().events], client);
    await user.click(within(waitingCard()).getByRole('button', { name: 'Approve' }));
    expect(screen.getByRole('alert').textContent).toContain('Could not approve the command: run live is not waiting for approval of a command');
    expect((within(waitingCard()).getByRole('button', { name: 'Approve' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('once decided, the call is shown with its result and the decision', async () => {
    const run = waitingRun();
    const { client } = await renderApp([run.events]);
    const edited = '{"output": "a.txt\\n", "exit_code": 0}';
    await push(
      client,
      run.add(
        { type: 'resumed', turn: 1 },
        { type: 'tool_started', turn: 1, index: 0, id: 'c1', name: 'terminal', arguments: '{"command": "ls -la"}', known: true, normalizedArguments: '{"command": "ls -1"}', schemaValid: true, approval: { decision: 'edit', command: 'ls -1' } },
        { type: 'tool_finished', turn: 1, index: 0, status: 'ok', result: edited, toolError: null, durationMs: 4 },
      ),
    );
    expect(within(trajectory()).queryByRole('group', { name: 'Tool call terminal waiting for approval' })).toBeNull();
    const call = within(trajectory()).getByRole('group', { name: 'Tool call terminal' });
    expect(within(call).getByText('command edited by user')).toBeTruthy();
    // The JSON result reads decoded (its line break real), as `key: value` lines.
    expect(within(call).getByText('output: a.txt exit_code: 0')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Running turn 1');
  });

  it('a rejected command is shown as a failed call', async () => {
    const run = waitingRun();
    const { client } = await renderApp([run.events]);
    const rejected = '{"error": "Tool execution failed: PermissionError: the user rejected the command"}';
    const toolError = { turn: 1, tool_name: 'terminal', arguments: '{"command": "ls -la"}', error: 'PermissionError: the user rejected the command', tool_result: rejected };
    await push(
      client,
      run.add(
        { type: 'resumed', turn: 1 },
        { type: 'tool_started', turn: 1, index: 0, id: 'c1', name: 'terminal', arguments: '{"command": "ls -la"}', known: true, normalizedArguments: '{"command": "ls -la"}', schemaValid: true, approval: { decision: 'reject', command: 'ls -la' } },
        { type: 'tool_finished', turn: 1, index: 0, status: 'exception', result: rejected, toolError, durationMs: 0 },
      ),
    );
    const call = within(trajectory()).getByRole('group', { name: 'Tool call terminal' });
    expect(call.classList.contains('is-error')).toBe(true);
    expect(within(call).getByText('rejected by user')).toBeTruthy();
    expect(within(call).getByText('PermissionError: the user rejected the command')).toBeTruthy();
  });

  it('is gone when the run is stopped while it waits', async () => {
    const run = waitingRun();
    const { client } = await renderApp([run.events]);
    await push(client, run.add({ type: 'run_finished', reason: 'stopped', turnsUsed: 1 }));
    expect(within(trajectory()).queryByRole('group', { name: 'Tool call terminal waiting for approval' })).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Stopped by user after 1 turn');
  });
});
