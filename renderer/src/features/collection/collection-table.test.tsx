import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import { CollectionTable, type CollectionTableProps } from './collection-table.js';
import { TEXT_SEARCH_DEBOUNCE_MS } from './use-text-search.js';
import { sampleRows, summary } from './test-rows.js';

/** The table with the open trajectory held as the app would: opening one selects it. */
function Harness({ onOpen, initialSelected = null, ...props }: Partial<CollectionTableProps> & { initialSelected?: number | null }) {
  const [selected, setSelected] = useState<number | null>(initialSelected);
  return (
    <CollectionTable
      fileName="runs.jsonl"
      rows={sampleRows()}
      textMatches={null}
      onTextSearch={() => undefined}
      selectedIndex={selected}
      onOpen={(index) => {
        setSelected(index);
        onOpen?.(index);
      }}
      {...props}
    />
  );
}

function setup(props: Partial<CollectionTableProps> & { initialSelected?: number | null } = {}) {
  const user = userEvent.setup();
  const onOpen = vi.fn<(index: number) => void>();
  const view = render(<Harness onOpen={onOpen} {...props} />);
  return { user, onOpen, view };
}

function grid() {
  return screen.getByRole('grid', { name: 'Trajectories in runs.jsonl' });
}

/** The data rows shown (the header row is the grid's first row). */
function bodyRows(): HTMLElement[] {
  return within(grid())
    .getAllByRole('row')
    .filter((row) => within(row).queryAllByRole('gridcell').length > 0);
}

/** The ID column of the shown rows, top to bottom. */
function shownIds(): string[] {
  return bodyRows().map((row) => within(row).getAllByRole('gridcell')[1]!.textContent!);
}

function rowOf(id: string): HTMLElement {
  return bodyRows().find((row) => within(row).getAllByRole('gridcell')[1]!.textContent === id)!;
}

function header(name: string): HTMLElement {
  return screen.getByRole('columnheader', { name });
}

function status(): string {
  return screen.getByRole('status').textContent!;
}

/**
 * happy-dom does no layout, so nothing scrolls: give virtual scrollers a scroll height, and make
 * scrollTo move scrollTop and fire "scroll", as a browser does. Returns the undo.
 */
function letGridsScroll(): () => void {
  const proto = HTMLElement.prototype;
  const saved = (['scrollHeight', 'scrollTop', 'scrollTo'] as const).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const);
  const offsets = new WeakMap<Element, number>();
  const isScroller = (element: HTMLElement) => element.hasAttribute('data-virtual-scroller');
  Object.defineProperty(proto, 'scrollHeight', { configurable: true, get: () => 10_000_000 });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return offsets.get(this) ?? 0;
    },
    set(this: HTMLElement, value: number) {
      offsets.set(this, value);
    },
  });
  Object.defineProperty(proto, 'scrollTo', {
    configurable: true,
    value(this: HTMLElement, options: ScrollToOptions) {
      if (!isScroller(this) || options.top === undefined) return;
      offsets.set(this, options.top);
      this.dispatchEvent(new Event('scroll'));
    },
  });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
  };
}

describe('CollectionTable', () => {
  it('shows one row per trajectory under named column headers', () => {
    setup();
    expect(within(grid()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['#', 'ID', 'Model', 'Turns', 'Tool calls', 'Failed calls', 'Finished', 'Reward', 'First user message']);
    expect(shownIds()).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(within(rowOf('bravo')).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['1', 'bravo', 'llama-70b', '5', '4', '2', 'no', '1', 'Deploy the service']);
    // No model and no reward read as blank cells.
    expect(within(rowOf('charlie')).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['2', 'charlie', '', '3', '1', '1', 'yes', '', 'Search the docs']);
    expect(grid().getAttribute('aria-rowcount')).toBe('6');
    expect(status()).toBe('5 of 5 trajectories');
  });

  it('sorts by a header: ascending, descending, then file order, ties kept in file order', async () => {
    const { user } = setup();
    const turns = header('Turns');
    expect(turns.getAttribute('aria-sort')).toBeNull();
    await user.click(within(turns).getByRole('button', { name: 'Turns' }));
    expect(turns.getAttribute('aria-sort')).toBe('ascending');
    expect(shownIds()).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    await user.click(within(turns).getByRole('button', { name: 'Turns' }));
    expect(turns.getAttribute('aria-sort')).toBe('descending');
    expect(shownIds()).toEqual(['echo', 'bravo', 'alpha', 'charlie', 'delta']);
    await user.click(within(turns).getByRole('button', { name: 'Turns' }));
    expect(turns.getAttribute('aria-sort')).toBeNull();
    expect(shownIds()).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('shows the recorded stop reason as the Finished cell\'s tooltip', () => {
    const rows = sampleRows();
    rows[1] = { ...rows[1]!, stopReason: 'exit_context' };
    setup({ rows });
    const cells = (id: string) => within(rowOf(id)).getAllByRole('gridcell');
    expect(cells('bravo')[6]!.getAttribute('title')).toBe('no (stop reason: exit_context)');
    expect(cells('alpha')[6]!.getAttribute('title')).toBe('yes');
  });

  it('sorts by one column at a time', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('button', { name: 'Turns' }));
    await user.click(screen.getByRole('button', { name: 'Reward' }));
    expect(header('Turns').getAttribute('aria-sort')).toBeNull();
    expect(header('Reward').getAttribute('aria-sort')).toBe('ascending');
    expect(shownIds()).toEqual(['delta', 'echo', 'alpha', 'bravo', 'charlie']);
  });

  it('"Errors only" keeps trajectories with a failed tool call', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(shownIds()).toEqual(['bravo', 'charlie']);
    expect(status()).toBe('2 of 5 trajectories');
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(status()).toBe('5 of 5 trajectories');
  });

  it('"Unfinished" keeps trajectories that did not finish naturally', async () => {
    const { user } = setup();
    await user.click(screen.getByRole('checkbox', { name: 'Unfinished' }));
    expect(shownIds()).toEqual(['bravo', 'delta']);
    expect(status()).toBe('2 of 5 trajectories');
  });

  it('"Tool" lists every tool called and keeps the trajectories that called it', async () => {
    const { user } = setup();
    const tool = screen.getByRole('combobox', { name: 'Tool' });
    expect(within(tool).getAllByRole('option').map((o) => o.textContent)).toEqual(['Any tool', 'read_file', 'terminal', 'web_search']);
    await user.selectOptions(tool, 'terminal');
    expect(shownIds()).toEqual(['bravo', 'echo']);
    await user.click(screen.getByRole('checkbox', { name: 'Unfinished' }));
    expect(shownIds()).toEqual(['bravo']);
    expect(status()).toBe('1 of 5 trajectories');
    await user.selectOptions(tool, 'Any tool');
    expect(shownIds()).toEqual(['bravo', 'delta']);
  });

  it('lists the tools of rows added while the file is indexed', () => {
    const rows = sampleRows();
    const { view } = setup({ rows: rows.slice(0, 1) });
    expect(status()).toBe('1 of 1 trajectory');
    expect(within(screen.getByRole('combobox', { name: 'Tool' })).getAllByRole('option')).toHaveLength(2);
    view.rerender(<Harness rows={rows} />);
    expect(status()).toBe('5 of 5 trajectories');
    expect(within(screen.getByRole('combobox', { name: 'Tool' })).getAllByRole('option')).toHaveLength(4);
  });

  it('"Search" matches id, model and the first message at once, then asks for the full-text search', async () => {
    const onTextSearch = vi.fn<(text: string) => void>();
    const { user } = setup({ onTextSearch });
    const search = screen.getByRole('searchbox', { name: 'Search' });
    await user.type(search, 'LLAMA');
    expect(shownIds()).toEqual(['bravo', 'echo']);
    expect(status()).toBe('2 of 5 trajectories');
    expect(onTextSearch).not.toHaveBeenCalled();
    await waitFor(() => expect(onTextSearch).toHaveBeenCalledWith('LLAMA'));
    // One search after typing pauses, not one per key.
    expect(onTextSearch).toHaveBeenCalledTimes(1);
    await user.clear(search);
    expect(onTextSearch).toHaveBeenLastCalledWith('');
    expect(status()).toBe('5 of 5 trajectories');
  });

  it('waits for typing to pause before the full-text search', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const onTextSearch = vi.fn<(text: string) => void>();
      render(<Harness onTextSearch={onTextSearch} />);
      const search = screen.getByRole('searchbox', { name: 'Search' });
      fireEvent.change(search, { target: { value: 'de' } });
      act(() => vi.advanceTimersByTime(TEXT_SEARCH_DEBOUNCE_MS - 50));
      fireEvent.change(search, { target: { value: 'dep' } });
      act(() => vi.advanceTimersByTime(TEXT_SEARCH_DEBOUNCE_MS - 1));
      expect(onTextSearch).not.toHaveBeenCalled();
      act(() => vi.advanceTimersByTime(1));
      expect(onTextSearch).toHaveBeenCalledExactlyOnceWith('dep');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows the full-text answer together with the other filters', async () => {
    const rows = sampleRows();
    let search = '';
    const { user, view } = setup({ rows, onTextSearch: (text) => (search = text) });
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'hello');
    expect(shownIds()).toEqual(['delta']);
    await waitFor(() => expect(search).toBe('hello'));
    // The answer finds the text deeper in the trajectories than the table can see.
    view.rerender(<Harness rows={rows} textMatches={new Set([1, 3, 4])} />);
    expect(shownIds()).toEqual(['bravo', 'delta', 'echo']);
    expect(status()).toBe('3 of 5 trajectories');
    await user.click(screen.getByRole('checkbox', { name: 'Unfinished' }));
    expect(shownIds()).toEqual(['bravo', 'delta']);
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(shownIds()).toEqual(['bravo']);
    expect(status()).toBe('1 of 5 trajectories');
  });

  it('keeps only rows in a full-text answer given with no text typed', () => {
    setup({ textMatches: new Set([0, 4]) });
    expect(shownIds()).toEqual(['alpha', 'echo']);
    expect(status()).toBe('2 of 5 trajectories');
  });

  it('matches locally again while the next full-text answer is pending', async () => {
    const rows = sampleRows();
    const { user, view } = setup({ rows });
    const search = screen.getByRole('searchbox', { name: 'Search' });
    await user.type(search, 'the');
    await waitFor(() => expect(status()).toBe('4 of 5 trajectories'));
    const answer = new Set([0, 1, 2, 4]);
    await act(() => new Promise((resolve) => setTimeout(resolve, TEXT_SEARCH_DEBOUNCE_MS + 20)));
    view.rerender(<Harness rows={rows} textMatches={answer} />);
    expect(shownIds()).toEqual(['alpha', 'bravo', 'charlie', 'echo']);
    // A narrower text shows its local matches at once, not the previous answer.
    await user.type(search, ' docs');
    expect(shownIds()).toEqual(['charlie']);
  });

  it('opens a trajectory on click and marks it selected', async () => {
    const { user, onOpen } = setup();
    await user.click(within(rowOf('charlie')).getByText('Search the docs'));
    expect(onOpen).toHaveBeenLastCalledWith(2);
    expect(rowOf('charlie').getAttribute('aria-selected')).toBe('true');
    expect(rowOf('alpha').getAttribute('aria-selected')).toBe('false');
    expect(bodyRows().filter((r) => r.getAttribute('aria-selected') === 'true')).toHaveLength(1);
  });

  it('moves between rows with the arrow keys and opens one with Enter', async () => {
    const { user, onOpen } = setup({ initialSelected: 1 });
    // The open trajectory's row is the grid's tab stop.
    expect(bodyRows().filter((r) => r.tabIndex === 0)).toEqual([rowOf('bravo')]);
    // From the header, Arrow Down enters the rows at the open trajectory.
    act(() => screen.getByRole('button', { name: '#' }).focus());
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rowOf('bravo'));
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(rowOf('delta'));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(rowOf('charlie'));
    expect(onOpen).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenLastCalledWith(2);
    expect(rowOf('charlie').getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(rowOf('echo'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(rowOf('alpha'));
  });

  it('H and L open the previous and next trajectory as sorted and filtered', async () => {
    const { user, onOpen } = setup({ initialSelected: 4 });
    await user.click(screen.getByRole('button', { name: 'Reward' }));
    await user.click(screen.getByRole('button', { name: 'Reward' }));
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    // Reward descending: bravo 1, alpha 0.5, echo 0.25, delta 0, charlie (none).
    expect(shownIds()).toEqual(['bravo', 'alpha', 'echo', 'delta', 'charlie']);
    await user.keyboard('L');
    expect(onOpen).toHaveBeenLastCalledWith(3);
    await user.keyboard('H');
    await user.keyboard('H');
    expect(onOpen).toHaveBeenLastCalledWith(0);
    // Under "Unfinished", the next after alpha (filtered out) in reward order is delta.
    await user.click(screen.getByRole('checkbox', { name: 'Unfinished' }));
    expect(shownIds()).toEqual(['bravo', 'delta']);
    await user.keyboard('l');
    expect(onOpen).toHaveBeenLastCalledWith(3);
    await user.keyboard('h');
    expect(onOpen).toHaveBeenLastCalledWith(1);
    // Nothing before the first.
    onOpen.mockClear();
    await user.keyboard('H');
    expect(onOpen).not.toHaveBeenCalled();
  });

  it('steps from the trajectory last asked for while it is still loading, not from the one shown', async () => {
    // The app moves the selection only once the trajectory has loaded: until then the table
    // still shows the old one, and a quick L then H must come back to it, not go one before it.
    const onOpen = vi.fn<(index: number) => void>();
    const user = userEvent.setup();
    const view = render(<CollectionTable fileName="runs.jsonl" rows={sampleRows()} textMatches={null} onTextSearch={() => undefined} selectedIndex={1} onOpen={onOpen} />);
    await user.keyboard('L');
    await user.keyboard('L');
    await user.keyboard('H');
    expect(onOpen.mock.calls.map(([index]) => index)).toEqual([2, 3, 2]);
    // Once a load lands, that is where the keys step from.
    view.rerender(<CollectionTable fileName="runs.jsonl" rows={sampleRows()} textMatches={null} onTextSearch={() => undefined} selectedIndex={4} onOpen={onOpen} />);
    await user.keyboard('H');
    expect(onOpen).toHaveBeenLastCalledWith(3);
  });

  it('ignores H and L while typing in the search box', async () => {
    const { user, onOpen } = setup({ initialSelected: 0 });
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'hl');
    expect(onOpen).not.toHaveBeenCalled();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveProperty('value', 'hl');
  });

  it('reports the order shown, for the app\'s own shortcuts', async () => {
    const onOrderChange = vi.fn<(order: readonly number[]) => void>();
    const { user } = setup({ onOrderChange });
    expect(onOrderChange).toHaveBeenLastCalledWith([0, 1, 2, 3, 4]);
    await user.click(screen.getByRole('button', { name: 'Tool calls' }));
    await user.click(screen.getByRole('checkbox', { name: 'Unfinished' }));
    expect(onOrderChange).toHaveBeenLastCalledWith([3, 1]);
  });

  it('says so when no trajectory matches', async () => {
    const { user } = setup();
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'zzz');
    expect(bodyRows()).toHaveLength(0);
    expect(screen.getByText('No trajectory matches the filters.')).toBeTruthy();
    expect(status()).toBe('0 of 5 trajectories');
  });

  it('renders only the rows in view of 20,000', async () => {
    const rows: TrajectorySummary[] = Array.from({ length: 20_000 }, (_, i) => summary(i, { turns: i % 17, toolErrors: i % 5 === 0 ? 1 : 0, toolNames: [`tool_${i % 40}`] }));
    const { user } = setup({ rows, initialSelected: 0 });
    expect(status()).toBe('20,000 of 20,000 trajectories');
    expect(grid().getAttribute('aria-rowcount')).toBe('20001');
    expect(bodyRows().length).toBeGreaterThan(10);
    expect(bodyRows().length).toBeLessThan(60);
    await user.click(screen.getByRole('button', { name: 'Turns' }));
    expect(bodyRows().length).toBeLessThan(60);
    expect(shownIds().slice(0, 2)).toEqual(['traj-0', 'traj-17']);
    await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
    expect(status()).toBe('4,000 of 20,000 trajectories');
    expect(bodyRows().length).toBeLessThan(60);
    await user.keyboard('L');
    expect(rowOf('traj-85').getAttribute('aria-selected')).toBe('true');
  });

  it('scrolls the open trajectory into view', async () => {
    const restore = letGridsScroll();
    try {
      const rows = Array.from({ length: 20_000 }, (_, i) => summary(i));
      const { user } = setup({ rows, initialSelected: 15_000 });
      await waitFor(() => expect(rowOf('traj-15000')?.getAttribute('aria-selected')).toBe('true'));
      expect(bodyRows().length).toBeLessThan(60);
      await user.keyboard('H');
      expect(rowOf('traj-14999').getAttribute('aria-selected')).toBe('true');
      // Arrow keys far down the list keep the focused row rendered.
      act(() => rowOf('traj-14999').focus());
      await user.keyboard('{End}');
      await waitFor(() => expect(document.activeElement).toBe(rowOf('traj-19999')));
    } finally {
      restore();
    }
  });

  describe('rollout groups', () => {
    const grouped = [
      summary(0, { id: 'a.1', groupId: 'prompt a', groupIndex: 1, reward: 0 }),
      summary(1, { id: 'b.0', groupId: 'prompt b', groupIndex: 0, reward: 1 }),
      summary(2, { id: 'a.0', groupId: 'prompt a', groupIndex: 0, reward: 1, toolErrors: 2 }),
      summary(3, { id: 'b.1', groupId: 'prompt b', groupIndex: 1, reward: 1 }),
      summary(4, { id: 'sub', parentId: 'a.0', forkTurn: 3 }),
    ];

    it('lists the group and the parent as columns', () => {
      setup({ rows: grouped });
      const headers = within(grid()).getAllByRole('columnheader').map((h) => h.textContent);
      expect(headers).toEqual(expect.arrayContaining(['Group', 'Parent']));
      expect(within(rowOf('a.1')).getByText('prompt a · 1')).toBeTruthy();
      expect(within(rowOf('sub')).getByText('a.0 @ turn 3')).toBeTruthy();
    });

    it('shows the rollouts of each prompt side by side with reward and advantage, and opens one', async () => {
      const { user, onOpen } = setup({ rows: grouped });
      await user.click(screen.getByRole('button', { name: 'Groups' }));
      expect(screen.getByRole('button', { name: 'Groups' }).getAttribute('aria-pressed')).toBe('true');
      const a = screen.getByRole('group', { name: /^Group prompt a: 2 rollouts, mean reward 0\.5, spread 0\.5, 2 finished$/ });
      const cards = within(a).getAllByRole('button').map((b) => b.getAttribute('aria-label'));
      expect(cards).toEqual(['a.0 (prompt a): reward 1, advantage +1, 1 turn, 2 failed tool calls', 'a.1 (prompt a): reward 0, advantage -1, 1 turn']);
      // Equal rewards: the group gives no learning signal, and says so.
      const b = screen.getByRole('group', { name: /^Group prompt b: / });
      expect(within(b).getByText('no signal')).toBeTruthy();
      expect(screen.getByRole('status').textContent).toBe('5 of 5 trajectories in 3 groups');
      await user.click(within(a).getByRole('button', { name: /^a\.1 / }));
      expect(onOpen).toHaveBeenLastCalledWith(0);
      // L goes to the next rollout as the groups show them.
      await user.keyboard('L');
      expect(onOpen).toHaveBeenLastCalledWith(1);
    });

    it('orders groups by mean reward and keeps the filters', async () => {
      const { user } = setup({ rows: grouped });
      await user.click(screen.getByRole('button', { name: 'Groups' }));
      await user.selectOptions(screen.getByRole('combobox', { name: 'Order groups by' }), 'mean reward');
      expect(screen.getAllByRole('group', { name: /^Group / }).map((g) => g.getAttribute('aria-label')!.split(':')[0])).toEqual(['Group prompt b', 'Group prompt a', 'Group sub (no group)']);
      await user.click(screen.getByRole('checkbox', { name: 'Errors only' }));
      expect(screen.getAllByRole('group', { name: /^Group / }).map((g) => g.getAttribute('aria-label')!.split(':')[0])).toEqual(['Group prompt a']);
    });

    it('offers no group view for files without groups', () => {
      setup();
      expect(screen.queryByRole('button', { name: 'Groups' })).toBeNull();
    });
  });
});
