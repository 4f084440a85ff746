/**
 * Differential tests against the real CPython 3.11: fast-check generates inputs, ONE python3 process per
 * test evaluates all of them (JSON in on stdin, JSON out on stdout, both pure ASCII so lone surrogates
 * survive the pipe), and every case must match byte for byte.
 *
 * The seed is random per run and printed on failure; replay with PY_DIFF_SEED=<seed>.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyJsonDecodeError, pyJsonDumps, pyJsonLoads } from './json.js';
import { pyFloatRepr, pyRepr, pyStrRepr } from './repr.js';
import { codePointLength, codePointSlice, comparePyStrings } from './str.js';
import { isPyPrintable } from './unicode-printable.js';
import { PyValueError } from './value.js';

const probe = spawnSync('python3', ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
const pyVersion = probe.status === 0 && !probe.error ? probe.stdout.trim() : null;
const skipReason =
  pyVersion === null
    ? 'python3 is missing, so the CPython differential tests are skipped'
    : pyVersion.startsWith('3.11.')
      ? null
      : `python3 is ${pyVersion}, but these differential tests compare against CPython 3.11, so they are skipped`;
if (skipReason) console.warn(`[shared/python] ${skipReason}`);

const SEED = process.env.PY_DIFF_SEED ? Number(process.env.PY_DIFF_SEED) : Math.floor(Math.random() * 2 ** 31);

/** JSON with every non-ASCII UTF-16 unit escaped: Python decodes pairs back to astral, keeps lone halves. */
function asciiJson(x: unknown): string {
  return JSON.stringify(x).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Runs `body` (which reads `data` and sets `out`) in one python3 process. */
function runPython<T>(body: string, data: unknown): T {
  const script = `import json, sys\ndata = json.loads(sys.stdin.read())\n${body}\nsys.stdout.write(json.dumps(out))\n`;
  const r = spawnSync('python3', ['-c', script], { input: asciiJson(data), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

function sample<T>(arb: fc.Arbitrary<T>, numRuns: number): T[] {
  return fc.sample(arb, { numRuns, seed: SEED });
}

/** Compares case by case and reports the first few mismatches with their inputs. */
function expectSame<I, O>(inputs: I[], actual: O[], expected: O[]): void {
  expect(actual).toHaveLength(inputs.length);
  const failures: { input: I; actual: O; expected: O }[] = [];
  inputs.forEach((input, k) => {
    if (JSON.stringify(actual[k]) !== JSON.stringify(expected[k])) {
      failures.push({ input, actual: actual[k] as O, expected: expected[k] as O });
    }
  });
  expect(failures.slice(0, 5), `${failures.length} of ${inputs.length} cases differ (PY_DIFF_SEED=${SEED})`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------
// Generators

const hexDigit = (n: number, upper: boolean): string => {
  const h = n.toString(16).padStart(4, '0');
  return upper ? h.toUpperCase() : h;
};

const ws = fc.array(fc.constantFrom(' ', '\t', '\n', '\r'), { maxLength: 2 }).map((a) => a.join(''));

const numberText = fc.oneof(
  fc.stringMatching(/^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?$/),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom('-0', '-0.0', '0e0', '1e400', '-1e400', '1e-400', '1E+2', '2.5E-3', '1e16', '1e-5', '0.0001'),
);

/** A raw character allowed inside a JSON string: no quote, backslash, control character or surrogate. */
const rawChar = fc.oneof(
  fc.constantFrom('a', ' ', '/', "'", '\u00e9', '\u2028', '\x7f', '\u00a0', '\u4e2d', '\ud83d\ude00', '\ud834\udd1e', '\uffff', '\ue000', '\u088f'),
  fc
    .integer({ min: 0x20, max: 0x10ffff })
    .filter((cp) => !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0x22 && cp !== 0x5c)
    .map((cp) => String.fromCodePoint(cp)),
);

const escape = fc.oneof(
  fc.constantFrom('\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t'),
  fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean()).map(([u, upper]) => `\\u${hexDigit(u, upper)}`),
  fc.constantFrom('\\ud83d\\ude00', '\\uD834\\uDD1E', '\\ud800', '\\udfff', '\\udbff\\udfff', '\\u0000', '\\u007f'),
);

const stringText = fc
  .array(fc.oneof({ weight: 3, arbitrary: rawChar }, { weight: 1, arbitrary: escape }), { maxLength: 12 })
  .map((parts) => `"${parts.join('')}"`);

const keyText = fc.oneof(fc.constantFrom('"a"', '"b"', '"A"', '"\\u0061"', '"\uffff"', '"\ud83d\ude00"', '""', '"\\ud800"'), stringText);

const scalarText = fc.oneof(
  numberText,
  stringText,
  fc.constantFrom('null', 'true', 'false', 'NaN', 'Infinity', '-Infinity'),
);

const { valueText } = fc.letrec<{ valueText: string; arrayText: string; objectText: string }>((tie) => ({
  valueText: fc.oneof({ maxDepth: 5, depthSize: 'small' }, scalarText, tie('arrayText'), tie('objectText')),
  arrayText: fc
    .tuple(ws, fc.array(fc.tuple(ws, tie('valueText'), ws), { maxLength: 5 }))
    .map(([w, items]) => `[${items.length ? items.map((p) => p.join('')).join(',') : w}]`),
  objectText: fc
    .tuple(ws, fc.array(fc.tuple(ws, keyText, ws, ws, tie('valueText'), ws), { maxLength: 5 }))
    .map(([w, members]) => `{${members.length ? members.map(([a, k, b, c, v, d]) => `${a}${k}${b}:${c}${v}${d}`).join(',') : w}}`),
}));

const jsonText = fc.tuple(ws, valueText, ws).map((p) => p.join(''));

const interesting = [
  '"', '\\', ',', ':', '{', '}', '[', ']', 'x', '\x01', '\x00', '\n', ' ', '\t', 'u', '0', '1', '-', '+',
  'e', '.', 'N', 'I', '/', '\ud83d\ude00', '\ufeff', '\\u', '\\ud800',
];

/** Valid texts broken at a code point boundary (never splitting a pair into lone halves). */
const mutatedText = fc
  .tuple(jsonText, fc.nat(), fc.constantFrom('delete', 'insert', 'replace', 'truncate'), fc.constantFrom(...interesting))
  .map(([text, k, op, ch]) => {
    const cps = Array.from(text);
    const i = k % (cps.length + 1);
    if (op === 'delete') cps.splice(i, 1);
    else if (op === 'insert') cps.splice(i, 0, ch);
    else if (op === 'replace') cps.splice(i, 1, ch);
    else cps.length = i;
    return cps.join('');
  });

const tokenSoup = fc
  .array(fc.constantFrom(...'[]{}",:0123456789.eE+-tfnulrsNaIiy \n\t\\/'.split(''), '\ud83d\ude00', 'true', 'null', '"a"', '\\u12'), {
    maxLength: 14,
  })
  .map((a) => a.join(''));

// ---------------------------------------------------------------------------------------------------

type Outcome =
  | { error: string }
  | { valueError: string }
  | { dumps: string; sorted: string; repr: string; noascii: string; compact: string };

const PY_OUTCOME = `
def outcome(s):
    try:
        v = json.loads(s)
    except json.JSONDecodeError as e:
        return {'error': str(e)}
    except ValueError as e:
        return {'valueError': str(e)}
    return {
        'dumps': json.dumps(v),
        'sorted': json.dumps(v, sort_keys=True),
        'repr': repr(v),
        'noascii': json.dumps(v, ensure_ascii=False),
        'compact': json.dumps(v, sort_keys=True, separators=(',', ':')),
    }
out = [outcome(s) for s in data]
`;

function jsOutcome(s: string): Outcome {
  let v;
  try {
    v = pyJsonLoads(s);
  } catch (e) {
    if (e instanceof PyJsonDecodeError) return { error: e.message };
    if (e instanceof PyValueError) return { valueError: e.message };
    throw e;
  }
  return {
    dumps: pyJsonDumps(v),
    sorted: pyJsonDumps(v, { sortKeys: true }),
    repr: pyRepr(v),
    noascii: pyJsonDumps(v, { ensureAscii: false }),
    compact: pyJsonDumps(v, { sortKeys: true, separators: [',', ':'] }),
  };
}

function float64FromBits(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

function float64Hex(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

describe.skipIf(skipReason !== null)(`differential against CPython 3.11 (${skipReason ?? `python3 ${pyVersion}`})`, () => {
  it('json.loads then dumps / dumps(sort_keys) / repr / ensure_ascii=False / separators on 1200 valid texts', () => {
    const inputs = sample(jsonText, 1200);
    const expected = runPython<Outcome[]>(PY_OUTCOME, inputs);
    expect(expected.every((o) => 'dumps' in o)).toBe(true); // the generator only makes valid JSON
    expectSame(inputs, inputs.map(jsOutcome), expected);
  });

  it('json.loads error messages (or acceptance) on 1200 mutated texts and 800 token soups', () => {
    const inputs = [...sample(mutatedText, 1200), ...sample(tokenSoup, 800)];
    const expected = runPython<Outcome[]>(PY_OUTCOME, inputs);
    expect(expected.filter((o) => 'error' in o).length).toBeGreaterThan(800);
    expectSame(inputs, inputs.map(jsOutcome), expected);
  });

  it('repr(float) and json.dumps(float) on 5000 doubles', () => {
    const doubles = fc.oneof(
      fc.double(),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(float64FromBits),
      fc.double({ min: -1e-300, max: 1e-300 }),
      fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -25, max: 25 })).map(([m, e]) => m * 10 ** e),
      fc.integer({ min: -(2 ** 53), max: 2 ** 53 }).map((n) => n * 1.0),
    );
    const inputs = sample(doubles, 5000);
    const expected = runPython<[string, string][]>(
      `import struct
out = []
for h in data:
    x = struct.unpack('>d', bytes.fromhex(h))[0]
    out.append([repr(x), json.dumps(x)])`,
      inputs.map(float64Hex),
    );
    const actual = inputs.map((x): [string, string] => [pyFloatRepr(x), pyJsonDumps(x)]);
    expectSame(inputs.map(String), actual, expected);
  });

  it('len, slices, repr, json.dumps and ordering on 2000 strings with astral characters and lone surrogates', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', 'Z', ' ', "'", '"', '\\', '\n', '\t', '\x00', '\x7f', '\u00e9', '\u00a0', '\u2028', '\uffff', '\ue000'),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)), // lone (or pairing by chance)
      fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    );
    const str = fc.oneof(
      fc.array(piece, { maxLength: 250 }).map((a) => a.join('')),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    const index = fc.option(fc.integer({ min: -300, max: 300 }), { nil: null });
    // The compared strings are concatenated here, not in Python: a lone high + lone low is a pair in JS.
    const cases = fc.tuple(str, index, index, str, str).map(([s, a, b, p, q]) => [s, a, b, s + p, s + q] as const);
    const inputs = sample(cases, 2000);
    type Row = [number, string, string, string, string, string, number];
    const expected = runPython<Row[]>(
      `out = []
for s, a, b, x, y in data:
    out.append([len(s), s[:100] + s[-50:], s[a:b], repr(s), json.dumps(s), json.dumps(s, ensure_ascii=False), (x > y) - (x < y)])`,
      inputs,
    );
    const actual = inputs.map(([s, a, b, x, y]): Row => [
      codePointLength(s),
      codePointSlice(s, 0, 100) + codePointSlice(s, -50),
      codePointSlice(s, a ?? undefined, b ?? undefined),
      pyStrRepr(s),
      pyJsonDumps(s),
      pyJsonDumps(s, { ensureAscii: false }),
      comparePyStrings(x, y),
    ]);
    expectSame(inputs, actual, expected);
  });

  it('str.isprintable agrees on every code point (the repr escaping table)', () => {
    const bounds = runPython<number[]>(
      `out = []
state = False
for cp in range(0x110000):
    p = chr(cp).isprintable()
    if p != state:
        out.append(cp)
        state = p`,
      null,
    );
    let printable = false;
    let next = 0;
    const wrong: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) {
      if (cp === bounds[next]) {
        printable = !printable;
        next++;
      }
      if (isPyPrintable(cp) !== printable && wrong.length < 10) wrong.push(cp);
    }
    expect(wrong).toEqual([]);
  });
});
