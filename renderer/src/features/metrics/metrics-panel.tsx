import { snapshotOf, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { Splitter } from '../../ui/splitter.js';
import { Counters } from './counters.js';
import { TokensChart } from './tokens-chart.js';
import { ToolErrorList } from './tool-error-list.js';
import '../../ui/fold-toggle.css';
import './metrics.css';

/** The bottom panel: the run's metrics, its tool errors and tokens per turn (folds away, resizes). */
export function MetricsPanel() {
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  const expanded = !useStore((s) => s.layout.collapsed.metrics);
  const setCollapsed = useStore((s) => s.setCollapsed);
  return (
    <section aria-label="Metrics" className={`metrics-panel${expanded ? ' is-expanded' : ''}`}>
      {expanded && <Splitter panel="metrics" label="Resize the metrics" orientation="horizontal" grow={-1} min={60} max={() => window.innerHeight * 0.7} />}
      <h2 className="panel-title">
        <button type="button" className="fold-toggle" aria-expanded={expanded} aria-controls="metrics-body" onClick={() => setCollapsed('metrics', expanded)}>
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> Metrics
        </button>
      </h2>
      <div id="metrics-body" className="metrics-scroll" hidden={!expanded}>
        {snapshot ? (
          <div className="metrics-body">
            <Counters snapshot={snapshot} />
            <ToolErrorList snapshot={snapshot} version={view?.version ?? 0} />
            <TokensChart snapshot={snapshot} />
          </div>
        ) : (
          <p className="empty">No run selected.</p>
        )}
      </div>
    </section>
  );
}
