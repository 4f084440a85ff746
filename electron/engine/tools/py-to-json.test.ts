import { describe, expect, it } from 'vitest';
import type { PyValue } from '#shared/python/value.js';
import { jsonToPy, pyToJson } from './py-to-json.js';

describe('pyToJson', () => {
  it('maps dicts, lists, ints and floats', () => {
    const value = new Map<string, PyValue>([
      ['b', 1n],
      ['a', [1.5, 'é', null, true]],
      ['__proto__', new Map([['x', 2n]])],
    ]);
    const json = pyToJson(value) as Record<string, unknown>;
    expect(JSON.stringify(json)).toBe('{"b":1,"a":[1.5,"é",null,true],"__proto__":{"x":2}}');
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
  });

  it('keeps unsafe ints exact as digit strings and maps non-finite floats to null', () => {
    expect(pyToJson(12345678901234567890n)).toBe('12345678901234567890');
    expect(pyToJson(-(2n ** 53n) + 1n)).toBe(-(2 ** 53) + 1);
    expect(pyToJson(Number.NaN)).toBeNull();
    expect(pyToJson(Number.NEGATIVE_INFINITY)).toBeNull();
  });
});

describe('jsonToPy', () => {
  it('turns integral numbers into ints and objects into dicts', () => {
    expect(jsonToPy({ a: 1, b: [1.5, null, 'x'] })).toEqual(new Map<string, unknown>([['a', 1n], ['b', [1.5, null, 'x']]]));
  });
});
