import { useId } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';

const WIDTH = 600;
const HEIGHT = 80;
// Room for the dots at the edges.
const PAD = 4;
/** Up to this many turns each gets a dot; past it the line alone is drawn. */
const MAX_DOTS = 200;

/** A turn's estimated prompt tokens: `[turn, tokens]`. */
type Point = readonly [turn: number, tokens: number];

/**
 * The points the line is drawn through: every turn while there are fewer than two a pixel column,
 * else, for each column, its lowest and highest turn (in turn order), so that a 50,000-turn run
 * draws a line of about 1,200 points, as fast as a short one, and still shows every peak and dip.
 * `column` gives a turn's column (0 to `columns` - 1).
 */
export function linePoints(points: readonly Point[], columns: number, column: (turn: number) => number): Point[] {
  if (points.length <= 2 * columns) return [...points];
  const line: Point[] = [];
  let current = -1;
  let low: Point | null = null;
  let high: Point | null = null;
  const flush = (): void => {
    if (!low || !high) return;
    if (low === high) line.push(low);
    else line.push(...(low[0] < high[0] ? [low, high] : [high, low]));
  };
  for (const point of points) {
    const at = column(point[0]);
    if (at !== current) {
      flush();
      current = at;
      low = point;
      high = point;
    } else {
      if (point[1] < low![1]) low = point;
      if (point[1] > high![1]) high = point;
    }
  }
  flush();
  return line;
}

/** Estimated prompt tokens per turn as a line, against the context budget (dashed). */
export function TokensChart({ snapshot }: { snapshot: RunSnapshot }) {
  const titleId = useId();
  const points: Point[] = [];
  // A loop, not Math.max(...points): spreading 100,000 numbers into one call overflows the stack.
  let peak = 0;
  for (const t of snapshot.turns) {
    if (!t.promptView) continue;
    points.push([t.turn, t.promptView.estimatedTokens]);
    peak = Math.max(peak, t.promptView.estimatedTokens);
  }
  const budget = snapshot.config.maxContextTokens;
  if (points.length === 0) return null;
  // One huge prompt would flatten the rest: above twice the budget the line is clipped (the title says the peak).
  const top = (budget !== null ? Math.min(Math.max(peak, budget), budget * 2) : peak) * 1.1 || 1;
  const turns = snapshot.turns.length;
  const x = (turn: number): number => (turns <= 1 ? WIDTH / 2 : PAD + ((turn - 1) / (turns - 1)) * (WIDTH - 2 * PAD));
  const y = (tokens: number): number => HEIGHT - PAD - (Math.min(tokens, top) / top) * (HEIGHT - 2 * PAD);
  const line = linePoints(points, WIDTH - 2 * PAD, (turn) => Math.floor(x(turn) - PAD));
  const title = `Estimated prompt tokens per turn: peak ${peak.toLocaleString('en-US')}${budget !== null ? ` against a budget of ${budget.toLocaleString('en-US')}` : ', no budget'}`;
  return (
    <figure className="tokens-chart">
      <svg role="img" aria-labelledby={titleId} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title id={titleId}>{title}</title>
        {budget !== null && <line className="budget-line" x1={0} x2={WIDTH} y1={y(budget)} y2={y(budget)} />}
        <polyline className="tokens-line" points={line.map(([turn, tokens]) => `${x(turn)},${y(tokens)}`).join(' ')} />
        {points.length <= MAX_DOTS && points.map(([turn, tokens]) => <circle key={turn} className={budget !== null && tokens > budget ? 'dot is-over' : 'dot'} cx={x(turn)} cy={y(tokens)} r={2.5} />)}
      </svg>
      <figcaption className="muted">{title}</figcaption>
    </figure>
  );
}
