import { act, render } from '@testing-library/react';
import { Profiler, useRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { requestFrameFlush, setFrameScheduler } from '../store/frame.js';
import { useStore } from '../store/store.js';
import type { Virtualizer } from '@tanstack/react-virtual';
import { measureOrEstimate, revealIndex, useFrameVirtualizer } from './virtual.js';

/** A virtual list of `count` rows that also reads the store, as the turn list and the trajectory do. */
function List({ count, onVirtualizer }: { count: number; onVirtualizer: (v: Virtualizer<HTMLDivElement, Element>) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const runs = useStore((s) => s.runs);
  const virtualizer = useFrameVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => 40, measureElement: measureOrEstimate });
  onVirtualizer(virtualizer);
  return (
    <div ref={scrollRef} data-virtual-scroller="">
      <div style={{ height: virtualizer.getTotalSize() }} data-runs={Object.keys(runs).length}>
        {virtualizer.getVirtualItems().map((item) => (
          <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
            row {item.index}
          </div>
        ))}
      </div>
    </div>
  );
}

describe('useFrameVirtualizer', () => {
  it('re-renders a list whose rows changed in the same commit as the store, at the next frame', () => {
    const queue: Array<() => void> = [];
    setFrameScheduler((callback) => queue.push(callback));
    const frame = () => act(() => queue.splice(0).forEach((f) => f()));
    let commits = 0;
    let virtualizer: Virtualizer<HTMLDivElement, Element> | null = null;
    const { getByText } = render(
      <Profiler id="list" onRender={() => commits++}>
        <List count={50} onVirtualizer={(v) => (virtualizer = v)} />
      </Profiler>,
    );
    frame();
    expect(getByText('row 0')).toBeTruthy();

    commits = 0;
    act(() => {
      // Between two frames: a row is measured again (a reply grew it) and deltas reach the store.
      virtualizer!.resizeItem(0, 200);
      requestFrameFlush(() => useStore.setState({ runs: { ...useStore.getState().runs } }));
    });
    expect(commits).toBe(0);
    frame();
    expect(commits).toBe(1);
    expect(virtualizer!.getTotalSize()).toBe(200 + 49 * 40);
  });

  it('reveals a row in the commit that asks for it, with one write: at the top, or only as far as it must', () => {
    const queue: Array<() => void> = [];
    setFrameScheduler((callback) => queue.push(callback));
    let virtualizer: Virtualizer<HTMLDivElement, Element> | null = null;
    const { container, getByText, queryByText } = render(<List count={1_000} onVirtualizer={(v) => (virtualizer = v)} />);
    act(() => queue.splice(0).forEach((f) => f()));
    const scroller = container.querySelector<HTMLElement>('[data-virtual-scroller]')!;
    const writes: number[] = [];
    const scrollTop = vi.spyOn(scroller, 'scrollTop', 'set').mockImplementation((top: number) => writes.push(top));
    const readBack = vi.spyOn(scroller, 'scrollTop', 'get').mockImplementation(() => writes.at(-1) ?? 0);
    try {
      expect(queryByText('row 500')).toBeNull();
      act(() => revealIndex(virtualizer!, 500, 'start'));
      // No frame ran: the rows at the new offset are there already.
      expect(queue).toEqual([]);
      expect(getByText('row 500')).toBeTruthy();
      expect(writes).toEqual([500 * 40]);
      act(() => revealIndex(virtualizer!, 500, 'auto'));
      expect(writes).toEqual([500 * 40]);
      act(() => revealIndex(virtualizer!, 499, 'auto'));
      expect(writes).toEqual([500 * 40, 499 * 40]);
      expect(getByText('row 499')).toBeTruthy();
      // Laid out 400 px high: a row below the view is brought up to its bottom edge, no further.
      virtualizer!.scrollRect = { width: 300, height: 400 };
      act(() => revealIndex(virtualizer!, 520, 'auto'));
      expect(writes.at(-1)).toBe(521 * 40 - 400);
      expect(getByText('row 520')).toBeTruthy();
    } finally {
      scrollTop.mockRestore();
      readBack.mockRestore();
      setFrameScheduler();
    }
  });
});
