import { describe, expect, it } from 'vitest';
import type { TrajdbgBridge } from '../../../shared/api/bridge.js';
import type { RunEvent } from '../../../shared/run/events.js';
import { createIpcClient } from './ipc-client.js';

describe('IPC client', () => {
  it('invokes methods through the bridge, validates replies and cleans Electron’s error prefix', async () => {
    let push: (event: RunEvent) => void = () => undefined;
    const bridge: TrajdbgBridge = {
      async invoke(method) {
        if (method === 'run.list') return { runs: [] };
        throw new Error("Error invoking remote method 'api:run.start': Error: baseURL is not reachable");
      },
      onEvent(listener) {
        push = listener;
        return () => undefined;
      },
    };
    const client = createIpcClient(bridge);
    expect(client.connection).toBe('open');
    expect(await client.call('run.list', {})).toEqual({ runs: [] });
    await expect(client.call('run.demo', {})).rejects.toThrow(/^baseURL is not reachable$/);
    const seen: RunEvent[] = [];
    client.onEvent((event) => seen.push(event));
    push({ type: 'turn_started', turn: 1, runId: 'r', seq: 1, time: 0 });
    expect(seen).toHaveLength(1);
  });
});
