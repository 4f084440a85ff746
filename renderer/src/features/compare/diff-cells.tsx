import { Fragment, useMemo, type ReactNode } from 'react';
import { foldSide } from '#shared/diff/fold.js';
import { layoutJson } from '#shared/diff/json-layout.js';
import { diffJsonText, diffText, type DiffSegment, type TextDiff } from '#shared/diff/text-diff.js';
import { useStore } from '../../store/store.js';
import { FoldedText, formatKB } from '../../ui/folded-text.js';

const n = (value: number): string => value.toLocaleString('en-US');

/** A value that differs from the other side's, highlighted. */
export function Value({ changed, children }: { changed: boolean; children: ReactNode }) {
  return changed ? <mark className="diff-value">{children}</mark> : <>{children}</>;
}

/** A row's header: its label, and (for screen readers and tests) whether the two sides differ there. */
export function RowHead({ label, prefix, changed }: { label: string; prefix?: string; changed: boolean }) {
  return (
    <th scope="row" className="compare-part">
      {prefix && <span className="visually-hidden">{prefix} </span>}
      {label}
      {changed && <span className="visually-hidden">, changed</span>}
    </th>
  );
}

/**
 * One side of a changed text: the segments it has, with its own changes marked (`del` on the
 * old side, `ins` on the new), folded to a few lines around each change; "Show all" opens the
 * whole text in the full-text viewer.
 */
function DiffSide({ segments, own, full, title, className }: { segments: DiffSegment[]; own: 'added' | 'removed'; full: string; title: string; className: string }) {
  const showFullText = useStore((s) => s.showFullText);
  const { pieces, folded } = useMemo(() => foldSide(segments, own), [segments, own]);
  const Mark = own === 'removed' ? 'del' : 'ins';
  return (
    <div className="diff-side">
      <pre className={`${className} diff-text`}>
        {pieces.map((piece, i) => {
          if (piece.kind === 'same') return <Fragment key={i}>{piece.text}</Fragment>;
          if (piece.kind === 'changed')
            return (
              <Mark key={i} className={own === 'removed' ? 'diff-removed' : 'diff-added'}>
                {piece.text}
              </Mark>
            );
          return (
            <span key={i} className="diff-elided">
              {piece.kind === 'elided' ? `⋯ ${n(piece.chars)} unchanged characters ⋯` : `⋯ ${n(piece.chars)} more characters`}
            </span>
          );
        })}
      </pre>
      {folded && (
        <button type="button" className="link-button" onClick={() => showFullText(title, full)}>
          Show all ({formatKB(full)})
        </button>
      )}
    </div>
  );
}

interface Compared {
  left: string | null;
  right: string | null;
  diff: TextDiff | null;
}

function compareTexts(left: string | null, right: string | null, json: boolean): Compared {
  if (left === null || right === null) {
    const shown = (text: string | null): string | null => (json && text !== null ? (layoutJson(text) ?? text) : text);
    return { left: shown(left), right: shown(right), diff: null };
  }
  if (!json) return { left, right, diff: diffText(left, right) };
  const { before, after, diff } = diffJsonText(left, right);
  return { left: before, right: after, diff };
}

function Cell({ text, diff, own, title, className }: { text: string | null; diff: TextDiff | null; own: 'added' | 'removed'; title: string; className: string }) {
  if (text === null) return <td className="compare-cell is-empty" />;
  return (
    <td className="compare-cell">
      {diff?.kind === 'changed' ? (
        <DiffSide segments={diff.segments} own={own} full={text} title={title} className={className} />
      ) : (
        <>
          {diff?.kind === 'too-large' && <p className="diff-note">Too large to compare ({n(Math.max(1, Math.round(diff.chars / 1024)))} KB together)</p>}
          <FoldedText text={text || '(empty)'} title={title} className={className} />
        </>
      )}
    </td>
  );
}

/** Where a text row sits, for the titles of its full-text views ("parent, turn 3: call 1 result"). */
export interface RowPlace {
  leftLabel: string;
  rightLabel: string;
  where: string;
}

/**
 * One part of a turn (a reply, a tool call's arguments or result) on both sides, as a table row:
 * the changed words marked on each side when both have it; the text against an empty cell when
 * one side has none. `alone` (a turn only one run has) keeps such a row from counting as changed.
 */
export function TextRow({ label, prefix, left, right, json = false, className, place, alone = false }: { label: string; prefix?: string; left: string | null; right: string | null; json?: boolean; className: 'code' | 'message-text'; place: RowPlace; alone?: boolean }) {
  const compared = useMemo(() => compareTexts(left, right, json), [left, right, json]);
  if (left === null && right === null) return null;
  const changed = compared.diff ? compared.diff.kind !== 'equal' : !alone;
  const title = (side: string): string => `${side}, ${place.where}: ${prefix ? `${prefix} ` : ''}${label}`;
  return (
    <tr className={changed ? 'is-changed' : undefined}>
      <RowHead label={label} prefix={prefix} changed={changed} />
      <Cell text={compared.left} diff={compared.diff} own="removed" title={title(place.leftLabel)} className={className} />
      <Cell text={compared.right} diff={compared.diff} own="added" title={title(place.rightLabel)} className={className} />
    </tr>
  );
}
