/**
 * Python 3.11 `json.loads` / `json.dumps` (the C accelerated scanner and encoder), byte for byte,
 * on the value model of `value.ts`. Both are iterative: deep nesting never exhausts the JS stack.
 */
import { pyFloatRepr } from './repr.js';
import { codePointLength, comparePyStrings } from './str.js';
import { PY_INT_MAX_STR_DIGITS, PyValueError, pyIntRepr, type PyDict, type PyValue } from './value.js';

/**
 * Python's `json.JSONDecodeError` (a ValueError): `message` is its `str(e)`, e.g.
 * `Expecting value: line 1 column 1 (char 0)`; `pos`, `lineno`, `colno` count code points like Python.
 */
export class PyJsonDecodeError extends PyValueError {
  readonly msg: string;
  readonly doc: string;
  readonly pos: number;
  readonly lineno: number;
  readonly colno: number;

  /** Same arguments as Python's `JSONDecodeError(msg, doc, pos)`; `pos` is a code point index into `doc`. */
  constructor(msg: string, doc: string, pos: number) {
    // doc.count('\n', 0, pos) + 1 and pos - doc.rfind('\n', 0, pos), with pos in code points.
    let unit = 0;
    let seen = 0;
    let lineno = 1;
    let lineStart = 0; // code point index just after the last '\n' before pos
    while (seen < pos && unit < doc.length) {
      const c = doc.charCodeAt(unit);
      const pair = c >= 0xd800 && c <= 0xdbff && unit + 1 < doc.length && isLowSurrogate(doc.charCodeAt(unit + 1));
      unit += pair ? 2 : 1;
      seen++;
      if (c === 10) {
        lineno++;
        lineStart = seen;
      }
    }
    const colno = pos - lineStart + 1;
    super(`${msg}: line ${lineno} column ${colno} (char ${pos})`);
    this.name = 'JSONDecodeError';
    this.msg = msg;
    this.doc = doc;
    this.pos = pos;
    this.lineno = lineno;
    this.colno = colno;
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Raise at a UTF-16 offset of the document (converted to Python's code point position). */
function fail(msg: string, doc: string, unit: number): never {
  throw new PyJsonDecodeError(msg, doc, codePointLength(doc.slice(0, unit)));
}

function skipWs(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i); // NaN past the end
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Four hex digits at s[i..i+3] (the caller knows they exist), or -1. */
function hex4(s: string, i: number): number {
  const a = hexValue(s.charCodeAt(i));
  const b = hexValue(s.charCodeAt(i + 1));
  const c = hexValue(s.charCodeAt(i + 2));
  const d = hexValue(s.charCodeAt(i + 3));
  return a < 0 || b < 0 || c < 0 || d < 0 ? -1 : (a << 12) | (b << 8) | (c << 4) | d;
}

/** Code unit of each one-character escape (`\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t`), -1 for the rest. */
const SIMPLE_ESCAPES = new Int32Array(128).fill(-1);
for (const [ch, unit] of [['"', 34], ['\\', 92], ['/', 47], ['b', 8], ['f', 12], ['n', 10], ['r', 13], ['t', 9]] as const) {
  SIMPLE_ESCAPES[ch.charCodeAt(0)] = unit;
}

/** Offset just after the token the last `scanString` / `matchNumber` call read (saves a tuple per token). */
let tokenEnd = 0;

/** Decoded code units of an escaped string, flushed to a JS string when full. */
const SCRATCH = new Uint16Array(8192);

function flushUnits(units: Uint16Array): string {
  return String.fromCharCode.apply(null, units as unknown as number[]);
}

/**
 * The JSON string whose opening quote is at `quote` (CPython's `scanstring_unicode`, strict): sets
 * `tokenEnd` after its closing quote. Strings without escapes are one slice; escaped ones are decoded
 * through a code unit buffer (a `+=` per escape is several times slower on escape-heavy text).
 */
function scanString(s: string, quote: number): string {
  const n = s.length;
  let i = quote + 1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      tokenEnd = i + 1;
      return s.slice(quote + 1, i);
    }
    if (c === 92) break;
    if (c < 0x20) fail('Invalid control character at', s, i);
  }
  let out = s.slice(quote + 1, i);
  const buf = SCRATCH;
  let k = 0;
  for (;;) {
    if (i >= n) fail('Unterminated string starting at', s, quote);
    const c = s.charCodeAt(i);
    if (c === 34) break;
    if (k === buf.length) {
      out += flushUnits(buf);
      k = 0;
    }
    if (c !== 92) {
      if (c < 0x20) fail('Invalid control character at', s, i);
      buf[k++] = c;
      i++;
      continue;
    }
    i++; // the character after the backslash
    if (i >= n) fail('Unterminated string starting at', s, quote);
    const e = s.charCodeAt(i);
    if (e !== 117) {
      const unit = e < 128 ? (SIMPLE_ESCAPES[e] as number) : -1;
      if (unit < 0) fail('Invalid \\escape', s, i - 1);
      buf[k++] = unit;
      i++;
      continue;
    }
    // CPython wants a character after the four digits (`end >= len` fails even for a complete escape).
    if (i + 5 >= n) fail('Invalid \\uXXXX escape', s, i);
    const u = hex4(s, i + 1);
    if (u < 0) fail('Invalid \\uXXXX escape', s, i);
    // CPython joins `\ud83d\ude00` into one code point; in UTF-16 the two units already are that
    // character, and its error positions are the same either way, so each escape stands alone here.
    buf[k++] = u;
    i += 5;
  }
  tokenEnd = i + 1;
  return out + flushUnits(buf.subarray(0, k));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** CPython's `_match_number_unicode`: the number at `start` (setting `tokenEnd`), or fails "Expecting value". */
function matchNumber(s: string, start: number): PyValue {
  const n = s.length;
  let i = start;
  if (s.charCodeAt(i) === 45) {
    i++;
    if (i >= n) fail('Expecting value', s, start);
  }
  const first = s.charCodeAt(i);
  if (first >= 49 && first <= 57) {
    i++;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
  } else if (first === 48) {
    i++;
  } else {
    fail('Expecting value', s, start);
  }
  let isFloat = false;
  if (i < n - 1 && s.charCodeAt(i) === 46 && isDigit(s.charCodeAt(i + 1))) {
    isFloat = true;
    i += 2;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
  }
  if (i < n - 1 && (s.charCodeAt(i) === 101 || s.charCodeAt(i) === 69)) {
    const eStart = i;
    i++;
    if (i < n - 1 && (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43)) i++;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (isDigit(s.charCodeAt(i - 1))) isFloat = true;
    else i = eStart;
  }
  tokenEnd = i;
  const text = s.slice(start, i);
  if (isFloat) return Number(text);
  if (text.length <= 15) return BigInt(Number(text)); // exact below 2**53, and quicker than BigInt(text)
  const digits = text.length - (text.charCodeAt(0) === 45 ? 1 : 0);
  if (digits > PY_INT_MAX_STR_DIGITS) {
    throw new PyValueError(
      `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; ` +
        'use sys.set_int_max_str_digits() to increase the limit',
    );
  }
  return BigInt(text);
}

interface ObjectFrame {
  dict: PyDict;
  key: string;
}

/**
 * Reads `"key" :` at `i` (after whitespace), as CPython's `_parse_object_unicode` does; returns the key
 * and sets `tokenEnd` to the offset of the value (whitespace skipped).
 */
function readKey(s: string, i: number): string {
  if (s.charCodeAt(i) !== 34) fail('Expecting property name enclosed in double quotes', s, i);
  const key = scanString(s, i);
  const colon = skipWs(s, tokenEnd);
  if (s.charCodeAt(colon) !== 58) fail("Expecting ':' delimiter", s, colon);
  tokenEnd = skipWs(s, colon + 1);
  return key;
}

/**
 * Python 3.11 `json.loads(str)`: ints as `bigint`, other numbers (NaN, ±Infinity too) as `number`, objects as
 * `Map`s; throws `PyJsonDecodeError` with Python's message, or `PyValueError` for ints over 4300 digits.
 */
export function pyJsonLoads(text: string): PyValue {
  // A repeated key keeps its first position and its last value, as dict(pairs) does. Iterative: a
  // 100,000-deep text loads fine (CPython would raise RecursionError there).
  if (text.charCodeAt(0) === 0xfeff) {
    throw new PyJsonDecodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', text, 0);
  }
  const n = text.length;
  const stack: (PyValue[] | ObjectFrame)[] = [];
  let i = skipWs(text, 0);
  let value: PyValue;
  for (;;) {
    // Scan one value at i. Containers push a frame and go on with their first element.
    scan: {
      if (i >= n) fail('Expecting value', text, i);
      switch (text.charCodeAt(i)) {
        case 34: // "
          value = scanString(text, i);
          i = tokenEnd;
          break scan;
        case 123: {
          // {
          const j = skipWs(text, i + 1);
          if (text.charCodeAt(j) === 125) {
            value = new Map();
            i = j + 1;
            break scan;
          }
          stack.push({ dict: new Map(), key: readKey(text, j) });
          i = tokenEnd;
          continue;
        }
        case 91: {
          // [
          const j = skipWs(text, i + 1);
          if (text.charCodeAt(j) === 93) {
            value = [];
            i = j + 1;
            break scan;
          }
          stack.push([]);
          i = j;
          continue;
        }
        case 110: // n
          if (text.startsWith('null', i)) {
            value = null;
            i += 4;
            break scan;
          }
          break;
        case 116: // t
          if (text.startsWith('true', i)) {
            value = true;
            i += 4;
            break scan;
          }
          break;
        case 102: // f
          if (text.startsWith('false', i)) {
            value = false;
            i += 5;
            break scan;
          }
          break;
        case 78: // N
          if (text.startsWith('NaN', i)) {
            value = NaN;
            i += 3;
            break scan;
          }
          break;
        case 73: // I
          if (text.startsWith('Infinity', i)) {
            value = Infinity;
            i += 8;
            break scan;
          }
          break;
        case 45: // -
          if (text.startsWith('-Infinity', i)) {
            value = -Infinity;
            i += 9;
            break scan;
          }
          break;
      }
      value = matchNumber(text, i);
      i = tokenEnd;
    }
    // A value is complete: hand it to the enclosing containers, closing those that end here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        const end = skipWs(text, i);
        if (end !== n) fail('Extra data', text, end);
        return value;
      }
      i = skipWs(text, i);
      const c = text.charCodeAt(i);
      if (Array.isArray(top)) {
        top.push(value);
        if (c === 93) {
          stack.pop();
          value = top;
          i++;
          continue;
        }
        if (c !== 44) fail("Expecting ',' delimiter", text, i);
        i = skipWs(text, i + 1);
        break;
      }
      top.dict.set(top.key, value);
      if (c === 125) {
        stack.pop();
        value = top.dict;
        i++;
        continue;
      }
      if (c !== 44) fail("Expecting ',' delimiter", text, i);
      top.key = readKey(text, skipWs(text, i + 1));
      i = tokenEnd;
      break;
    }
  }
}

/** Options of `pyJsonDumps`, named after `json.dumps`'s keyword arguments. */
export interface PyJsonDumpsOptions {
  /** `sort_keys`: order dict keys by Python str order (code points). Default false. */
  sortKeys?: boolean;
  /** `ensure_ascii`: escape everything outside ASCII 0x20..0x7e as `\uXXXX`. Default true. */
  ensureAscii?: boolean;
  /** `separators`: (item separator, key separator). Default `[', ', ': ']`. */
  separators?: [string, string];
}

const SHORT_ESCAPES: Record<number, string> = { 34: '\\"', 92: '\\\\', 10: '\\n', 13: '\\r', 9: '\\t', 8: '\\b', 12: '\\f' };

const HEX = '0123456789abcdef';

function u4(c: number): string {
  return `\\u${HEX[c >> 12]}${HEX[(c >> 8) & 15]}${HEX[(c >> 4) & 15]}${HEX[c & 15]}`;
}

/** Any unit `ensure_ascii` escapes that JSON.stringify leaves as it is: DEL and everything past ASCII. */
const PAST_ASCII = /[\u007f-\uffff]/;

/**
 * `encode_basestring_ascii`. JSON.stringify writes the same escapes for everything below DEL (`\"`,
 * `\\`, the short control escapes, other controls as lowercase `\u00XX`) and lone surrogates as
 * lowercase `\uXXXX`; what it leaves unescaped past ASCII (an astral character as its two units)
 * is then escaped unit by unit, as Python does.
 */
function encodeAscii(s: string): string {
  const json = JSON.stringify(s);
  if (!PAST_ASCII.test(json)) return json;
  // A loop over the units, not a replace with a callback per unit: a third quicker on text where
  // every few words have an accent or an emoji (ShareGPT tool results are dumped this way).
  let out = '';
  let run = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c < 0x7f) continue;
    out += json.slice(run, i) + u4(c);
    run = i + 1;
  }
  return out + json.slice(run);
}

/**
 * Python's `encode_basestring_ascii` / `encode_basestring`: a quoted JSON string. ASCII mode escapes all
 * but 0x20..0x7e (DEL too; astral as surrogate pairs); the other escapes only `"`, `\` and controls.
 */
export function pyJsonEncodeString(s: string, ensureAscii = true): string {
  if (ensureAscii) return encodeAscii(s);
  const n = s.length;
  let out = '"';
  let run = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += s.slice(run, i) + (SHORT_ESCAPES[c] ?? u4(c));
    run = i + 1;
  }
  return `${out}${s.slice(run)}"`;
}

function encodeFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return pyFloatRepr(x);
}

type DumpFrame =
  | { list: PyValue[]; i: number }
  | { dict: PyDict; keys: string[]; i: number };

/**
 * Python 3.11 `json.dumps(value, sort_keys=, ensure_ascii=, separators=)` (no indent): floats as repr,
 * `NaN`/`Infinity`/`-Infinity`, ints in decimal; a container inside itself raises "Circular reference detected".
 */
export function pyJsonDumps(value: PyValue, options: PyJsonDumpsOptions = {}): string {
  // Iterative: deep nesting is fine (CPython would raise RecursionError past ~1000 levels).
  const ensureAscii = options.ensureAscii ?? true;
  const [itemSep, keySep] = options.separators ?? [', ', ': '];
  const sortKeys = options.sortKeys ?? false;
  const out: string[] = [];
  const stack: DumpFrame[] = [];
  const open = new Set<object>();

  const emit = (x: PyValue): void => {
    if (x === null) out.push('null');
    else if (x === true) out.push('true');
    else if (x === false) out.push('false');
    else if (typeof x === 'bigint') out.push(pyIntRepr(x));
    else if (typeof x === 'number') out.push(encodeFloat(x));
    else if (typeof x === 'string') out.push(pyJsonEncodeString(x, ensureAscii));
    else if (Array.isArray(x) ? x.length === 0 : x.size === 0) out.push(Array.isArray(x) ? '[]' : '{}');
    else if (open.has(x)) throw new PyValueError('Circular reference detected');
    else if (Array.isArray(x)) {
      open.add(x);
      out.push('[');
      stack.push({ list: x, i: 0 });
    } else {
      open.add(x);
      out.push('{');
      const keys = [...x.keys()];
      if (sortKeys) keys.sort(comparePyStrings);
      stack.push({ dict: x, keys, i: 0 });
    }
  };

  emit(value);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as DumpFrame;
    if ('list' in top) {
      if (top.i >= top.list.length) {
        out.push(']');
        open.delete(top.list);
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(itemSep);
      emit(top.list[top.i++] as PyValue);
    } else {
      if (top.i >= top.keys.length) {
        out.push('}');
        open.delete(top.dict);
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(itemSep);
      const key = top.keys[top.i++] as string;
      out.push(pyJsonEncodeString(key, ensureAscii), keySep);
      emit(top.dict.get(key) as PyValue);
    }
  }
  return out.join('');
}
