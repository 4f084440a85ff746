import { beforeEach, describe, expect, it } from 'vitest';
import { resetStore, useStore } from './store.js';

describe('selection slice', () => {
  beforeEach(() => resetStore());

  it('picking a turn, even the selected one again, asks to bring it into view; following the scroll does not', () => {
    const { selectTurn, followScroll } = useStore.getState();
    selectTurn(3);
    const first = useStore.getState().turnReveals;
    selectTurn(3);
    expect(useStore.getState().turnReveals).toBe(first + 1);
    followScroll(5);
    expect(useStore.getState()).toMatchObject({ selectedTurn: 5, turnReveals: first + 1 });
  });
});
