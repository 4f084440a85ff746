import { diffChars, diffLines, diffWordsWithSpace, type Change } from 'diff';
import { layoutJson } from './json-layout.js';

/** What a piece of a diff is: text both sides have, text only the new side has, or only the old. */
export type SegmentKind = 'same' | 'added' | 'removed';

/** A run of text of one kind. The old text is the `same` and `removed` segments in order; the new, `same` and `added`. */
export interface DiffSegment {
  kind: SegmentKind;
  text: string;
}

/** The unit two texts were compared in: characters, words, or lines (then words inside small changed blocks). */
export type DiffUnit = 'chars' | 'words' | 'lines';

/**
 * How two texts compare: equal; changed, as segments; or not compared because the part that
 * differs is too large to diff without freezing the UI (`chars`: both texts' length together).
 */
export type TextDiff = { kind: 'equal' } | { kind: 'changed'; by: DiffUnit; segments: DiffSegment[] } | { kind: 'too-large'; chars: number };

/** Above this many characters of differing text (both sides), characters are compared as words. */
export const CHAR_DIFF_LIMIT = 10_000;
/** Above this many characters of differing text (both sides), only whole lines are compared. */
export const WORD_DIFF_LIMIT = 100_000;
/** Above this many characters of differing text (both sides), the texts are not compared at all. */
export const LINE_DIFF_LIMIT = 4_000_000;
/** A changed block of lines at most this large (both sides) is compared word by word inside. */
const REFINE_LIMIT = 20_000;
/**
 * Myers' diff costs about tokens × edits steps, plus edits² path objects: a diff that needs more
 * edits than this allows gives up (jsdiff's maxEditLength) rather than block the UI. Measured on
 * two 93 KB texts differing throughout: 500 edits give up in ~75 ms, 2,000 in over a second.
 */
const WORK_BUDGET = 20_000_000;
const MAX_EDITS = 500;
const MIN_EDITS = 50;

function editLimit(tokens: number): number {
  return Math.max(MIN_EDITS, Math.min(MAX_EDITS, Math.floor(WORK_BUDGET / Math.max(1, tokens))));
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Letters, digits, `_` and combining marks: a cut between two of these would split a word. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
const WORD_BACKOFF = 200;

function splitsPair(text: string, i: number): boolean {
  return i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
}

/** Whether a cut at `i` would split a word or a surrogate pair. */
function joinsWord(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  return splitsPair(text, i) || (WORD_CHAR.test(text[i - 1]!) && WORD_CHAR.test(text[i]!));
}

/**
 * The common head and tail of two texts, cut where no word (or surrogate pair) is split. Taking
 * them off before diffing makes one edit in a multi-megabyte text as cheap as in a short one.
 */
function commonEnds(a: string, b: string): { head: number; tail: number } {
  const max = Math.min(a.length, b.length);
  let head = 0;
  while (head < max && a.charCodeAt(head) === b.charCodeAt(head)) head++;
  // A "word" longer than WORD_BACKOFF (a base64 blob, a run of one letter) is cut anyway, so
  // the common part stays out of the diff.
  for (let back = 0; back < WORD_BACKOFF && head > 0 && (joinsWord(a, head) || joinsWord(b, head)); back++) head--;
  if (splitsPair(a, head) || splitsPair(b, head)) head--;
  let tail = 0;
  while (tail < max - head && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  for (let back = 0; back < WORD_BACKOFF && tail > 0 && (joinsWord(a, a.length - tail) || joinsWord(b, b.length - tail)); back++) tail--;
  if (splitsPair(a, a.length - tail) || splitsPair(b, b.length - tail)) tail--;
  return { head, tail };
}

/** Appends a segment, merging it into the last one when they are of the same kind. */
function push(out: DiffSegment[], kind: SegmentKind, text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

function appendChanges(out: DiffSegment[], changes: readonly Change[]): void {
  for (const c of changes) push(out, c.added ? 'added' : c.removed ? 'removed' : 'same', c.value);
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Word diff (whitespace kept as its own tokens, so each side's text is rebuilt exactly), or undefined past the edit budget. */
function wordChanges(a: string, b: string): Change[] | undefined {
  // A word token averages several characters; counting one per two characters is on the safe side.
  return diffWordsWithSpace(a, b, { maxEditLength: editLimit((a.length + b.length) / 2) });
}

/** Lines, then words inside each changed block small enough to compare; undefined past the edit budget. */
function lineSegments(a: string, b: string): DiffSegment[] | undefined {
  const lines = diffLines(a, b, { maxEditLength: editLimit(countLines(a) + countLines(b)) });
  if (!lines) return undefined;
  const out: DiffSegment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const change = lines[i]!;
    const next = lines[i + 1];
    if (change.removed && next?.added && change.value.length + next.value.length <= REFINE_LIMIT) {
      const words = wordChanges(change.value, next.value);
      if (words) {
        appendChanges(out, words);
        i++;
        continue;
      }
    }
    appendChanges(out, [change]);
  }
  return out;
}

/** The differing middles of two texts, compared in the finest unit their size allows. */
function diffMiddle(a: string, b: string, unit: 'chars' | 'words' | 'lines'): { by: DiffUnit; segments: DiffSegment[] } | null {
  const size = a.length + b.length;
  if (unit === 'chars' && size <= CHAR_DIFF_LIMIT) {
    const chars = diffChars(a, b, { maxEditLength: editLimit(size) });
    if (chars) {
      const out: DiffSegment[] = [];
      appendChanges(out, chars);
      return { by: 'chars', segments: out };
    }
  }
  if (unit !== 'lines' && size <= WORD_DIFF_LIMIT) {
    const words = wordChanges(a, b);
    if (words) {
      const out: DiffSegment[] = [];
      appendChanges(out, words);
      return { by: 'words', segments: out };
    }
  }
  if (size <= LINE_DIFF_LIMIT) {
    const segments = lineSegments(a, b);
    if (segments) return { by: 'lines', segments };
  }
  return null;
}

function compare(before: string, after: string, unit: 'chars' | 'words' | 'lines'): TextDiff {
  if (before === after) return { kind: 'equal' };
  const { head, tail } = commonEnds(before, after);
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const middle = diffMiddle(a, b, unit);
  if (!middle) return { kind: 'too-large', chars: before.length + after.length };
  const segments: DiffSegment[] = [];
  push(segments, 'same', before.slice(0, head));
  for (const s of middle.segments) push(segments, s.kind, s.text);
  push(segments, 'same', before.slice(before.length - tail));
  return { kind: 'changed', by: middle.by, segments };
}

/**
 * Compares two texts word by word (or character by character with `by: 'chars'`, for short
 * values such as names). Large texts fall back to lines, then to `too-large`; see the limits above.
 */
export function diffText(before: string, after: string, options: { by?: 'words' | 'chars' } = {}): TextDiff {
  return compare(before, after, options.by ?? 'words');
}

/**
 * Compares two tool-argument texts. When both are JSON they are indented the way the trajectory
 * shows them (values and key order as written), then compared line by line and word by word
 * inside changed lines; otherwise as plain text. Returns the texts as compared next to the diff,
 * since indenting changes them.
 */
export function diffJsonText(before: string, after: string): { before: string; after: string; diff: TextDiff } {
  const a = layoutJson(before);
  const b = layoutJson(after);
  if (a === null || b === null) return { before, after, diff: diffText(before, after) };
  return { before: a, after: b, diff: compare(a, b, 'lines') };
}

/** One side of a diff: the old text's segments (`before`: same and removed) or the new one's (`after`: same and added). */
export function sideSegments(segments: readonly DiffSegment[], side: 'before' | 'after'): DiffSegment[] {
  const drop: SegmentKind = side === 'before' ? 'added' : 'removed';
  return segments.filter((s) => s.kind !== drop);
}

/** The text of one side of a diff, rebuilt from its segments. */
export function sideText(segments: readonly DiffSegment[], side: 'before' | 'after'): string {
  return sideSegments(segments, side)
    .map((s) => s.text)
    .join('');
}
