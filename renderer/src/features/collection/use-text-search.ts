import { useEffect, useLayoutEffect, useRef, useState } from 'react';

/** How long typing must pause before the full-text search runs. */
export const TEXT_SEARCH_DEBOUNCE_MS = 200;

/**
 * Hands the search text to the parent's full-text search once typing pauses (at once when the box
 * is cleared), and returns the answer that applies to the text as typed now: `textMatches` once it
 * has changed since the text was handed over, null before that (the table then matches id, model
 * and message locally, so results never lag behind the keyboard).
 */
export function useTextSearch(text: string, textMatches: ReadonlySet<number> | null, onTextSearch: (text: string) => void): ReadonlySet<number> | null {
  const query = text.trim();
  // `matches` is the answer held when `query` was handed over; undefined before any hand-over.
  const [sent, setSent] = useState<{ query: string; matches: ReadonlySet<number> | null | undefined }>({ query: '', matches: undefined });
  const latest = useRef({ textMatches, onTextSearch });
  useLayoutEffect(() => {
    latest.current = { textMatches, onTextSearch };
  });

  useEffect(() => {
    if (query === sent.query) return;
    const send = () => {
      setSent({ query, matches: latest.current.textMatches });
      latest.current.onTextSearch(query);
    };
    if (query === '') {
      send();
      return;
    }
    const timer = setTimeout(send, TEXT_SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, sent.query]);

  const answered = query === sent.query && textMatches !== sent.matches;
  return answered ? textMatches : null;
}
