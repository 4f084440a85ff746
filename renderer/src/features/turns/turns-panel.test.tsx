import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useStore } from '../../store/store.js';
import { errorsRun, failedRun, truncatedRun } from '../../test/fixtures.js';
import { renderApp } from '../../test/render-app.js';

function select(runId: string): Promise<void> {
  useStore.getState().selectRun(runId);
  return useStore.getState().catchUp(runId);
}

function turnsRegion() {
  return screen.getByRole('region', { name: 'Turns' });
}

function rows() {
  return within(turnsRegion()).getAllByRole('listitem');
}

function turnOf(row: HTMLElement): string {
  return within(row).getByText(/^Turn \d+$/).textContent!;
}

function row(turn: number) {
  return rows().find((r) => turnOf(r) === `Turn ${turn}`)!;
}

function currentTurn(): string | undefined {
  const current = rows().find((r) => within(r).getByRole('button').getAttribute('aria-current') === 'true');
  return current && turnOf(current);
}

describe('Turns', () => {
  it('shows one row per turn with its tool names and badges', async () => {
    await renderApp([errorsRun().events]);
    expect(rows()).toHaveLength(5);
    expect(row(1).textContent).toContain('read_file');
    expect(within(row(1)).getByText('has reasoning')).toBeTruthy();
    expect(within(row(2)).getByText('tool error')).toBeTruthy();
    expect(within(row(3)).getByText('unknown tool')).toBeTruthy();
    expect(within(row(4)).getByText('coerced arguments')).toBeTruthy();
    expect(within(row(5)).queryByText(/error|unknown|coerced/)).toBeNull();
    expect(row(5).textContent).toContain('answer');
  });

  it('marks truncated prompts, failed model calls and estimated tokens', async () => {
    await renderApp([truncatedRun().events, failedRun().events]);
    await act(() => select('run-truncated'));
    expect(within(row(1)).queryByText('truncated prompt')).toBeNull();
    expect(within(row(6)).getByText('truncated prompt')).toBeTruthy();
    expect(row(1).textContent).toMatch(/\d+ est\. tokens/);
    await act(() => select('run-failed'));
    expect(within(row(3)).getByText('failed')).toBeTruthy();
  });

  it('selects a turn on click', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    await user.click(within(row(2)).getByRole('button'));
    expect(currentTurn()).toBe('Turn 2');
    expect(row(2).getAttribute('aria-current')).toBe('true');
    expect(row(1).getAttribute('aria-current')).toBeNull();
    expect(useStore.getState().selectedTurn).toBe(2);
    // The row reads as one line: number, tokens, tools, badges.
    expect(row(2).textContent).toMatch(/^Turn 2 \d+ est\. tokens terminal tool error $/);
  });

  it('moves with j, k, gg and G, but not while typing', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    expect(currentTurn()).toBe('Turn 5'); // following the latest turn
    await user.keyboard('k');
    expect(currentTurn()).toBe('Turn 4');
    await user.keyboard('gg');
    expect(currentTurn()).toBe('Turn 1');
    await user.keyboard('jj');
    expect(currentTurn()).toBe('Turn 3');
    await user.keyboard('G');
    expect(currentTurn()).toBe('Turn 5');
    await user.click(screen.getByRole('searchbox', { name: 'Find in trajectory' }));
    await user.keyboard('k');
    expect(useStore.getState().findText).toBe('k');
    expect(useStore.getState().selectedTurn).toBe(5);
  });

  it('"Errors only" keeps the turns with a failed tool call', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(rows().map(turnOf)).toEqual(['Turn 2', 'Turn 3']);
    await user.keyboard('gg');
    expect(currentTurn()).toBe('Turn 2');
    await user.keyboard('j');
    expect(currentTurn()).toBe('Turn 3');
  });

  it('"/" focuses find; it filters the turns and Enter jumps to the next match', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    await user.keyboard('/');
    const find = screen.getByRole('searchbox', { name: 'Find in trajectory' });
    expect(document.activeElement).toBe(find);
    await user.keyboard('.TXT');
    expect(rows().map(turnOf)).toEqual(['Turn 1', 'Turn 4']);
    expect(screen.getByText('2 turns match')).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(currentTurn()).toBe('Turn 1');
    await user.keyboard('{Enter}');
    expect(currentTurn()).toBe('Turn 4');
    await user.keyboard('{Enter}');
    expect(currentTurn()).toBe('Turn 1');
  });

  it('Ctrl+F focuses find too', async () => {
    const user = userEvent.setup();
    await renderApp([errorsRun().events]);
    await user.keyboard('{Control>}f{/Control}');
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Find in trajectory' }));
  });
});
