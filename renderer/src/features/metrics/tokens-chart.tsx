import { useId } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';

const WIDTH = 600;
const HEIGHT = 80;
// Room for the dots at the edges.
const PAD = 4;

/** Estimated prompt tokens per turn as a line, against the context budget (dashed). */
export function TokensChart({ snapshot }: { snapshot: RunSnapshot }) {
  const titleId = useId();
  const points = snapshot.turns.filter((t) => t.promptView).map((t) => [t.turn, t.promptView!.estimatedTokens] as const);
  const budget = snapshot.config.maxContextTokens;
  if (points.length === 0) return null;
  const peak = Math.max(...points.map(([, tokens]) => tokens));
  // One huge prompt would flatten the rest: above twice the budget the line is clipped (the title says the peak).
  const top = (budget !== null ? Math.min(Math.max(peak, budget), budget * 2) : peak) * 1.1 || 1;
  const turns = snapshot.turns.length;
  const x = (turn: number): number => (turns <= 1 ? WIDTH / 2 : PAD + ((turn - 1) / (turns - 1)) * (WIDTH - 2 * PAD));
  const y = (tokens: number): number => HEIGHT - PAD - (Math.min(tokens, top) / top) * (HEIGHT - 2 * PAD);
  const title = `Estimated prompt tokens per turn: peak ${peak.toLocaleString('en-US')}${budget !== null ? ` against a budget of ${budget.toLocaleString('en-US')}` : ', no budget'}`;
  return (
    <figure className="tokens-chart">
      <svg role="img" aria-labelledby={titleId} viewBox={`0 0 ${WIDTH} ${HEIGHT}`}>
        <title id={titleId}>{title}</title>
        {budget !== null && <line className="budget-line" x1={0} x2={WIDTH} y1={y(budget)} y2={y(budget)} />}
        <polyline className="tokens-line" points={points.map(([turn, tokens]) => `${x(turn)},${y(tokens)}`).join(' ')} />
        {points.length <= 200 && points.map(([turn, tokens]) => <circle key={turn} className={budget !== null && tokens > budget ? 'dot is-over' : 'dot'} cx={x(turn)} cy={y(tokens)} r={2.5} />)}
      </svg>
      <figcaption className="muted">{title}</figcaption>
    </figure>
  );
}
