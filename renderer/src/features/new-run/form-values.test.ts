import { describe, expect, it } from 'vitest';
import { RunBuilder } from '../../test/run-builder.js';
import { formForRetry, formFromSettings, settingsFromForm } from './form-values.js';

const breakpoints = { beforeModel: true, beforeTools: false, onToolError: false };

describe('New run form values', () => {
  it('round-trips settings through the form (without the key)', () => {
    const form = { ...formFromSettings(null), model: 'm', user: 'hi', maxContextTokens: '4000' };
    const result = settingsFromForm(form, breakpoints);
    expect(result).toEqual({
      settings: {
        endpoint: { baseURL: 'http://127.0.0.1:8000/v1', model: 'm', stream: true },
        sampling: { temperature: 1, maxTokens: null },
        limits: { maxTurns: 30, maxContextTokens: 4000 },
        prompt: { system: '', user: 'hi' },
        tools: { schemas: [], endpointURL: null, mcpCommands: [], builtin: [], workspace: null, approveTerminal: true },
        breakpoints,
      },
    });
  });

  it('reports each wrong field in words', () => {
    const form = { ...formFromSettings(null), baseURL: 'localhost', model: 'm', user: 'hi', temperature: '3', maxTokens: '1.5', maxContextTokens: '-1', toolEndpointURL: 'nope' };
    expect(settingsFromForm(form, breakpoints)).toEqual({
      errors: {
        baseURL: 'Base URL must be a full URL, e.g. http://127.0.0.1:8000/v1',
        temperature: 'Temperature must be a number from 0 to 2',
        maxTokens: 'Max tokens must be a whole number above 0, or empty for the server default',
        maxContextTokens: 'Max context tokens must be a whole number above 0, or empty for no budget',
        toolEndpointURL: 'Tool endpoint must be a full URL, or empty',
      },
    });
  });

  it('prefills a retry from what the failed run recorded', () => {
    const run = new RunBuilder('r', [{ role: 'system', content: 'sys' }, { role: 'user', content: 'task' }], { maxContextTokens: 900, maxTurns: 7 }).events[0]!;
    if (run.type !== 'run_started') throw new Error('expected run_started');
    const snapshot = { ...run, source: { baseURL: 'http://h:1/v1', model: 'm1', stream: false }, turns: [], messages: run.messages } as never;
    const form = formForRetry({ ...formFromSettings(null), builtin: ['read_file'], workspace: '/w' }, snapshot);
    expect(form).toMatchObject({ baseURL: 'http://h:1/v1', model: 'm1', stream: false, maxTurns: '7', maxContextTokens: '900', system: 'sys', user: 'task', builtin: ['read_file'], workspace: '/w' });
  });

  it('fills branch settings for an opened file from the file, not from the last New run’s prompt or budget', () => {
    const run = new RunBuilder('r', [{ role: 'user', content: 'task from the file' }]).events[0]!;
    if (run.type !== 'run_started') throw new Error('expected run_started');
    const snapshot = { ...run, source: { imported: { fileId: 'f', index: 0 } }, turns: [], messages: run.messages } as never;
    const last = { ...formFromSettings(null), baseURL: 'http://last:1/v1', model: 'last-model', system: 'the last system prompt', maxContextTokens: '8000' };
    const form = formForRetry(last, snapshot);
    expect(form).toMatchObject({ baseURL: 'http://last:1/v1', model: 'last-model', system: '', user: 'task from the file', maxContextTokens: '' });
  });
});
