import { useStore } from '../../store/store.js';
import { runLabel } from './run-label.js';

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The runs the engine knows (earlier ones stay selectable after a retry or a new run). */
export function RunPicker() {
  const runList = useStore((s) => s.runList);
  const selectedRunId = useStore((s) => s.selectedRunId);
  const selectRun = useStore((s) => s.selectRun);
  const runs = [...runList].sort((a, b) => b.startedAt - a.startedAt);
  const listed = selectedRunId === null || runs.some((r) => r.runId === selectedRunId);
  return (
    <label className="run-picker">
      Run
      <select value={selectedRunId ?? ''} onChange={(e) => selectRun(e.target.value || null)} disabled={runs.length === 0 && selectedRunId === null}>
        {selectedRunId === null && <option value="">No run</option>}
        {!listed && <option value={selectedRunId}>{selectedRunId}</option>}
        {runs.map((r) => (
          <option key={r.runId} value={r.runId}>
            {runLabel(r, (at) => time.format(at))}
          </option>
        ))}
      </select>
    </label>
  );
}
