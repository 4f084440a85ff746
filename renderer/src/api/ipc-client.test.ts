import { describe, expect, it, vi } from 'vitest';
import type { TrajdbgBridge } from '#shared/api/bridge.js';
import { createIpcClient } from './ipc-client.js';

/** A bridge double: records the frames the client sends and lets the test answer with frames. */
function fakeBridge() {
  const sent: Array<{ id?: number; method?: string; cancel?: number }> = [];
  let deliver: (frame: string) => void = () => undefined;
  const bridge: TrajdbgBridge = {
    send: (frame) => void sent.push(JSON.parse(frame)),
    onFrame(listener) {
      deliver = listener;
      return () => undefined;
    },
    pathForFile: (file) => (file.name === 'on-disk.jsonl' ? '/data/on-disk.jsonl' : ''),
  };
  return { bridge, sent, answer: (message: unknown) => deliver(JSON.stringify(message)) };
}

describe('IPC client', () => {
  it('sends numbered requests as frames and resolves each with its validated reply', async () => {
    const { bridge, sent, answer } = fakeBridge();
    const client = createIpcClient(bridge);
    expect(client.connection).toBe('open');
    const list = client.call('run.list', {});
    const broken = client.call('run.list', {});
    expect(sent).toEqual([
      { id: 1, method: 'run.list', params: {} },
      { id: 2, method: 'run.list', params: {} },
    ]);
    answer({ id: 2, result: { runs: 'nope' } });
    answer({ id: 1, result: { runs: [] } });
    expect(await list).toEqual({ runs: [] });
    await expect(broken).rejects.toThrow(/run.list: the engine's reply is malformed at runs/);
  });

  it('rejects with the engine’s typed error as sent, and sends a cancel for an aborted call', async () => {
    const { bridge, sent, answer } = fakeBridge();
    const client = createIpcClient(bridge);
    const branch = client.call('run.branch', { runId: 'r', change: { kind: 'resample', turn: 1 } });
    answer({ id: 1, error: { code: 'needs_endpoint', method: 'run.branch', message: 'choose a model endpoint for the branch' } });
    await expect(branch).rejects.toMatchObject({ code: 'needs_endpoint', method: 'run.branch', message: 'choose a model endpoint for the branch' });
    const abort = new AbortController();
    const list = client.call('run.list', {}, abort.signal);
    abort.abort();
    await expect(list).rejects.toMatchObject({ code: 'cancelled' });
    expect(sent.at(-1)).toEqual({ cancel: 2 });
  });

  it('passes valid pushed events and file statuses on, dropping malformed ones and frames that are not JSON', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { bridge, answer } = fakeBridge();
    const client = createIpcClient(bridge);
    const seen: number[] = [];
    client.onEvent((event) => seen.push(event.seq));
    const files: unknown[] = [];
    client.onFile((file) => files.push(file));
    answer({ seq: 1, events: [{ type: 'turn_started', turn: 1, runId: 'r', seq: 1, time: 0 }, { type: 'bogus' }] });
    answer({ seq: 2, events: [{ type: 'turn_finished', turn: 1, runId: 'r', seq: 2, time: 0 }] });
    const status = { fileId: 'f', path: '/d/a.jsonl', name: 'a.jsonl', size: 10, format: null, state: 'indexing', bytesRead: 0, trajectories: 0, problems: [], problemCount: 0, error: null, elapsedMs: 0, focusIndex: null };
    answer({ files: [status, { ...status, state: 'bogus' }] });
    expect(seen).toEqual([1, 2]);
    expect(files).toEqual([status]);
    expect(consoleError).toHaveBeenCalledWith('dropped a malformed run event', expect.anything());
    consoleError.mockRestore();
  });

  it('gives a dropped file’s own path, and says so when it has none', async () => {
    const client = createIpcClient(fakeBridge().bridge);
    expect(await client.fileRef(new File(['x'], 'on-disk.jsonl'))).toBe('/data/on-disk.jsonl');
    await expect(client.fileRef(new File(['x'], 'pasted.jsonl'))).rejects.toThrow(/pasted\.jsonl: this file has no path on disk/);
  });
});
