import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indentJson, prettyJson, sameJson } from './pretty-json.js';

describe('prettyJson', () => {
  it('indents by two spaces like JSON.stringify(…, null, 2)', () => {
    const text = '{"a":[1,{"b":null}],"c":{},"d":[],"e":"x, y: {z}"}';
    expect(prettyJson(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
  });

  it('keeps numbers, escapes and duplicate keys exactly as written', () => {
    expect(prettyJson('{"n": 12345678901234567890, "s": "\\u00e9\\"", "k": 1, "k": 2}')).toBe('{\n  "n": 12345678901234567890,\n  "s": "\\u00e9\\"",\n  "k": 1,\n  "k": 2\n}');
  });

  it('returns text that is not JSON unchanged', () => {
    expect(prettyJson('{"path": "a"')).toBe('{"path": "a"');
    expect(prettyJson('ls -la')).toBe('ls -la');
  });

  it('indents Python dumps with NaN too', () => {
    expect(indentJson('{"x": NaN}')).toBe('{\n  "x": NaN\n}');
  });

  it('lays out any text without throwing, whatever it closes (arguments a model wrote are any text)', () => {
    expect(indentJson('`\\ ]~D\\WEY')).toBe('`\\\n]~D\\WEY');
    expect(sameJson('`\\ ]~D\\WEY', '{}')).toBe(false);
    fc.assert(fc.property(fc.string(), (text) => typeof indentJson(text) === 'string'));
  });

  it('compares JSON by value', () => {
    expect(sameJson('{"a":1}', '{"a": 1}')).toBe(true);
    expect(sameJson('{"a":"1"}', '{"a": 1}')).toBe(false);
    expect(sameJson('"{\\"a\\": 1}"', '{"a": 1}')).toBe(false);
  });
});
