import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyJsonLoads } from '../python/json.js';
import { isPyDict } from '../python/value.js';
import { returnedOutcome, returnedOutcomeExact } from './tool-outcome.js';

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

/** Values of `error` and `exit_code` a tool result may carry, written as Python or JSON would. */
const fieldValue = fc.oneof(
  fc.constantFrom('-1', '-1.0', '-1e0', '0', '-0', '0.0', '-0.0', '1', '-5', '-123456789012345678901234567890', 'true', 'false', 'null', '""', '"x"', '[]', '[0]', '{}', '{"a": 1}', 'NaN', '-Infinity', '1e400', '-1e400', '"\\ud800"'),
  fc.json(),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map((n) => JSON.stringify(n)),
);
const field = fc.tuple(fc.constantFrom('error', 'exit_code', 'output', '__proto__', 'error'), fieldValue).map(([k, v]) => `"${k}": ${v}`);
/** Texts that open a JSON object, valid or not, as tools return them. */
const objectText = fc.oneof(
  fc.array(field, { maxLength: 4 }).map((fields) => `{${fields.join(', ')}}`),
  fc.tuple(whitespace, fc.array(field, { maxLength: 3 }), fc.constantFrom('', '}', ' ', 'x', ']')).map(([w, fields, tail]) => `${w}{${fields.join(',')}${tail}`),
  // Keys spelled with escapes, and the word in a value only (the quick path skips the parse when neither key is spelled in quotes).
  fc.constantFrom('{"err\\u006fr": "boom"}', '{"\\u0065rror": 1}', '{"exit\\u005fcode": -1}', '{"msg": "an error occurred", "exit_code_text": "-1"}', '{"error ": 1, "xerror": true}'),
  fc.constantFrom('{"error": "Tool execution failed: FileNotFoundError: x"}', `{"n": ${'7'.repeat(4301)}}`, `{"n": -${'7'.repeat(4301)}, "exit_code": -1}`, `{"s": "${'7'.repeat(4400)}"}`, `{"exit_code": ${'1'.repeat(4301)}}`),
  fc.json().filter((t) => t.startsWith('{')),
);

describe('returnedOutcome (the JSON.parse path)', () => {
  it('classifies every text as the Python-semantics parser does: same status, tool error and result, or the same error raised', () => {
    const outcome = (f: typeof returnedOutcome, t: string): unknown => {
      try {
        return f(3, 'terminal', '{"command": "ls"}', t);
      } catch (error) {
        return { raised: (error as Error).constructor.name, message: (error as Error).message };
      }
    };
    fc.assert(
      fc.property(fc.oneof(objectText, text), (t) => {
        expect(outcome(returnedOutcome, t)).toEqual(outcome(returnedOutcomeExact, t));
      }),
      { numRuns: 5000 },
    );
  });
});
