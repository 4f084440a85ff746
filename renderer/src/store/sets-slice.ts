import type { OpenedSet } from '#shared/api/contract.js';
import type { SliceCreator } from './store.js';

/** The rollout sets open in the engine, and the one on show. */
export interface SetsSlice {
  sets: Record<string, OpenedSet>;
  activeSetId: string | null;
  /** Lists the sets the engine has open (`trajdbg serve --open DIR`, another tab). */
  loadSets(): Promise<void>;
  /** Opens a path typed in Open: a folder, glob, Parquet or compressed shard as a set, anything else as a file. */
  openPath(path: string): Promise<void>;
  receiveSet(set: OpenedSet): void;
  /** Shows rollout `rid` of a set as a run, in every view. */
  viewRollout(setId: string, rid: number): Promise<void>;
  closeSet(setId: string): Promise<void>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const createSetsSlice: SliceCreator<SetsSlice> = (set, get) => ({
  sets: {},
  activeSetId: null,

  async loadSets() {
    const c = get().client;
    if (!c) return;
    try {
      const { sets } = await c.call('set.list', {});
      for (const s of sets) get().receiveSet(s);
    } catch {
      // No sets to show: the file views work as before.
    }
  },

  async openPath(path) {
    const c = get().client;
    if (!c) throw new Error('Not connected to the engine');
    const { set: opened } = await c.call('set.open', { sources: [path], onlyIfSet: true });
    if (!opened) return get().openFile(path);
    get().receiveSet(opened);
    set({ activeSetId: opened.setId, openFileOpen: false });
  },

  receiveSet(opened) {
    set((s) => ({ sets: { ...s.sets, [opened.setId]: opened }, activeSetId: s.activeSetId ?? opened.setId }));
  },

  async viewRollout(setId, rid) {
    const c = get().client;
    if (!c) return;
    try {
      const { runId } = await c.call('set.view', { setId, rid, breakpoints: get().breakpoints });
      get().selectRun(runId);
      void get().refreshRunList();
    } catch (error) {
      get().reportError(`Could not open rollout ${rid}: ${messageOf(error)}`);
    }
  },

  async closeSet(setId) {
    try {
      await get().client?.call('set.close', { setId });
    } catch (error) {
      get().reportError(`Could not close the set: ${messageOf(error)}`);
    }
    set((s) => {
      const { [setId]: _closed, ...sets } = s.sets;
      return { sets, activeSetId: s.activeSetId === setId ? (Object.keys(sets)[0] ?? null) : s.activeSetId };
    });
  },
});
