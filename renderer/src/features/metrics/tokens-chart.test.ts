import { render, screen } from '@testing-library/react';
import fc from 'fast-check';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { linePoints, TokensChart } from './tokens-chart.js';

const COLUMNS = 50;

/** Turns 1..n spread over COLUMNS columns, as the chart spreads them over its width. */
function columnOf(turns: number): (turn: number) => number {
  return (turn) => Math.floor(((turn - 1) / Math.max(1, turns - 1)) * COLUMNS);
}

describe('the tokens line', () => {
  it('goes through every turn while there are at most two a column', () => {
    const points = Array.from({ length: 2 * COLUMNS }, (_, i) => [i + 1, (i * 37) % 101] as const);
    expect(linePoints(points, COLUMNS, columnOf(points.length))).toEqual(points);
  });

  it("keeps each column's lowest and highest turn, in turn order, and nothing else", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100_000), { minLength: 2 * COLUMNS + 1, maxLength: 3_000 }), (tokens) => {
        const points = tokens.map((t, i) => [i + 1, t] as const);
        const column = columnOf(points.length);
        const line = linePoints(points, COLUMNS, column);
        expect(line.length).toBeLessThanOrEqual(2 * (COLUMNS + 1));
        // In turn order, each point one of the input's.
        for (let i = 1; i < line.length; i++) expect(line[i]![0]).toBeGreaterThan(line[i - 1]![0]);
        for (const [turn, value] of line) expect(tokens[turn - 1]).toBe(value);
        // Every column's extremes are on the line: no peak or dip is lost.
        const byColumn = new Map<number, number[]>();
        for (const [turn, value] of points) byColumn.set(column(turn), [...(byColumn.get(column(turn)) ?? []), value]);
        for (const [at, values] of byColumn) {
          const drawn = line.filter(([turn]) => column(turn) === at).map(([, value]) => value);
          expect(drawn).toContain(Math.max(...values));
          expect(drawn).toContain(Math.min(...values));
          expect(drawn.length).toBeLessThanOrEqual(2);
        }
      }),
    );
  });

  it('draws 100,000 turns as about two points a column', () => {
    const points = Array.from({ length: 100_000 }, (_, i) => [i + 1, i % 997] as const);
    const line = linePoints(points, COLUMNS, columnOf(points.length));
    expect(line.length).toBeLessThanOrEqual(2 * (COLUMNS + 1));
    expect(Math.max(...line.map(([, t]) => t))).toBe(996);
  });
});

describe('the tokens chart', () => {
  it('draws a run of 150,000 turns (more numbers than one call can spread) with its peak', () => {
    const turns = Array.from({ length: 150_000 }, (_, i) => ({ turn: i + 1, promptView: { estimatedTokens: i === 77_777 ? 9_000 : 100 + (i % 50) } }));
    // The chart reads the turns' prompt estimates and the budget, nothing else of the run.
    const snapshot = { turns, config: { maxContextTokens: 4_000 } } as unknown as RunSnapshot;
    render(createElement(TokensChart, { snapshot }));
    const chart = screen.getByRole('img', { name: 'Estimated prompt tokens per turn: peak 9,000 against a budget of 4,000' });
    const points = chart.querySelector('polyline')!.getAttribute('points')!.split(' ');
    expect(points.length).toBeLessThanOrEqual(2 * 593);
    // The one turn over the budget is on the line, clipped at the top (twice the budget, plus a tenth).
    expect(points.some((p) => Number(p.split(',')[1]) <= 4.01)).toBe(true);
    expect(chart.querySelectorAll('circle')).toHaveLength(0);
  });
});
