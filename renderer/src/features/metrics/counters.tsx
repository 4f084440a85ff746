import type { RunSnapshot } from '#shared/run/run-state.js';
import { FAILED_CALLS_NAME } from '#shared/loop/error-counts.js';

const n = (value: number): string => value.toLocaleString('en-US');

/** Whether a value was recorded by the file a trajectory came from, or derived with the engine's rules. */
type Origin = 'recorded' | 'derived' | null;

interface Row {
  label: string;
  value: string;
  origin: Origin;
  /** Set when the recorded value contradicts the messages: why, and the value counted instead. */
  contradiction?: string;
  /** While a recording is replayed: the value the file records for its end, shown apart. */
  recordedFinal?: string;
}

function CounterList({ title, rows, className = '' }: { title: string; rows: Row[]; className?: string }) {
  return (
    <div className={`counter-group ${className}`.trim()}>
      <h3>{title}</h3>
      <dl className="counters">
        {rows.map(({ label, value, origin, contradiction, recordedFinal }) => (
          <div key={label} className="counter">
            <dt>{label}</dt>
            <dd>
              {value}
              {origin && (
                <span className={`badge origin-badge ${origin === 'recorded' ? 'tone-ok' : 'tone-info'}`} title={origin === 'recorded' ? 'As the file records it' : 'Not in the file: derived with the engine’s rules'}>
                  {origin}
                </span>
              )}
              {recordedFinal !== undefined && (
                <span className="badge origin-badge tone-ok" title="The value the file records for the end of the run">
                  recorded at end: {recordedFinal}
                </span>
              )}
              {contradiction && (
                <span className="badge origin-badge tone-bad" title={contradiction}>
                  contradicts the messages
                </span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

interface Imported {
  recorded: Record<string, unknown>;
  reward: number | null;
  contradicted?: Array<{ field: string; derived: unknown; note: string }>;
  stopReason?: string | null;
  evaluation?: { target?: unknown; scores: Array<{ scorer: string; value: unknown; answer?: string | null; explanation?: string | null }> };
}

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The evaluation a file records for the sample (Inspect's target and scorers, a test result), as recorded. */
function evaluationRows(evaluation: NonNullable<Imported['evaluation']>): Row[] {
  const rows: Row[] = [];
  if (evaluation.target !== undefined) rows.push({ label: 'Target', value: shown(evaluation.target), origin: 'recorded' });
  for (const score of evaluation.scores) {
    const value = [shown(score.value), score.answer ? `answer: ${score.answer}` : '', score.explanation ? `explanation: ${score.explanation}` : ''].filter(Boolean).join('\n');
    rows.push({ label: score.scorer, value, origin: 'recorded' });
  }
  return rows;
}

/**
 * The loop's metrics: turns used, whether it finished naturally, and the four tool call counters.
 * For a trajectory opened from a file, a value the file records is shown as recorded (even where
 * the engine's rules would say otherwise) and every other value is marked derived.
 */
export function Counters({ snapshot }: { snapshot: RunSnapshot }) {
  const { counters, end } = snapshot;
  const imported = snapshot.source.imported as Imported | undefined;
  const row = (field: string, label: string, value: string, show: (v: unknown) => string): Row => {
    if (!imported) return { label, value, origin: null };
    // Replaying: the values as of the replayed turn, and the recorded final ones apart.
    if (!end) return { label, value, origin: 'derived', ...(field in imported.recorded ? { recordedFinal: show(imported.recorded[field]) } : {}) };
    const contradicted = imported.contradicted?.find((c) => c.field === field);
    if (contradicted) return { label, value: show(imported.recorded[field]), origin: 'recorded', contradiction: `${contradicted.note}; counted as ${show(contradicted.derived)}` };
    if (field in imported.recorded) return { label, value: show(imported.recorded[field]), origin: 'recorded' };
    return { label, value, origin: 'derived' };
  };
  const yesNo = (v: unknown): string => (v ? 'yes' : 'no');
  const num = (v: unknown): string => (typeof v === 'number' ? n(v) : String(v));
  const loop: Row[] = [
    row('turns_used', 'Turns used', n(end ? end.turnsUsed : snapshot.turns.length), num),
    row('finished_naturally', 'Finished naturally', end ? (end.reason === 'finished_naturally' ? 'yes' : 'no') : 'not yet', yesNo),
  ];
  if (imported && imported.reward !== null) loop.push({ label: 'Reward', value: String(imported.reward), origin: 'recorded' });
  if (imported?.stopReason) loop.push({ label: 'Stop reason', value: imported.stopReason, origin: 'recorded' });
  // The reference's tool_calls_attempted, _schema_valid, _executed_ok and _exec_error.
  const toolCalls: Row[] = [
    row('tool_calls_attempted', 'Attempted', n(counters.attempted), num),
    row('tool_calls_schema_valid', 'Schema valid', n(counters.schemaValid), num),
    row('tool_calls_executed_ok', 'Executed OK', n(counters.executedOk), num),
    row('tool_calls_exec_error', `Exec errors (${FAILED_CALLS_NAME.toLowerCase()})`, n(counters.execError), num),
  ];
  return (
    <div className="counter-groups">
      <CounterList title="Loop" rows={loop} />
      <CounterList title="Tool calls" rows={toolCalls} />
      {imported?.evaluation && <CounterList title="Evaluation" rows={evaluationRows(imported.evaluation)} className="evaluation" />}
    </div>
  );
}
