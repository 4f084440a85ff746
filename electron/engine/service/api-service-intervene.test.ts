import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiParams, runSettingsSchema } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { hasErrorCode } from '#shared/rpc/errors.js';
import { createApiService } from './api-service.js';
import { readRunFile } from '../persistence/run-file.js';
import { memorySecretStore } from '../persistence/settings.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

function service() {
  const runsDir = mkdtempSync(join(tmpdir(), 'trajdbg-runs-'));
  const api = createApiService({ mode: 'serve', version: 'test', settings: { load: () => null, save: () => {} }, secrets: memorySecretStore(), runsDir });
  const events: RunEvent[] = [];
  api.onEvent((event) => events.push(event));
  const next = <T extends RunEvent['type']>(runId: string, type: T, where: (e: Event<T>) => boolean = () => true) =>
    new Promise<Event<T>>((resolve) => {
      const found = events.find((e): e is Event<T> => e.runId === runId && e.type === type && where(e as Event<T>));
      if (found) return resolve(found);
      const off = api.onEvent((event) => {
        if (event.runId === runId && event.type === type && where(event as Event<T>)) {
          off();
          resolve(event as Event<T>);
        }
      });
    });
  return { api, runsDir, events, next };
}

const scripted = useScriptedServers();

describe('editing the model call a run is paused before', () => {
  it('sends the edited call to the server and writes the edit to the run file', async () => {
    const { api, runsDir, next } = service();
    const server = await scripted([{ message: { content: 'first' } }]);
    const settings = runSettingsSchema.parse({ endpoint: { baseURL: server.url, model: 'scripted' }, sampling: {}, limits: {}, tools: {}, prompt: { user: 'hello' }, breakpoints: { beforeModel: true } });
    const { runId } = await api.handlers['run.start'](parseApiParams('run.start', { settings }));
    await next(runId, 'paused');
    expect(() => parseApiParams('run.editModelCall', { runId, edit: { temperature: 2.5 } })).toThrow(/edit\.temperature/);
    const messages = [{ role: 'user', content: 'hello, edited' }];
    await api.handlers['run.editModelCall'](parseApiParams('run.editModelCall', { runId, edit: { temperature: 0.2, maxTokens: 32, model: 'other', messages } }));
    await next(runId, 'run_finished');
    expect(server.requests[0]).toMatchObject({ messages, temperature: 0.2, max_tokens: 32, model: 'other' });
    const file = readRunFile(join(runsDir, readdirSync(runsDir)[0]!));
    expect(file.events.find((e) => e.type === 'model_call_edited')).toMatchObject({ turn: 1, edit: { temperature: 0.2, maxTokens: 32, model: 'other', messages } });
    await expect(api.handlers['run.editModelCall'](parseApiParams('run.editModelCall', { runId, edit: {} }))).rejects.toThrow();
    await api.close();
  });
});

describe('asking the model once', () => {
  it("sends a turn's prompt with the edit and returns the reply, leaving the run as it was", async () => {
    const { api, events, next } = service();
    const server = await scripted([{ message: { content: 'recorded' } }, { message: { content: 'asked' } }]);
    const settings = runSettingsSchema.parse({ endpoint: { baseURL: server.url, model: 'scripted' }, sampling: { temperature: 0.7 }, limits: {}, tools: {}, prompt: { user: 'hello' } });
    const { runId } = await api.handlers['run.start'](parseApiParams('run.start', { settings }));
    await next(runId, 'run_finished');
    const before = events.filter((e) => e.runId === runId).length;
    const asked = await api.handlers['run.askOnce'](parseApiParams('run.askOnce', { runId, turn: 1, edit: { temperature: 0 } }));
    expect(asked.reply).toMatchObject({ content: 'asked' });
    expect(asked.request).toEqual({ messages: [{ role: 'user', content: 'hello' }], n: 1, temperature: 0 });
    expect(server.requests[1]).toMatchObject({ messages: [{ role: 'user', content: 'hello' }], temperature: 0 });
    expect(events.filter((e) => e.runId === runId)).toHaveLength(before);
    await expect(api.handlers['run.askOnce'](parseApiParams('run.askOnce', { runId, turn: 2 }))).rejects.toThrow(/no turn 2/);
    await api.close();
  });

  it('asks for an endpoint for a run with no model of its own, and uses the one given', async () => {
    const { api, next } = service();
    const { runId } = await api.handlers['run.replay'](parseApiParams('run.replay', { title: 'rec', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
    await next(runId, 'run_finished');
    const error = await api.handlers['run.askOnce'](parseApiParams('run.askOnce', { runId, turn: 1 })).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'needs_endpoint')).toBe(true);
    const server = await scripted([{ message: { content: 'from the endpoint' } }]);
    const asked = await api.handlers['run.askOnce'](parseApiParams('run.askOnce', { runId, turn: 1, endpoint: { baseURL: server.url, model: 'chosen' } }));
    expect(asked.reply).toMatchObject({ content: 'from the endpoint' });
    expect(server.requests[0]).toMatchObject({ model: 'chosen', messages: [{ role: 'user', content: 'hi' }] });
    await api.close();
  });
});
