import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiResult, OpenedSet } from '#shared/api/contract.js';
import type { SetCharts } from '#shared/api/rollout-set.js';
import { FakeClient } from '../api/fake-client.js';
import { openedSet, rolloutRow, setCharts } from '../test/rollout-set.js';
import { SET_PAGE, SET_POLL_MS } from './sets-slice.js';
import { resetStore, useStore } from './store.js';

/** A reply the test settles when it chooses, to make answers land in any order. */
interface Pending<T> {
  params: unknown;
  resolve(value: T): void;
  reject(error: Error): void;
}

function pendingReplies<T>(): { pending: Array<Pending<T>>; reply: (params: unknown) => Promise<T> } {
  const pending: Array<Pending<T>> = [];
  return { pending, reply: (params) => new Promise<T>((resolve, reject) => pending.push({ params, resolve, reject })) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A store connected to a fake engine with set `s1` open and on show (its status poll stopped unless asked). */
async function shown(rollouts = 3, options: { watch?: boolean } = {}): Promise<FakeClient> {
  const client = new FakeClient();
  client.replies['set.query'] = ({ where = '', limit = SET_PAGE }) => {
    if (where.includes('rewrd')) throw new Error('Binder Error: Referenced column "rewrd" not found');
    const all = Array.from({ length: rollouts }, (_, i) => rolloutRow(i));
    return { rows: all.slice(0, limit), total: all.length };
  };
  client.replies['set.charts'] = () => setCharts(rollouts);
  client.replies['set.status'] = () => openedSet(rollouts);
  client.replies['set.close'] = () => ({});
  await useStore.getState().connect(client);
  useStore.getState().receiveSet(openedSet(rollouts));
  const stop = useStore.getState().startWatching('s1');
  if (!options.watch) stop();
  await tick();
  return client;
}

const view = () => useStore.getState().setViews.s1!;

describe('sets slice', () => {
  afterEach(() => vi.useRealTimers());

  it('shows a set’s first page of rows and its charts', async () => {
    const client = await shown(3);
    expect(client.callsOf('set.query')).toEqual([{ setId: 's1', where: '', search: '', descending: false, limit: SET_PAGE }]);
    expect(client.callsOf('set.charts')).toEqual([{ setId: 's1', where: '', search: '' }]);
    expect(view()).toMatchObject({ total: 3, filterError: null, charts: setCharts(3), seen: 3 });
    expect(view().rows.map((r) => r.rid)).toEqual([0, 1, 2]);
  });

  it('keeps the last good rows when a filter is bad, and says why', async () => {
    const client = await shown(3);
    client.replies['set.query'] = () => ({ rows: [rolloutRow(1)], total: 1 });
    await useStore.getState().filterRollouts('s1', { where: 'reward < 0.5', search: '' });
    expect(view()).toMatchObject({ total: 1, filterError: null });
    client.replies['set.query'] = () => Promise.reject(new Error('Binder Error: Referenced column "rewrd" not found'));
    await useStore.getState().filterRollouts('s1', { where: 'rewrd < 0.5', search: '' });
    expect(view().filterError).toBe('Binder Error: Referenced column "rewrd" not found');
    expect(view().rows.map((r) => r.rid)).toEqual([1]);
    expect(view().total).toBe(1);
    client.replies['set.query'] = () => ({ rows: [rolloutRow(2)], total: 1 });
    await useStore.getState().filterRollouts('s1', { where: 'reward < 0.6', search: '' });
    expect(view().filterError).toBeNull();
  });

  it('never lets an earlier query that answers late overwrite a later one', async () => {
    const client = await shown(3);
    const queries = pendingReplies<ApiResult<'set.query'>>();
    client.replies['set.query'] = queries.reply;
    const older = useStore.getState().filterRollouts('s1', { where: 'turns > 1', search: '' });
    const newer = useStore.getState().filterRollouts('s1', { where: 'turns > 2', search: '' });
    const [first, second] = queries.pending;
    second!.resolve({ rows: [rolloutRow(2)], total: 1 });
    await newer;
    first!.resolve({ rows: [rolloutRow(0), rolloutRow(1), rolloutRow(2)], total: 3 });
    await older;
    expect(view().rows.map((r) => r.rid)).toEqual([2]);
    expect(view().total).toBe(1);
    // Nor may an earlier failure: the later filter worked.
    const third = useStore.getState().filterRollouts('s1', { where: 'rewrd > 1', search: '' });
    const fourth = useStore.getState().filterRollouts('s1', { where: 'reward > 0', search: '' });
    queries.pending[3]!.resolve({ rows: [rolloutRow(1)], total: 1 });
    await fourth;
    queries.pending[2]!.reject(new Error('Binder Error'));
    await third;
    expect(view()).toMatchObject({ filterError: null, total: 1 });
  });

  it('never lets earlier charts that answer late replace the charts of a later filter', async () => {
    const client = await shown(3);
    const answers = pendingReplies<SetCharts>();
    client.replies['set.charts'] = answers.reply;
    const older = useStore.getState().filterRollouts('s1', { where: 'turns > 1', search: '' });
    const newer = useStore.getState().filterRollouts('s1', { where: 'turns > 2', search: 'fix' });
    expect(answers.pending.map((p) => p.params)).toEqual([
      { setId: 's1', where: 'turns > 1', search: '' },
      { setId: 's1', where: 'turns > 2', search: 'fix' },
    ]);
    answers.pending[1]!.resolve(setCharts(1));
    await newer;
    answers.pending[0]!.resolve(setCharts(2));
    await older;
    expect(view().charts).toEqual(setCharts(1));
  });

  it('asks for the rows and charts of its filter again as the set grows, and counts what arrived', async () => {
    const client = await shown(3);
    await useStore.getState().filterRollouts('s1', { where: 'turns > 1', search: '' });
    await useStore.getState().sortRollouts('s1', 'reward');
    const before = { query: client.callsOf('set.query').length, charts: client.callsOf('set.charts').length };
    // The same status again changes nothing.
    useStore.getState().receiveSet(openedSet(3));
    expect(client.callsOf('set.query')).toHaveLength(before.query);
    useStore.getState().receiveSet(openedSet(5));
    await tick();
    expect(client.callsOf('set.query').slice(before.query)).toEqual([{ setId: 's1', where: 'turns > 1', search: '', orderBy: 'reward', descending: true, limit: SET_PAGE }]);
    expect(client.callsOf('set.charts').slice(before.charts)).toEqual([{ setId: 's1', where: 'turns > 1', search: '' }]);
    expect(useStore.getState().sets.s1!.status.rollouts - view().seen!).toBe(2);
  });

  it('counts arrivals from when the set was first shown indexed', async () => {
    const client = new FakeClient();
    client.replies['set.query'] = () => ({ rows: [], total: 0 });
    client.replies['set.charts'] = () => setCharts(0);
    await useStore.getState().connect(client);
    useStore.getState().receiveSet(openedSet(10, { indexing: true }));
    useStore.getState().startWatching('s1')();
    expect(view().seen).toBeNull();
    useStore.getState().receiveSet(openedSet(40, { indexing: false }));
    useStore.getState().receiveSet(openedSet(45, { indexing: false }));
    expect(view().seen).toBe(40);
  });

  it('sorts by a column, flipping the direction on a second click, and shows more rows a page at a time', async () => {
    const client = await shown(500);
    await useStore.getState().sortRollouts('s1', 'turns');
    expect(view().query).toMatchObject({ orderBy: 'turns', descending: false });
    await useStore.getState().sortRollouts('s1', 'turns');
    expect(view().query).toMatchObject({ orderBy: 'turns', descending: true });
    await useStore.getState().sortRollouts('s1', 'tool_errors');
    expect(view().query).toMatchObject({ orderBy: 'tool_errors', descending: true });
    await useStore.getState().showMoreRollouts('s1');
    expect(client.callsOf('set.query').at(-1)).toMatchObject({ limit: 2 * SET_PAGE, orderBy: 'tool_errors' });
    expect(view().rows).toHaveLength(2 * SET_PAGE);
    // A new filter starts from the first page again.
    await useStore.getState().filterRollouts('s1', { where: 'turns > 1', search: '' });
    expect(client.callsOf('set.query').at(-1)).toMatchObject({ limit: SET_PAGE, where: 'turns > 1' });
  });

  it('polls the status while the set is shown, and stops when the panel goes', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const client = await shown(3, { watch: false });
    const stop = useStore.getState().startWatching('s1');
    client.replies['set.status'] = () => openedSet(7, { shards: [] });
    vi.advanceTimersByTime(SET_POLL_MS);
    await tick();
    expect(client.callsOf('set.status')).toHaveLength(1);
    expect(useStore.getState().sets.s1!.status.rollouts).toBe(7);
    expect(view().watcher).not.toBeNull();
    stop();
    expect(view().watcher).toBeNull();
    vi.advanceTimersByTime(5 * SET_POLL_MS);
    await tick();
    expect(client.callsOf('set.status')).toHaveLength(1);
  });

  it('asks for the status once at a time however slow the engine is', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const client = await shown(3);
    const statuses = pendingReplies<OpenedSet>();
    client.replies['set.status'] = statuses.reply;
    const stop = useStore.getState().startWatching('s1');
    vi.advanceTimersByTime(3 * SET_POLL_MS);
    expect(client.callsOf('set.status')).toHaveLength(1);
    statuses.pending[0]!.resolve(openedSet(3));
    await tick();
    vi.advanceTimersByTime(SET_POLL_MS);
    expect(client.callsOf('set.status')).toHaveLength(2);
    stop();
  });

  it('stops polling a set once it is closed, and a status on its way does not bring it back', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const client = await shown(3);
    const statuses = pendingReplies<OpenedSet>();
    client.replies['set.status'] = statuses.reply;
    useStore.getState().startWatching('s1');
    vi.advanceTimersByTime(SET_POLL_MS);
    expect(client.callsOf('set.status')).toHaveLength(1);
    await useStore.getState().closeSet('s1');
    statuses.pending[0]!.resolve(openedSet(4));
    await tick();
    expect(useStore.getState().sets).toEqual({});
    expect(useStore.getState().setViews).toEqual({});
    vi.advanceTimersByTime(5 * SET_POLL_MS);
    expect(client.callsOf('set.status')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets set views, answers in flight and polls with a store reset', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const client = new FakeClient();
    const queries = pendingReplies<ApiResult<'set.query'>>();
    client.replies['set.query'] = queries.reply;
    client.replies['set.charts'] = () => setCharts(3);
    const show = async () => {
      await useStore.getState().connect(client);
      useStore.getState().receiveSet(openedSet(3));
      useStore.getState().startWatching('s1');
    };
    await show();
    resetStore();
    expect(useStore.getState().setViews).toEqual({});
    // The same set shown again after the reset, asking the same first query: the old answer must not pass for the new one's.
    await show();
    expect(queries.pending[1]!.params).toEqual(queries.pending[0]!.params);
    queries.pending[0]!.resolve({ rows: [rolloutRow(8)], total: 8 });
    await tick();
    expect(view().total).toBe(0);
    queries.pending[1]!.resolve({ rows: [rolloutRow(1)], total: 1 });
    await tick();
    expect(view().total).toBe(1);
    // The poll started before the reset ends at its next tick; the one started after goes on.
    vi.advanceTimersByTime(SET_POLL_MS);
    expect(vi.getTimerCount()).toBe(1);
    resetStore();
    vi.advanceTimersByTime(SET_POLL_MS);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('exports the filtered, sorted rollouts and says what was written, or why not', async () => {
    const client = await shown(3);
    await useStore.getState().filterRollouts('s1', { where: 'reward < 0.5', search: 'fix' });
    await useStore.getState().sortRollouts('s1', 'reward');
    const writes = pendingReplies<ApiResult<'set.export'>>();
    client.replies['set.export'] = writes.reply;
    const done = useStore.getState().exportSet('s1', 'sharegpt', '/tmp/out.jsonl');
    expect(view().exportMessage).toBe('Exporting…');
    expect(client.callsOf('set.export')).toEqual([{ setId: 's1', where: 'reward < 0.5', search: 'fix', orderBy: 'reward', descending: true, format: 'sharegpt', path: '/tmp/out.jsonl' }]);
    writes.pending[0]!.resolve({ path: '/tmp/out.jsonl', trajectories: 1234, bytes: 5678901 });
    await done;
    expect(view().exportMessage).toBe('Wrote 1,234 rollouts (5,678,901 bytes) to /tmp/out.jsonl');
    client.replies['set.export'] = () => Promise.reject(new Error('EACCES: permission denied'));
    await useStore.getState().exportSet('s1', 'openai-jsonl', '/root/out.jsonl');
    expect(view().exportMessage).toBe('Export failed: EACCES: permission denied');
  });
});
