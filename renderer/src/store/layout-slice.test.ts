import { describe, expect, it } from 'vitest';
import { LAYOUT_KEY, defaultLayout, loadLayout } from './layout-slice.js';
import { useStore } from './store.js';

const storage = (text: string | null) => ({ getItem: (key: string) => (key === LAYOUT_KEY ? text : null) });

describe('layout', () => {
  it('starts with metrics folded in a short window only', () => {
    expect(loadLayout(storage(null), 720).collapsed).toEqual({ collection: false, metrics: true, branches: false });
    expect(loadLayout(storage(null), 900).collapsed.metrics).toBe(false);
  });

  it('falls back to the default when the stored text is not a layout', () => {
    expect(loadLayout(storage('{"collapsed": {"metrics": "yes"}}'), 900)).toEqual(defaultLayout(900));
    expect(loadLayout(storage('not json'), 900)).toEqual(defaultLayout(900));
  });

  it('keeps what the person folded and dragged for the next start', () => {
    useStore.getState().setCollapsed('collection', true);
    useStore.getState().setPanelSize('turns', 301.6);
    const next = loadLayout(localStorage, 900);
    expect(next.collapsed.collection).toBe(true);
    expect(next.sizes.turns).toBe(302);
  });
});
