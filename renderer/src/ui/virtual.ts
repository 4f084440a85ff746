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
 * Measures a rendered row; a row not laid out yet (size 0, e.g. in a test DOM) keeps its
 * estimate, so the list never collapses into rendering every row.
 */
export function measureOrEstimate(element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number {
  const size = measureRendered(element, entry, instance);
  return size > 0 ? size : instance.options.estimateSize(instance.indexFromElement(element));
}

type FrameVirtualizerOptions = PartialKeys<VirtualizerOptions<HTMLDivElement, Element>, 'observeElementRect' | 'observeElementOffset' | 'scrollToFn'>;

/**
 * `useVirtualizer` of an element-scrolled list that re-renders at the next frame, in the store's
 * commit, when its rows are measured or scrolled: a row growing as a reply streams in re-renders
 * the list with the next deltas, not in a commit of its own between two frames.
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
  useLayoutEffect(() => instance._didMount(), [instance]);
  useLayoutEffect(() => instance._willUpdate());
  return instance;
}
