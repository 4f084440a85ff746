import { originOf } from './shown.js';
import type { SliceCreator } from './store.js';

/** What the user is looking at: the run, the turn, and the turn list's filters. */
export interface SelectionSlice {
  selectedRunId: string | null;
  /** The selected turn; null follows the latest turn. */
  selectedTurn: number | null;
  /** Counts the times a turn was picked: each one brings it into view again, even when already selected. */
  turnReveals: number;
  errorsOnly: boolean;
  findText: string;
  selectRun(runId: string | null): void;
  /** Picks a turn and brings it into view (a click, a key). */
  selectTurn(turn: number | null): void;
  /** Follows the trajectory as the user scrolls it: selects the turn at the top, without scrolling to it. */
  followScroll(turn: number): void;
  setErrorsOnly(on: boolean): void;
  setFindText(text: string): void;
}

/** Builds the selection slice. */
export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selectedRunId: null,
  selectedTurn: null,
  turnReveals: 0,
  errorsOnly: false,
  findText: '',
  selectRun(runId) {
    // A run shown from an open file brings its file into the collection panel too.
    const origin = runId ? originOf(get(), runId) : null;
    set({ selectedRunId: runId, selectedTurn: null, ...(origin && get().files[origin.fileId] ? { activeFileId: origin.fileId } : {}) });
    if (runId) void get().catchUp(runId);
  },
  selectTurn: (turn) => set((s) => ({ selectedTurn: turn, turnReveals: s.turnReveals + 1 })),
  followScroll: (turn) => set((s) => (s.selectedTurn === turn ? s : { selectedTurn: turn })),
  setErrorsOnly: (errorsOnly) => set({ errorsOnly }),
  setFindText: (findText) => set({ findText }),
});
