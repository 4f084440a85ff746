import { describe, expect, it } from 'vitest';
import { exactNumber, parseJsonExact, restoreExactInts, stringifyJsonExact } from './exact-json.js';

describe('exact JSON integers', () => {
  it('keeps integers beyond 2^53 digit for digit through a parse and a stringify', () => {
    const text = '{"a":12345678901234567890123,"b":[-9007199254740993,9007199254740991,1.5,1e400],"c":"12345678901234567890"}';
    const value = parseJsonExact(text) as Record<string, unknown>;
    expect(value.a).toBe(exactNumber('12345678901234567890123'));
    expect(value.b).toEqual([exactNumber('-9007199254740993'), 9007199254740991, 1.5, Infinity]);
    expect(value.c).toBe('12345678901234567890');
    expect(parseJsonExact('[1e19, 12345678901234567890.0, 1.5e3, 2e-5]')).toEqual([exactNumber('1e+19'), exactNumber('1.2345678901234567e+19'), 1500, 2e-5]);
    expect(stringifyJsonExact(structuredClone(value))).toBe('{"a":12345678901234567890123,"b":[-9007199254740993,9007199254740991,1.5,null],"c":"12345678901234567890"}');
  });

  it('gives what JSON.parse gives for every other text', () => {
    for (const text of ['[1, 2.0, -0, "x", null, true, {"__proto__": 1, "k": 1, "k": 2}]', '{"n": 123456789012345.5}', `[${'9'.repeat(5000)}]`]) {
      expect(parseJsonExact(text)).toEqual(JSON.parse(text));
    }
    expect(() => parseJsonExact('[1,')).toThrow(SyntaxError);
  });

  it('restores only marked strings', () => {
    expect(restoreExactInts('{"a":"12345678901234567890","b":"\uE000num:-12345678901234567890"}')).toBe('{"a":"12345678901234567890","b":-12345678901234567890}');
  });
});
