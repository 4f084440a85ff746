import type { RunSnapshot } from '../../../../shared/run/run-state.js';

const n = (value: number): string => value.toLocaleString('en-US');

function CounterList({ title, rows }: { title: string; rows: Array<[string, string]> }) {
  return (
    <div className="counter-group">
      <h3>{title}</h3>
      <dl className="counters">
        {rows.map(([label, value]) => (
          <div key={label} className="counter">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** The loop's metrics: turns used, whether it finished naturally, and the four tool call counters. */
export function Counters({ snapshot }: { snapshot: RunSnapshot }) {
  const { counters, end } = snapshot;
  const loop: Array<[string, string]> = [
    ['Turns used', n(end ? end.turnsUsed : snapshot.turns.length)],
    ['Finished naturally', end ? (end.reason === 'finished_naturally' ? 'yes' : 'no') : 'not yet'],
  ];
  // The reference's tool_calls_attempted, _schema_valid, _executed_ok and _exec_error.
  const toolCalls: Array<[string, string]> = [
    ['Attempted', n(counters.attempted)],
    ['Schema valid', n(counters.schemaValid)],
    ['Executed OK', n(counters.executedOk)],
    ['Exec errors', n(counters.execError)],
  ];
  return (
    <div className="counter-groups">
      <CounterList title="Loop" rows={loop} />
      <CounterList title="Tool calls" rows={toolCalls} />
    </div>
  );
}
