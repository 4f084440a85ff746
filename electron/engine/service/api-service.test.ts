import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSettings } from '#shared/api/contract.js';
import { parseApiParams, runSettingsSchema } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { createApiService } from './api-service.js';
import { loadScript, startScriptedServer } from '../../scripted-server/scripted-server.js';
import { memorySecretStore, type SettingsStore } from '../persistence/settings.js';
import { loadConformanceCases } from '../../testing/conformance.js';

function memorySettings(): SettingsStore & { saved: RunSettings[] } {
  const saved: RunSettings[] = [];
  return { saved, load: () => saved.at(-1) ?? null, save: (s) => void saved.push(structuredClone(s)) };
}

function service() {
  const settings = memorySettings();
  const secrets = memorySecretStore();
  const runsDir = mkdtempSync(join(tmpdir(), 'trajdbg-runs-'));
  const api = createApiService({ mode: 'serve', version: '0.0.0-test', settings, secrets, runsDir });
  const events: RunEvent[] = [];
  api.onEvent((event) => events.push(event));
  const ended = (runId: string) =>
    new Promise<Extract<RunEvent, { type: 'run_finished' }>>((resolve) => {
      const found = events.find((e) => e.runId === runId && e.type === 'run_finished');
      if (found) return resolve(found as Extract<RunEvent, { type: 'run_finished' }>);
      const off = api.onEvent((event) => {
        if (event.runId === runId && event.type === 'run_finished') {
          off();
          resolve(event);
        }
      });
    });
  return { api, settings, secrets, runsDir, events, ended };
}

function settingsFor(baseURL: string, extra: Partial<RunSettings> = {}): RunSettings {
  return runSettingsSchema.parse({ endpoint: { baseURL, model: 'scripted', apiKey: 'sk-planted-secret' }, prompt: { system: 'sys', user: 'do it' }, sampling: {}, limits: {}, tools: {}, ...extra });
}

describe('the API service', () => {
  it('runs the demo, streams its events and records them in a run file', async () => {
    const { api, events, ended, runsDir } = service();
    const { runId } = await api.handlers['run.demo'](parseApiParams('run.demo', {}));
    const end = await ended(runId);
    expect(end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 6 });
    expect(events.some((e) => e.type === 'model_delta')).toBe(true);
    const { events: caughtUp, complete } = await api.handlers['run.events']({ runId, fromSeq: 0, limit: 5000 });
    expect(complete).toBe(true);
    const firstPage = await api.handlers['run.events']({ runId, fromSeq: 0, limit: 10 });
    expect(firstPage).toEqual({ events: caughtUp.slice(0, 10), complete: false });
    const secondPage = await api.handlers['run.events']({ runId, fromSeq: firstPage.events.at(-1)!.seq + 1, limit: 5000 });
    expect([...firstPage.events, ...secondPage.events]).toEqual(caughtUp);
    expect(caughtUp).toEqual(events.filter((e) => e.runId === runId && e.type !== 'model_delta'));
    const files = readdirSync(runsDir);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(runsDir, files[0]!), 'utf8').trim().split('\n')).toHaveLength(caughtUp.length);
    expect((await api.handlers['run.list']({})).runs).toEqual([expect.objectContaining({ runId, state: 'ended', title: 'Demo', parentRunId: null })]);
    await api.close();
  });

  it('starts a run from the New run settings, remembers them without the key, and never records the key', async () => {
    const server = await startScriptedServer({ script: loadScript([{ message: { content: 'hi there' } }]) });
    const { api, settings, secrets, runsDir, ended, events } = service();
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(server.url), startPaused: false });
    expect((await ended(runId)).reason).toBe('finished_naturally');
    expect(secrets.getApiKey()).toBe('sk-planted-secret');
    expect(settings.saved[0]!.endpoint).toEqual({ baseURL: server.url, model: 'scripted', stream: true });
    expect((await api.handlers['settings.load']({})).hasApiKey).toBe(true);
    expect(JSON.stringify(events)).not.toContain('sk-planted-secret');
    const file = readdirSync(runsDir)[0]!;
    expect(readFileSync(join(runsDir, file), 'utf8')).not.toContain('sk-planted-secret');
    expect((server.requestHeaders as Array<Record<string, string>>)[0]!.authorization).toBe('Bearer sk-planted-secret');
    expect((server.requests[0] as { messages: unknown }).messages).toEqual([{ role: 'system', content: 'sys' }, { role: 'user', content: 'do it' }]);
    await api.close();
    await server.close();
  });

  it('names the tool source that failed to open', async () => {
    const { api } = service();
    const bad = settingsFor('http://127.0.0.1:1/v1', { tools: { schemas: [], endpointURL: null, mcpCommands: ['no-such-mcp-server-xyz'], builtin: [], workspace: null, approveTerminal: true } });
    await expect(api.handlers['run.start']({ settings: bad, startPaused: false })).rejects.toThrow(/^MCP server: .*no-such-mcp-server-xyz/);
    await api.close();
  });

  it('steps a paused run and retries after a model failure, continuing the trajectory as a new run', async () => {
    const failing = await startScriptedServer({
      script: loadScript([{ message: { content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'nope', arguments: '{}' } }] } }, { http_error: 500, body: 'overloaded' }]),
    });
    const { api, ended, events, settings } = service();
    const { runId } = await api.handlers['run.start']({ settings: settingsFor(failing.url), startPaused: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.runId === runId).at(-1)).toMatchObject({ type: 'paused', at: 'before_model', turn: 1 });
    await api.handlers['run.control']({ runId, action: 'resume' });
    const end = await ended(runId);
    expect(end.reason).toBe('model_error');
    const failure = events.find((e) => e.runId === runId && e.type === 'model_failed');
    expect(failure).toMatchObject({ status: 500 });

    const fixed = await startScriptedServer({ script: loadScript([{ message: { content: 'recovered' } }]) });
    const retry = await api.handlers['run.retry']({ runId, settings: settingsFor(fixed.url) });
    expect((await ended(retry.runId)).reason).toBe('finished_naturally');
    const started = events.find((e) => e.runId === retry.runId && e.type === 'run_started') as Extract<RunEvent, { type: 'run_started' }>;
    expect(started.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(started.source).toMatchObject({ parentRunId: runId });
    const runs = (await api.handlers['run.list']({})).runs;
    expect(runs.find((r) => r.runId === retry.runId)?.parentRunId).toBe(runId);
    // The retry's endpoint is not the next New run's default: only the New run's settings were remembered.
    expect(settings.saved.map((saved) => saved.endpoint.baseURL)).toEqual([failing.url]);
    await api.close();
    await failing.close();
    await fixed.close();
  });

  it('replays a recorded trajectory under a budget', async () => {
    const c = loadConformanceCases().find((x) => x.name === 'trunc_0_3')!;
    const { api, ended, events } = service();
    const { runId } = await api.handlers['run.replay'](parseApiParams('run.replay', { title: 'trunc_0_3', messages: c.expected.result.messages, maxContextTokens: c.config.max_context_tokens }));
    expect((await ended(runId)).turnsUsed).toBe(c.expected.result.turns_used);
    const views = events.filter((e) => e.runId === runId && e.type === 'prompt_view') as Array<Extract<RunEvent, { type: 'prompt_view' }>>;
    expect(views.some((v) => v.view.phase === 'dropped')).toBe(true);
    await api.close();
  });

  it('refuses an unknown run', async () => {
    const { api } = service();
    await expect(api.handlers['run.control']({ runId: 'nope', action: 'stop' })).rejects.toThrow('no run with id nope');
    await api.close();
  });
});
