/**
 * Characters a text holds that a page does not show as themselves: controls that reorder what
 * follows them (the "Trojan Source" bidi overrides and isolates), characters with no width, and
 * Unicode tag characters, which render as nothing yet are read by a model as the ASCII they encode
 * (text hidden this way in a tool result is a known prompt injection). A debugger shows the text
 * the model saw, so each run of them is marked where it is.
 *
 * Left unmarked, on purpose: the joiners U+200C and U+200D (scripts such as Persian and emoji
 * sequences need them), the marks U+200E, U+200F and U+061C (common in right-to-left text, and
 * they only nudge neutral characters), the variation selectors U+FE00-FE0F (an emoji's text or
 * picture form), and the tags of a subdivision flag (U+1F3F4, a few tag letters, CANCEL TAG).
 */

/** One run of hidden characters: its raw text, a short label to show and what it is in words. */
export interface HiddenRun {
  text: string;
  /** A few letters shown in place, e.g. "RLO" or "tags: ignore all". */
  label: string;
  /** What the run is, for a tooltip and a screen reader: "U+202E RIGHT-TO-LEFT OVERRIDE (reorders ...)". */
  description: string;
}

const REORDERS = 'reorders the text after it';
const INVISIBLE = 'shows as nothing';

/** The hidden characters of the Basic Multilingual Plane: [short label, Unicode name, effect]. */
const NAMED: ReadonlyMap<number, readonly [string, string, string]> = new Map([
  [0x00ad, ['SHY', 'SOFT HYPHEN', INVISIBLE]],
  [0x180e, ['MVS', 'MONGOLIAN VOWEL SEPARATOR', INVISIBLE]],
  [0x200b, ['ZWSP', 'ZERO WIDTH SPACE', INVISIBLE]],
  [0x202a, ['LRE', 'LEFT-TO-RIGHT EMBEDDING', REORDERS]],
  [0x202b, ['RLE', 'RIGHT-TO-LEFT EMBEDDING', REORDERS]],
  [0x202c, ['PDF', 'POP DIRECTIONAL FORMATTING', REORDERS]],
  [0x202d, ['LRO', 'LEFT-TO-RIGHT OVERRIDE', REORDERS]],
  [0x202e, ['RLO', 'RIGHT-TO-LEFT OVERRIDE', REORDERS]],
  [0x2060, ['WJ', 'WORD JOINER', INVISIBLE]],
  [0x2061, ['FA', 'FUNCTION APPLICATION', INVISIBLE]],
  [0x2062, ['IT', 'INVISIBLE TIMES', INVISIBLE]],
  [0x2063, ['IS', 'INVISIBLE SEPARATOR', INVISIBLE]],
  [0x2064, ['IP', 'INVISIBLE PLUS', INVISIBLE]],
  [0x2066, ['LRI', 'LEFT-TO-RIGHT ISOLATE', REORDERS]],
  [0x2067, ['RLI', 'RIGHT-TO-LEFT ISOLATE', REORDERS]],
  [0x2068, ['FSI', 'FIRST STRONG ISOLATE', REORDERS]],
  [0x2069, ['PDI', 'POP DIRECTIONAL ISOLATE', REORDERS]],
  [0xfeff, ['ZWNBSP', 'ZERO WIDTH NO-BREAK SPACE', INVISIBLE]],
]);

/**
 * Every character this module marks, for a quick test before a text is walked: those named above,
 * and the tags and supplementary selectors (U+E0000-E007F, U+E0100-E01EF: high surrogate U+DB40).
 */
const ANY_HIDDEN = new RegExp(`[${[...NAMED.keys()].map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]|\\udb40[\\udc00-\\udc7f\\udd00-\\uddef]`);

const TAG_FIRST = 0xe0000;
const TAG_LAST = 0xe007f;
const CANCEL_TAG = 0xe007f;
const WAVING_BLACK_FLAG = 0x1f3f4;
const SELECTOR_FIRST = 0xe0100;
const SELECTOR_LAST = 0xe01ef;

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const LABEL_CHARS = 24;

/** What a run of tag characters spells: TAG LATIN SMALL LETTER A (U+E0061) is "a". */
function tagText(codes: number[]): string {
  return codes.map((c) => (c >= 0xe0020 && c <= 0xe007e ? String.fromCharCode(c - TAG_FIRST) : '')).join('');
}

/**
 * The length (UTF-16 units) of a subdivision flag's tags at `at` (England is U+1F3F4 then the tags
 * of "gbeng" and CANCEL TAG): two to seven tag letters or digits and CANCEL TAG, else 0, and any
 * other run of tags after the flag is marked like any other.
 */
function flagTagsAt(text: string, at: number): number {
  let i = at;
  let letters = 0;
  for (;;) {
    const c = text.codePointAt(i);
    if (c === CANCEL_TAG) return letters >= 2 && letters <= 7 ? i + 2 - at : 0;
    const isLetterOrDigit = c !== undefined && ((c >= 0xe0030 && c <= 0xe0039) || (c >= 0xe0061 && c <= 0xe007a));
    if (!isLetterOrDigit) return 0;
    letters += 1;
    i += 2;
  }
}

function tagRun(text: string, codes: number[]): HiddenRun {
  const spelled = tagText(codes);
  const shown = spelled.length > LABEL_CHARS ? `${spelled.slice(0, LABEL_CHARS)}…` : spelled;
  return {
    text,
    label: spelled ? `tags: ${shown}` : `${codes.length} tag${codes.length === 1 ? '' : 's'}`,
    description: `${codes.length} Unicode tag character${codes.length === 1 ? '' : 's'} (${hex(codes[0]!)}…), which show as nothing${spelled ? ` and spell "${spelled}"` : ''}`,
  };
}

/**
 * A text cut into plain strings and runs of hidden characters, in order; the text itself (one
 * string) when it holds none. Joining the pieces' texts gives back the text, unit for unit.
 */
export function splitHidden(text: string): Array<string | HiddenRun> | string {
  if (!ANY_HIDDEN.test(text)) return text;
  const pieces: Array<string | HiddenRun> = [];
  let plainFrom = 0;
  const flushPlain = (to: number) => {
    if (to > plainFrom) pieces.push(text.slice(plainFrom, to));
  };
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i)!;
    const width = code > 0xffff ? 2 : 1;
    if (code === WAVING_BLACK_FLAG) {
      i += width + flagTagsAt(text, i + width);
      continue;
    }
    const isTag = code >= TAG_FIRST && code <= TAG_LAST;
    const named = NAMED.get(code);
    const isSelector = code >= SELECTOR_FIRST && code <= SELECTOR_LAST;
    if (!named && !isTag && !isSelector) {
      i += width;
      continue;
    }
    flushPlain(i);
    // A run of the same character, or of tags, or of selectors, is one mark.
    const start = i;
    const codes: number[] = [];
    const sameKind = (c: number) => (isTag ? c >= TAG_FIRST && c <= TAG_LAST : isSelector ? c >= SELECTOR_FIRST && c <= SELECTOR_LAST : c === code);
    while (i < text.length) {
      const c = text.codePointAt(i)!;
      if (!sameKind(c)) break;
      codes.push(c);
      i += c > 0xffff ? 2 : 1;
    }
    const run = text.slice(start, i);
    const times = codes.length > 1 ? `×${codes.length}` : '';
    if (isTag) pieces.push(tagRun(run, codes));
    else if (isSelector) pieces.push({ text: run, label: `VS${times}`, description: `${codes.length} variation selector${codes.length === 1 ? '' : 's'} (${hex(codes[0]!)}…), which show as nothing and can carry hidden bytes` });
    else pieces.push({ text: run, label: `${named![0]}${times}`, description: `${hex(code)} ${named![1]}${times ? ` ${times}` : ''} (${named![2]})` });
    plainFrom = i;
  }
  flushPlain(text.length);
  return pieces;
}
