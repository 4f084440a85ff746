import { useEffect, useLayoutEffect, useRef } from 'react';
import { neighbourIndex } from './collection-order.js';
import { isTyping } from '../../ui/typing.js';

const STEP: Record<string, 1 | -1> = { h: -1, H: -1, l: 1, L: 1 };

/**
 * `H` / `L` open the previous / next trajectory of `order` (as shown), relative to the open one.
 * Ignored while typing, while a dialog is open, and when another handler already took the key.
 * A trajectory is selected only once it has loaded, so a key that comes sooner steps from the one
 * last asked for, not from the one still shown (L then H comes back instead of going one before).
 */
export function useTrajectoryKeys(order: readonly number[], fullOrder: readonly number[], selectedIndex: number | null, onOpen: (index: number) => void): void {
  const latest = useRef({ order, fullOrder, selectedIndex, onOpen });
  /** The index the keys last asked for, until a selection lands. */
  const requested = useRef<number | null>(null);
  useLayoutEffect(() => {
    latest.current = { order, fullOrder, selectedIndex, onOpen };
  });
  useLayoutEffect(() => {
    requested.current = null;
  }, [selectedIndex]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent): void {
      const step = STEP[event.key];
      if (step === undefined || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open]') || isTyping(event.target)) return;
      event.preventDefault();
      const { order, fullOrder, selectedIndex, onOpen } = latest.current;
      const from = requested.current ?? selectedIndex;
      const next = neighbourIndex(order, from, step, fullOrder);
      if (next === null || next === from) return;
      requested.current = next;
      onOpen(next);
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);
}
