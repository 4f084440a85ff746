import { snapshotOf, useLoading, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';

/** Run (resume), Pause, Step (one turn) and Stop for the selected run, enabled where they apply. */
export function RunControls() {
  const control = useStore((s) => s.control);
  const connected = useStore((s) => s.connection === 'open');
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  // Something loading (a file, a recording played to its end, a run's earlier events) is not
  // running; nor is a run whose loading was cancelled: where it is now is not known here.
  const loading = useLoading() !== null || view?.feed.catchUp === 'cancelled';
  const live = connected && !loading && snapshot !== null && snapshot.end === null;
  const paused = live && snapshot.pausedAt !== null;
  // Run and Step never decide on a command that waits: they say how to go on once it is decided.
  const deciding = paused && snapshot.pausedAt?.at === 'approval';
  return (
    <div className="button-group" role="group" aria-label="Run controls">
      <button type="button" disabled={!paused} onClick={() => void control('resume')} title={deciding ? 'Once the command is decided, continue until a breakpoint or the end' : 'Continue until a breakpoint or the end'}>
        Run
      </button>
      <button type="button" disabled={!live || paused} onClick={() => void control('pause')} title="Pause at the next step">
        Pause
      </button>
      <button type="button" disabled={!paused} onClick={() => void control('step')} title={deciding ? 'Once the command is decided, pause before the next model call' : 'Run one turn and pause before the next model call'}>
        Step
      </button>
      <button type="button" disabled={!live} onClick={() => void control('stop')} className="danger">
        Stop
      </button>
    </div>
  );
}
