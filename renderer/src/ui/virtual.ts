import { measureElement as measureRendered, type Virtualizer } from '@tanstack/react-virtual';

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
