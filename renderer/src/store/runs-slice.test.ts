import { describe, expect, it, vi } from 'vitest';
import type { ApiResult } from '#shared/api/contract.js';
import { FakeClient } from '../api/fake-client.js';
import type { RunEvent } from '#shared/run/events.js';
import { RunBuilder, toolCall } from '../test/run-builder.js';
import { setFrameScheduler } from './frame.js';
import { runIsLoading } from './loading.js';
import { useStore } from './store.js';

/** Frames run only when the test says so. */
function manualFrames(): { run(): void; pending(): number } {
  const queue: Array<() => void> = [];
  setFrameScheduler((callback) => queue.push(callback));
  return { run: () => queue.splice(0).forEach((f) => f()), pending: () => queue.length };
}

/** Run 'long': `turns` turns of one terminal call and its result each, not finished. */
function longRun(turns: number): RunBuilder {
  const run = new RunBuilder('long', [{ role: 'user', content: 'go' }]);
  for (let i = 1; i <= turns; i++) run.turn({ reply: { content: `turn ${i}`, tool_calls: [toolCall(`c${i}`, 'terminal', '{"command": "ls"}')] }, results: ['ok'] });
  return run;
}

/** The events of run 'long': 300 turns, ended at max_turns (more than a first page). */
function finishedLongRun(): RunEvent[] {
  return longRun(300).finish('max_turns').events;
}

async function connected(run: RunBuilder): Promise<FakeClient> {
  const client = new FakeClient();
  client.addRun(run.events);
  await useStore.getState().connect(client);
  return client;
}

describe('runs slice', () => {
  it('applies the deltas of one frame in one store update', async () => {
    const run = new RunBuilder('r', [{ role: 'user', content: 'go' }]).startTurn();
    const client = await connected(run);
    const frames = manualFrames();
    let updates = 0;
    const unsubscribe = useStore.subscribe(() => updates++);
    const from = run.events.length;
    run.delta({ kind: 'content', text: 'Hel' }).delta({ kind: 'reasoning', text: 'hmm' }).delta({ kind: 'content', text: 'lo' });
    run.delta({ kind: 'tool_call', index: 0, id: 'c1', name: 'read', arguments: '{"pa' }).delta({ kind: 'tool_call', index: 0, arguments: 'th": 1}' });
    for (const event of run.since(from)) client.emit(event);
    expect(updates).toBe(0);
    expect(frames.pending()).toBe(1);
    frames.run();
    expect(updates).toBe(1);
    const view = useStore.getState().runs.r!;
    expect(view.live).toEqual({ turn: 1, content: 'Hello', reasoning: 'hmm', toolCalls: [{ index: 0, id: 'c1', name: 'read', arguments: '{"path": 1}' }] });
    unsubscribe();
  });

  it('bumps a run’s version once per frame, however many events arrived', async () => {
    const run = new RunBuilder('r', [{ role: 'user', content: 'go' }]);
    const client = await connected(run);
    const frames = manualFrames();
    const before = useStore.getState().runs.r!.version;
    const from = run.events.length;
    run.turn({ reply: { content: 'a' } }).turn({ reply: { content: 'b' } });
    for (const event of run.since(from)) client.emit(event);
    frames.run();
    expect(useStore.getState().runs.r!.version).toBe(before + 1);
    expect(useStore.getState().runs.r!.feed.snapshot!.turns).toHaveLength(2);
  });

  it('a recorded reply supersedes what streamed', async () => {
    const run = new RunBuilder('r', [{ role: 'user', content: 'go' }]).startTurn();
    const client = await connected(run);
    const frames = manualFrames();
    const from = run.events.length;
    run.delta({ kind: 'content', text: 'Hi' });
    for (const event of run.since(from)) client.emit(event);
    frames.run();
    expect(useStore.getState().runs.r!.live?.content).toBe('Hi');
    const next = run.events.length;
    // The last delta and the reply arrive within one frame.
    run.delta({ kind: 'content', text: ' there' }).complete({ reply: { content: 'Hi there' } });
    for (const event of run.since(next)) client.emit(event);
    frames.run();
    const view = useStore.getState().runs.r!;
    expect(view.live).toBeNull();
    expect(view.feed.snapshot!.messages.at(-1)).toEqual({ role: 'assistant', content: 'Hi there' });
  });

  it('holds live events of a run joined midway until its catch-up, without duplicates', async () => {
    const client = new FakeClient();
    await useStore.getState().connect(client);
    const run = new RunBuilder('late', [{ role: 'user', content: 'go' }]).turn({ reply: { content: 'one' } });
    client.addRun(run.events);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    client.replies['run.events'] = async ({ runId }) => {
      await gate;
      return { events: run.events.filter((e) => e.runId === runId), complete: true };
    };
    const from = run.events.length;
    run.turn({ reply: { content: 'two' } });
    // The last event of turn 1 and all of turn 2 arrive live while run.events is in flight.
    for (const event of run.events.slice(from - 1)) client.emit(event);
    expect(useStore.getState().runs.late!.feed.snapshot).toBeNull();
    release();
    await useStore.getState().catchUp('late');
    const snapshot = useStore.getState().runs.late!.feed.snapshot!;
    expect(snapshot.turns.map((t) => t.turn)).toEqual([1, 2]);
    expect(snapshot.messages.map((m) => m.content)).toEqual(['go', 'one', 'two']);
    // Selected at the next frame, in one commit with its events.
    await vi.waitFor(() => expect(useStore.getState().selectedRunId).toBe('late'));
  });

  it('catches up a long run a page at a time, holding live events until the last page', async () => {
    const client = new FakeClient();
    await useStore.getState().connect(client);
    const run = longRun(900);
    client.addRun(run.events);
    const pages: number[] = [];
    const paged = client.replies['run.events'];
    client.replies['run.events'] = async (params) => {
      const page = (await (paged ? paged(params) : client.defaultReply('run.events', params))) as { events: RunEvent[]; complete: boolean };
      pages.push(page.events.length);
      // A live event of a later turn arrives while the catch-up is under way.
      if (pages.length === 1) client.emit(run.events.at(-1)!);
      return page;
    };
    await useStore.getState().catchUp('long');
    expect(pages.length).toBeGreaterThan(1);
    const snapshot = useStore.getState().runs.long!.feed.snapshot!;
    expect(snapshot.turns).toHaveLength(900);
    expect(snapshot.lastSeq).toBe(run.events.at(-1)!.seq);
  });

  it('asks for the next page before applying the one it got, and lets the browser in while applying', async () => {
    const client = new FakeClient();
    await useStore.getState().connect(client);
    const run = longRun(3_500);
    client.addRun(run.events);
    const appliedWhenAsked: number[] = [];
    const appliedWhenBrowserRan: number[] = [];
    const paged = client.replies['run.events'];
    client.replies['run.events'] = async (params) => {
      appliedWhenAsked.push(useStore.getState().runs.long!.feed.nextSeq);
      const page = (await (paged ? paged(params) : client.defaultReply('run.events', params))) as { events: RunEvent[]; complete: boolean };
      // Something the browser has to do (a key press, a frame) arrives with the page.
      setTimeout(() => appliedWhenBrowserRan.push(useStore.getState().runs.long!.feed.nextSeq), 0);
      return page;
    };
    await useStore.getState().catchUp('long');
    expect(appliedWhenAsked.length).toBeGreaterThan(2);
    // Page 2 was asked for when page 1 had arrived but none of it was applied yet.
    expect(appliedWhenAsked[1]).toBe(0);
    // A page of thousands of events is applied in slices: what waited ran before the page was in.
    const pageStarts = appliedWhenAsked.slice(1);
    expect(appliedWhenBrowserRan.some((seq, i) => i > 0 && seq > pageStarts[i - 1]! && seq < (pageStarts[i] ?? run.events.length))).toBe(true);
    expect(useStore.getState().runs.long!.feed.snapshot!.turns).toHaveLength(3500);
  });

  it('shows the pages between the first and the last at most every 250 ms, and what arrived when a page fails', async () => {
    const client = new FakeClient();
    await useStore.getState().connect(client);
    const frames = manualFrames();
    const run = longRun(5_000);
    client.addRun(run.events);
    const shown: number[] = [];
    const unsubscribe = useStore.subscribe((s, before) => {
      // A new version of the run with turns in it: a page shown (not the run's empty view made).
      const turns = s.runs.long?.feed.snapshot?.turns.length ?? 0;
      if (turns > 0 && s.runs.long!.version !== before.runs.long?.version) shown.push(turns);
    });
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    try {
      // Pages that come quicker than 250 ms apart: only the first and the last are shown.
      await useStore.getState().catchUp('long');
      frames.run();
      expect(shown).toHaveLength(2);
      expect(shown.at(-1)).toBe(5000);

      /** Loads run 'long' again from nothing; each page comes `ms` after the last, and page `failing` fails. */
      async function load(ms: number, failing = 0): Promise<void> {
        useStore.setState({ runs: {} });
        shown.length = 0;
        let asked = 0;
        client.replies['run.events'] = async (params) => {
          clock += ms;
          if (++asked === failing) throw new Error('the engine went away');
          return client.defaultReply('run.events', params) as ApiResult<'run.events'>;
        };
        const catchingUp = useStore.getState().catchUp('long');
        for (let i = 0; i < 50; i++) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          frames.run();
        }
        await catchingUp;
        frames.run();
      }

      // Pages 300 ms apart: each is shown, at the next frame.
      await load(300);
      expect(shown.length).toBeGreaterThanOrEqual(5);
      expect(shown.at(-1)).toBe(5000);

      // Quick pages, and the fourth fails: the two that came after the first are shown all the same.
      await load(0, 4);
      const feed = useStore.getState().runs.long!.feed;
      expect(feed.catchUp).toBe('needed');
      expect(feed.snapshot!.turns.length).toBeGreaterThan(1000);
      expect(shown.at(-1)).toBe(feed.snapshot!.turns.length);
    } finally {
      now.mockRestore();
      unsubscribe();
      setFrameScheduler();
    }
  });

  it('Cancel of a loading run stops fetching its events, and catching up again goes on from there', async () => {
    const events = finishedLongRun();
    const client = new FakeClient();
    client.addRun(events);
    const release = client.holdLaterPages();
    // Connecting catches up the run it selects: the first page comes, the second is held.
    const connecting = useStore.getState().connect(client);
    await vi.waitFor(() => expect(useStore.getState().runs.long?.feed.snapshot).toBeTruthy());
    const feed = useStore.getState().runs.long!.feed;
    expect(feed.catchUp).toBe('loading');
    await useStore.getState().cancelLoading('long');
    release();
    await connecting;
    expect(feed.catchUp).toBe('cancelled');
    const shown = feed.snapshot!.turns.length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(300);
    expect(runIsLoading(useStore.getState(), 'long')).toBe(false);
    expect(client.callsOf('run.control')).toEqual([]);
    // Nothing more is fetched until asked for again; then it goes on from the last event shown.
    const asked = client.callsOf('run.events').length;
    useStore.getState().flushUpdates();
    expect(client.callsOf('run.events')).toHaveLength(asked);
    const resumeFrom = feed.nextSeq;
    await useStore.getState().catchUp('long');
    expect(client.callsOf('run.events')[asked]!.fromSeq).toBe(resumeFrom);
    expect(feed.catchUp).toBe('done');
    expect(feed.snapshot!.turns).toHaveLength(300);
    expect(feed.snapshot!.end?.reason).toBe('max_turns');
  });

  it('a load asked for again before its Cancel took effect goes on to the end', async () => {
    const client = new FakeClient();
    client.addRun(finishedLongRun());
    const release = client.holdLaterPages();
    const connecting = useStore.getState().connect(client);
    await vi.waitFor(() => expect(useStore.getState().runs.long?.feed.snapshot).toBeTruthy());
    await useStore.getState().cancelLoading('long');
    const again = useStore.getState().catchUp('long');
    release();
    await Promise.all([connecting, again]);
    const feed = useStore.getState().runs.long!.feed;
    expect(feed.catchUp).toBe('done');
    expect(feed.snapshot!.turns).toHaveLength(300);
  });

  it('Cancel of a recording the engine plays straight through stops it there', async () => {
    const run = new RunBuilder('played', [{ role: 'user', content: 'go' }]).turn({ reply: { content: 'a' } });
    const client = await connected(run);
    await useStore.getState().cancelLoading('played');
    expect(client.callsOf('run.control')).toEqual([{ runId: 'played', action: 'stop' }]);
  });
});
