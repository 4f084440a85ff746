import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiService } from './api-service.js';
import { createRunRegistry } from './run-registry.js';
import { memorySecretStore } from '../persistence/settings.js';

describe('the run registry', () => {
  it('releases the events of ended runs and reads them back from their run files', async () => {
    const runs = createRunRegistry();
    const runsDir = mkdtempSync(join(tmpdir(), 'trajdbg-registry-'));
    const api = createApiService({ mode: 'serve', version: '0.0.0-test', settings: { load: () => null, save: () => {} }, secrets: memorySecretStore(), runsDir, runs });
    const live = new Map<string, number>();
    api.onEvent((event) => {
      if (event.type !== 'model_delta') live.set(event.runId, (live.get(event.runId) ?? 0) + 1);
    });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId } = await api.handlers['run.demo']({ startPaused: false });
      ids.push(runId);
      await runs.find(runId).finished;
    }
    expect(live.size).toBe(3);
    expect(runs.heldEvents()).toBe(0);
    for (const runId of ids) {
      const { events, complete } = await api.handlers['run.events']({ runId, fromSeq: 0, limit: 100_000 });
      expect(complete).toBe(true);
      expect(events.length).toBe(live.get(runId));
      expect(events.every((e) => e.runId === runId)).toBe(true);
    }
    const { runs: listed } = await api.handlers['run.list']({});
    expect(listed.map((r) => r.state)).toEqual(['ended', 'ended', 'ended']);
    await api.close();
  }, 60_000);
});
