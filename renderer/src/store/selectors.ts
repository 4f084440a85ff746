import { useShallow } from 'zustand/react/shallow';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import type { RunView } from './runs-slice.js';
import { loadingOf, runIsLoading, type Loading } from './loading.js';
import { activeFileOf, shownTrajectory, type ShownTrajectory } from './shown.js';
import { useStore } from './store.js';

/** The selected run's view (it changes identity whenever the run changes). */
export function useSelectedRunView(): RunView | undefined {
  return useStore((s) => (s.selectedRunId ? s.runs[s.selectedRunId] : undefined));
}

/** A run view's state, or null before its first event. */
export function snapshotOf(view: RunView | undefined): RunSnapshot | null {
  return view?.feed.snapshot ?? null;
}

/** The turn on show: the selected one, or the latest while following the run. */
export function effectiveTurn(snapshot: RunSnapshot | null, selectedTurn: number | null, loading: boolean): TurnRecord | null {
  const turn = currentTurnOf(snapshot, selectedTurn, loading);
  return turn === null ? null : (snapshot?.turns[turn - 1] ?? null);
}

/**
 * The number of the turn the views show as current: the one picked, else the latest; while the run
 * loads, turn 1. The views stay at the top of a loading run, and its first turn is there, with
 * its prompt (the latest turn's events may not have come yet); once it has loaded they go to the
 * latest turn. Null while the run has no turn.
 */
export function currentTurnOf(snapshot: RunSnapshot | null, selectedTurn: number | null, loading: boolean): number | null {
  if (selectedTurn !== null) return selectedTurn;
  const count = snapshot?.turns.length ?? 0;
  if (count === 0) return null;
  return loading ? 1 : count;
}

/**
 * Whether the selected run is still loading (its earlier events arriving a page at a time). The
 * views do not follow its latest turn meanwhile: scrolling to each page's last turn laid the page
 * out again and again, most of the time a long trajectory took to open.
 */
export function useSelectedRunLoading(): boolean {
  return useStore((s) => s.selectedRunId !== null && runIsLoading(s, s.selectedRunId));
}

/** The selected run's state and the turn on show, re-rendering once per change of the run. */
export function useSelectedTurn(): { view: RunView | undefined; snapshot: RunSnapshot | null; turn: TurnRecord | null } {
  const view = useSelectedRunView();
  const selectedTurn = useStore((s) => s.selectedTurn);
  const loading = useSelectedRunLoading();
  const snapshot = snapshotOf(view);
  return { view, snapshot, turn: effectiveTurn(snapshot, selectedTurn, loading) };
}

/** The file trajectory the selected run shows, or null (see {@link shownTrajectory}). */
export function useShownTrajectory(): ShownTrajectory | null {
  const fileId = useStore((s) => shownTrajectory(s)?.fileId ?? null);
  const index = useStore((s) => shownTrajectory(s)?.index ?? null);
  const runId = useStore((s) => s.selectedRunId);
  return fileId !== null && index !== null && runId !== null ? { fileId, index, runId } : null;
}

/** The file the collection panel shows (see {@link activeFileOf}). */
export function useActiveFileId(): string | null {
  return useStore(activeFileOf);
}

/** What the page is loading for the current selection (see {@link loadingOf}), or null. */
export function useLoading(): Loading | null {
  // One loadingOf per store update, its fields compared one by one.
  const { name, progress, detail, fileId, runId } = useStore(
    useShallow((s) => {
      const loading = loadingOf(s);
      return { name: loading?.name ?? null, progress: loading?.progress ?? null, detail: loading?.detail ?? null, fileId: loading?.cancel.fileId ?? null, runId: loading?.cancel.runId ?? null };
    }),
  );
  return name === null ? null : { name, progress, detail, cancel: { fileId, runId } };
}
