import { describe, expect, it } from 'vitest';
import { advantageOf, formatScore, groupRollouts, hasGroups, orderGroups } from './rollout-groups.js';
import { summary } from './test-rows.js';

// Two prompts of three rollouts each, listed out of order, and one rollout of a prompt whose rewards are all equal.
const rows = [
  summary(0, { groupId: 'p1', groupIndex: 1, reward: 0 }),
  summary(1, { groupId: 'p2', groupIndex: 0, reward: 1, finishedNaturally: false }),
  summary(2, { groupId: 'p1', groupIndex: 0, reward: 1 }),
  summary(3, { groupId: 'p2', groupIndex: 1, reward: 1 }),
  summary(4, { groupId: 'p1', groupIndex: 2, reward: 0.5 }),
];

describe('rollout groups', () => {
  it('gathers the rollouts of each group in their group order, groups in order of first appearance', () => {
    const groups = groupRollouts(rows);
    expect(groups.map((g) => [g.id, g.rows.map((r) => r.index)])).toEqual([
      ['p1', [2, 0, 4]],
      ['p2', [1, 3]],
    ]);
    expect(groups[0]).toMatchObject({ mean: 0.5, min: 0, max: 1, finished: 3 });
    expect(groups[0]!.spread).toBeCloseTo(Math.sqrt(1 / 6), 12);
    expect(groups[1]).toMatchObject({ mean: 1, spread: 0, finished: 1 });
  });

  it('computes the group-relative advantage, reward minus mean over spread', () => {
    const [p1, p2] = groupRollouts(rows);
    expect(advantageOf(p1!.rows[0]!, p1!)).toBeCloseTo(0.5 / Math.sqrt(1 / 6), 12);
    expect(advantageOf(p1!.rows[2]!, p1!)).toBe(0);
    expect(advantageOf(p2!.rows[0]!, p2!)).toBe(0);
    expect(advantageOf(summary(9, { groupId: 'p1' }), p1!)).toBeNull();
  });

  it('orders groups by mean or spread, highest first, groups without rewards last', () => {
    const groups = groupRollouts([...rows, summary(5, { groupId: 'p3', reward: null })]);
    expect(orderGroups(groups, 'mean').map((g) => g.id)).toEqual(['p2', 'p1', 'p3']);
    expect(orderGroups(groups, 'spread').map((g) => g.id)).toEqual(['p1', 'p2', 'p3']);
    expect(orderGroups(groups, 'file')).toBe(groups);
  });

  it('keeps a rollout without a group as a group of its own, and offers groups only when a row has one', () => {
    expect(groupRollouts([summary(0), summary(1)]).map((g) => g.rows.length)).toEqual([1, 1]);
    expect(hasGroups([summary(0)])).toBe(false);
    expect(hasGroups(rows)).toBe(true);
  });
});

describe('a reward as the collection prints it', () => {
  it('keeps up to three decimals, and writes what they cannot show with an exponent', () => {
    expect([0.5, -1.25, 3, 1234.5678, 0].map((x) => formatScore(x))).toEqual(['0.5', '-1.25', '3', '1,234.568', '0']);
    // Three decimals would make these 0 and a 309-digit number.
    expect([0.00001, -0.000123456, 1e308, 2.5e15].map((x) => formatScore(x))).toEqual(['1e-5', '-1.23e-4', '1e+308', '2.5e+15']);
    expect(formatScore(0.00001, true)).toBe('+1e-5');
    expect(formatScore(null)).toBe('–');
  });
});
