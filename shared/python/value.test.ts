import { describe, expect, it } from 'vitest';
import { isPyDict, pyIntRepr, pyTruthy, PyValueError, type PyValue } from './value.js';

describe('pyTruthy (Python bool())', () => {
  it.each<[PyValue, boolean]>([
    [null, false],
    [false, false],
    [true, true],
    [0n, false],
    [-1n, true],
    [0, false],
    [-0, false],
    [NaN, true],
    [0.5, true],
    [Infinity, true],
    ['', false],
    ['0', true],
    [[], false],
    [[null], true],
    [new Map(), false],
    [new Map([['', null]]), true],
  ])('bool(%o) is %s', (v, expected) => {
    expect(pyTruthy(v)).toBe(expected);
  });
});

describe('isPyDict', () => {
  it('is true only for Maps', () => {
    expect(isPyDict(new Map())).toBe(true);
    expect(isPyDict([])).toBe(false);
    expect(isPyDict(null)).toBe(false);
    expect(isPyDict('{}')).toBe(false);
  });
});

describe('pyIntRepr', () => {
  it('prints up to 4300 digits and refuses more, like Python 3.11', () => {
    expect(pyIntRepr(-(10n ** 4300n - 1n))).toHaveLength(4301);
    expect(() => pyIntRepr(10n ** 4300n)).toThrow(PyValueError);
    expect(() => pyIntRepr(-(10n ** 4300n))).toThrow(
      'Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit',
    );
  });
});
