import type { DiffSegment } from './text-diff.js';

/**
 * A piece of one side of a diff as shown: text (changed on this side or not); `elided`, unchanged
 * text left out between changes; `more`, everything after the display limit (in code points).
 */
export type ShownPiece = { kind: 'same'; text: string } | { kind: 'changed'; text: string } | { kind: 'elided' | 'more'; chars: number };

/** One side of a diff as shown, and whether anything of it was left out. */
export interface FoldedSide {
  pieces: ShownPiece[];
  folded: boolean;
}

/** Characters (UTF-16 units) of one side shown at most; the rest is left out. */
export const SHOWN_LIMIT = 4_000;
/** Unchanged text kept next to a change: the rest of the changed line and this many lines more… */
const CONTEXT_LINES = 3;
/** …and at most this many characters. */
const CONTEXT_CHARS = 240;
/** Unchanged text shorter than this is shown whole rather than elided. */
const MIN_ELIDED = 80;

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves a cut off the middle of a surrogate pair (to the left). */
function safeCut(text: string, i: number): number {
  return i > 0 && i < text.length && isLow(text.charCodeAt(i)) ? i - 1 : i;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Code points in `text[start, end)`: what the user counts as characters. */
function codePoints(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if (!(i > start && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1)))) n++;
  return n;
}

/** Where the context after a change ends: the rest of its line and CONTEXT_LINES lines, or CONTEXT_CHARS characters. */
function headEnd(text: string): number {
  let end = Math.min(text.length, CONTEXT_CHARS);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (text[i] === '\n' && ++lines > CONTEXT_LINES) {
      end = i + 1;
      break;
    }
  }
  return safeCut(text, end);
}

/** Where the context before a change starts: the start of its line and CONTEXT_LINES lines before, or CONTEXT_CHARS characters back. */
function tailStart(text: string): number {
  let start = Math.max(0, text.length - CONTEXT_CHARS);
  let lines = 0;
  for (let i = text.length - 1; i >= start; i--) {
    if (text[i] === '\n' && ++lines > CONTEXT_LINES) {
      start = i + 1;
      break;
    }
  }
  return safeCut(text, start);
}

/**
 * One side of a diff (all its segments; `own` is the kind this side shows: `removed` for the old
 * text, `added` for the new) folded for display: unchanged text away from any change (on either
 * side) is elided to a few lines of context, and at most {@link SHOWN_LIMIT} characters are kept in
 * all, so that two multi-megabyte texts never reach the DOM whole. With no change at all, the
 * text is shown from its start.
 */
export function foldSide(segments: readonly DiffSegment[], own: 'added' | 'removed', limit = SHOWN_LIMIT): FoldedSide {
  const firstChange = segments.findIndex((s) => s.kind !== 'same');
  const lastChange = segments.findLastIndex((s) => s.kind !== 'same');
  const anyChange = firstChange !== -1;
  const pieces: ShownPiece[] = [];
  segments.forEach((segment, i) => {
    if (segment.kind !== 'same') {
      if (segment.kind === own) pieces.push({ kind: 'changed', text: segment.text });
      return;
    }
    const text = segment.text;
    const before = anyChange && i > firstChange;
    const after = anyChange && i < lastChange;
    const keepHead = before ? headEnd(text) : 0;
    const keepTail = after ? tailStart(text) : text.length;
    if (!anyChange || keepTail - keepHead < MIN_ELIDED) {
      pieces.push({ kind: 'same', text });
      return;
    }
    if (keepHead > 0) pieces.push({ kind: 'same', text: text.slice(0, keepHead) });
    pieces.push({ kind: 'elided', chars: codePoints(text, keepHead, keepTail) });
    if (keepTail < text.length) pieces.push({ kind: 'same', text: text.slice(keepTail) });
  });
  return clip(pieces, limit);
}

/**
 * Keeps the pieces within `limit` characters of text; what follows becomes one `more` piece,
 * counting everything left out after the cut (elided text included).
 */
function clip(pieces: ShownPiece[], limit: number): FoldedSide {
  let left = limit;
  const out: ShownPiece[] = [];
  let folded = pieces.some((p) => p.kind === 'elided');
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (!('text' in piece)) {
      out.push(piece);
      continue;
    }
    if (piece.text.length <= left) {
      out.push(piece);
      left -= piece.text.length;
      continue;
    }
    const cut = safeCut(piece.text, left);
    if (cut > 0) out.push({ kind: piece.kind, text: piece.text.slice(0, cut) });
    let rest = codePoints(piece.text, cut, piece.text.length);
    for (const later of pieces.slice(i + 1)) rest += 'text' in later ? codePoints(later.text, 0, later.text.length) : later.chars;
    out.push({ kind: 'more', chars: rest });
    folded = true;
    break;
  }
  return { pieces: out, folded };
}
