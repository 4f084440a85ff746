import { create, type StateCreator } from 'zustand';
import { createDialogSlice, type DialogSlice } from './dialog-slice.js';
import { createEngineSlice, type EngineSlice } from './engine-slice.js';
import { createFilesSlice, type FilesSlice } from './files-slice.js';
import { setFrameScheduler } from './frame.js';
import { createLayoutSlice, type LayoutSlice } from './layout-slice.js';
import { createRunsSlice, type RunsSlice } from './runs-slice.js';
import { createSelectionSlice, type SelectionSlice } from './selection-slice.js';
import { createSetsSlice, type SetsSlice } from './sets-slice.js';

/** The whole UI state: one store built from slices, each with its own actions. */
export type Store = EngineSlice & RunsSlice & SelectionSlice & DialogSlice & FilesSlice & LayoutSlice & SetsSlice;

/** A slice of {@link Store}: it may read and call the other slices. */
export type SliceCreator<T> = StateCreator<Store, [], [], T>;

/** The UI's store. Components select single values (or use useShallow), never the whole store. */
export const useStore = create<Store>()((...args) => ({
  ...createEngineSlice(...args),
  ...createRunsSlice(...args),
  ...createSelectionSlice(...args),
  ...createDialogSlice(...args),
  ...createFilesSlice(...args),
  ...createLayoutSlice(...args),
  ...createSetsSlice(...args),
}));

/** Back to the initial state (tests): no client, no runs, the real frame scheduler. */
export function resetStore(): void {
  setFrameScheduler();
  useStore.setState(useStore.getInitialState(), true);
}
