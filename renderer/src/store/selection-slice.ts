import { originOf } from './shown.js';
import type { SliceCreator } from './store.js';

/** What the user is looking at: the run, the turn, and the turn list's filters. */
export interface SelectionSlice {
  selectedRunId: string | null;
  /** The selected turn; null follows the latest turn. */
  selectedTurn: number | null;
  errorsOnly: boolean;
  findText: string;
  selectRun(runId: string | null): void;
  selectTurn(turn: number | null): void;
  setErrorsOnly(on: boolean): void;
  setFindText(text: string): void;
}

/** Builds the selection slice. */
export const createSelectionSlice: SliceCreator<SelectionSlice> = (set, get) => ({
  selectedRunId: null,
  selectedTurn: null,
  errorsOnly: false,
  findText: '',
  selectRun(runId) {
    // A run shown from an open file brings its file into the collection panel too.
    const origin = runId ? originOf(get(), runId) : null;
    set({ selectedRunId: runId, selectedTurn: null, ...(origin && get().files[origin.fileId] ? { activeFileId: origin.fileId } : {}) });
    if (runId) void get().catchUp(runId);
  },
  selectTurn: (turn) => set({ selectedTurn: turn }),
  setErrorsOnly: (errorsOnly) => set({ errorsOnly }),
  setFindText: (findText) => set({ findText }),
});
