/**
 * Python 3.11 `repr()` and `str()` of the values `json.loads` produces, byte for byte.
 */
import { isPyPrintable } from './unicode-printable.js';
import { pyIntRepr, type PyDict, type PyValue } from './value.js';

/**
 * Python `repr(float)`: shortest round-trip digits (as JS's `Number#toString`), fixed for 1e-4 <= |x| < 1e16
 * (`1.0`, `100.0`), else `1.5e+300` / `1e-05`; also `-0.0`, `inf`, `-inf`, `nan`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const s = Math.abs(x).toString();
  // Split JS's layout ('123.45', '0.0001', '1.5e-7', '1e+21') into digits and a decimal point position.
  let mantissa = s;
  let exp10 = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    mantissa = s.slice(0, e);
    exp10 = Number(s.slice(e + 1));
  }
  const dot = mantissa.indexOf('.');
  let digits = dot >= 0 ? mantissa.slice(0, dot) + mantissa.slice(dot + 1) : mantissa;
  let intLen = dot >= 0 ? dot : mantissa.length;
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  intLen -= lead;
  let last = digits.length;
  while (last > 1 && digits.charCodeAt(last - 1) === 48) last--;
  digits = digits.slice(0, last);
  // x = 0.DIGITS * 10**decpt, as in CPython's format_float_short.
  const decpt = intLen + exp10;
  if (decpt <= -4 || decpt > 16) {
    const exp = decpt - 1;
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const absExp = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${absExp < 10 ? '0' : ''}${absExp}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

const HEX = '0123456789abcdef';

function hex(cp: number, width: number): string {
  let out = '';
  for (let shift = (width - 1) * 4; shift >= 0; shift -= 4) out += HEX[(cp >> shift) & 0xf];
  return out;
}

/**
 * Python `repr(str)`: single quotes unless the text has `'` and no `"`; escapes `\\`, the quote,
 * `\t \n \r`, and characters `str.isprintable` rejects as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
 */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? 34 : 39;
  const n = s.length;
  let out = '';
  let run = 0; // start of the pending run of characters copied as they are
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== quote && c !== 92) continue;
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        width = 2;
      }
    }
    let esc: string;
    if (cp === quote || cp === 92) esc = `\\${String.fromCharCode(cp)}`;
    else if (cp === 9) esc = '\\t';
    else if (cp === 10) esc = '\\n';
    else if (cp === 13) esc = '\\r';
    else if (cp < 0x20 || cp === 0x7f) esc = `\\x${hex(cp, 2)}`;
    else if (isPyPrintable(cp)) {
      i += width - 1;
      continue;
    } else if (cp <= 0xff) esc = `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) esc = `\\u${hex(cp, 4)}`;
    else esc = `\\U${hex(cp, 8)}`;
    out += s.slice(run, i) + esc;
    i += width - 1;
    run = i + 1;
  }
  const q = String.fromCharCode(quote);
  return q + out + s.slice(run) + q;
}

type ReprFrame =
  | { list: PyValue[]; i: number }
  | { dict: PyDict; it: Iterator<[string, PyValue]>; first: boolean };

/**
 * Python `repr()`: `None`, `True`, `False`, ints, floats, `[1, 'a']`, `{'a': 1}` (insertion order), quoted
 * strings; a container inside itself prints `[...]` / `{...}`.
 */
export function pyRepr(v: PyValue): string {
  // Iterative, so deep nesting does not exhaust the JS stack (CPython would raise RecursionError).
  const out: string[] = [];
  const stack: ReprFrame[] = [];
  const open = new Set<object>();

  const emit = (x: PyValue): void => {
    if (x === null) out.push('None');
    else if (x === true) out.push('True');
    else if (x === false) out.push('False');
    else if (typeof x === 'bigint') out.push(pyIntRepr(x));
    else if (typeof x === 'number') out.push(pyFloatRepr(x));
    else if (typeof x === 'string') out.push(pyStrRepr(x));
    else if (Array.isArray(x)) {
      if (x.length === 0) out.push('[]');
      else if (open.has(x)) out.push('[...]');
      else {
        out.push('[');
        open.add(x);
        stack.push({ list: x, i: 0 });
      }
    } else if (open.has(x)) out.push('{...}');
    else if (x.size === 0) out.push('{}');
    else {
      out.push('{');
      open.add(x);
      stack.push({ dict: x, it: x.entries(), first: true });
    }
  };

  emit(v);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as ReprFrame;
    if ('list' in top) {
      if (top.i >= top.list.length) {
        out.push(']');
        open.delete(top.list);
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(', ');
      emit(top.list[top.i++] as PyValue);
    } else {
      const next = top.it.next();
      if (next.done) {
        out.push('}');
        open.delete(top.dict);
        stack.pop();
        continue;
      }
      if (!top.first) out.push(', ');
      top.first = false;
      out.push(pyStrRepr(next.value[0]), ': ');
      emit(next.value[1]);
    }
  }
  return out.join('');
}

/** Python `str()`: a str is itself; every other value prints as its `repr`. */
export function pyStr(v: PyValue): string {
  return typeof v === 'string' ? v : pyRepr(v);
}
