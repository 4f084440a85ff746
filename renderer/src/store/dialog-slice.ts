import type { SliceCreator } from './store.js';

/**
 * Where a new run continues another: `retry` re-runs a turn whose model call failed; `continue`
 * starts a live branch from the end of `turn` (0: from the initial messages).
 */
export interface RetryTarget {
  runId: string;
  turn: number;
  mode?: 'retry' | 'continue';
}

/** Which dialog is open: the New run form (maybe as a retry) and the full text viewer. */
export interface DialogSlice {
  newRunOpen: boolean;
  retryOf: RetryTarget | null;
  /** A text too long for the page, shown whole in a read-only editor. */
  fullText: { title: string; text: string } | null;
  openNewRun(retryOf?: RetryTarget): void;
  closeNewRun(): void;
  showFullText(title: string, text: string): void;
  closeFullText(): void;
}

/** Builds the dialog slice. */
export const createDialogSlice: SliceCreator<DialogSlice> = (set) => ({
  newRunOpen: false,
  retryOf: null,
  fullText: null,
  openNewRun: (retryOf) => set({ newRunOpen: true, retryOf: retryOf ?? null }),
  closeNewRun: () => set({ newRunOpen: false, retryOf: null }),
  showFullText: (title, text) => set({ fullText: { title, text } }),
  closeFullText: () => set({ fullText: null }),
});
