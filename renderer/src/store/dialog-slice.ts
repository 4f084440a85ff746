import type { BranchChange } from '../../../shared/api/contract.js';
import type { SliceCreator } from './store.js';

/**
 * Where a new run continues another: `retry` re-runs a turn whose model call failed; `continue`
 * starts a live branch from the end of `turn` (0: from the initial messages).
 */
export interface RetryTarget {
  runId: string;
  turn: number;
  mode?: 'retry' | 'continue' | 'branch';
  /** For `branch`: the change, waiting for a model endpoint (a run without one of its own). */
  change?: BranchChange;
  reuseToolResults?: boolean;
}

/** What the edit dialog edits before it starts a branch. */
export type EditTarget =
  | { kind: 'tool_arguments'; runId: string; turn: number; index: number }
  | { kind: 'tool_result'; runId: string; turn: number; index: number }
  | { kind: 'assistant_message'; runId: string; turn: number }
  | { kind: 'resample'; runId: string; turn: number }
  | { kind: 'prompt'; runId: string };

/** Which dialog is open: the New run form (maybe as a retry) and the full text viewer. */
export interface DialogSlice {
  newRunOpen: boolean;
  retryOf: RetryTarget | null;
  /** A text too long for the page, shown whole in a read-only editor. */
  fullText: { title: string; text: string } | null;
  editing: EditTarget | null;
  /** Two runs side by side (left, right), or null. */
  comparing: { left: string; right: string } | null;
  openNewRun(retryOf?: RetryTarget): void;
  openEdit(target: EditTarget | null): void;
  /** Loads both runs and shows them side by side. */
  openCompare(left: string, right: string): Promise<void>;
  closeCompare(): void;
  closeNewRun(): void;
  showFullText(title: string, text: string): void;
  closeFullText(): void;
}

/** Builds the dialog slice. */
export const createDialogSlice: SliceCreator<DialogSlice> = (set, get) => ({
  newRunOpen: false,
  retryOf: null,
  fullText: null,
  editing: null,
  comparing: null,
  openNewRun: (retryOf) => set({ newRunOpen: true, retryOf: retryOf ?? null }),
  openEdit: (editing) => set({ editing }),
  async openCompare(left, right) {
    await Promise.all([get().catchUp(left), get().catchUp(right)]);
    set({ comparing: { left, right } });
  },
  closeCompare: () => set({ comparing: null }),
  closeNewRun: () => set({ newRunOpen: false, retryOf: null }),
  showFullText: (title, text) => set({ fullText: { title, text } }),
  closeFullText: () => set({ fullText: null }),
});
