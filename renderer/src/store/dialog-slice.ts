import type { BranchChange, RunSettings } from '#shared/api/contract.js';
import type { SliceCreator } from './store.js';

/**
 * Where a new run continues another: `retry` re-runs a turn whose model call failed; `continue`
 * starts a live branch from the end of `turn` (0: from the initial messages); `branch` starts a
 * branch with `change`, waiting for a model endpoint (a run without one of its own).
 */
export type RetryTarget =
  | { mode: 'retry'; runId: string; turn: number }
  | { mode: 'continue'; runId: string; turn: number }
  | { mode: 'branch'; runId: string; turn: number; change: BranchChange; reuseToolResults: boolean };

/** What the edit dialog edits before it starts a branch. */
export type EditTarget =
  | { kind: 'tool_arguments'; runId: string; turn: number; index: number }
  /** A tool call that has not run yet, in the run paused before it: edited in place, no branch. */
  | { kind: 'pending_arguments'; runId: string; turn: number; index: number }
  | { kind: 'tool_result'; runId: string; turn: number; index: number }
  | { kind: 'assistant_message'; runId: string; turn: number }
  | { kind: 'resample'; runId: string; turn: number }
  | { kind: 'prompt'; runId: string }
  /** Not a branch by itself: the model asked once from a turn, then maybe continued as a branch. */
  | { kind: 'ask_once'; runId: string; turn: number };

/** The New run form's starting point: the last settings saved (never the key), or why they are missing. */
export type LastSettings =
  | { loaded: true; settings: RunSettings | null; hasApiKey: boolean }
  | { loaded: false; note: string };

/** Which dialog is open (New run, maybe as a retry; Open file; Export; edit; compare; full text). */
export interface DialogSlice {
  newRunOpen: boolean;
  retryOf: RetryTarget | null;
  /** The last settings for the New run form; null while they load. */
  lastSettings: LastSettings | null;
  openFileOpen: boolean;
  exportOpen: boolean;
  /** A text too long for the page, shown whole in a read-only editor. */
  fullText: { title: string; text: string } | null;
  editing: EditTarget | null;
  /** Two runs side by side (left, right), or null. */
  comparing: { left: string; right: string } | null;
  openNewRun(retryOf?: RetryTarget): void;
  /** Loads the last settings for the open New run form. */
  loadLastSettings(): Promise<void>;
  openEdit(target: EditTarget | null): void;
  /** Loads both runs and shows them side by side. */
  openCompare(left: string, right: string): Promise<void>;
  closeCompare(): void;
  closeNewRun(): void;
  showOpenFile(open: boolean): void;
  showExport(open: boolean): void;
  showFullText(title: string, text: string): void;
  closeFullText(): void;
}

/** Builds the dialog slice. */
export const createDialogSlice: SliceCreator<DialogSlice> = (set, get) => ({
  newRunOpen: false,
  retryOf: null,
  lastSettings: null,
  openFileOpen: false,
  exportOpen: false,
  fullText: null,
  editing: null,
  comparing: null,
  openNewRun: (retryOf) => set({ newRunOpen: true, retryOf: retryOf ?? null, lastSettings: null }),
  async loadLastSettings() {
    let lastSettings: LastSettings;
    try {
      const client = get().client;
      if (!client) throw new Error('Not connected to the engine');
      const { settings, hasApiKey } = await client.call('settings.load', {});
      lastSettings = { loaded: true, settings, hasApiKey };
    } catch (error) {
      lastSettings = { loaded: false, note: `The last settings could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
    }
    // A form closed meanwhile keeps nothing.
    if (get().newRunOpen) set({ lastSettings });
  },
  openEdit: (editing) => set({ editing }),
  async openCompare(left, right) {
    await Promise.all([get().catchUp(left), get().catchUp(right)]);
    set({ comparing: { left, right } });
  },
  closeCompare: () => set({ comparing: null }),
  closeNewRun: () => set({ newRunOpen: false, retryOf: null, lastSettings: null }),
  showOpenFile: (openFileOpen) => set({ openFileOpen }),
  showExport: (exportOpen) => set({ exportOpen }),
  showFullText: (title, text) => set({ fullText: { title, text } }),
  closeFullText: () => set({ fullText: null }),
});
