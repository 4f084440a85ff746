import { describe, expect, it } from 'vitest';
import { compareText, filterRows, neighbourIndex, nextSort, NO_FILTER, orderRows, sortRows, toolNamesOf, type CollectionFilter } from './collection-order.js';
import { sampleRows, summary } from './test-rows.js';

const rows = sampleRows();

function ids(list: readonly { id: string }[]): string[] {
  return list.map((r) => r.id);
}

function filtered(filter: Partial<CollectionFilter>): string[] {
  return ids(filterRows(rows, { ...NO_FILTER, ...filter }));
}

describe('nextSort', () => {
  it('cycles ascending, descending, off; another column starts ascending', () => {
    const asc = nextSort(null, 'turns');
    expect(asc).toEqual({ column: 'turns', direction: 'ascending' });
    const desc = nextSort(asc, 'turns');
    expect(desc).toEqual({ column: 'turns', direction: 'descending' });
    expect(nextSort(desc, 'turns')).toBeNull();
    expect(nextSort(desc, 'reward')).toEqual({ column: 'reward', direction: 'ascending' });
  });
});

describe('compareText', () => {
  it('reads digit runs by value and ignores case', () => {
    expect(['b', 'a10', 'A2', 'a1', 'a02b', 'a2a', 'a'].sort(compareText)).toEqual(['a', 'a1', 'A2', 'a2a', 'a02b', 'a10', 'b']);
    expect(compareText('Traj-7', 'traj-7')).toBe(0);
    expect(compareText('x9', 'x10')).toBeLessThan(0);
    expect(compareText('x0010', 'x9')).toBeGreaterThan(0);
  });
});

describe('sortRows', () => {
  it('keeps the rows themselves without a sort', () => {
    expect(sortRows(rows, null)).toBe(rows);
  });

  it('sorts numbers both ways, ties in file order both ways', () => {
    expect(ids(sortRows(rows, { column: 'turns', direction: 'ascending' }))).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
    expect(ids(sortRows(rows, { column: 'turns', direction: 'descending' }))).toEqual(['echo', 'bravo', 'alpha', 'charlie', 'delta']);
  });

  it('puts a missing reward or model last in both directions', () => {
    expect(ids(sortRows(rows, { column: 'reward', direction: 'ascending' }))).toEqual(['delta', 'echo', 'alpha', 'bravo', 'charlie']);
    expect(ids(sortRows(rows, { column: 'reward', direction: 'descending' }))).toEqual(['bravo', 'alpha', 'echo', 'delta', 'charlie']);
    expect(ids(sortRows(rows, { column: 'model', direction: 'descending' }))).toEqual(['bravo', 'echo', 'alpha', 'delta', 'charlie']);
  });

  it('sorts text with numbers in it as a person would, ignoring case', () => {
    const named = [summary(0, { id: 'run-10' }), summary(1, { id: 'Run-2' }), summary(2, { id: 'run-1' })];
    expect(ids(sortRows(named, { column: 'id', direction: 'ascending' }))).toEqual(['run-1', 'Run-2', 'run-10']);
  });

  it('sorts finished after unfinished when ascending', () => {
    expect(ids(sortRows(rows, { column: 'finishedNaturally', direction: 'ascending' }))).toEqual(['bravo', 'delta', 'alpha', 'charlie', 'echo']);
  });

  it('does not change the rows it is given', () => {
    const before = ids(rows);
    sortRows(rows, { column: 'turns', direction: 'descending' });
    expect(ids(rows)).toEqual(before);
  });
});

describe('filterRows', () => {
  it('keeps the rows themselves when nothing is filtered', () => {
    expect(filterRows(rows, NO_FILTER)).toBe(rows);
    expect(filterRows(rows, { ...NO_FILTER, text: '   ' })).toBe(rows);
  });

  it('errors only keeps trajectories with a failed tool call', () => {
    expect(filtered({ errorsOnly: true })).toEqual(['bravo', 'charlie']);
  });

  it('unfinished keeps trajectories that did not finish naturally', () => {
    expect(filtered({ unfinishedOnly: true })).toEqual(['bravo', 'delta']);
  });

  it('tool keeps trajectories that called it', () => {
    expect(filtered({ tool: 'terminal' })).toEqual(['bravo', 'echo']);
  });

  it('text matches id, model and the first user message, case-insensitively', () => {
    expect(filtered({ text: 'CHAR' })).toEqual(['charlie']);
    expect(filtered({ text: 'llama' })).toEqual(['bravo', 'echo']);
    expect(filtered({ text: ' the ' })).toEqual(['alpha', 'bravo', 'charlie', 'echo']);
    expect(filtered({ text: 'nothing like this' })).toEqual([]);
  });

  it('the full-text answer adds message matches to the id and model match', () => {
    // Searching an id or a model name the messages never mention still finds its rows.
    expect(filtered({ text: 'charlie', textMatches: new Set() })).toEqual(['charlie']);
    expect(filtered({ text: 'llama', textMatches: new Set([0]) })).toEqual(['alpha', 'bravo', 'echo']);
  });

  it('the full-text answer decides the text match, with the other filters', () => {
    const textMatches = new Set([1, 3, 4]);
    expect(filtered({ text: 'hello', textMatches })).toEqual(['bravo', 'delta', 'echo']);
    expect(filtered({ text: 'hello', textMatches, errorsOnly: true })).toEqual(['bravo']);
    expect(filtered({ textMatches: new Set() })).toEqual([]);
  });

  it('combines every filter', () => {
    expect(filtered({ unfinishedOnly: true, tool: 'read_file', text: 'deploy' })).toEqual(['bravo']);
    expect(filtered({ errorsOnly: true, tool: 'terminal', unfinishedOnly: true })).toEqual(['bravo']);
  });
});

describe('orderRows', () => {
  it('sorts, then filters', () => {
    expect(ids(orderRows(rows, { column: 'toolCalls', direction: 'descending' }, { ...NO_FILTER, tool: 'read_file' }))).toEqual(['bravo', 'alpha']);
  });
});

describe('toolNamesOf', () => {
  it('lists every tool called, once, sorted', () => {
    expect(toolNamesOf(rows)).toEqual(['read_file', 'terminal', 'web_search']);
    expect(toolNamesOf([])).toEqual([]);
  });
});

describe('neighbourIndex', () => {
  const order = [4, 1, 0];

  it('steps through the order and stops at either end', () => {
    expect(neighbourIndex(order, 1, 1)).toBe(0);
    expect(neighbourIndex(order, 1, -1)).toBe(4);
    expect(neighbourIndex(order, 0, 1)).toBeNull();
    expect(neighbourIndex(order, 4, -1)).toBeNull();
  });

  it('starts at the first, or going back the last, with nothing open', () => {
    expect(neighbourIndex(order, null, 1)).toBe(4);
    expect(neighbourIndex(order, null, -1)).toBe(0);
    expect(neighbourIndex([], null, 1)).toBeNull();
    expect(neighbourIndex([], 3, -1)).toBeNull();
  });

  it('places a filtered-out trajectory by the full order', () => {
    const full = [4, 2, 1, 3, 0];
    expect(neighbourIndex(order, 3, 1, full)).toBe(0);
    expect(neighbourIndex(order, 3, -1, full)).toBe(1);
    expect(neighbourIndex(order, 2, -1, full)).toBe(4);
    expect(neighbourIndex([4, 1], 3, 1, full)).toBeNull();
    // Without the full order (or unknown there), it starts from an end.
    expect(neighbourIndex(order, 3, 1)).toBe(4);
    expect(neighbourIndex(order, 9, -1, full)).toBe(0);
  });
});
