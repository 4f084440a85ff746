import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { offsetDeeperThan, parseMessageList, parseMessageListWithZod, toolSchemasOf } from './import-common.js';
import { toolSchemaSchema } from '../model/chat.js';

/** Keys in order, all the way down: what a file written from the parsed value would hold. */
function layout(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(layout);
  if (typeof value === 'object' && value !== null) return [Object.getPrototypeOf(value) === Object.prototype, Object.entries(value).map(([k, v]) => [k, layout(v)])];
  return value;
}

function settle(f: () => unknown): unknown {
  try {
    return layout(f());
  } catch (error) {
    return { raised: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

const key = fc.constantFrom('role', 'content', 'tool_calls', 'tool_call_id', 'id', 'type', 'function', 'name', 'arguments', 'extra', '0', '7', '__proto__', 'toString');
const loose = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]));
// Mostly what fits (so the quick path answers), now and then what does not (so zod has to).
const fn = fc.oneof(
  { arbitrary: fc.record({ name: fc.string(), arguments: fc.oneof(fc.string(), fc.json().map((j) => JSON.parse(j) as unknown)) }, { requiredKeys: ['name', 'arguments'] }), weight: 8 },
  { arbitrary: fc.record({ name: fc.oneof(fc.string(), fc.integer()), arguments: fc.string() }, { requiredKeys: [] }), weight: 1 },
  { arbitrary: loose, weight: 1 },
);
const call = fc.oneof(
  { arbitrary: fc.record({ id: fc.oneof(fc.string(), fc.constant(null)), type: fc.constant('function'), function: fn }, { requiredKeys: ['function'] }), weight: 8 },
  { arbitrary: fc.record({ id: fc.oneof(fc.string(), fc.constant(null), fc.integer()), type: fc.oneof(fc.constant('function'), fc.integer()), function: fn }, { requiredKeys: [] }), weight: 1 },
  { arbitrary: loose, weight: 1 },
);
const message = fc.oneof(
  {
    arbitrary: fc.record(
      { role: fc.constantFrom('user', 'assistant', 'tool', 'system'), content: fc.oneof(fc.string(), fc.constant(null)), tool_calls: fc.constant(null), tool_call_id: fc.oneof(fc.string(), fc.constant(null)) },
      { requiredKeys: ['role'] },
    ),
    weight: 8,
  },
  {
    arbitrary: fc.record(
      { role: fc.oneof(fc.string(), fc.integer()), tool_calls: fc.oneof(fc.constant(null), loose), tool_call_id: fc.oneof(fc.string(), fc.constant(null), fc.integer()) },
      { requiredKeys: [] },
    ),
    weight: 1,
  },
  { arbitrary: loose, weight: 1 },
);
const extras = fc.tuple(fc.array(fc.tuple(key, loose), { maxLength: 3 }), fc.boolean());

/** The object with extra keys written into its JSON text, before or after its own, and read back as a file's would be. */
function withExtras(value: unknown, [pairs, first]: [Array<[string, unknown]>, boolean]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || pairs.length === 0) return value;
  const body = JSON.stringify(value).slice(1, -1);
  const extra = pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
  return JSON.parse(first ? `{${extra}${body ? `, ${body}` : ''}}` : `{${body}${body ? ', ' : ''}${extra}}`) as unknown;
}

const callWithExtras = fc.tuple(call, extras, extras).map(([c, outer, inner]) => {
  const withInner = typeof c === 'object' && c !== null && 'function' in c ? { ...c, function: withExtras(c.function, inner) } : c;
  return withExtras(withInner, outer);
});
const list = fc.array(
  fc.tuple(message, fc.array(callWithExtras, { maxLength: 3 }), fc.boolean(), extras).map(([m, calls, useCalls, ex]) =>
    withExtras(useCalls && typeof m === 'object' && m !== null && !Array.isArray(m) ? { ...m, tool_calls: calls } : m, ex),
  ),
  { maxLength: 4 },
);

describe('parseMessageList', () => {
  it('gives what zod gives for any message list (same objects, keys in the same order), or the same Misfit', () => {
    fc.assert(
      fc.property(fc.oneof(list, fc.anything()), (data) => {
        expect(settle(() => parseMessageList(data))).toEqual(settle(() => parseMessageListWithZod(data)));
      }),
      { numRuns: 4000 },
    );
  });
});

describe('offsetDeeperThan', () => {
  /** The walk char by char, a backslash in a string escaping the char after it. */
  function charByChar(text: string, limit: number): number | null {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      } else if (c === '[' || c === '{') {
        if (++depth > limit) return i;
      } else if (c === ']' || c === '}') {
        depth--;
      }
    }
    return null;
  }

  it('finds the bracket a char-by-char walk finds, escaped quotes and backslash runs included', () => {
    const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a'), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 6 }), (t, limit) => offsetDeeperThan(t, limit) === charByChar(t, limit)),
      { numRuns: 20_000 },
    );
  });
});

describe('tool schemas read from a file', () => {
  it('keep what the contract takes: a description or parameters of the wrong type are left out', () => {
    const tools = toolSchemasOf([
      { type: 'function', function: { name: 'ls', description: 7, parameters: [1, 'x'], strict: true } },
      { type: 'function', function: { name: 'cat', description: 'Read', parameters: { type: 'object' } } },
      { name: 'grep', description: null, parameters: 'x' },
    ]);
    expect(tools).toEqual([
      { type: 'function', function: { name: 'ls', strict: true } },
      { type: 'function', function: { name: 'cat', description: 'Read', parameters: { type: 'object' } } },
      { type: 'function', function: { name: 'grep' } },
    ]);
  });

  it('are always tool schemas of the contract, whatever the file holds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.record({ type: fc.jsonValue(), function: fc.record({ name: fc.string(), description: fc.jsonValue(), parameters: fc.jsonValue() }, { requiredKeys: ['name'] }) }))), (list) => {
        for (const tool of toolSchemasOf(list) ?? []) expect(toolSchemaSchema.safeParse(JSON.parse(JSON.stringify(tool))).success).toBe(true);
      }),
    );
  });
});
