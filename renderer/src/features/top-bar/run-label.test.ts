import { describe, expect, it } from 'vitest';
import type { RunSummary } from '#shared/api/contract.js';
import { runLabel } from './run-label.js';

const base: RunSummary = { runId: 'r', title: 'task', startedAt: 0, state: 'ended', parentRunId: null, forkTurn: null, change: null, outcome: null };
const at = () => '10:00:00';

describe('runLabel', () => {
  it('labels each run that comes from another by what it is, not all "retry"', () => {
    expect(runLabel(base, at)).toBe('task · 10:00:00 · ended');
    expect(runLabel({ ...base, title: 'task #3', parentRunId: 'p', forkTurn: 2, change: 'turn 3: arguments of read_file edited' }, at)).toBe('task #3 · 10:00:00 · ended · branch: turn 3: arguments of read_file edited');
    expect(runLabel({ ...base, title: 'retry of task', parentRunId: 'p', forkTurn: 2 }, at)).toBe('retry of task · 10:00:00 · ended · retry');
    expect(runLabel({ ...base, title: 'task, continued from turn 2', parentRunId: 'p', forkTurn: 2 }, at)).toBe('task, continued from turn 2 · 10:00:00 · ended · continued from turn 2');
  });
});
