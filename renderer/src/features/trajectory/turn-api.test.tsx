import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '#shared/run/events.js';
import { renderApp } from '../../test/render-app.js';
import { RunBuilder } from '../../test/run-builder.js';

const USAGE = { prompt_tokens: 1190, completion_tokens: 45, total_tokens: 1235, prompt_tokens_details: { cached_tokens: 1024 } };

/** A one-turn run whose model call took 2,345 ms and reported `usage`. */
function runWith(usage: Record<string, unknown> | null, source: Record<string, unknown> = {}, latencyMs: number | null = 2345): RunEvent[] {
  const run = new RunBuilder('run-1', [{ role: 'user', content: 'Say hi.' }]).turn({ reply: { content: 'Hi.' } });
  return run.events.map((e) => (e.type === 'model_reply' ? { ...e, usage, latencyMs } : e.type === 'run_started' ? { ...e, source } : e));
}

const IMPORTED = { imported: { fileId: 'f', index: 0, recordedPromptTurns: [], recorded: {}, reward: null } };

function usageOf(turn: number): Record<string, string> {
  const list = screen.getByLabelText(`Tokens and latency of turn ${turn}`);
  return Object.fromEntries(within(list).getAllByRole('term').map((term) => [term.textContent, term.nextElementSibling?.textContent ?? '']));
}

describe('A turn’s tokens, latency and API call', () => {
  it('shows the server’s usage and the latency next to the estimate', async () => {
    await renderApp([runWith(USAGE)]);
    const shown = usageOf(1);
    expect(Object.keys(shown)).toEqual(['Estimated prompt', 'Reported prompt', 'Cached', 'Completion', 'Total', 'Latency']);
    expect(shown['Reported prompt']).toBe('1,190');
    expect(shown['Cached']).toBe('1,024');
    expect(shown['Total']).toBe('1,235');
    expect(shown['Latency']).toBe('2,345 ms');
    expect(Number(shown['Estimated prompt']!.replace(',', ''))).toBeGreaterThan(0);
  });

  it('says when an opened file records no usage or latency', async () => {
    await renderApp([runWith(null, IMPORTED, null)]);
    expect(usageOf(1)).toMatchObject({ Usage: 'not in the file', Latency: 'not in the file' });
  });

  it('shows the usage and latency an opened file records', async () => {
    await renderApp([runWith(USAGE, IMPORTED, 812)]);
    expect(usageOf(1)).toMatchObject({ 'Reported prompt': '1,190', Completion: '45', Latency: '812 ms' });
  });

  it('shows the request the turn sent and the response it read behind the API toggle', async () => {
    const user = userEvent.setup();
    await renderApp([runWith(USAGE)]);
    const toggle = screen.getByRole('button', { name: 'API call of turn 1' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const api = screen.getByRole('group', { name: 'Request and response of turn 1' });
    const [request, response] = within(api).getAllByText((_, el) => el?.tagName === 'PRE').map((el) => JSON.parse(el.textContent!));
    expect(request).toEqual({ messages: [{ role: 'user', content: 'Say hi.' }], n: 1, temperature: 1 });
    expect(response).toEqual({ choices: [{ index: 0, message: { content: 'Hi.' }, finish_reason: 'stop' }], usage: USAGE });
  });
});
