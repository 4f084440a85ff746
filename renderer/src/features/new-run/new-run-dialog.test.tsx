import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { RunSettings } from '#shared/api/contract.js';
import { encodeClientFrame, MAX_FRAME_BYTES } from '#shared/rpc/frames.js';
import { FakeClient } from '../../api/fake-client.js';
import { setFrameScheduler } from '../../store/frame.js';
import { useStore } from '../../store/store.js';
import { failedRun } from '../../test/fixtures.js';
import { renderApp } from '../../test/render-app.js';

const LAST: RunSettings = {
  endpoint: { baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen3-8B', stream: true },
  sampling: { temperature: 0.7, maxTokens: null },
  limits: { maxTurns: 30, maxContextTokens: 8000 },
  prompt: { system: 'Be careful.', user: 'List the files.' },
  tools: { schemas: [], endpointURL: null, mcpCommands: [], builtin: [], workspace: null, approveTerminal: true },
  breakpoints: { beforeModel: false, beforeTools: false, onToolError: false },
};

function withLastSettings(keyStorage: 'memory' | 'os-keychain' = 'memory', hasApiKey = false): FakeClient {
  const client = new FakeClient();
  client.replies['settings.load'] = () => ({ settings: LAST, hasApiKey });
  client.replies['app.info'] = () => ({ mode: 'desktop', version: 't', keyStorage, retryPolicy: 'Up to 2 retries on HTTP 429.', notices: [] });
  return client;
}

async function openDialog(client: FakeClient, runs = [] as Parameters<typeof renderApp>[0]) {
  const user = userEvent.setup();
  await renderApp(runs, client);
  await user.click(screen.getByRole('button', { name: 'New run' }));
  const dialog = await screen.findByRole('dialog', { name: 'New run' });
  await within(dialog).findByRole('button', { name: 'Start run' });
  return { user, dialog, field: (name: string) => within(dialog).getByLabelText(name) as HTMLInputElement };
}

describe('New run', () => {
  it('opens prefilled from the last settings; the key field says where the key goes', async () => {
    const { field } = await openDialog(withLastSettings('os-keychain', true));
    expect(field('Base URL').value).toBe('http://127.0.0.1:8000/v1');
    expect(field('Model').value).toBe('Qwen/Qwen3-8B');
    expect(field('Max context tokens').value).toBe('8000');
    expect(field('User prompt').value).toBe('List the files.');
    expect(field('API key').type).toBe('password');
    expect(field('API key').placeholder).toBe('stored in the OS keychain');
    expect(screen.getByText('A key is stored: leave empty to reuse it.')).toBeTruthy();
    // The retry policy the engine follows is said next to the endpoint.
    expect(screen.getByText('When a model call fails')).toBeTruthy();
    expect(screen.getByText('Up to 2 retries on HTTP 429.')).toBeTruthy();
  });

  it('says a key is kept in memory in serve mode', async () => {
    const { field } = await openDialog(withLastSettings('memory'));
    expect(field('API key').placeholder).toBe('kept in memory for this session');
  });

  it('checks the form before starting and names what is wrong', async () => {
    const client = withLastSettings();
    const { user, field } = await openDialog(client);
    await user.clear(field('Model'));
    await user.clear(field('User prompt'));
    await user.clear(field('Max turns'));
    await user.type(field('Max turns'), '0');
    await user.click(screen.getByRole('checkbox', { name: 'terminal' }));
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(client.callsOf('run.start')).toEqual([]);
    expect(screen.getByText('Model is required')).toBeTruthy();
    expect(screen.getByText('User prompt is required')).toBeTruthy();
    expect(screen.getByText('Max turns must be a whole number from 1 to 10,000')).toBeTruthy();
    expect(screen.getByText('Built-in tools need a workspace folder')).toBeTruthy();
    expect(field('Model').getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(field('Model'));
  });

  it('starts the run with the settings typed in, then closes and selects it', async () => {
    const client = withLastSettings();
    const { user, field } = await openDialog(client);
    await user.type(field('API key'), 'sk-test');
    await user.clear(field('Temperature'));
    await user.type(field('Temperature'), '0.2');
    await user.type(field('Max tokens'), '512');
    await user.type(field('MCP server commands'), 'npx server-a{Enter}{Enter}node b.js');
    await user.click(screen.getByRole('checkbox', { name: 'read_file' }));
    await user.type(field('Workspace folder'), '/tmp/ws');
    const schemas = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
    await user.upload(field('Tool schemas (JSON)'), new File([JSON.stringify(schemas)], 'tools.json', { type: 'application/json' }));
    expect(await screen.findByText(/1 tool schemas: lookup/)).toBeTruthy();
    await user.type(field('Tool endpoint URL'), 'http://127.0.0.1:9000/tool');
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(client.callsOf('run.start')).toEqual([
      {
        settings: {
          endpoint: { baseURL: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen3-8B', stream: true, apiKey: 'sk-test' },
          sampling: { temperature: 0.2, maxTokens: 512 },
          limits: { maxTurns: 30, maxContextTokens: 8000 },
          prompt: { system: 'Be careful.', user: 'List the files.' },
          tools: { schemas, endpointURL: 'http://127.0.0.1:9000/tool', mcpCommands: ['npx server-a', 'node b.js'], builtin: ['read_file'], workspace: '/tmp/ws', approveTerminal: true },
          breakpoints: { beforeModel: false, beforeTools: false, onToolError: false },
        },
        startPaused: false,
      },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(useStore.getState().selectedRunId).toBe('run-1');
  });

  it('closes and selects the run it started at the next frame, in the one commit of that frame', async () => {
    const client = withLastSettings();
    const { user } = await openDialog(client);
    const frames: Array<() => void> = [];
    setFrameScheduler((callback) => frames.push(callback));
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    await vi.waitFor(() => expect(client.callsOf('run.start')).toHaveLength(1));
    // Started; until the frame, nothing on screen changes but the busy button.
    expect(screen.getByRole('dialog', { name: 'New run' })).toBeTruthy();
    expect(useStore.getState().selectedRunId).toBeNull();
    act(() => frames.splice(0).forEach((frame) => frame()));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(useStore.getState().selectedRunId).toBe('run-1');
  });

  it('asks before each terminal command by default; the box applies once terminal is on', async () => {
    const client = withLastSettings();
    const { user, field } = await openDialog(client);
    const ask = screen.getByRole('checkbox', { name: 'Ask before each terminal command' }) as HTMLInputElement;
    expect(ask.checked).toBe(true);
    expect(ask.disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'terminal' }));
    expect(ask.disabled).toBe(false);
    await user.type(field('Workspace folder'), '/tmp/ws');
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(client.callsOf('run.start')[0]!.settings.tools).toMatchObject({ builtin: ['terminal'], workspace: '/tmp/ws', approveTerminal: true });
  });

  it('runs terminal commands without asking when the box is cleared, and remembers it', async () => {
    const client = withLastSettings();
    client.replies['settings.load'] = () => ({ settings: { ...LAST, tools: { ...LAST.tools, builtin: ['terminal'], workspace: '/tmp/ws', approveTerminal: false } }, hasApiKey: false });
    const { user } = await openDialog(client);
    const ask = screen.getByRole('checkbox', { name: 'Ask before each terminal command' }) as HTMLInputElement;
    expect(ask.checked).toBe(false);
    await user.click(ask);
    await user.click(ask);
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(client.callsOf('run.start')[0]!.settings.tools).toMatchObject({ builtin: ['terminal'], approveTerminal: false });
  });

  it('leaves the key out when the field is empty (the stored key is reused)', async () => {
    const client = withLastSettings('memory', true);
    const { user } = await openDialog(client);
    await user.click(screen.getByRole('button', { name: 'Start run' }));
    expect(client.callsOf('run.start')[0]!.settings.endpoint).toEqual({ baseURL: LAST.endpoint.baseURL, model: LAST.endpoint.model, stream: true });
  });

  it('shows a bad tool schemas file inline and keeps the previous schemas', async () => {
    const { user, field } = await openDialog(withLastSettings());
    await user.upload(field('Tool schemas (JSON)'), new File(['{"tools": [{"type": "function", "function": {}}]}'], 'broken.json'));
    expect((await screen.findByRole('alert')).textContent).toBe('broken.json: tool 1 has no "function.name"');
    await user.upload(field('Tool schemas (JSON)'), new File(['[1, 2'], 'cut.json'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^cut.json is not valid JSON: /);
    expect(field('Tool schemas (JSON)').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows the engine’s error inline and stays open with the values', async () => {
    const client = withLastSettings();
    client.replies['run.start'] = () => {
      throw new Error('MCP server "npx nope" did not start');
    };
    const { user, dialog, field } = await openDialog(client);
    await user.type(field('MCP server commands'), 'npx nope');
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The engine refused the run: MCP server "npx nope" did not start');
    expect(screen.getByRole('dialog', { name: 'New run' })).toBeTruthy();
    expect(field('MCP server commands').value).toBe('npx nope');
  });

  it('refuses a prompt too large for one request with a message naming its size and the limit', async () => {
    const client = withLastSettings();
    // The request goes through the frame encoder both transports use.
    client.replies['run.start'] = (params) => {
      encodeClientFrame({ id: 1, method: 'run.start', params });
      return { runId: 'started' };
    };
    const { user, dialog, field } = await openDialog(client);
    fireEvent.change(field('User prompt'), { target: { value: 'x'.repeat(MAX_FRAME_BYTES) } });
    await user.click(within(dialog).getByRole('button', { name: 'Start run' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('The engine refused the run: run.start: the request is 16.1 MiB, over the 16 MiB the engine accepts in one request');
    expect(screen.getByRole('dialog', { name: 'New run' })).toBeTruthy();
  }, 60_000); // a 16 MiB prompt goes through the form, the settings check and the encoder

  it('"Retry turn" on a failed model call starts a run that continues the failed one', async () => {
    const user = userEvent.setup();
    const client = withLastSettings();
    await renderApp([failedRun().events], client);
    const trajectory = screen.getByRole('region', { name: 'Trajectory' });
    await user.click(within(trajectory).getByRole('button', { name: 'Retry turn' }));
    const dialog = await screen.findByRole('dialog', { name: 'New run' });
    expect(within(dialog).getByText(/Retrying turn 3/)).toBeTruthy();
    await user.click(await within(dialog).findByRole('button', { name: 'Start run' }));
    // The failed run's own prompt wins over the last settings (which may be another run's).
    expect(client.callsOf('run.retry')).toEqual([{ runId: 'run-failed', settings: expect.objectContaining({ prompt: { system: 'S', user: 'U' }, endpoint: LAST.endpoint }) }]);
    expect(client.callsOf('run.start')).toEqual([]);
    expect(useStore.getState().selectedRunId).toBe('run-1');
    const picker = screen.getByRole('combobox', { name: 'Run' });
    expect(within(picker).getByRole('option', { name: /run-failed/ })).toBeTruthy();
  });
});
