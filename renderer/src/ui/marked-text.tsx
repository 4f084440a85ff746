import { useMemo } from 'react';
import { splitHidden } from '#shared/formats/hidden-characters.js';
import './marked-text.css';

/**
 * A text with each run of hidden characters (see hidden-characters.ts) marked in place: a small
 * label says what is there, its tooltip and accessible name say what it is. The characters stay
 * in the page, so copying the text copies them too, but each run is isolated from the text
 * around it: an override cannot reorder what follows.
 */
export function MarkedText({ text }: { text: string }) {
  const pieces = useMemo(() => splitHidden(text), [text]);
  if (typeof pieces === 'string') return pieces;
  return pieces.map((piece, i) =>
    typeof piece === 'string' ? (
      piece
    ) : (
      <span key={i} className="hidden-chars" role="img" aria-label={piece.description} title={piece.description} data-label={piece.label}>
        {piece.text}
      </span>
    ),
  );
}
