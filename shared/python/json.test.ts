import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyJsonDecodeError, pyJsonDumps, pyJsonEncodeString, pyJsonLoads } from './json.js';
import { pyRepr } from './repr.js';
import { PyValueError, type PyValue } from './value.js';

// Expected strings were printed by CPython 3.11.7 (`str(e)`, `repr(json.loads(s))`, `json.dumps(...)`).
function loadError(text: string): PyJsonDecodeError {
  try {
    pyJsonLoads(text);
  } catch (e) {
    if (e instanceof PyJsonDecodeError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(text)}`);
}

describe('pyJsonLoads errors (str(json.JSONDecodeError))', () => {
  it.each([
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    [' ', 'Expecting value: line 1 column 2 (char 1)'],
    ['"\\u', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['"\\u12', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['"\\u0041', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['"\\u12x4"', 'Invalid \\uXXXX escape: line 1 column 3 (char 2)'],
    ['"\\ud800\\u12"', 'Invalid \\uXXXX escape: line 1 column 9 (char 8)'],
    ['"\\ud800\\uzzzz"', 'Invalid \\uXXXX escape: line 1 column 9 (char 8)'],
    ['"\\ud800\\udc00', 'Invalid \\uXXXX escape: line 1 column 9 (char 8)'],
    ['"\\x"', 'Invalid \\escape: line 1 column 2 (char 1)'],
    ['"\\U0041"', 'Invalid \\escape: line 1 column 2 (char 1)'],
    ['"a\u0001"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['"a\u001f"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['"abc\\', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['[', 'Expecting value: line 1 column 2 (char 1)'],
    ['[,]', 'Expecting value: line 1 column 2 (char 1)'],
    ['{', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['{"a"', "Expecting ':' delimiter: line 1 column 5 (char 4)"],
    ['{"a":', 'Expecting value: line 1 column 6 (char 5)'],
    ['{"a":1', "Expecting ',' delimiter: line 1 column 7 (char 6)"],
    ['{"a":1,', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['{1:2}', 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ["{'a':1}", 'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)'],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['{"a":1 "b"}', "Expecting ',' delimiter: line 1 column 8 (char 7)"],
    ['nul', 'Expecting value: line 1 column 1 (char 0)'],
    ['tru', 'Expecting value: line 1 column 1 (char 0)'],
    ['NaNx', 'Extra data: line 1 column 4 (char 3)'],
    ['-', 'Expecting value: line 1 column 1 (char 0)'],
    ['-a', 'Expecting value: line 1 column 1 (char 0)'],
    ['-Inf', 'Expecting value: line 1 column 1 (char 0)'],
    ['Infinit', 'Expecting value: line 1 column 1 (char 0)'],
    ['1e', 'Extra data: line 1 column 2 (char 1)'],
    ['1e+', 'Extra data: line 1 column 2 (char 1)'],
    ['1.', 'Extra data: line 1 column 2 (char 1)'],
    ['01', 'Extra data: line 1 column 2 (char 1)'],
    ['-01', 'Extra data: line 1 column 3 (char 2)'],
    ['1.e5', 'Extra data: line 1 column 2 (char 1)'],
    ['\ufeff1', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)'],
    [' \ufeff1', 'Expecting value: line 1 column 2 (char 1)'],
    ['\n\n  x', 'Expecting value: line 3 column 3 (char 4)'],
    ['ab\ncd\n  [', 'Expecting value: line 1 column 1 (char 0)'],
    ['[1,\n2', "Expecting ',' delimiter: line 2 column 2 (char 5)"],
    ['\ud83d\ude00', 'Expecting value: line 1 column 1 (char 0)'],
    ['"\ud83d\ude00\u0000"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['["\ud83d\ude00", "\ud83d\ude00"] x', 'Extra data: line 1 column 12 (char 11)'],
    ['[\n"\ud83d\ude00\ud83d\ude00",\n  "\ud83d\ude00" 1]', "Expecting ',' delimiter: line 3 column 7 (char 14)"],
    ['1 2', 'Extra data: line 1 column 3 (char 2)'],
    ['[1]]', 'Extra data: line 1 column 4 (char 3)'],
    ['\f1', 'Expecting value: line 1 column 1 (char 0)'],
    ['1\u000b', 'Extra data: line 1 column 2 (char 1)'],
  ])('json.loads(%j)', (text, message) => {
    const e = loadError(text);
    expect(e.message).toBe(message);
    expect(e).toBeInstanceOf(PyValueError);
    expect(`${e.msg}: line ${e.lineno} column ${e.colno} (char ${e.pos})`).toBe(message);
    expect(e.doc).toBe(text);
  });

  it('refuses ints over 4300 digits with ValueError', () => {
    expect(() => pyJsonLoads('1'.repeat(4301))).toThrow(
      'Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use sys.set_int_max_str_digits() to increase the limit',
    );
    expect(pyJsonLoads(`-${'1'.repeat(4300)}`)).toBe(-BigInt('1'.repeat(4300)));
    expect(pyJsonLoads(`${'1'.repeat(4301)}.0`)).toBe(Infinity) // a float, so no digit limit: inf as in Python;
  });
});

describe('pyJsonLoads values', () => {
  it.each([
    ['{"a": 1, "b": 2, "a": 3}', "{'a': 3, 'b': 2}", '{"a": 3, "b": 2}'],
    [
      '[1, 1.0, -0, -0.0, 1e400, -1e400, 1E2, 0.5e-3, 12345678901234567890123456789]',
      '[1, 1.0, 0, -0.0, inf, -inf, 100.0, 0.0005, 12345678901234567890123456789]',
      '[1, 1.0, 0, -0.0, Infinity, -Infinity, 100.0, 0.0005, 12345678901234567890123456789]',
    ],
    ['[NaN, Infinity, -Infinity]', '[nan, inf, -inf]', '[NaN, Infinity, -Infinity]'],
    [
      '"\\ud83d\\ude00 \\ud800 \\udc00\\ud800 \\u00e9 \\/ \\b\\f\\n\\r\\t \\" \\\\"',
      "'\ud83d\ude00 \\ud800 \\udc00\\ud800 \u00e9 / \\x08\\x0c\\n\\r\\t \" \\\\'",
      '"\\ud83d\\ude00 \\ud800 \\udc00\\ud800 \\u00e9 / \\b\\f\\n\\r\\t \\" \\\\"',
    ],
    [' \t\n\r{"x" : [ true , false , null ] }\r\n', "{'x': [True, False, None]}", '{"x": [true, false, null]}'],
    ['"\u007f\u2028"', "'\\x7f\\u2028'", '"\\u007f\\u2028"'],
    ['{"__proto__": 1, "constructor": 2}', "{'__proto__': 1, 'constructor': 2}", '{"__proto__": 1, "constructor": 2}'],
  ])('json.loads(%j)', (text, repr, dumped) => {
    const v = pyJsonLoads(text);
    expect(pyRepr(v)).toBe(repr);
    expect(pyJsonDumps(v)).toBe(dumped);
  });

  it('gives ints as bigint and floats as number', () => {
    expect(pyJsonLoads('[1, 1.0, -0.0, 2e0]')).toEqual([1n, 1, -0, 2]);
    expect(Object.is((pyJsonLoads('[-0.0]') as number[])[0], -0)).toBe(true);
  });

  it('keeps the first position and the last value of a repeated key', () => {
    const v = pyJsonLoads('{"a": 1, "b": 2, "a": 3}') as Map<string, PyValue>;
    expect([...v.entries()]).toEqual([['a', 3n], ['b', 2n]]);
  });
});

describe('pyJsonDumps', () => {
  const cases: [PyValue, string, string, string][] = [
    [null, 'null', 'null', 'null'],
    [-12345678901234567890123n, '-12345678901234567890123', '-12345678901234567890123', '-12345678901234567890123'],
    [1.0, '1.0', '1.0', '1.0'],
    ['say "hi"', '"say \\"hi\\""', '"say \\"hi\\""', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"', '"back\\\\slash"', '"back\\\\slash"'],
    ['tab\tnl\nrc\r', '"tab\\tnl\\nrc\\r"', '"tab\\tnl\\nrc\\r"', '"tab\\tnl\\nrc\\r"'],
    [
      '\x00\x1f\x7f\x80\x9f\xa0\xad\xff',
      '"\\u0000\\u001f\\u007f\\u0080\\u009f\\u00a0\\u00ad\\u00ff"',
      '"\\u0000\\u001f\u007f\u0080\u009f\u00a0\u00ad\u00ff"',
      '"\\u0000\\u001f\\u007f\\u0080\\u009f\\u00a0\\u00ad\\u00ff"',
    ],
    ['\ud800', '"\\ud800"', '"\ud800"', '"\\ud800"'],
    [
      '\ud83d\ude00\udb40\udc01\udbff\udfff',
      '"\\ud83d\\ude00\\udb40\\udc01\\udbff\\udfff"',
      '"\ud83d\ude00\udb40\udc01\udbff\udfff"',
      '"\\ud83d\\ude00\\udb40\\udc01\\udbff\\udfff"',
    ],
    ['\u00e9\u4e2d\u6587', '"\\u00e9\\u4e2d\\u6587"', '"\u00e9\u4e2d\u6587"', '"\\u00e9\\u4e2d\\u6587"'],
    [[1n, 'a', null], '[1, "a", null]', '[1, "a", null]', '[1,"a",null]'],
    [new Map<string, PyValue>([['a', 1n], ['b', [2n]]]), '{"a": 1, "b": [2]}', '{"a": 1, "b": [2]}', '{"a":1,"b":[2]}'],
    [[[], new Map()], '[[], {}]', '[[], {}]', '[[],{}]'],
    [
      new Map([['k', new Map([['n', [1.5, -0.0, NaN]]])]]),
      '{"k": {"n": [1.5, -0.0, NaN]}}',
      '{"k": {"n": [1.5, -0.0, NaN]}}',
      '{"k":{"n":[1.5,-0.0,NaN]}}',
    ],
  ];
  it.each(cases)('json.dumps(%o)', (v, dflt, noAscii, sortedCompact) => {
    expect(pyJsonDumps(v)).toBe(dflt);
    expect(pyJsonDumps(v, { ensureAscii: false })).toBe(noAscii);
    expect(pyJsonDumps(v, { sortKeys: true, separators: [',', ':'] })).toBe(sortedCompact);
  });

  it('sorts keys by code point with sort_keys', () => {
    const d = new Map<string, PyValue>([['b', 1n], ['a', 2n], ['\uffff', 3n], ['\ud83d\ude00', 4n], ['A', 5n], ['', 6n]]);
    expect(pyJsonDumps(d, { sortKeys: true })).toBe(
      '{"": 6, "A": 5, "a": 2, "b": 1, "\\uffff": 3, "\\ud83d\\ude00": 4}',
    );
    expect(pyJsonDumps(d)).toBe('{"b": 1, "a": 2, "\\uffff": 3, "\\ud83d\\ude00": 4, "A": 5, "": 6}');
  });

  it('writes floats as repr and the non-finite ones as JavaScript names', () => {
    expect(pyJsonDumps([NaN, Infinity, -Infinity, 1e16, 1.0, 2n ** 64n, -0.0, '\x7f', '/'])).toBe(
      '[NaN, Infinity, -Infinity, 1e+16, 1.0, 18446744073709551616, -0.0, "\\u007f", "/"]',
    );
  });

  it('raises ValueError on circular references', () => {
    const list: PyValue[] = [];
    list.push(list);
    expect(() => pyJsonDumps(list)).toThrow('Circular reference detected');
    const shared: PyValue[] = [1n];
    expect(pyJsonDumps([shared, shared])).toBe('[[1], [1]]');
  });

  it('escapes long non-ASCII text the same way (the buffered path)', () => {
    expect(pyJsonDumps('\u00e9\n\ud83d\ude00"'.repeat(5000))).toBe(`"${'\\u00e9\\n\\ud83d\\ude00\\"'.repeat(5000)}"`);
    expect(pyJsonDumps('x\u2028'.repeat(5000), { ensureAscii: false })).toBe(`"${'x\u2028'.repeat(5000)}"`);
  });

  it('encodes a bare string like encode_basestring(_ascii)', () => {
    expect(pyJsonEncodeString('a\u2028\ud83d\ude00')).toBe('"a\\u2028\\ud83d\\ude00"');
    expect(pyJsonEncodeString('a\u2028\x7f\n', false)).toBe('"a\u2028\x7f\\n"');
  });
});

describe('size and depth', () => {
  it('loads and dumps 100,000-deep nesting without a RangeError', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);
    const v = pyJsonLoads(text);
    expect(pyJsonDumps(v)).toBe(text);
    const objText = '{"a": '.repeat(depth) + '{}' + '}'.repeat(depth);
    expect(pyJsonDumps(pyJsonLoads(objText), { sortKeys: true })).toBe(objText);
    expect(() => pyJsonLoads('['.repeat(depth))).toThrow(`Expecting value: line 1 column ${depth + 1} (char ${depth})`);
  });

  it('loads a 10 MB string and a large array in linear time', { timeout: 60_000 }, () => {
    const big = 'x'.repeat(10_000_000);
    expect(pyJsonLoads(`"${big}"`)).toBe(big);
    const escaped = '\\n\\u00e9\\ud83d\\ude00'.repeat(250_000);
    expect(pyJsonLoads(`"${escaped}"`)).toHaveLength(1_000_000);
    const arr = pyJsonLoads(`[${'1.5, 2, "s", '.repeat(200_000)}null]`) as PyValue[];
    expect(arr).toHaveLength(600_001);
    expect(pyJsonDumps(big)).toHaveLength(10_000_002);
  });
});

/** Python's `encode_basestring_ascii`, unit by unit, as CPython's C loop writes it. */
function encodeAsciiByUnits(s: string): string {
  const short: Record<number, string> = { 34: '\\"', 92: '\\\\', 10: '\\n', 13: '\\r', 9: '\\t', 8: '\\b', 12: '\\f' };
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 34 && c !== 92) out += s[i];
    else out += short[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

describe('pyJsonEncodeString (ensure_ascii)', () => {
  it('escapes every string as encode_basestring_ascii does: controls, quotes, DEL, astral pairs and lone surrogates', () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: 0x9f }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd800, max: 0xdfff })).map((c) => String.fromCharCode(c));
    const text = fc.oneof(fc.string({ unit }), fc.string({ unit: 'binary' }), fc.string());
    fc.assert(
      fc.property(text, (s) => {
        expect(pyJsonEncodeString(s)).toBe(encodeAsciiByUnits(s));
      }),
      { numRuns: 5000 },
    );
  });
});
