import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeClient } from '../../api/fake-client.js';
import { errorsRun, failedRun } from '../../test/fixtures.js';
import { push, renderApp } from '../../test/render-app.js';
import { RunBuilder } from '../../test/run-builder.js';

const status = () => screen.getByRole('status');
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('Top bar', () => {
  it('shows what the engine says the user must know from the start, until dismissed', async () => {
    const user = userEvent.setup();
    const client = new FakeClient();
    const line = 'trajdbg: the settings file /home/u/.config/trajdbg/settings.json could not be read (not JSON: Unexpected end); moved it to settings.corrupt-1.json';
    client.replies['app.info'] = () => ({ mode: 'serve', version: 't', keyStorage: 'memory', retryPolicy: '', notices: [line] });
    await renderApp([], client);
    expect(screen.getByRole('alert').textContent).toContain(line);
    await user.click(button('Dismiss notices'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says "No run" before any run, and "Disconnected from the engine" when the socket closes', async () => {
    const { client } = await renderApp();
    expect(status().textContent).toBe('No run');
    expect(status().getAttribute('aria-live')).toBe('polite');
    expect(['Run', 'Pause', 'Step', 'Stop'].map((name) => button(name).disabled)).toEqual([true, true, true, true]);
    act(() => client.setConnection('closed'));
    expect(status().textContent).toBe('Disconnected from the engine');
    expect(button('New run').disabled).toBe(true);
  });

  it('follows a live run: running, paused (Run and Step apply), finished', async () => {
    const user = userEvent.setup();
    const run = new RunBuilder('live', [{ role: 'user', content: 'go' }]);
    const { client } = await renderApp([run.events]);
    await push(client, run.startTurn().since(1));
    expect(status().textContent).toBe('Running turn 1');
    expect([button('Run').disabled, button('Pause').disabled, button('Step').disabled, button('Stop').disabled]).toEqual([true, false, true, false]);
    await user.click(button('Pause'));
    expect(client.callsOf('run.control').at(-1)).toEqual({ runId: 'live', action: 'pause' });

    let from = run.events.length;
    await push(client, run.pause('before_tools').since(from));
    expect(status().textContent).toBe('Paused before tools on turn 1');
    expect([button('Run').disabled, button('Pause').disabled, button('Step').disabled, button('Stop').disabled]).toEqual([false, true, false, false]);
    await user.click(button('Step'));
    await user.click(button('Run'));
    await user.click(button('Stop'));
    expect(client.callsOf('run.control').map((c) => c.action)).toEqual(['pause', 'step', 'resume', 'stop']);

    from = run.events.length;
    await push(client, run.resume().since(from));
    from = run.events.length;
    await push(client, run.finish('stopped').since(from));
    expect(status().textContent).toBe('Stopped by user after 1 turn');
    expect(button('Stop').disabled).toBe(true);
  });

  it('shows a failed run’s error', async () => {
    await renderApp([failedRun().events]);
    expect(status().textContent).toBe('Failed: HTTP 500 from http://127.0.0.1:8000/v1/chat/completions on turn 3');
  });

  it('starts the demo with the breakpoint toggles and selects it', async () => {
    const user = userEvent.setup();
    const { client } = await renderApp();
    await user.click(screen.getByRole('checkbox', { name: 'Break before tools' }));
    await user.click(button('Demo'));
    expect(client.callsOf('run.demo')).toEqual([{ breakpoints: { beforeModel: false, beforeTools: true, onToolError: false } }]);
    const demo = new RunBuilder('run-1', [{ role: 'user', content: 'demo' }]);
    await push(client, demo.startTurn().events);
    expect(status().textContent).toBe('Running turn 1');
  });

  it('sends a changed breakpoint to the selected live run', async () => {
    const user = userEvent.setup();
    const run = new RunBuilder('live', [{ role: 'user', content: 'go' }]).startTurn();
    const { client } = await renderApp([run.events]);
    await user.click(screen.getByRole('checkbox', { name: 'Break on tool error' }));
    expect(client.callsOf('run.breakpoints')).toEqual([{ runId: 'live', breakpoints: { beforeModel: false, beforeTools: false, onToolError: true } }]);
  });

  it('shows an engine error from a control', async () => {
    const user = userEvent.setup();
    const client = new FakeClient();
    client.replies['run.demo'] = () => {
      throw new Error('the demo is already running');
    };
    await renderApp([], client);
    await user.click(button('Demo'));
    expect(screen.getByRole('alert').textContent).toContain('Could not start the demo: the demo is already running');
  });

  it('lists the runs in the run picker and switches between them', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events, failedRun().events]);
    const picker = screen.getByRole('combobox', { name: 'Run' });
    expect(within(picker).getAllByRole('option')).toHaveLength(2);
    await user.selectOptions(picker, 'run-errors');
    expect(status().textContent).toBe('Finished naturally after 5 turns');
    await user.selectOptions(picker, 'run-failed');
    expect(status().textContent).toMatch(/^Failed: HTTP 500/);
  });
});
