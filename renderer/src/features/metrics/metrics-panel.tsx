import { snapshotOf, useSelectedRunView } from '../../store/selectors.js';
import { Counters } from './counters.js';
import { TokensChart } from './tokens-chart.js';
import { ToolErrorList } from './tool-error-list.js';
import './metrics.css';

/** The bottom panel: the run's metrics, its tool errors and tokens per turn (collapsible). */
export function MetricsPanel() {
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  return (
    <section aria-label="Metrics" className="metrics-panel">
      <details open>
        <summary>
          <h2 className="panel-title">Metrics</h2>
        </summary>
        {snapshot ? (
          <div className="metrics-body">
            <Counters snapshot={snapshot} />
            <ToolErrorList snapshot={snapshot} version={view?.version ?? 0} />
            <TokensChart snapshot={snapshot} />
          </div>
        ) : (
          <p className="empty">No run selected.</p>
        )}
      </details>
    </section>
  );
}
