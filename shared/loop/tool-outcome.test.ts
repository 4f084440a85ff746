import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyJsonLoads } from '../python/json.js';
import { isPyDict } from '../python/value.js';
import { returnedOutcome } from './tool-outcome.js';

/** What json.loads makes of a text: a dict, something else, or a decode error. */
function decoded(text: string): 'dict' | 'other' | 'error' {
  try {
    return isPyDict(pyJsonLoads(text)) ? 'dict' : 'other';
  } catch {
    return 'error';
  }
}

const whitespace = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\ufeff'), { maxLength: 3 }).map((cs) => cs.join(''));
const anyJson = fc.oneof(fc.json(), fc.string(), fc.constantFrom('{"error": "boom"}', '{"exit_code": -1}', '[{"error": 1}]', '"{\\"error\\": 1}"', 'NaN', '{"error": NaN}'));
const text = fc.tuple(whitespace, anyJson, whitespace).map(([a, b, c]) => a + b + c);

describe('returnedOutcome', () => {
  it('is ok, with no tool error, for every text json.loads does not decode to a dict, parsed or not', () => {
    fc.assert(
      fc.property(text, (t) => {
        if (decoded(t) === 'dict') return;
        expect(returnedOutcome(1, 'tool', '{}', t)).toEqual({ status: 'ok', result: t, toolError: null });
      }),
      { numRuns: 2000 },
    );
  });

  it('still reads an object after JSON whitespace, and only after JSON whitespace', () => {
    expect(returnedOutcome(1, 'tool', '{}', ' \n\t{"error": "boom"}').status).toBe('error_result');
    expect(returnedOutcome(1, 'tool', '{}', '\r\n{"exit_code": -2}').toolError?.error).toBe('nonzero exit_code');
    // Python's json.loads refuses a BOM and a no-break space before the object: plain output.
    expect(returnedOutcome(1, 'tool', '{}', '\ufeff{"error": "boom"}').status).toBe('ok');
    expect(returnedOutcome(1, 'tool', '{}', '\u00a0{"error": "boom"}').status).toBe('ok');
  });
});
