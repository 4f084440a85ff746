import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useStore } from '../../store/store.js';
import { errorsRun, truncatedRun } from '../../test/fixtures.js';
import { renderApp } from '../../test/render-app.js';

function metrics() {
  return screen.getByRole('region', { name: 'Metrics' });
}

function counter(label: string): string | null | undefined {
  return within(metrics()).getByText(label).nextElementSibling?.textContent;
}

describe('Metrics', () => {
  it('shows turns used, the end, and the four tool call counters', async () => {
    await renderApp([errorsRun().events]);
    expect(counter('Turns used')).toBe('5');
    expect(counter('Finished naturally')).toBe('yes');
    // The unknown tool is not attempted; the double-encoded arguments are not schema valid.
    expect(counter('Attempted')).toBe('3');
    expect(counter('Schema valid')).toBe('2');
    expect(counter('Executed OK')).toBe('2');
    expect(counter('Exec errors')).toBe('2');
  });

  it('lists tool errors; clicking one jumps to its turn', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    const errors = within(metrics()).getAllByRole('button', { name: /^Turn \d+:/ });
    expect(errors.map((b) => b.textContent)).toEqual(["Turn 2: terminal: command failed", "Turn 3: web_search: Unknown tool 'web_search'"]);
    await user.click(errors[0]!);
    expect(useStore.getState().selectedTurn).toBe(2);
    const current = within(screen.getByRole('region', { name: 'Turns' }))
      .getAllByRole('listitem')
      .find((r) => within(r).getByRole('button').getAttribute('aria-current') === 'true')!;
    expect(within(current).getByText('Turn 2')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Prompt view' })).getByText('Turn 2 prompt')).toBeTruthy();
  });

  it('charts tokens per turn against the budget', async () => {
    await renderApp([truncatedRun().events]);
    const chart = within(metrics()).getByRole('img');
    expect(chart.querySelector('title')?.textContent).toMatch(/^Estimated prompt tokens per turn: peak \d+ against a budget of 400$/);
    expect(chart.querySelector('.budget-line')).toBeTruthy();
    expect(chart.querySelectorAll('circle')).toHaveLength(6);
  });
});
