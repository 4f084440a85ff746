import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiParams, runSettingsSchema, type RunSettings } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { createApiService } from './api-service.js';
import { loadScript, type ScriptedReply } from '../../scripted-server/scripted-server.js';
import { memorySecretStore } from '../persistence/settings.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

function service() {
  const runsDir = mkdtempSync(join(tmpdir(), 'trajdbg-runs-'));
  const api = createApiService({ mode: 'serve', version: 'test', settings: { load: () => null, save: () => {} }, secrets: memorySecretStore(), runsDir });
  const events: RunEvent[] = [];
  api.onEvent((event) => events.push(event));
  /** Resolves at the first event of `runId` that `match` accepts, past or future. */
  const when = <T extends RunEvent>(runId: string, match: (event: RunEvent) => event is T) =>
    new Promise<T>((resolve) => {
      const seen = events.find((e): e is T => e.runId === runId && match(e));
      if (seen) return resolve(seen);
      const off = api.onEvent((event) => {
        if (event.runId === runId && match(event)) {
          off();
          resolve(event);
        }
      });
    });
  const pausedAt = (runId: string, index: number) =>
    when(runId, (e): e is Event<'paused'> => e.type === 'paused' && e.at === 'approval' && e.approval?.index === index);
  const ended = (runId: string) => when(runId, (e): e is Event<'run_finished'> => e.type === 'run_finished');
  const of = <T extends RunEvent['type']>(runId: string, type: T) => events.filter((e): e is Event<T> => e.runId === runId && e.type === type);
  const approve = (params: unknown) => api.handlers['run.approve'](parseApiParams('run.approve', params));
  return { api, runsDir, events, pausedAt, ended, of, approve };
}

const terminal = (id: string, command: string) => ({ id, type: 'function', function: { name: 'terminal', arguments: JSON.stringify({ command }) } });

/** Turn 1 runs two commands; turn 2 ends the run. */
const TWO_COMMANDS: ScriptedReply[] = loadScript([
  { message: { content: 'Running two commands.', tool_calls: [terminal('c1', 'echo one'), terminal('c2', 'echo two')] } },
  { message: { content: 'Done.' } },
]);

function settingsFor(baseURL: string, tools: Record<string, unknown>): RunSettings {
  return runSettingsSchema.parse({ endpoint: { baseURL, model: 'scripted' }, prompt: { user: 'run things' }, sampling: {}, limits: {}, tools });
}

describe('run.approve', () => {
  const scripted = useScriptedServers();

  it('needs a command for an edit, and takes none otherwise, naming the field', () => {
    expect(() => parseApiParams('run.approve', { runId: 'r', decision: 'edit' })).toThrow('run.approve: command: an edit needs the command to run instead');
    expect(() => parseApiParams('run.approve', { runId: 'r', decision: 'edit', command: '   ' })).toThrow('run.approve: command: an edit needs the command to run instead');
    expect(() => parseApiParams('run.approve', { runId: 'r', decision: 'approve', command: 'ls' })).toThrow('run.approve: command: only an edit takes a command, not approve');
    expect(() => parseApiParams('run.approve', { runId: 'r', decision: 'allow' })).toThrow(/^run\.approve: decision: /);
    expect(parseApiParams('run.approve', { runId: 'r', decision: 'edit', command: 'ls -la' })).toEqual({ runId: 'r', decision: 'edit', command: 'ls -la' });
  });

  it('refuses a run that waits for no command, and an unknown run', async () => {
    const { api, approve, ended } = service();
    await expect(approve({ runId: 'nope', decision: 'approve' })).rejects.toThrow('no run with id nope');
    const { runId } = await api.handlers['run.demo'](parseApiParams('run.demo', { startPaused: true }));
    await expect(approve({ runId, decision: 'approve' })).rejects.toThrow(`run ${runId} is not waiting for approval of a command`);
    await api.handlers['run.control']({ runId, action: 'resume' });
    // The demo runs its scripted commands without asking.
    expect((await ended(runId)).reason).toBe('finished_naturally');
    await api.close();
  });

  it('asks before each terminal command by default: edit runs the edited one, reject records a tool error', async () => {
    const server = await scripted(TWO_COMMANDS);
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const { api, runsDir, pausedAt, ended, of, approve } = service();
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url, { builtin: ['terminal'], workspace }), startPaused: false });

    expect((await pausedAt(runId, 0)).approval).toEqual({ index: 0, tool: 'terminal', command: 'echo one' });
    expect((await api.handlers['run.list']({})).runs.find((r) => r.runId === runId)?.state).toBe('paused');
    await approve({ runId, decision: 'edit', command: 'echo edited' });
    await pausedAt(runId, 1);
    await approve({ runId, decision: 'reject' });
    expect((await ended(runId)).reason).toBe('finished_naturally');

    const [first, second] = of(runId, 'tool_started');
    expect(first).toMatchObject({ arguments: '{"command":"echo one"}', normalizedArguments: '{"command": "echo edited"}', approval: { decision: 'edit', command: 'echo edited' } });
    expect(second).toMatchObject({ approval: { decision: 'reject', command: 'echo two' } });
    const [ran, rejected] = of(runId, 'tool_finished');
    expect(ran).toMatchObject({ status: 'ok', result: '{"output": "edited\\n", "exit_code": 0}' });
    expect(rejected).toMatchObject({ status: 'exception', result: '{"error": "Tool execution failed: PermissionError: the user rejected the command"}' });
    // The run file keeps the decisions.
    const lines = readFileSync(join(runsDir, readdirSync(runsDir)[0]!), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent);
    expect(lines.filter((e) => e.type === 'tool_started').map((e) => (e as Event<'tool_started'>).approval?.decision)).toEqual(['edit', 'reject']);
    await api.close();
  });

  it('runs each command at once when the settings ask for no approval', async () => {
    const server = await scripted(TWO_COMMANDS);
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const { api, ended, of } = service();
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url, { builtin: ['terminal'], workspace, approveTerminal: false }), startPaused: false });
    expect((await ended(runId)).reason).toBe('finished_naturally');
    expect(of(runId, 'paused')).toEqual([]);
    expect(of(runId, 'tool_finished').map((e) => e.result)).toEqual(['{"output": "one\\n", "exit_code": 0}', '{"output": "two\\n", "exit_code": 0}']);
    await api.close();
  });

  it('stop ends a run that waits for a decision', async () => {
    const server = await scripted(TWO_COMMANDS);
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const { api, pausedAt, ended, of } = service();
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url, { builtin: ['terminal'], workspace }), startPaused: false });
    await pausedAt(runId, 0);
    await api.handlers['run.control']({ runId, action: 'stop' });
    expect((await ended(runId)).reason).toBe('stopped');
    expect(of(runId, 'tool_started')).toEqual([]);
    await api.close();
  });

  it('defaults to asking in the settings', () => {
    expect(settingsFor('http://127.0.0.1:1/v1', {}).tools.approveTerminal).toBe(true);
  });
});
