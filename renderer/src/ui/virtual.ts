import { measureElement as measureRendered, type Virtualizer } from '@tanstack/react-virtual';

/**
 * Measures a rendered row; a row not laid out yet (size 0, e.g. in a test DOM) keeps its
 * estimate, so the list never collapses into rendering every row.
 */
export function measureOrEstimate(element: Element, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, Element>): number {
  const size = measureRendered(element, entry, instance);
  return size > 0 ? size : instance.options.estimateSize(instance.indexFromElement(element));
}
