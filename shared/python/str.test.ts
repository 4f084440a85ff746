import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codePointLength, codePointLengthExceeds, codePointSlice, comparePyStrings, pyStrip } from './str.js';

// Expected values come from CPython 3.11 (`len(s)`, `s[a:b]`, `sorted(...)`).
describe('codePointLength (Python len)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['\ud83d\ude00', 1],
    ['\ud800', 1],
    ['\udc00\ud800', 2],
    ['\u00e9\u0301', 2],
    // Python says 3 for '\ud800\ud800\udc00' written with escapes (three separate code points), but in
    // UTF-16 the last two units are a pair: a JS string can only mean the lone surrogate + U+10000.
    ['\ud800\ud800\udc00', 2],
  ])('len(%j) == %i', (s, n) => {
    expect(codePointLength(s)).toBe(n);
  });

  it('is quick on a 10 MB string', () => {
    const big = 'ab\ud83d\ude00\ud800'.repeat(2_000_000);
    expect(codePointLength(big)).toBe(8_000_000);
  });
});

describe('codePointLengthExceeds (Python len(s) > limit)', () => {
  it('agrees with counting every code point, around the limit and far from it', () => {
    const units = fc.oneof(fc.string({ unit: 'binary', maxLength: 450 }), fc.string({ unit: fc.constantFrom('a', '\ud83d\ude00', '\ud800', '\udc00'), maxLength: 450 }));
    fc.assert(
      fc.property(units, fc.integer({ min: 0, max: 300 }), (s, limit) => codePointLengthExceeds(s, limit) === codePointLength(s) > limit),
      { numRuns: 2_000 },
    );
  });
});

describe('codePointSlice (Python s[a:b])', () => {
  const s = 'a\ud83d\ude00b\ud800c\ud834\udd1ed\udc00'; // len 8
  it.each([
    [undefined, undefined, 'a\ud83d\ude00b\ud800c\ud834\udd1ed\udc00'],
    [0, 3, 'a\ud83d\ude00b'],
    [1, 2, '\ud83d\ude00'],
    [-3, undefined, '\ud834\udd1ed\udc00'],
    [undefined, -2, 'a\ud83d\ude00b\ud800c\ud834\udd1e'],
    [2, -2, 'b\ud800c\ud834\udd1e'],
    [-100, 100, 'a\ud83d\ude00b\ud800c\ud834\udd1ed\udc00'],
    [5, 2, ''],
    [-2, -5, ''],
    [3, 3, ''],
    [undefined, 100, 'a\ud83d\ude00b\ud800c\ud834\udd1ed\udc00'],
    [100, undefined, ''],
    [-1, undefined, '\udc00'],
    [4, 5, 'c'],
  ])('s[%s:%s]', (a, b, expected) => {
    expect(codePointSlice(s, a, b)).toBe(expected);
  });

  it('rejects non-integer indexes like Python', () => {
    expect(() => codePointSlice('abc', 1.5)).toThrow(TypeError);
  });

  it('takes s[:100] and s[-50:] of a 10 MB string without walking all of it', () => {
    const big = '\ud83d\ude00x'.repeat(5_000_000);
    expect(codePointSlice(big, 0, 100)).toBe('\ud83d\ude00x'.repeat(50));
    expect(codePointSlice(big, -50)).toBe('\ud83d\ude00x'.repeat(25));
    expect(codePointSlice(big, -3, -1)).toBe('x\ud83d\ude00');
  });
});

describe('comparePyStrings (Python str order)', () => {
  it('sorts by code point, astral after U+FFFF', () => {
    const input = ['\uffff', '\ud83d\ude00', 'a', '\ue000', 'B', '', 'ab', '\ud800\udc00', '\ud7ff'];
    expect([...input].sort(comparePyStrings)).toEqual([
      '', 'B', 'a', 'ab', '\ud7ff', '\ue000', '\uffff', '\ud800\udc00', '\ud83d\ude00',
    ]);
  });

  it('orders lone surrogates by their value', () => {
    expect(comparePyStrings('\ud800', '\ud800\udc00')).toBe(-1); // '\ud800' < '\U00010000'
    expect(comparePyStrings('\udc00', '\ud800\udc00')).toBe(-1); // U+DC00 < U+10000 (JS says >)
    expect(comparePyStrings('\ud800\udc00', '\ud800\ue000')).toBe(1); // U+10000 > U+D800
    expect(comparePyStrings('\ud800a', '\ud800b')).toBe(-1);
    expect(comparePyStrings('x', 'x')).toBe(0);
    expect(comparePyStrings('ab', 'a')).toBe(1);
  });
});

describe('pyStrip', () => {
  it("strips as Python's str.strip() does", () => {
    expect(pyStrip('\u001c x \u0085')).toBe('x');
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
  });
});
