import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';

const n = (value: number): string => value.toLocaleString('en-US');

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A count nested one level down (`completion_tokens_details.reasoning_tokens`), when reported. */
function detail(usage: Record<string, unknown>, group: string, field: string): number | null {
  const details = usage[group];
  return details !== null && typeof details === 'object' ? count((details as Record<string, unknown>)[field]) : null;
}

/** The server's token counts for a turn, as `[label, value]` pairs, in the order a person reads them. */
export function reportedUsage(usage: Record<string, unknown> | null): Array<[string, number]> {
  if (!usage) return [];
  const rows: Array<[string, number | null]> = [
    ['Reported prompt', count(usage.prompt_tokens)],
    ['Cached', detail(usage, 'prompt_tokens_details', 'cached_tokens')],
    ['Completion', count(usage.completion_tokens)],
    ['Reasoning', detail(usage, 'completion_tokens_details', 'reasoning_tokens')],
    ['Total', count(usage.total_tokens)],
  ];
  return rows.filter((row): row is [string, number] => row[1] !== null);
}

/** Whether the turn's timings and usage came from an opened file (which may not record them). */
export function isImported(snapshot: RunSnapshot): boolean {
  return snapshot.source.imported !== undefined;
}

/**
 * A turn's estimated prompt tokens beside what the server reported (prompt, completion, total)
 * and how long the model call took; what the run did not record is said, not shown as zero.
 */
export function TurnUsage({ snapshot, turn }: { snapshot: RunSnapshot; turn: TurnRecord }) {
  const estimate = turn.promptView?.estimatedTokens;
  const imported = isImported(snapshot);
  const reported = reportedUsage(turn.usage);
  const answered = turn.reply !== null || turn.failure !== null;
  return (
    <dl className="turn-usage" aria-label={`Tokens and latency of turn ${turn.turn}`}>
      {estimate !== undefined && (
        <div>
          <dt>Estimated prompt</dt>
          <dd>{n(estimate)}</dd>
        </div>
      )}
      {reported.map(([label, value]) => (
        <div key={label} className="is-reported">
          <dt>{label}</dt>
          <dd>{n(value)}</dd>
        </div>
      ))}
      {answered && reported.length === 0 && !turn.edited && (
        <div>
          <dt>Usage</dt>
          <dd>{imported ? 'not in the file' : 'not reported'}</dd>
        </div>
      )}
      {answered && !turn.edited && (
        <div>
          <dt>Latency</dt>
          <dd>{turn.latencyMs === null ? (imported ? 'not in the file' : 'not reported') : `${n(Math.round(turn.latencyMs))} ms`}</dd>
        </div>
      )}
    </dl>
  );
}
