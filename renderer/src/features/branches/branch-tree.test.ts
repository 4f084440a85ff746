import { describe, expect, it } from 'vitest';
import type { RunSummary } from '#shared/api/contract.js';
import { branchFamily, outcomeText } from './branch-tree.js';

function run(runId: string, parentRunId: string | null, startedAt: number, extra: Partial<RunSummary> = {}): RunSummary {
  return { runId, title: runId, startedAt, state: 'ended', parentRunId, forkTurn: parentRunId ? 2 : null, change: parentRunId ? `change of ${runId}` : null, outcome: null, ...extra };
}

describe('branchFamily', () => {
  const runs = [run('root', null, 1), run('b2', 'root', 3), run('b1', 'root', 2), run('b1a', 'b1', 4), run('other', null, 5)];

  it('finds the root from any branch and lists the tree depth first, children by start time', () => {
    const family = branchFamily(runs, 'b1a');
    expect(family.map((n) => [n.run.runId, n.depth])).toEqual([
      ['root', 0],
      ['b1', 1],
      ['b1a', 2],
      ['b2', 1],
    ]);
    expect(branchFamily(runs, 'other').map((n) => n.run.runId)).toEqual(['other']);
    expect(branchFamily(runs, null)).toEqual([]);
  });

  it('survives a parent that is not listed and a cycle', () => {
    expect(branchFamily([run('orphan', 'gone', 1)], 'orphan').map((n) => n.run.runId)).toEqual(['orphan']);
    const cycle = [run('a', 'b', 1), run('b', 'a', 2)];
    expect(branchFamily(cycle, 'a').length).toBeGreaterThan(0);
  });
});

describe('outcomeText', () => {
  it('says how a run ended with its turns and tool errors', () => {
    expect(outcomeText(run('r', null, 1, { outcome: { turnsUsed: 4, toolErrors: 1, finishedNaturally: true, endReason: 'finished_naturally' } }))).toBe('finished naturally, 4 turns, 1 failed tool call');
    expect(outcomeText(run('r', null, 1, { outcome: { turnsUsed: 1, toolErrors: 0, finishedNaturally: false, endReason: 'model_error' } }))).toBe('model error, 1 turn, 0 failed tool calls');
    expect(outcomeText(run('r', null, 1, { state: 'running' }))).toBe('running');
  });
});
