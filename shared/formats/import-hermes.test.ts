import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readToolResponse, readToolResponseExact } from './import-hermes.js';

function settle(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    return { raised: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

/** JSON text as tools write it, with what V8 and Python read differently: floats, big ints, index keys, escapes, spacing. */
const toolJson = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('0', '-0', '7', '-42', '123456789012345', '-123456789012345', '1234567890123456', '99999999999999999999', '1.0', '2.5', '1e5', '-2.5E-3', 'true', 'false', 'null'),
    fc.constantFrom('"plain"', '"caf\\u00e9"', '"café"', '"\\ud83d\\ude00 😀"', '"\\ud800"', '"a\\/b"', '"tab\\tnew\\nline"', '"\\u007f\\u0000"', '"quote \\" back \\\\"', '""'),
    fc.array(tie('value'), { maxLength: 4 }).chain((items) => fc.constantFrom(', ', ',', ' , ').map((sep) => `[${items.join(sep)}]`)),
    fc
      .array(fc.tuple(fc.constantFrom('"a"', '"b"', '"0"', '"1"', '"10"', '"01"', '"-1"', '"4294967295"', '"__proto__"', '"é"', '"😀"', '"exit_code"'), tie('value')), { maxLength: 4 })
      .chain((pairs) => fc.constantFrom(': ', ':', ' : ').map((sep) => `{${pairs.map(([k, v]) => `${k}${sep}${v}`).join(', ')}}`)),
  ),
})).value;

const content = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.json(),
  toolJson,
  fc.constantFrom('1.0', '-1', '1e400', 'NaN', 'null', '"\\ud800"', `"${'5'.repeat(4400)}"`, `${'5'.repeat(4301)}`, '{"exit_code": -1, "error": "x"}'),
);
const id = fc.oneof(fc.string().map((s) => JSON.stringify(s)), fc.constantFrom('null', '7', 'true'));
const field = fc.oneof(
  content.map((c) => `"content": ${c}`),
  id.map((i) => `"tool_call_id": ${i}`),
  id.map((i) => `"name": ${i}`),
  fc.constantFrom('"__proto__": {"content": "x"}', '"extra": [1, 2.0]'),
);
/** `<tool_response>` block texts as hermes-agent writes them, and broken ones. */
const block = fc.oneof(
  fc.array(field, { maxLength: 4 }).map((fields) => `{${fields.join(', ')}}`),
  fc.tuple(fc.array(field, { maxLength: 3 }), fc.constantFrom('', '}', ']', ' x')).map(([fields, tail]) => `{${fields.join(', ')}${tail}`),
  fc.json(),
  fc.string(),
);

describe('readToolResponse', () => {
  it('reads every block as the Python-semantics reader does: same call id and result text, or the same Misfit', () => {
    fc.assert(
      fc.property(block, (inner) => {
        expect(settle(() => readToolResponse(inner, 3, 1))).toEqual(settle(() => readToolResponseExact(inner, 3, 1)));
      }),
      { numRuns: 5000 },
    );
  });
});
