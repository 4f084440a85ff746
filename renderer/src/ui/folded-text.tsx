import { useMemo } from 'react';
import { codePointSlice } from '#shared/python/str.js';
import { utf8Length } from '#shared/rpc/frames.js';
import { useStore } from '../store/store.js';
import { MarkedText } from './marked-text.js';
import './folded-text.css';

/** Characters (code points) shown before a text is folded. */
export const FOLD_AT = 2_000;

/** "12 KB": the size the "Show all" button names. */
export function formatKB(text: string): string {
  return `${Math.max(1, Math.round(utf8Length(text) / 1024)).toLocaleString('en-US')} KB`;
}

/**
 * A text as preformatted lines, folded after {@link FOLD_AT} code points: a multi-megabyte tool
 * result never goes into the DOM; "Show all" opens it whole in a read-only editor. Hidden
 * characters (bidi overrides, zero-width characters, tag characters) are marked where they are.
 */
export function FoldedText({ text, title, className }: { text: string; title: string; className?: string }) {
  const showFullText = useStore((s) => s.showFullText);
  const folded = useMemo(() => {
    if (text.length <= FOLD_AT) return null;
    const head = codePointSlice(text, 0, FOLD_AT);
    return head.length === text.length ? null : { head, size: formatKB(text) };
  }, [text]);
  // dir="auto": a message in Arabic or Hebrew reads from the right, as its writer wrote it.
  if (!folded) {
    return (
      <pre className={className} dir="auto">
        <MarkedText text={text} />
      </pre>
    );
  }
  return (
    <div className="folded">
      <pre className={className} dir="auto">
        <MarkedText text={folded.head} />
        <span className="fold-ellipsis" aria-hidden="true">
          {' '}…
        </span>
      </pre>
      <button type="button" className="link-button" onClick={() => showFullText(title, text)}>
        Show all ({folded.size})
      </button>
    </div>
  );
}
