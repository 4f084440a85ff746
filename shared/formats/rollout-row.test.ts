import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLongerThan, RECORD_FIELD_BYTES, recordFields } from './rollout-row.js';

describe('jsonLongerThan', () => {
  it('says "longer" only of values whose JSON text is longer, and of every value far longer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(60), (value, limit) => {
        const length = JSON.stringify(value).length;
        if (jsonLongerThan(value, limit)) expect(length).toBeGreaterThan(limit);
        // The bound misses only escapes and key quoting, at most a few characters per string.
        if (length > 8 * limit + 64 && !JSON.stringify(value).includes('\\')) expect(jsonLongerThan(value, limit)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives up on a long list without walking all of it', () => {
    let visited = 0;
    const list = Array.from({ length: 10_000 }, (_, k) => ({
      get content() {
        visited += 1;
        return `message ${k}`;
      },
    }));
    expect(jsonLongerThan(list, RECORD_FIELD_BYTES)).toBe(true);
    expect(visited).toBeLessThan(200);
  });
});

describe('recordFields', () => {
  it('keeps the small top-level fields and leaves out the bulky ones', () => {
    const record = { id: 'r1', reward: 0.5, meta: { step: 3, tags: ['a', 'b'] }, messages: Array.from({ length: 100 }, (_, k) => ({ role: 'user', content: `turn ${k}` })), note: 'x'.repeat(RECORD_FIELD_BYTES - 9) };
    expect(JSON.parse(recordFields(record))).toEqual({ id: 'r1', reward: 0.5, meta: { step: 3, tags: ['a', 'b'] }, note: record.note });
    expect(JSON.parse(recordFields({ ...record, note: `${record.note}y` }))).not.toHaveProperty('note');
    expect(recordFields([1, 2])).toBe('{}');
  });
});
