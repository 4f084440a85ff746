import { useEffect, type RefObject } from 'react';
import { useStore } from '../../store/store.js';
import { neighbourTurn } from './turn-filter.js';
import { isTyping } from '../../ui/typing.js';

const CHORD_MS = 800;

/**
 * Vim-style turn navigation over the visible turns: `j`/`k` next/previous, `gg` first, `G` last;
 * `/` or Ctrl+F focuses the find box. Ignored while typing and while a dialog is open. With no turn
 * picked, they move from `unselectedTurn`, the turn the views show as current.
 */
export function useTurnKeys(visible: readonly number[], unselectedTurn: number | null, findBox: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    let lastG = 0;
    function select(turn: number | null): void {
      if (turn !== null) useStore.getState().selectTurn(turn);
    }
    function onKeyDown(event: KeyboardEvent): void {
      if (document.querySelector('dialog[open]')) return;
      const findKey = event.key === '/' || ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f');
      if (isTyping(event.target)) return;
      if (findKey) {
        event.preventDefault();
        findBox.current?.focus();
        findBox.current?.select();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const current = useStore.getState().selectedTurn ?? unselectedTurn;
      switch (event.key) {
        case 'j':
          select(neighbourTurn(visible, current, 1));
          break;
        case 'k':
          select(neighbourTurn(visible, current, -1));
          break;
        case 'G':
          select(visible[visible.length - 1] ?? null);
          break;
        case 'g':
          if (event.timeStamp - lastG < CHORD_MS) {
            select(visible[0] ?? null);
            lastG = 0;
          } else {
            lastG = event.timeStamp;
          }
          return;
        default:
          return;
      }
      event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [visible, unselectedTurn, findBox]);
}
