import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClient } from '../../api/fake-client.js';
import { SET_POLL_MS } from '../../store/sets-slice.js';
import { useStore } from '../../store/store.js';
import { openedSet, rolloutRow, setCharts } from '../../test/rollout-set.js';
import { SetPanel } from './set-panel.js';

/** The panel on a fake engine with set `s1` of `rollouts` rows open; a filter naming `rewrd` fails as DuckDB's would. */
async function renderPanel(rollouts: number): Promise<{ client: FakeClient; unmount: () => void }> {
  const client = new FakeClient();
  const all = () => Array.from({ length: rollouts }, (_, i) => rolloutRow(i));
  client.replies['set.list'] = () => ({ sets: [openedSet(rollouts)] });
  client.replies['set.status'] = () => openedSet(rollouts);
  client.replies['set.query'] = ({ where = '' }) => {
    if (where.includes('rewrd')) throw new Error('Binder Error: Referenced column "rewrd" not found');
    const rows = where ? all().slice(0, 1) : all();
    return { rows, total: rows.length };
  };
  client.replies['set.charts'] = () => setCharts(rollouts);
  const { unmount } = render(<SetPanel />);
  await act(() => useStore.getState().connect(client));
  await act(async () => undefined);
  return { client, unmount };
}

const panel = () => screen.getByRole('region', { name: 'Rollout set' });

describe('Set panel', () => {
  afterEach(() => vi.useRealTimers());

  it('filters through the store: a bad filter shows its error and keeps the last good rows', async () => {
    const user = userEvent.setup();
    await renderPanel(3);
    expect(within(panel()).getByText('Showing 3 of 3 matching rollouts')).toBeTruthy();
    await user.type(within(panel()).getByLabelText('SQL filter'), 'reward < 0.5');
    await user.click(within(panel()).getByRole('button', { name: 'Apply filter' }));
    expect(within(panel()).getByText('Showing 1 of 1 matching rollouts')).toBeTruthy();
    await user.clear(within(panel()).getByLabelText('SQL filter'));
    await user.type(within(panel()).getByLabelText('SQL filter'), 'rewrd < 0.5');
    await user.click(within(panel()).getByRole('button', { name: 'Apply filter' }));
    expect(within(panel()).getByRole('alert', { name: 'Filter error' }).textContent).toContain('rewrd');
    expect(within(panel()).getByText('Showing 1 of 1 matching rollouts')).toBeTruthy();
  });

  it('says the rows are being updated until a filter is answered, and shows the answer then', async () => {
    const user = userEvent.setup();
    const { client } = await renderPanel(3);
    let answer: () => void = () => undefined;
    client.replies['set.query'] = () => new Promise((resolve) => (answer = () => resolve({ rows: [rolloutRow(2)], total: 1 })));
    await user.type(within(panel()).getByLabelText('SQL filter'), 'reward < 0.5');
    await user.click(within(panel()).getByRole('button', { name: 'Apply filter' }));
    const count = within(panel()).getByText(/^Showing 3 of 3 matching rollouts/);
    expect(count.textContent).toBe('Showing 3 of 3 matching rollouts · updating…');
    expect(count.getAttribute('aria-busy')).toBe('true');
    await act(async () => answer());
    expect(within(panel()).getByText(/^Showing 1 of 1/).textContent).toBe('Showing 1 of 1 matching rollouts');
    expect(within(panel()).getByText(/^Showing 1 of 1/).getAttribute('aria-busy')).toBe('false');
  });

  it('says when indexing stopped short, and why', async () => {
    const { client } = await renderPanel(3);
    client.replies['set.status'] = () => openedSet(3, { error: 'No space left on device' });
    await act(() => useStore.getState().pollStatus('s1'));
    expect(within(panel()).getByRole('alert').textContent).toBe('Indexing stopped: No space left on device. The rollouts indexed so far stay.');
    expect(within(panel()).getByRole('status').textContent).toBe('Indexing stopped, tried again at the next look');
  });

  it('polls the set’s status while shown, counts the rows that arrive, and stops polling when it goes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { client, unmount } = await renderPanel(3);
    client.replies['set.status'] = () => openedSet(5);
    await act(async () => vi.advanceTimersByTime(SET_POLL_MS));
    expect(within(panel()).getByRole('heading', { level: 2 }).textContent).toBe('rollouts: 5 rollouts in 0 shards');
    expect(within(panel()).getByText(/2 new rows arrived/)).toBeTruthy();
    const polls = client.callsOf('set.status').length;
    unmount();
    vi.advanceTimersByTime(5 * SET_POLL_MS);
    expect(client.callsOf('set.status')).toHaveLength(polls);
    expect(vi.getTimerCount()).toBe(0);
  });
});
