import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyRepr, pyStr, pyStrRepr } from './repr.js';
import { isPyPrintable } from './unicode-printable.js';
import type { PyValue } from './value.js';

// Expected strings were printed by CPython 3.11.7.
describe('pyFloatRepr (Python repr(float))', () => {
  it.each<[number, string]>([
    [0.0, '0.0'],
    [-0.0, '-0.0'],
    [1.0, '1.0'],
    [100.0, '100.0'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1234567890123456.0, '1234567890123456.0'],
    [1.2345678901234568e16, '1.2345678901234568e+16'],
    [1e22, '1e+22'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [5e-324, '5e-324'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [123.456, '123.456'],
    [1 / 3, '0.3333333333333333'],
    [2 ** 53, '9007199254740992.0'],
    [-0.0001, '-0.0001'],
    [9999999999999998.0, '9999999999999998.0'],
    [1e100, '1e+100'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('repr(%s) == %j', (x, expected) => {
    expect(pyFloatRepr(x)).toBe(expected);
  });
});

describe('pyRepr (Python repr)', () => {
  it.each<[PyValue, string]>([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [0n, '0'],
    [-12345678901234567890123n, '-12345678901234567890123'],
    [1.0, '1.0'],
    ['abc', "'abc'"],
    ["it's", '"it\'s"'],
    ['say "hi"', '\'say "hi"\''],
    ['both \' and "', "'both \\' and \"'"],
    ['back\\slash', "'back\\\\slash'"],
    ['tab\tnl\nrc\r', "'tab\\tnl\\nrc\\r'"],
    ['\x00\x1f\x7f\x80\x9f\xa0\xad\xff', "'\\x00\\x1f\\x7f\\x80\\x9f\\xa0\\xad\u00ff'"],
    ['\u0378\u2028\u2029\u3000\ue000\ufeff\uffff', "'\\u0378\\u2028\\u2029\\u3000\\ue000\\ufeff\\uffff'"],
    ['\ud800', "'\\ud800'"],
    ['\udfff', "'\\udfff'"],
    ['\ud83d\ude00\udb40\udc01\udbff\udfff\udb80\udc00', "'\ud83d\ude00\\U000e0001\\U0010ffff\\U000f0000'"],
    ['\u00e9\u4e2d\u6587', "'\u00e9\u4e2d\u6587'"],
    // Assigned after Unicode 14 (Python 3.11's database): unassigned, so escaped, whatever ICU says.
    ['\u088f\u1acf\ud884\udf50', "'\\u088f\\u1acf\\U00031350'"],
    [[1n, 'a', null], "[1, 'a', None]"],
    [new Map<string, PyValue>([['a', 1n], ['b', [2n]]]), "{'a': 1, 'b': [2]}"],
    [[], '[]'],
    [new Map(), '{}'],
    [[[], new Map()], '[[], {}]'],
    [new Map([['k', new Map([['n', [1.5, -0.0, NaN]]])]]), "{'k': {'n': [1.5, -0.0, nan]}}"],
  ])('repr(%o)', (v, expected) => {
    expect(pyRepr(v)).toBe(expected);
  });

  it('prints a container inside itself as [...] / {...}', () => {
    const list: PyValue[] = [1n];
    list.push(list);
    expect(pyRepr(list)).toBe('[1, [...]]');
    const dict = new Map<string, PyValue>();
    dict.set('self', dict);
    dict.set('l', [dict]);
    expect(pyRepr(dict)).toBe("{'self': {...}, 'l': [{...}]}");
    const shared: PyValue[] = [1n];
    expect(pyRepr([shared, shared])).toBe('[[1], [1]]');
  });

  it('handles 100,000-deep nesting without a RangeError', () => {
    let v: PyValue = [];
    for (let i = 0; i < 100_000; i++) v = [v];
    const r = pyRepr(v);
    expect(r).toHaveLength(200_002);
    expect(r.startsWith('[[[[')).toBe(true);
  });

  it('escapes quickly on a large string', () => {
    const big = 'x\n\u00e9\ud83d\ude00'.repeat(500_000);
    expect(pyStrRepr(big)).toHaveLength(2 + 500_000 * 6);
  });
});

describe('pyStr (Python str)', () => {
  it('is the text itself for a str and the repr otherwise', () => {
    expect(pyStr("it's")).toBe("it's");
    expect(pyStr(null)).toBe('None');
    expect(pyStr(2.0)).toBe('2.0');
    expect(pyStr(['x'])).toBe("['x']");
  });
});

describe('isPyPrintable', () => {
  it('follows Python 3.11 str.isprintable', () => {
    expect(isPyPrintable(0x20)).toBe(true);
    expect(isPyPrintable(0x7f)).toBe(false);
    expect(isPyPrintable(0xa0)).toBe(false);
    expect(isPyPrintable(0xa1)).toBe(true);
    expect(isPyPrintable(0xd800)).toBe(false);
    expect(isPyPrintable(0x1f600)).toBe(true);
    expect(isPyPrintable(0x10ffff)).toBe(false);
  });
});
