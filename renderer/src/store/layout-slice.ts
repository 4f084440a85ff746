import { z } from 'zod';
import type { SliceCreator } from './store.js';

/** The panels that fold away to leave the trajectory and the prompt view the room. */
export const FOLDING_PANELS = ['collection', 'metrics', 'branches'] as const;
export type FoldingPanel = (typeof FOLDING_PANELS)[number];

/** The sizes a person drags: the collection's and metrics' heights, the turns' and prompt view's widths (px). */
export const RESIZABLE_PANELS = ['collection', 'metrics', 'turns', 'prompt'] as const;
export type ResizablePanel = (typeof RESIZABLE_PANELS)[number];

/** The layout kept across reloads (localStorage); a missing size is the stylesheet's default. */
export const LayoutSchema = z.object({
  collapsed: z.object({ collection: z.boolean(), metrics: z.boolean(), branches: z.boolean() }),
  sizes: z.object({ collection: z.number().positive(), metrics: z.number().positive(), turns: z.number().positive(), prompt: z.number().positive() }).partial(),
});
export type Layout = z.infer<typeof LayoutSchema>;

/** Where the layout is kept in localStorage. */
export const LAYOUT_KEY = 'trajdbg.layout';

/** Below this window height (px) metrics start folded, so the trajectory keeps most of the window. */
export const SHORT_WINDOW_HEIGHT = 760;

/** The layout of a first start: everything open, except metrics in a short window. */
export function defaultLayout(windowHeight: number): Layout {
  return { collapsed: { collection: false, metrics: windowHeight <= SHORT_WINDOW_HEIGHT, branches: false }, sizes: {} };
}

/** The stored layout, or the default when there is none or it no longer parses. */
export function loadLayout(storage: Pick<Storage, 'getItem'> | undefined, windowHeight: number): Layout {
  try {
    const text = storage?.getItem(LAYOUT_KEY);
    if (text) {
      const parsed = LayoutSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    }
  } catch {
    // Storage may be unavailable (privacy settings) or hold another version's text: start fresh.
  }
  return defaultLayout(windowHeight);
}

function saveLayout(layout: Layout): void {
  try {
    globalThis.localStorage?.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // A full or disabled storage only loses the layout for the next start.
  }
}

/** Which panels are folded and how large the resizable ones are, kept across reloads. */
export interface LayoutSlice {
  layout: Layout;
  setCollapsed(panel: FoldingPanel, collapsed: boolean): void;
  setPanelSize(panel: ResizablePanel, px: number): void;
}

export const createLayoutSlice: SliceCreator<LayoutSlice> = (set, get) => ({
  layout: loadLayout(globalThis.localStorage, globalThis.innerHeight ?? 900),
  setCollapsed(panel, collapsed) {
    const { layout } = get();
    const next = { ...layout, collapsed: { ...layout.collapsed, [panel]: collapsed } };
    set({ layout: next });
    saveLayout(next);
  },
  setPanelSize(panel, px) {
    const { layout } = get();
    const next = { ...layout, sizes: { ...layout.sizes, [panel]: Math.round(px) } };
    set({ layout: next });
    saveLayout(next);
  },
});
