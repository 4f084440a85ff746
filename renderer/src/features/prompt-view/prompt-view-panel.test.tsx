import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { trajectoryRunEvents } from '#shared/formats/trajectory-events.js';
import { shortenToolResult } from '#shared/loop/truncate.js';
import type { RunEvent } from '#shared/run/events.js';
import { codePointLength } from '#shared/python/str.js';
import { LONG_RESULT, truncatedRun } from '../../test/fixtures.js';
import { renderApp, push } from '../../test/render-app.js';
import { RunBuilder } from '../../test/run-builder.js';

function promptRegion() {
  return screen.getByRole('region', { name: 'Prompt view' });
}

async function selectTurn(turn: number): Promise<void> {
  const user = userEvent.setup();
  const turns = screen.getByRole('region', { name: 'Turns' });
  const row = within(turns)
    .getAllByRole('listitem')
    .find((r) => within(r).queryByText(`Turn ${turn}`, { exact: true }))!;
  await user.click(within(row).getByRole('button'));
}

describe('Prompt view', () => {
  it('keeps a typed context budget with the run it was typed for, not the next run selected', async () => {
    const user = userEvent.setup();
    const other = new RunBuilder('other', [{ role: 'user', content: 'go' }]).turn({ reply: { content: 'done' } }).finish('finished_naturally');
    await renderApp([truncatedRun().events, other.events]);
    const picker = screen.getByRole('combobox', { name: 'Run' });
    const firstRun = (picker as HTMLSelectElement).value;
    const budget = () => within(promptRegion()).getByRole('textbox', { name: 'Context budget' }) as HTMLInputElement;
    await user.type(budget(), '8000');
    expect(within(promptRegion()).getByText('Recomputed for this run only')).toBeTruthy();
    const next = firstRun === 'other' ? truncatedRun().runId : 'other';
    await user.selectOptions(picker, next);
    expect(budget().value).toBe('');
    expect(within(promptRegion()).queryByText(/Recomputed with a budget of 8,000/)).toBeNull();
    await user.selectOptions(picker, firstRun);
    expect(budget().value).toBe('8000');
  });

  it('says so when the truncation raises under a typed budget, as the reference would, and draws again without it', async () => {
    const t: Trajectory = {
      id: 'odd', model: 'm', reward: null, source: { format: 'chat-messages', index: 0 }, recorded: {},
      // A number where a text belongs: estimating it is len(3.5), which Python refuses.
      messages: [{ role: 'user', content: 3.5 }, { role: 'assistant', content: 'a' }],
    };
    const events = trajectoryRunEvents(t, { origin: { fileId: 'f', path: '/x/odd.json' }, maxContextTokens: null }).map((body, seq) => ({ ...body, runId: 'odd', seq, time: 0 }) as RunEvent);
    await renderApp([events]);
    const user = userEvent.setup();
    // Without a budget the number counts 0 tokens, and the view says so.
    expect(within(promptRegion()).getByText('1 message could not be estimated (content that is not text, counted as 0 tokens)')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Turn 1 0\+ est\. tokens/ }).querySelector('.turn-tokens')!.getAttribute('title')).toBe('1 message could not be estimated (content that is not text, counted as 0 tokens)');
    const budget = within(promptRegion()).getByRole('textbox', { name: 'Context budget' });
    await user.type(budget, '100');
    expect(within(promptRegion()).getByRole('alert').textContent).toMatch(/^The engine's truncation raises under this budget, as the reference loop would: TypeError: object of type 'float' has no len\(\)\./);
    expect(within(promptRegion()).getByText('Recomputed with a budget of 100 tokens')).toBeTruthy();
    await user.clear(budget);
    expect(within(promptRegion()).queryByRole('alert')).toBeNull();
    expect(within(promptRegion()).getByText('Recomputed, no budget')).toBeTruthy();
  });

  it('shows the selected turn’s prompt: dropped ranges, shortened results and the budget', async () => {
    const run = truncatedRun();
    await renderApp([run.events]);
    await selectTurn(6);
    const prompt = promptRegion();
    expect(within(prompt).getByText('Turn 6 prompt')).toBeTruthy();
    // Turn 1's assistant message and its tool result were dropped together.
    const marker = within(prompt).getByText('2 messages dropped');
    expect(marker.closest('details')?.open).toBe(false);
    // 600 code points (800 UTF-16 units) shortened to 100 + marker + 50.
    const cut = codePointLength(LONG_RESULT) - codePointLength(shortenToolResult(LONG_RESULT));
    expect(cut).toBe(431);
    expect(within(prompt).getByText(`shortened: ${cut} characters cut`)).toBeTruthy();
    const meter = within(prompt).getByRole('meter', { name: 'Estimated prompt tokens' });
    const view = run.events.filter((e) => e.type === 'prompt_view').at(-1)!;
    if (view.type !== 'prompt_view') throw new Error('no prompt view');
    expect(view.view.dropped).toEqual([[2, 4]]);
    expect(meter.getAttribute('aria-valuenow')).toBe(String(view.view.estimatedTokens));
    expect(meter.getAttribute('aria-valuemax')).toBe('400');
    expect(within(prompt).getByText(`${view.view.estimatedTokens} / 400 est. tokens`)).toBeTruthy();
  });

  it('opens a dropped range to show its messages greyed', async () => {
    const user = userEvent.setup();
    await renderApp([truncatedRun().events]);
    await selectTurn(6);
    const prompt = promptRegion();
    await user.click(within(prompt).getByText('2 messages dropped'));
    const dropped = within(prompt).getByText('2 messages dropped').closest('details')!;
    expect(dropped.open).toBe(true);
    expect(dropped.querySelectorAll('.prompt-message.is-dropped')).toHaveLength(2);
    expect(within(dropped).getByText('r1')).toBeTruthy();
  });

  it('updates when another turn is selected', async () => {
    await renderApp([truncatedRun().events]);
    await selectTurn(1);
    const prompt = promptRegion();
    expect(within(prompt).getByText('Turn 1 prompt')).toBeTruthy();
    expect(within(prompt).queryByText(/messages? dropped/)).toBeNull();
    expect(within(prompt).queryByText(/shortened:/)).toBeNull();
    expect(within(prompt).getByText('Sent whole; the full trajectory is 20 est. tokens.')).toBeTruthy();
  });

  it('keeps the rows the next turn\'s prompt shares, and starts it at the top', async () => {
    await renderApp([truncatedRun().events]);
    await selectTurn(5);
    const prompt = promptRegion();
    const firstRow = () => within(prompt).getByText('#1').closest('.virtual-row')!;
    const kept = firstRow();
    const scroller = prompt.querySelector<HTMLElement>('[data-virtual-scroller]')!;
    await act(async () => {
      scroller.scrollTop = 60;
      scroller.dispatchEvent(new Event('scroll'));
    });
    await selectTurn(6);
    expect(within(prompt).getByText('Turn 6 prompt')).toBeTruthy();
    expect(firstRow()).toBe(kept);
    expect(scroller.scrollTop).toBe(0);
  });

  it('marks a prompt over budget', async () => {
    // Protected messages alone exceed the budget: nothing can be dropped.
    const run = new RunBuilder('over', [{ role: 'user', content: 'x'.repeat(400) }], { maxContextTokens: 50 }).startTurn();
    await renderApp([run.events]);
    const prompt = promptRegion();
    expect(within(prompt).getByText('110 / 50 est. tokens')).toBeTruthy();
    expect(within(prompt).getByText('over budget')).toBeTruthy();
    const turns = screen.getByRole('region', { name: 'Turns' });
    expect(within(within(turns).getByRole('listitem')).getByText('over budget')).toBeTruthy();
  });

  it('shows the upcoming prompt of a turn paused before its model call', async () => {
    const run = new RunBuilder('paused', [{ role: 'user', content: 'go' }], { maxContextTokens: 1000 });
    const { client } = await renderApp([run.events]);
    await push(client, run.startTurn({ beforeModel: true }).pause('before_model').since(1));
    expect(within(promptRegion()).getByText('Turn 1 prompt (not sent yet)')).toBeTruthy();
  });

  it('toggles the raw request', async () => {
    const user = userEvent.setup();
    await renderApp([truncatedRun().events]);
    const raw = within(promptRegion()).getByRole('button', { name: 'Raw request' });
    expect(raw.getAttribute('aria-pressed')).toBe('false');
    await user.click(raw);
    expect(raw.getAttribute('aria-pressed')).toBe('true');
    expect(within(promptRegion()).getByText('Loading editor…')).toBeTruthy();
  });
});
