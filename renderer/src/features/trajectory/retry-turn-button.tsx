import { useStore } from '../../store/store.js';

/** Opens the New run form to retry a turn whose model call failed; the new run continues this one. */
export function RetryTurnButton({ runId, turn }: { runId: string; turn: number }) {
  const openNewRun = useStore((s) => s.openNewRun);
  return (
    <button type="button" onClick={() => openNewRun({ runId, turn })}>
      Retry turn
    </button>
  );
}
