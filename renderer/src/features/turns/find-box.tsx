import type { RefObject } from 'react';
import { useStore } from '../../store/store.js';
import { neighbourTurn } from './turn-filter.js';

/** "Find in trajectory": filters the turns to those containing the text; Enter jumps to the next. */
export function FindBox({ inputRef, matches, latestTurn }: { inputRef: RefObject<HTMLInputElement | null>; matches: readonly number[]; latestTurn: number | null }) {
  const findText = useStore((s) => s.findText);
  const setFindText = useStore((s) => s.setFindText);
  const selectTurn = useStore((s) => s.selectTurn);
  const active = findText.trim() !== '';
  return (
    <div className="find-box">
      <input
        ref={inputRef}
        type="search"
        aria-label="Find in trajectory"
        placeholder="Find ( / )"
        value={findText}
        onChange={(e) => setFindText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            const current = useStore.getState().selectedTurn ?? latestTurn;
            const next = neighbourTurn(matches, current, e.shiftKey ? -1 : 1, true);
            if (next !== null) selectTurn(next);
          } else if (e.key === 'Escape') {
            setFindText('');
            e.currentTarget.blur();
          }
        }}
      />
      <span className="find-count" aria-live="polite">
        {active ? `${matches.length.toLocaleString('en-US')} ${matches.length === 1 ? 'turn matches' : 'turns match'}` : ''}
      </span>
    </div>
  );
}
