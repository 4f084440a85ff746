import { useStore } from '../../store/store.js';

/** Opens the New run form to retry a turn whose model call failed; the new run continues this one. */
export function RetryTurnButton({ runId, turn }: { runId: string; turn: number }) {
  const openNewRun = useStore((s) => s.openNewRun);
  return (
    <button type="button" onClick={() => openNewRun({ mode: 'retry', runId, turn })}>
      Retry turn
    </button>
  );
}

/** Opens the New run form to continue this trajectory live against a model from the end of a turn (a new branch). */
export function ContinueButton({ runId, turn }: { runId: string; turn: number }) {
  const openNewRun = useStore((s) => s.openNewRun);
  return (
    <button type="button" className="small-button" onClick={() => openNewRun({ mode: 'continue', runId, turn })} aria-label={`Continue live from turn ${turn}`}>
      Continue live…
    </button>
  );
}
