import { snapshotOf, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { describeRunState } from './status-text.js';

/** The run's state in words; screen readers hear each change. */
export function RunStatus() {
  const connection = useStore((s) => s.connection);
  const runSelected = useStore((s) => s.selectedRunId !== null);
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  const text = describeRunState(connection, runSelected, snapshot);
  const tone = connection === 'closed' || snapshot?.end?.reason === 'model_error' || snapshot?.end?.reason === 'failed' ? 'bad' : snapshot?.pausedAt ? 'paused' : 'normal';
  return (
    <p role="status" aria-live="polite" className={`run-status tone-${tone}`}>
      {text}
    </p>
  );
}
