import { describe, expect, it } from 'vitest';
import type { TrajdbgBridge } from '../../../shared/api/bridge.js';
import type { RunEvent } from '../../../shared/run/events.js';
import { createIpcClient } from './ipc-client.js';

describe('IPC client', () => {
  it('invokes methods through the bridge, validates replies and cleans Electron’s error prefix', async () => {
    let push: (event: RunEvent) => void = () => undefined;
    let pushFile: (file: unknown) => void = () => undefined;
    const bridge: TrajdbgBridge = {
      async invoke(method) {
        if (method === 'run.list') return { runs: [] };
        throw new Error("Error invoking remote method 'api:run.start': Error: baseURL is not reachable");
      },
      onEvent(listener) {
        push = listener;
        return () => undefined;
      },
      onFile(listener) {
        pushFile = listener as (file: unknown) => void;
        return () => undefined;
      },
      pathForFile: (file) => (file.name === 'on-disk.jsonl' ? '/data/on-disk.jsonl' : ''),
    };
    const client = createIpcClient(bridge);
    expect(client.connection).toBe('open');
    expect(await client.call('run.list', {})).toEqual({ runs: [] });
    await expect(client.call('run.demo', {})).rejects.toThrow(/^baseURL is not reachable$/);
    const seen: RunEvent[] = [];
    client.onEvent((event) => seen.push(event));
    push({ type: 'turn_started', turn: 1, runId: 'r', seq: 1, time: 0 });
    expect(seen).toHaveLength(1);
    const files: unknown[] = [];
    client.onFile((file) => files.push(file));
    const status = { fileId: 'f', path: '/d/a.jsonl', name: 'a.jsonl', size: 10, format: null, state: 'indexing', bytesRead: 0, trajectories: 0, problems: [], problemCount: 0, error: null, elapsedMs: 0, focusIndex: null };
    pushFile(status);
    pushFile({ ...status, state: 'bogus' });
    expect(files).toEqual([status]);
    expect(await client.fileRef(new File(['x'], 'on-disk.jsonl'))).toBe('/data/on-disk.jsonl');
    await expect(client.fileRef(new File(['x'], 'pasted.jsonl'))).rejects.toThrow(/pasted\.jsonl: this file has no path on disk/);
  });
});
