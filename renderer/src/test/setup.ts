import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { setFrameClock } from '../store/frame.js';
import { resetStore } from '../store/store.js';

// Monaco needs a real browser; component tests see its "Loading editor…" placeholder.
vi.mock('../features/monaco/load-monaco.js', () => ({ loadMonaco: () => new Promise(() => undefined) }));

// happy-dom does no layout: give the virtual lists' scroll containers a viewport so they render
// the rows in view (and only those), as a browser would.
const VIEWPORT = { clientHeight: 600, clientWidth: 400 };
for (const [property, size] of Object.entries(VIEWPORT)) {
  const native = Object.getOwnPropertyDescriptor(Element.prototype, property) ?? Object.getOwnPropertyDescriptor(HTMLElement.prototype, property);
  Object.defineProperty(HTMLElement.prototype, property, {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-virtual-scroller') ? size : (native?.get?.call(this) ?? 0);
    },
  });
}

// React's act() environment flag, so state updates in tests are flushed and not warned about.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// Commits in happy-dom are slow, and how slow depends on the machine: with the page's clock the
// frame scheduler would skip frames after them (see RENDER_SHARE) and tests would depend on it.
beforeEach(() => {
  resetStore();
  setFrameClock(() => 0);
});
afterEach(() => cleanup());
