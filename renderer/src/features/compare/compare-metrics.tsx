import { useMemo } from 'react';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { compareMetrics } from './compare-model.js';
import { RowHead, Value } from './diff-cells.js';

/** The two runs' loop metrics in one table, the values that differ highlighted (with the change for counts). */
export function CompareMetrics({ left, right, leftLabel, rightLabel, version }: { left: RunSnapshot; right: RunSnapshot; leftLabel: string; rightLabel: string; version: string }) {
  // Snapshots change in place while a run goes on: `version` (their last sequence numbers) says when.
  const rows = useMemo(() => compareMetrics(left, right), [left, right, version]);
  return (
    <table className="compare-table compare-metrics">
      <caption>Metrics</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Metric</span>
          </th>
          <th scope="col">{leftLabel}</th>
          <th scope="col">{rightLabel}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const changed = row.left !== row.right;
          return (
            <tr key={row.label} className={changed ? 'is-changed' : undefined}>
              <RowHead label={row.label} changed={changed} />
              <td>
                <Value changed={changed}>{row.left}</Value>
              </td>
              <td>
                <Value changed={changed}>{row.right}</Value>
                {changed && row.delta !== null && <span className="muted diff-delta"> ({row.delta > 0 ? '+' : '−'}{Math.abs(row.delta).toLocaleString('en-US')})</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
