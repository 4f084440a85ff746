import {
  elementScroll,
  measureElement as measureRendered,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type PartialKeys,
  type VirtualizerOptions,
} from '@tanstack/react-virtual';
import { useLayoutEffect, useReducer, useState } from 'react';
import { requestFrameRender } from '../store/frame.js';

/**
 * Measures a row from its ResizeObserver entry. A row just attached (no entry yet) keeps the size
 * it was last measured at, or its estimate: measuring it there would force a layout of the whole
 * page once per row mounted (thousands while a long run loads), and the observer reports its real
 * size before the frame is painted anyway. A row not laid out (size 0, e.g. in a test DOM) keeps
 * its estimate too, so the list never collapses into rendering every row.
 */
export function measureOrEstimate(element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number {
  const index = instance.indexFromElement(element);
  const known = () => instance.itemSizeCache.get(instance.options.getItemKey(index)) ?? instance.options.estimateSize(index);
  if (entry === undefined) return known();
  const size = measureRendered(element, entry, instance);
  return size > 0 ? size : known();
}

/** Each frame virtualizer's re-render, for {@link revealIndex}. */
const renderers = new WeakMap<Virtualizer<HTMLDivElement, Element>, () => void>();

type FrameVirtualizerOptions = PartialKeys<VirtualizerOptions<HTMLDivElement, Element>, 'observeElementRect' | 'observeElementOffset' | 'scrollToFn'>;

/**
 * `useVirtualizer` of an element-scrolled list that re-renders at the next frame, in the store's
 * commit, when its rows are measured or scrolled: a row growing as a reply streams in re-renders
 * the list with the next deltas, not in a commit of its own between two frames. Give it a stable
 * `getItemKey` (useCallback): a new one lays out every row again, O(rows) per render.
 */
export function useFrameVirtualizer(options: FrameVirtualizerOptions): Virtualizer<HTMLDivElement, Element> {
  const rerender = useReducer((x: number) => x + 1, 0)[1];
  const resolved: VirtualizerOptions<HTMLDivElement, Element> = {
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
    onChange: (instance, sync) => {
      requestFrameRender(rerender);
      options.onChange?.(instance, sync);
    },
  };
  const [instance] = useState(() => new Virtualizer(resolved));
  instance.setOptions(resolved);
  renderers.set(instance, rerender);
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}

/**
 * Scrolls row `index` into view from the list's own measurements, with one write (and a read of
 * where the browser stopped): `start` puts it at the top (the browser stops at the end), `auto`
 * scrolls only as far as it must. Not `scrollToIndex`, which checks its target again in the next
 * frames, and each check forces a layout of the whole page: 5 ms of every j/k press on a long
 * trajectory. A row above the view that is measured later keeps the view where it is (the
 * virtualizer's anchoring).
 */
export function revealIndex(virtualizer: Virtualizer<HTMLDivElement, Element>, index: number, align: 'start' | 'auto'): void {
  const element = virtualizer.scrollElement;
  const item = virtualizer.measurementsCache[index];
  if (!element || !item) return;
  const top = virtualizer.scrollOffset ?? 0;
  const height = virtualizer.scrollRect?.height ?? 0;
  let to = top;
  if (align === 'start' || item.start < top) to = item.start;
  // A row taller than the view, or a list not laid out yet (no height), shows the row from its top.
  else if (item.end > top + height) to = height > 0 ? Math.min(item.start, item.end - height) : item.start;
  if (to === top) return;
  element.scrollTop = to;
  // The rows at the new offset render now, in the commit that picked the row (call this from a
  // layout effect), not in the next frame once the browser reports the scroll.
  virtualizer.scrollOffset = element.scrollTop;
  renderers.get(virtualizer)?.();
}
