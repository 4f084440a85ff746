import type { SetCharts } from '#shared/api/rollout-set.js';

/** One bar: its label, value, and the filter a click adds. */
interface Bar {
  label: string;
  value: number;
  /** What the bar's height means, in words (for its accessible name). */
  detail: string;
  filter: string;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

function BarChart({ title, bars, unit, onFilter }: { title: string; bars: Bar[]; unit: (n: number) => string; onFilter: (clause: string) => void }) {
  const max = Math.max(1e-9, ...bars.map((b) => b.value));
  return (
    <figure className="set-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">No data</p>
      ) : (
        <div className="set-chart-bars">
          {bars.map((bar) => (
            <button key={bar.label} type="button" className="set-chart-bar" aria-label={`${title}: ${bar.label}: ${bar.detail}`} title={`${bar.label}: ${bar.detail} (click to filter)`} onClick={() => onFilter(bar.filter)}>
              <span className="set-chart-fill" style={{ height: `${Math.max(2, (bar.value / max) * 100)}%` }} />
              <span className="set-chart-label">{bar.label}</span>
              <span className="visually-hidden">{unit(bar.value)}</span>
            </button>
          ))}
        </div>
      )}
      {bars.length > 0 && (
        <div className="set-chart-axis" aria-hidden="true">
          <span>{bars[0]!.label}</span>
          <span>{bars[bars.length - 1]!.label}</span>
        </div>
      )}
    </figure>
  );
}

/** Charts of the filtered set; a click on a bar narrows the filter to it. */
export function SetChartsView({ charts, onFilter }: { charts: SetCharts; onFilter: (clause: string) => void }) {
  const count = (n: number) => `${n.toLocaleString('en-US')} rollouts`;
  const percent = (n: number) => `${Math.round(n * 100)}%`;
  const reward: Bar[] = charts.reward.map((b, i) => ({
    label: `${round(b.from)}–${round(b.to)}`,
    value: b.count,
    detail: count(b.count),
    filter: i === charts.reward.length - 1 ? `reward >= ${b.from} AND reward <= ${b.to}` : `reward >= ${b.from} AND reward < ${b.to}`,
  }));
  const turns: Bar[] = charts.turns.map((b) => ({ label: String(b.turns), value: b.count, detail: count(b.count), filter: `turns = ${b.turns}` }));
  const tools: Bar[] = charts.tools.map((t) => ({
    label: t.tool || '(no name)',
    value: t.calls > 0 ? t.errors / t.calls : 0,
    detail: `${percent(t.calls > 0 ? t.errors / t.calls : 0)} of ${t.calls.toLocaleString('en-US')} calls failed`,
    filter: `coalesce((tool_errors_by_tool->>${quote(`$."${t.tool.replace(/"/g, '\\"')}"`)})::INTEGER, 0) > 0`,
  }));
  const stepFilter = (s: { from: number; to: number }) => (s.from === s.to ? `step = ${s.from}` : `step BETWEEN ${s.from} AND ${s.to}`);
  const stepLabel = (s: { from: number; to: number }) => (s.from === s.to ? String(s.from) : `${s.from}–${s.to}`);
  const stepReward: Bar[] = charts.steps.map((s) => ({ label: stepLabel(s), value: s.meanReward ?? 0, detail: `mean reward ${round(s.meanReward ?? 0)} over ${count(s.count)}`, filter: stepFilter(s) }));
  const stepErrors: Bar[] = charts.steps.map((s) => ({ label: stepLabel(s), value: s.errorRate, detail: `${percent(s.errorRate)} with a tool error, mean ${round(s.meanTurns)} turns`, filter: stepFilter(s) }));
  return (
    <section className="set-charts" aria-label="Charts of the filtered set">
      <BarChart title="Reward distribution" bars={reward} unit={count} onFilter={onFilter} />
      <BarChart title="Turns" bars={turns} unit={count} onFilter={onFilter} />
      <BarChart title="Tool-error rate per tool" bars={tools} unit={percent} onFilter={onFilter} />
      {charts.steps.length > 0 && <BarChart title="Mean reward over training step" bars={stepReward} unit={(n) => String(round(n))} onFilter={onFilter} />}
      {charts.steps.length > 0 && <BarChart title="Tool-error rate over training step" bars={stepErrors} unit={percent} onFilter={onFilter} />}
    </section>
  );
}
