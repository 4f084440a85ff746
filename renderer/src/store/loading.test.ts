import { describe, expect, it } from 'vitest';
import type { OpenedFile } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { RunBuilder } from '../test/run-builder.js';
import type { FileView } from './files-slice.js';
import { loadingOf, runIsLoading } from './loading.js';
import { RunFeed } from './run-feed.js';
import type { RunView } from './runs-slice.js';

const prompt = [{ role: 'user', content: 'go' }];

function viewOf(events: RunEvent[], catchUp = true): RunView {
  const feed = new RunFeed('r');
  if (catchUp) feed.receiveCatchUp(events, true);
  return { feed, version: 1, live: null };
}

function file(extra: Partial<OpenedFile> = {}): FileView {
  const status: OpenedFile = { fileId: 'f1', path: '/data/big.jsonl', name: 'big.jsonl', size: 1000, format: 'messages-jsonl', state: 'indexing', bytesRead: 250, trajectories: 0, problems: [], problemCount: 0, error: null, elapsedMs: 0, focusIndex: null, ...extra };
  return { status, rows: [], textMatches: null };
}

const base = { runOrigins: {}, files: {}, activeFileId: null, viewing: null, runList: [] };

describe('loading, not running', () => {
  it('a recording played straight through is loading until its end; a live run is running', () => {
    const playing = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).startTurn();
    const fromFile = { ...base, runs: { r: viewOf(playing.events) }, runOrigins: { r: { fileId: 'f1', index: 0 } } };
    expect(runIsLoading(fromFile, 'r')).toBe(true);
    expect(loadingOf({ ...fromFile, selectedRunId: 'r', files: { f1: { ...file({ state: 'done' }), rows: [{ turns: 4 } as FileView['rows'][number]] } } })).toEqual({ name: 'big.jsonl', progress: 0.5, detail: 'turn 2 of 4', cancel: { fileId: null, runId: 'r' } });
    expect(runIsLoading({ ...base, runs: { r: viewOf(playing.events) } }, 'r')).toBe(false);
    const ended = new RunBuilder('r', prompt).turn({ reply: { content: '' } }).finish('finished_naturally');
    expect(runIsLoading({ ...fromFile, runs: { r: viewOf(ended.events) } }, 'r')).toBe(false);
  });

  it('a recording being stepped through (it paused once) is running', () => {
    const stepped = new RunBuilder('r', prompt).startTurn().pause('before_model').resume();
    expect(runIsLoading({ ...base, runs: { r: viewOf(stepped.events) }, runOrigins: { r: { fileId: 'f1', index: 0 } } }, 'r')).toBe(false);
  });

  it('a run whose earlier events are still being fetched is loading', () => {
    const live = new RunBuilder('r', prompt).startTurn();
    expect(runIsLoading({ ...base, runs: { r: viewOf(live.events, false) } }, 'r')).toBe(true);
  });

  it('a file being indexed with nothing on show yet is loading, with its bytes as progress and Cancel for the file', () => {
    const state = { ...base, selectedRunId: null, runs: {}, files: { f1: file() }, activeFileId: 'f1' };
    expect(loadingOf(state)).toEqual({ name: 'big.jsonl', progress: 0.25, detail: '0 MB of 0 MB, 0 trajectories', cancel: { fileId: 'f1', runId: null } });
    expect(loadingOf({ ...state, files: { f1: file({ state: 'cancelled' }) } })).toBeNull();
  });

  it('a file indexed whose first trajectory is being opened is still loading, and its Cancel stops that opening', () => {
    const state = { ...base, selectedRunId: null, runs: {}, files: { f1: file({ state: 'done', trajectories: 3 }) }, activeFileId: 'f1', viewing: { fileId: 'f1', index: 0 } };
    expect(loadingOf(state)).toEqual({ name: 'big.jsonl', progress: null, detail: null, cancel: { fileId: 'f1', runId: null } });
    // Cancelled: nothing loads until a row is opened.
    expect(loadingOf({ ...state, viewing: null, files: { f1: { ...file({ state: 'done', trajectories: 3 }), loadCancelled: true } } })).toBeNull();
  });
});
