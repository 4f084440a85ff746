import { useMemo, useState } from 'react';
import { useStore } from '../../store/store.js';
import { branchFamily, outcomeText } from './branch-tree.js';
import '../../ui/fold-toggle.css';
import './branches-panel.css';

/**
 * The branch tree of the selected run: the run it descends from and every branch, where each
 * forks and how each ended. Selecting a branch shows it in every view; Compare opens two side by side.
 */
export function BranchesPanel() {
  const runList = useStore((s) => s.runList);
  const selected = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);
  const openCompare = useStore((s) => s.openCompare);
  const family = useMemo(() => branchFamily(runList, selected), [runList, selected]);
  const current = family.find((n) => n.run.runId === selected)?.run;
  const others = family.filter((n) => n.run.runId !== selected);
  const [otherId, setOtherId] = useState<string | null>(null);
  const expanded = !useStore((s) => s.layout.collapsed.branches);
  const setCollapsed = useStore((s) => s.setCollapsed);
  if (family.length < 2 || !current) return null;
  const defaultOther = current.parentRunId && others.some((n) => n.run.runId === current.parentRunId) ? current.parentRunId : others[0]!.run.runId;
  const compareWith = otherId && others.some((n) => n.run.runId === otherId) ? otherId : defaultOther;
  return (
    <section aria-label="Branches" className="panel branches-panel">
      <h2 className="panel-title">
        <button type="button" className="fold-toggle" aria-expanded={expanded} aria-controls="branches-body" onClick={() => setCollapsed('branches', expanded)}>
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> Branches
        </button>
      </h2>
      <div id="branches-body" hidden={!expanded}>
        <ul className="branch-list">
          {family.map(({ run, depth }) => (
            <li key={run.runId} className={`branch-item${run.runId === selected ? ' is-current' : ''}`} style={{ paddingLeft: 8 + depth * 14 }} aria-current={run.runId === selected ? 'true' : undefined}>
              <button type="button" className="branch-select" onClick={() => selectRun(run.runId)}>
                <span className="branch-title">{depth === 0 ? run.title : (run.change ?? run.title)}</span>
                {run.forkTurn !== null && depth > 0 && <span className="muted"> from turn {run.forkTurn + 1}</span>}
              </button>
              <span className={`badge ${run.outcome?.toolErrors ? 'tone-bad' : run.outcome?.finishedNaturally ? 'tone-ok' : 'tone-info'}`}>{outcomeText(run)}</span>
            </li>
          ))}
        </ul>
        <div className="panel-tools">
          <label>
            Compare with{' '}
            <select value={compareWith} onChange={(e) => setOtherId(e.target.value)}>
              {others.map(({ run }) => (
                <option key={run.runId} value={run.runId}>
                  {run.change ?? run.title}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void openCompare(compareWith, current.runId)}>
            Compare
          </button>
        </div>
      </div>
    </section>
  );
}
