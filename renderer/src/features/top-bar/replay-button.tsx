import { useShownTrajectory } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';

/**
 * For a trajectory opened from a file: play it again from the start, paused before its first
 * turn, to step through it with the run controls and breakpoints as if it were running.
 */
export function ReplayButton() {
  const shown = useShownTrajectory();
  const open = useStore((s) => (shown ? s.files[shown.fileId] !== undefined : false));
  const view = useStore((s) => s.viewTrajectory);
  if (!shown || !open) return null;
  return (
    <button type="button" onClick={() => void view(shown.fileId, shown.index, { startPaused: true })} title="Step through this trajectory from its first turn">
      Replay from start
    </button>
  );
}
