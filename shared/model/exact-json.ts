import { pyJsonLoads } from '../python/json.js';
import { pyFloatRepr } from '../python/repr.js';
import { isPyDict, type PyValue } from '../python/value.js';

/**
 * Integers beyond 2^53 in the inputs the loop sends on (initial messages), kept exact.
 *
 * The reference reads its inputs with Python's `json`, whose ints have no size limit, and writes
 * them back digit for digit. `JSON.parse` rounds them to the nearest double, and Node 20 has no
 * `JSON.rawJSON` to write them back unquoted. So such an integer is carried through the loop as a
 * marked string (the mark is a private-use character no JSON text escapes) and turned back into
 * its digits wherever the value is written as JSON: the request body, `--out` and the run file.
 * A float that JavaScript would write as a long integer (`1e19` as `10000000000000000000`, which
 * a reader takes for an int) is carried the same way, as Python writes it (`1e+19`).
 */
const MARK = '\uE000num:';
const MARKED = /"\uE000num:(-?[\d.eE+-]+)"/g;

const MAYBE_INEXACT = /(?:^|[:[,])\s*-?(?:\d{16}|\d+(?:\.\d+)?[eE])/;

/** The value that stands for a JSON number kept as written, given its text (`123456789012345678901`). */
export function exactNumber(text: string): string {
  return `${MARK}${text}`;
}

/** Writes marked integers in a JSON text back as the bare digits they stand for. */
export function restoreExactInts(json: string): string {
  return json.includes(MARK) ? json.replace(MARKED, '$1') : json;
}

/** `JSON.stringify`, with the numbers kept exact written as they were read. */
export function stringifyJsonExact(value: unknown, space?: number): string {
  return restoreExactInts(JSON.stringify(value, null, space));
}

/**
 * `JSON.parse` for a text already known to be valid JSON, keeping integers beyond 2^53 exact (as
 * marked strings, see above). Everything else comes out as `JSON.parse` gives it.
 */
export function parseJsonExact(text: string): unknown {
  const plain: unknown = JSON.parse(text);
  // Only a number of 16 or more digits or with an exponent can be one a double does not write back.
  if (!MAYBE_INEXACT.test(text)) return plain;
  let loaded: PyValue;
  try {
    loaded = pyJsonLoads(text);
  } catch {
    // Over Python's 4300 digits the reference refuses the text too: keep what JSON.parse read.
    return plain;
  }
  return toPlain(loaded);
}

function toPlain(value: PyValue): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : exactNumber(value.toString());
  }
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > Number.MAX_SAFE_INTEGER) return exactNumber(pyFloatRepr(value));
  if (Array.isArray(value)) return value.map(toPlain);
  if (isPyDict(value)) return Object.fromEntries([...value].map(([k, v]) => [k, toPlain(v)]));
  return value;
}
