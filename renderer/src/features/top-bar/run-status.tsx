import type { Loading } from '../../store/loading.js';
import { snapshotOf, useLoading, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { describeCancelledLoad, describeRunState } from './status-text.js';

/**
 * A load on its way: how far it got, and Cancel (stops indexing the file, and fetching the run's
 * events or playing the recording). It sits at the right end of the row under the status, with
 * Cancel last, after the growing detail text and the fixed-width bar: Cancel stays put under the
 * pointer while the numbers change, and the row never wraps as they grow.
 */
function LoadingControls({ loading }: { loading: Loading }) {
  const cancelFile = useStore((s) => s.cancelFile);
  const cancelLoading = useStore((s) => s.cancelLoading);
  const { fileId, runId } = loading.cancel;
  const label = `Loading ${loading.name}`;
  return (
    <span className="run-loading">
      {loading.detail && <span className="muted load-detail">{loading.detail}</span>}
      {loading.progress === null ? <progress aria-label={label} /> : <progress aria-label={label} max={100} value={Math.round(loading.progress * 100)} />}
      {/* Kept for as long as the load goes on, from the file's index to its run's last events: a
          button that left and came back would move under the pointer and lose a press meant for
          it. Every load has something to stop (its file, its run, or both). */}
      <button
        type="button"
        onClick={() => {
          if (fileId) void cancelFile(fileId);
          if (runId) void cancelLoading(runId);
        }}
      >
        Cancel
      </button>
    </span>
  );
}

/** The run's state in words (or what is loading); screen readers hear each change. */
export function RunStatus() {
  const connection = useStore((s) => s.connection);
  const runSelected = useStore((s) => s.selectedRunId !== null);
  const view = useSelectedRunView();
  const loading = useLoading();
  const snapshot = snapshotOf(view);
  const shownLoading = connection === 'open' ? loading : null;
  const text = shownLoading
    ? `Loading ${shownLoading.name}`
    : view?.feed.catchUp === 'cancelled' && connection === 'open'
      ? describeCancelledLoad(snapshot?.turns.length ?? 0)
      : describeRunState(connection, runSelected, snapshot);
  const tone = shownLoading ? 'normal' : connection === 'closed' || snapshot?.end?.reason === 'model_error' || snapshot?.end?.reason === 'failed' ? 'bad' : snapshot?.pausedAt ? 'paused' : 'normal';
  return (
    <p role="status" aria-live="polite" className={`run-status tone-${tone}`}>
      {text}
    </p>
  );
}

/** How far the current load got, with its Cancel button, while one is on its way. */
export function LoadProgress() {
  const connection = useStore((s) => s.connection);
  const loading = useLoading();
  return connection === 'open' && loading ? <LoadingControls loading={loading} /> : null;
}
