import { describe, expect, it } from 'vitest';
import type { OpenedFile } from '#shared/api/contract.js';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import { FakeClient } from '../api/fake-client.js';
import { activeFileOf, shownTrajectory } from './shown.js';
import { resetStore, useStore } from './store.js';

function status(extra: Partial<OpenedFile> = {}): OpenedFile {
  return { fileId: 'f1', path: '/data/runs.jsonl', name: 'runs.jsonl', size: 1000, format: 'messages-jsonl', state: 'indexing', bytesRead: 0, trajectories: 0, problems: [], problemCount: 0, error: null, elapsedMs: 0, focusIndex: null, ...extra };
}

function row(index: number): TrajectorySummary {
  return { index, id: `t${index}`, model: 'm', turns: 2, toolCalls: 1, toolErrors: index % 2, finishedNaturally: true, reward: null, toolNames: ['terminal'], preview: `task ${index}` };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The rows the engine has indexed so far, as file.rows returns them. */
let indexed = 0;

async function connected(): Promise<FakeClient> {
  const client = new FakeClient();
  const all = Array.from({ length: 7_000 }, (_, i) => row(i));
  indexed = 7_000;
  client.replies['file.rows'] = ({ from = 0, limit = 5_000 }) => ({ rows: all.slice(from, Math.min(indexed, from + limit)) });
  client.replies['file.open'] = ({ path, index }) => status({ path, focusIndex: index ?? null });
  await useStore.getState().connect(client);
  return client;
}

describe('files slice', () => {
  it('fetches rows as indexing reports them, in pages, and shows the first trajectory as soon as its row is in', async () => {
    const client = await connected();
    indexed = 1;
    client.emitFile(status({ trajectories: 1 }));
    await tick();
    expect(useStore.getState().files.f1!.rows).toHaveLength(1);
    expect(client.callsOf('file.view')).toEqual([expect.objectContaining({ fileId: 'f1', index: 0, startPaused: false })]);
    expect(shownTrajectory(useStore.getState())).toMatchObject({ fileId: 'f1', index: 0 });
    indexed = 7_000;
    client.emitFile(status({ trajectories: 7_000, state: 'done' }));
    await tick();
    await tick();
    expect(useStore.getState().files.f1!.rows.map((r) => r.index)).toEqual(Array.from({ length: 7_000 }, (_, i) => i));
    // One trajectory shown, once.
    expect(client.callsOf('file.view')).toHaveLength(1);
  });

  it('Cancel pressed as the index ends stops the load: the first trajectory does not open by itself, a row still opens it', async () => {
    const client = await connected();
    await useStore.getState().openFile('/data/runs.jsonl');
    // The press reaches the engine after it indexed the file (the page had not heard yet).
    await useStore.getState().cancelFile('f1');
    expect(client.callsOf('file.cancel')).toEqual([{ fileId: 'f1' }]);
    indexed = 7_000;
    client.emitFile(status({ trajectories: 7_000, state: 'done' }));
    await tick();
    await tick();
    expect(client.callsOf('file.view')).toEqual([]);
    expect(shownTrajectory(useStore.getState())).toBeNull();
    // Once done, a cancel asks the engine nothing (its index is over).
    await useStore.getState().cancelFile('f1');
    expect(client.callsOf('file.cancel')).toHaveLength(1);
    await useStore.getState().viewTrajectory('f1', 2);
    expect(shownTrajectory(useStore.getState())).toMatchObject({ fileId: 'f1', index: 2 });
  });

  it('Cancel while the first trajectory is being opened drops it; opening the file again loads it as before', async () => {
    const client = await connected();
    let release: () => void = () => undefined;
    client.replies['file.view'] = () => new Promise((resolve) => (release = () => resolve({ runId: 'run-1' })));
    await useStore.getState().openFile('/data/runs.jsonl');
    client.emitFile(status({ trajectories: 7_000, state: 'done' }));
    await tick();
    await tick();
    expect(useStore.getState().viewing).toMatchObject({ fileId: 'f1', index: 0 });
    await useStore.getState().cancelFile('f1');
    release();
    await tick();
    expect(useStore.getState().viewing).toBeNull();
    expect(useStore.getState().selectedRunId).toBeNull();
    client.replies['file.view'] = () => ({ runId: 'run-2' });
    client.replies['file.open'] = () => status({ trajectories: 7_000, state: 'done' });
    await useStore.getState().openFile('/data/runs.jsonl');
    await tick();
    await tick();
    expect(useStore.getState().files.f1!.loadCancelled).toBe(false);
    expect(useStore.getState().selectedRunId).toBe('run-2');
  });

  it('shows the trajectory asked for last when an earlier one loads slower (L then H)', async () => {
    const client = await connected();
    await useStore.getState().openFile('/data/runs.jsonl', 3);
    client.emitFile(status({ trajectories: 5, state: 'done', focusIndex: 3 }));
    await tick();
    await tick();
    expect(shownTrajectory(useStore.getState())).toMatchObject({ index: 3 });
    let release: () => void = () => undefined;
    client.replies['file.view'] = () => new Promise((resolve) => (release = () => resolve({ runId: 'run-slow' })));
    const next = useStore.getState().viewTrajectory('f1', 4);
    // Back to 3, already shown once: it needs no load and lands first.
    await useStore.getState().viewTrajectory('f1', 3);
    release();
    await next;
    expect(shownTrajectory(useStore.getState())).toMatchObject({ index: 3 });
  });

  it('shows the trajectory a file was opened at (trajdbg open FILE#N), and reuses a shown run when a row is opened again', async () => {
    const client = await connected();
    await useStore.getState().openFile('/data/runs.jsonl', 3);
    client.emitFile(status({ trajectories: 5, state: 'done', focusIndex: 3 }));
    await tick();
    await tick();
    expect(client.callsOf('file.view').map((p) => p.index)).toEqual([3]);
    const first = shownTrajectory(useStore.getState())!.runId;
    await useStore.getState().viewTrajectory('f1', 4);
    await useStore.getState().viewTrajectory('f1', 3);
    expect(client.callsOf('file.view').map((p) => p.index)).toEqual([3, 4]);
    expect(useStore.getState().selectedRunId).toBe(first);
    // Stepping through always starts a fresh, paused playback.
    await useStore.getState().viewTrajectory('f1', 3, { startPaused: true });
    expect(client.callsOf('file.view').at(-1)).toMatchObject({ index: 3, startPaused: true });
  });

  it('keeps full-text matches per file and clears them with the text', async () => {
    const client = await connected();
    client.replies['file.search'] = () => ({ indices: [2, 5] });
    client.emitFile(status({ trajectories: 6, state: 'done' }));
    await tick();
    await useStore.getState().searchFile('f1', 'needle');
    expect([...useStore.getState().files.f1!.textMatches!]).toEqual([2, 5]);
    await useStore.getState().searchFile('f1', '  ');
    expect(useStore.getState().files.f1!.textMatches).toBeNull();
  });

  it('says which dropped file could not be opened and why', async () => {
    await connected();
    await useStore.getState().openDropped(new File(['x'], 'pasted.jsonl'));
    expect(useStore.getState().actionError).toBe('Could not open pasted.jsonl: pasted.jsonl: this file has no path on disk');
  });

  it('forgets rows in flight and shown runs with a store reset', async () => {
    const stuck = new FakeClient();
    stuck.replies['file.rows'] = () => new Promise(() => undefined);
    await useStore.getState().connect(stuck);
    stuck.emitFile(status({ trajectories: 3 }));
    await tick();
    expect(useStore.getState().fetchingRows).toEqual({ f1: true });
    resetStore();
    expect(useStore.getState().fetchingRows).toEqual({});
    // A fresh connection fetches the same file's rows again rather than waiting on the old fetch.
    const client = await connected();
    indexed = 3;
    client.emitFile(status({ trajectories: 3, state: 'done' }));
    await tick();
    expect(client.callsOf('file.rows')).toHaveLength(1);
    expect(useStore.getState().files.f1!.rows).toHaveLength(3);
    expect(Object.keys(useStore.getState().shownRuns)).toEqual(['f1#0']);
    resetStore();
    expect(useStore.getState().shownRuns).toEqual({});
  });

  it('derives the collection and the shown trajectory from the one selected run, both ways', async () => {
    const client = await connected();
    client.emitFile(status({ trajectories: 5, state: 'done' }));
    client.emitFile(status({ fileId: 'f2', name: 'other.jsonl', path: '/data/other.jsonl', trajectories: 5, state: 'done' }));
    await tick();
    await tick();
    await useStore.getState().viewTrajectory('f1', 2);
    const ofA = useStore.getState().selectedRunId!;
    await useStore.getState().viewTrajectory('f2', 1);
    const ofB = useStore.getState().selectedRunId!;
    expect(activeFileOf(useStore.getState())).toBe('f2');
    // A run of the first file picked in the Run selector: the collection and Replay follow it.
    useStore.getState().selectRun(ofA);
    expect(activeFileOf(useStore.getState())).toBe('f1');
    expect(shownTrajectory(useStore.getState())).toEqual({ fileId: 'f1', index: 2, runId: ofA });
    // The other file picked in the collection panel: its run is selected again.
    useStore.getState().setActiveFile('f2');
    expect(useStore.getState().selectedRunId).toBe(ofB);
    expect(shownTrajectory(useStore.getState())).toEqual({ fileId: 'f2', index: 1, runId: ofB });
    // A run of no file: the collection keeps the file picked last, and nothing claims to show it.
    useStore.getState().selectRun('run-live');
    expect(shownTrajectory(useStore.getState())).toBeNull();
    expect(activeFileOf(useStore.getState())).toBe('f2');
    expect(client.callsOf('file.view').length).toBeGreaterThan(0);
  });
});
