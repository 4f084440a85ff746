/**
 * Python `str` indexing on JS strings. A Python str is a sequence of code points; a JS string is UTF-16.
 * We read a valid surrogate pair as one code point and a lone surrogate as a code point of its own,
 * which is how a Python str arrives here (from JSON, or from a pipe with surrogateescape aside).
 */

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Python `len(s)`: the number of code points; a surrogate pair counts once, a lone surrogate once. */
export function codePointLength(s: string): number {
  const n = s.length;
  let count = n;
  for (let i = 0; i < n - 1; i++) {
    if (isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1))) {
      count--;
      i++;
    }
  }
  return count;
}

/**
 * Python `len(s) > limit`, counting code points only when the length in UTF-16 units does not
 * decide it: a string of n units holds between n/2 and n code points.
 */
export function codePointLengthExceeds(s: string, limit: number): boolean {
  if (s.length <= limit) return false;
  if (s.length > 2 * limit) return true;
  return codePointLength(s) > limit;
}

/** UTF-16 offset `k` code points after the start of `s`, stopping at its end (Python's clamping). */
function forwardOffset(s: string, k: number): number {
  const n = s.length;
  if (k >= n) return n; // a string never has more code points than UTF-16 units
  let i = 0;
  while (k > 0 && i < n) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < n && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
    k--;
  }
  return i;
}

/** UTF-16 offset `k` code points before the end of `s`, stopping at its start (Python's clamping). */
function backwardOffset(s: string, k: number): number {
  const n = s.length;
  if (k >= n) return 0;
  let i = n;
  while (k > 0 && i > 0) {
    i -= isLow(s.charCodeAt(i - 1)) && i >= 2 && isHigh(s.charCodeAt(i - 2)) ? 2 : 1;
    k--;
  }
  return i;
}

function indexOffset(s: string, index: number): number {
  if (!Number.isInteger(index)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
  return index >= 0 ? forwardOffset(s, index) : backwardOffset(s, -index);
}

/**
 * Python `s[start:end]` in code points: negative indexes count from the end, out-of-range ones clamp,
 * `undefined` is an omitted bound. Each index is walked from its own end only (cheap `s[:100]`, `s[-50:]`).
 */
export function codePointSlice(s: string, start?: number, end?: number): string {
  const from = start === undefined ? 0 : indexOffset(s, start);
  const to = end === undefined ? s.length : indexOffset(s, end);
  return from < to ? s.slice(from, to) : '';
}

/**
 * Python's str ordering (`<`, `sorted`): code point by code point, so astral characters sort after
 * U+FFFF (JS `<` compares UTF-16 units and would put them before U+E000..U+FFFF). Returns -1, 0 or 1.
 */
export function comparePyStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // A unit prefix is a code point prefix too, except that a trailing lone high surrogate may be the
  // start of a pair in the longer string: either way the shorter one sorts first.
  if (i === n) return a.length < b.length ? -1 : 1;
  // Step back to the start of the code point when the units differ in the low half of a pair.
  let j = i > 0 && isHigh(a.charCodeAt(i - 1)) ? i - 1 : i;
  for (;;) {
    const ca = a.codePointAt(j) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    // Equal only when both are the same lone high surrogate; the next code point decides.
    j += 1;
  }
}

// Python's str.strip() with no argument strips Unicode whitespace (str.isspace), which differs from
// JS trim(): JS also strips U+FEFF and Python also strips U+001C..U+001F and U+0085.
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's `str.strip()` with no arguments. */
export function pyStrip(s: string): string {
  return s.replace(PY_STRIP, '');
}

/**
 * Each surrogate that is not half of a pair: a Python str may hold one (a string cut inside an
 * emoji, written by `json.dumps` as `\ud83d`), which UTF-8 cannot encode.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A text's lone surrogates written as JSON escapes (`\ud83d`), as json.dumps writes them: JSON text that UTF-8 can carry. */
export function escapeLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** A text with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder writes it. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
