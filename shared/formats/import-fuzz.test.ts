/**
 * Fuzz tests of the importers: whatever bytes a file holds, `importBytes` returns a result or
 * throws a `FormatError` whose message starts with the file name. Any other exception fails the
 * property, and a hang fails the test's own timeout.
 *
 * Runs are seeded and short by default. `FUZZ_RUNS=5000` makes every property run that many times
 * and every wrong-type walk exhaustive; `FUZZ_SEED=N` replays another seed (the failure message
 * prints the seed and the input, small enough to read: a file name and the edits made to it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportText } from './export.js';
import { FormatError, importBytes } from './import.js';
import { BYTES, hermes, hermesLines, withTools } from '../../electron/testing/format-samples.js';
import { pathsOf, replaced, type Json } from '../testing/json-edits.js';

const LONG = process.env.FUZZ_RUNS !== undefined;
const RUNS = LONG ? Number(process.env.FUZZ_RUNS) : 40;
const SEED = Number(process.env.FUZZ_SEED ?? 20260226);
const TIMEOUT = LONG ? 60 * 60_000 : 60_000;
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

const encoder = new TextEncoder();
const FILES = [...BYTES.keys()];
const bytesOf = (name: string): Uint8Array => BYTES.get(name)!;

/**
 * Imports bytes and checks the contract: a result whose problems and trajectories are well formed,
 * with the lines or items it skipped reported, or a FormatError naming the file. Returns which.
 */
function importChecked(bytes: Uint8Array, name: string): 'imported' | 'reported' | 'refused' {
  let result;
  try {
    result = importBytes(bytes, name);
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    if (!error.message.startsWith(name)) throw new Error(`a FormatError that does not start with the file name ${name}: ${error.message}`);
    return 'refused';
  }
  for (const problem of result.problems) if (!problem.startsWith(`${name}:`)) throw new Error(`a problem that does not start with ${name}: ${problem}`);
  result.trajectories.forEach((t, i) => {
    if (!Array.isArray(t.messages) || t.messages.some((m) => typeof m?.role !== 'string')) throw new Error(`trajectory ${i} has messages without a role`);
  });
  return result.problems.length > 0 ? 'reported' : 'imported';
}

// --- byte-level damage to every corpus file ---------------------------------------------------------

describe.each(FILES)('%s', (name) => {
  const original = bytesOf(name);

  it('imports whole', () => {
    expect(importChecked(original, name)).toBe('imported');
  });

  it('survives random truncation', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length }), (cut) => {
        importChecked(original.subarray(0, cut), name);
      }),
      params,
    );
  }, TIMEOUT);

  it('survives byte flips', () => {
    const flip = fc.record({ at: fc.nat({ max: original.length - 1 }), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.array(flip, { minLength: 1, maxLength: 8 }), (flips) => {
        const bytes = original.slice();
        for (const { at, value } of flips) bytes[at] = value;
        importChecked(bytes, name);
      }),
      params,
    );
  }, TIMEOUT);
});

const TEXT_FILES = FILES.filter((name) => !name.endsWith('.eval'));

/** Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, past U+10FFFF, cut short, never valid. */
const INVALID_UTF8 = [[0x80], [0xbf, 0x41], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xf5, 0x80, 0x80, 0x80], [0xfe], [0xff]];

describe('invalid UTF-8', () => {
  it.each(TEXT_FILES)('%s: refused, naming the offset of the first bad byte', (name) => {
    const original = bytesOf(name);
    // Character boundaries only: the bad sequence is then the first invalid byte.
    const boundary = fc.nat({ max: original.length }).filter((at) => at === original.length || (original[at]! & 0xc0) !== 0x80);
    fc.assert(
      fc.property(boundary, fc.constantFrom(...INVALID_UTF8), (at, sequence) => {
        const bytes = new Uint8Array(original.length + sequence.length);
        bytes.set(original.subarray(0, at));
        bytes.set(sequence, at);
        bytes.set(original.subarray(at), at + sequence.length);
        expect(() => importBytes(bytes, name)).toThrow(new FormatError(`${name}: not UTF-8 text: invalid byte at offset ${at}`));
      }),
      params,
    );
  }, TIMEOUT);
});

// --- pathological shapes -------------------------------------------------------------------------------

const DEPTH = 100_000;
const deepArray = (inner = '1'): string => `${'['.repeat(DEPTH)}${inner}${']'.repeat(DEPTH)}`;
const deepObject = (inner = '1'): string => `${'{"a":'.repeat(DEPTH)}${inner}${'}'.repeat(DEPTH)}`;
const message = (content: string): string => `{"role": "user", "content": ${content}}`;
const call = (args: string): string => `{"role": "assistant", "content": "", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "terminal", "arguments": ${args}}}]}`;

describe('100,000-deep nesting', () => {
  const shapes: Array<[string, string, string]> = [
    ['messages is a deep array', 'deep.json', `{"messages": ${deepArray()}}`],
    ['messages holds a deep object', 'deep.json', `{"messages": [${deepObject()}]}`],
    ['a message content is a deep array', 'deep.json', `{"messages": [${message(deepArray())}]}`],
    ['a message content is a deep object', 'deep.json', `{"messages": [${message(deepObject())}]}`],
    ['a chat message list is deep', 'deep.json', deepArray()],
    ['a JSONL line holds deep messages', 'deep.jsonl', `{"messages": [${message(deepArray())}]}\n{"messages": ${deepArray()}}\n`],
    ['an unclosed deep array', 'deep.json', `{"messages": ${'['.repeat(DEPTH)}`],
    ['a deep array broken at the bottom', 'deep.json', `{"messages": ${'['.repeat(DEPTH)}x${']'.repeat(DEPTH)}}`],
    ['a deep object broken at the bottom', 'deep.json', `{"messages": [${'{"a":'.repeat(DEPTH)}]${'}'.repeat(DEPTH)}]}`],
  ];

  it.each(shapes)('%s', (_what, name, text) => {
    importChecked(encoder.encode(text), name);
  }, TIMEOUT);

  // Arguments that are not a string are turned into text with JSON.stringify, which is recursive:
  // deep ones once threw RangeError (Maximum call stack size exceeded) out of importBytes.
  it.each([
    ['tool call arguments are a deep object', 'deep.json', `{"messages": [${call(deepObject())}]}`],
    ['tool call arguments are a deep array', 'deep.jsonl', `{"messages": [${call(deepArray())}]}\n`],
  ])('%s', (_what, name, text) => {
    importChecked(encoder.encode(text), name);
  }, TIMEOUT);
});

describe('a 10 MB string', () => {
  const big = 'x'.repeat(10 * 2 ** 20);
  const shapes: Array<[string, string, string]> = [
    ['in a chat message', 'big.json', `[${message(JSON.stringify(big))}]`],
    ['in tool call arguments', 'big.json', `{"messages": [${call(JSON.stringify(JSON.stringify({ text: big })))}]}`],
    ['in a JSONL line', 'big.jsonl', `{"messages": [${message(JSON.stringify(big))}]}\n`],
    ['in a hermes ShareGPT turn', 'big.jsonl', `${JSON.stringify({ conversations: [{ from: 'human', value: big }, { from: 'gpt', value: `<think>\n${big}\n</think>\n${big}` }] })}\n`],
  ];

  it.each(shapes)('%s', (_what, name, text) => {
    const result = importBytes(encoder.encode(text), name);
    const lengths = result.trajectories[0]!.messages.map((m) => (typeof m.content === 'string' ? m.content.length : 0));
    expect(Math.max(...lengths, ...result.trajectories[0]!.messages.map((m) => m.tool_calls?.[0]?.function.arguments.length ?? 0))).toBeGreaterThanOrEqual(big.length);
  }, TIMEOUT);
});

// --- wrong types in every field ------------------------------------------------------------------------

const WRONG: Array<[string, Json]> = [
  ['null', null],
  ['a number', -1.5],
  ['a string', 'x'],
  ['an array', [1, 'x', null]],
  ['an object', { x: 1 }],
];

const parse = (text: string): Json => JSON.parse(text) as Json;
const corpusJson = (name: string): Json => parse(new TextDecoder().decode(bytesOf(name)));
const mini = corpusJson('mini-swe-agent_github_issue.traj.json') as Json[];

const corpusLines = (name: string, count: number): Json[] => new TextDecoder().decode(bytesOf(name)).split('\n').filter((l) => l.trim() !== '').slice(0, count).map(parse);
const tau2 = corpusJson('tau2bench-pr448_airline_run1.json') as { info: Json; simulations: Json[] };

/**
 * One valid document per format, small enough to walk: the wrong-type walk replaces each of its
 * values. `lines: true` writes a list as one JSONL line per item (a whole-file JSONL format).
 */
const DOCUMENTS: Array<{ name: string; doc: Json; jsonl: boolean; lines?: boolean }> = [
  { name: 'rollouts.jsonl', doc: corpusLines('nemogym_newton_bench_example_rollouts.jsonl', 1)[0]!, jsonl: true },
  { name: 'results.jsonl', doc: corpusLines('verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl', 1)[0]!, jsonl: true },
  { name: 'step_1.jsonl', doc: { input: 'system\nYou are a helpful assistant.\nuser\nWhat is 2+3?\nassistant\n', output: '<think>2+3=5</think> 5', score: 1, step: 1, gts: '5', acc: true }, jsonl: true },
  { name: 'transcript.jsonl', doc: corpusLines('spotter_tool_heavy.jsonl', 40), jsonl: true, lines: true },
  {
    name: 'rollout-codex.jsonl',
    doc: [
      { timestamp: 't', type: 'session_meta', payload: { id: 's', base_instructions: { text: 'be brief' } } },
      { timestamp: 't', type: 'turn_context', payload: { model: 'm' } },
      { timestamp: 't', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } },
      { timestamp: 't', type: 'response_item', payload: { type: 'reasoning', summary: [{ type: 'summary_text', text: 'r' }], encrypted_content: 'e' } },
      { timestamp: 't', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{}', call_id: 'c' } },
      { timestamp: 't', type: 'response_item', payload: { type: 'function_call_output', call_id: 'c', output: { content: 'ok', success: true } } },
      { timestamp: 't', type: 'event_msg', payload: { type: 'task_complete' } },
    ],
    jsonl: true,
    lines: true,
  },
  { name: 'tau.json', doc: (corpusJson('taubench_gpt-4o-airline.json') as Json[]).slice(0, 2), jsonl: false },
  { name: 'tau2.json', doc: { info: tau2.info, simulations: tau2.simulations.slice(0, 2) }, jsonl: false },
  { name: 'trace.json', doc: corpusJson('langfuse_microsoft-agent-2025-12-17.trace.json'), jsonl: false },
  { name: 'result.json', doc: parse(exportText([hermes[1]!], 'agent-result')), jsonl: false },
  { name: 'chat.json', doc: mini.slice(0, 4), jsonl: false },
  { name: 'messages.jsonl', doc: parse(exportText([hermes[1]!], 'openai-jsonl')), jsonl: true },
  { name: 'groups.jsonl', doc: { messages: [(parse(exportText([hermes[1]!], 'openai-jsonl')) as { messages: Json }).messages, [{ role: 'user', content: 'b' }]], scores: [1, 0.5] }, jsonl: true },
  { name: 'session.jsonl', doc: parse(hermesLines[1]!), jsonl: true },
  { name: 'sharegpt.jsonl', doc: { ...(parse(exportText([withTools], 'sharegpt')) as Record<string, Json>), prompt_index: 3, api_calls: 2, metadata: { model: 'm' } }, jsonl: true },
  ...['swe-agent_function_calling_simple.traj', 'swe-agent_marshmallow-1867_function_calling_replace.traj', 'openhands_basic.json', 'inspect-ai_log_tool_call_error.json', 'inspect-ai_security-guide.json', 'mini-swe-agent_github_issue.traj.json'].map(
    (name) => ({ name, doc: corpusJson(name), jsonl: false }),
  ),
];

/** Paths walked per document by default; every path when FUZZ_RUNS is set. */
const PATHS_BY_DEFAULT = 80;

/** The file text of a walked document (see DOCUMENTS). */
function documentText(doc: Json, jsonl: boolean, lines = false): string {
  if (lines && Array.isArray(doc)) return doc.map((line) => `${JSON.stringify(line)}\n`).join('');
  return `${JSON.stringify(doc)}${jsonl ? '\n' : ''}`;
}

describe('a wrong type in every field', () => {
  it.each(DOCUMENTS)('$name', ({ name, doc, jsonl, lines }) => {
    expect(importChecked(encoder.encode(documentText(doc, jsonl, lines)), name)).toBe('imported');
    const all = pathsOf(doc);
    // A seeded, evenly spread sample by default (the big corpus files have over a thousand values).
    const step = LONG ? 1 : Math.max(1, Math.ceil(all.length / PATHS_BY_DEFAULT));
    const offset = SEED % step;
    let refused = 0;
    let walked = 0;
    for (let p = offset; p < all.length; p += step) {
      for (const [what, value] of WRONG) {
        const text = documentText(replaced(doc, all[p]!, value), jsonl, lines);
        try {
          if (importChecked(encoder.encode(text), name) !== 'imported') refused += 1;
        } catch (error) {
          throw new Error(`${name}: ${what} at ${JSON.stringify(all[p])}: ${(error as Error).stack}`, { cause: error });
        }
        walked += 1;
      }
    }
    // Some wrong type is refused, or its line or item reported: the walk reaches the importers.
    expect(walked).toBeGreaterThanOrEqual(WRONG.length);
    expect(refused).toBeGreaterThan(0);
  }, TIMEOUT);

  it.each(DOCUMENTS)('$name, with any JSON value in any field', ({ name, doc, jsonl, lines }) => {
    const all = pathsOf(doc);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), fc.jsonValue({ maxDepth: 3 }), (p, value) => {
        importChecked(encoder.encode(documentText(replaced(doc, all[p]!, value as Json), jsonl, lines)), name);
      }),
      params,
    );
  }, TIMEOUT);
});

// --- time ------------------------------------------------------------------------------------------------

describe('repeated unclosed tags in a hermes ShareGPT line', () => {
  // A linear importer reads these 0.7-1.5 MB lines in tens of milliseconds; a quadratic one takes
  // minutes and fails by the test timeout. Nothing here measures time: a busy machine only slows both.
  const REPEAT = 100_000;
  const line = (conversations: Array<{ from: string; value: string }>): Uint8Array => encoder.encode(`${JSON.stringify({ conversations })}\n`);
  const withinBudget = (bytes: Uint8Array): void => {
    importChecked(bytes, 'tags.jsonl');
  };

  it('<think> without </think> is read in linear time', () => {
    withinBudget(line([{ from: 'gpt', value: '<think>'.repeat(REPEAT) }]));
  });

  // Lazy `<tool_call>\n?([\s\S]*?)\n?<\/tool_call>` patterns (and those for <tool_response> and
  // <tools>) once scanned to the end of the turn from every opening tag that is never closed:
  // quadratic, about 5 s for 16,000 tags (176 KB), minutes for these 100,000.
  it.each([
    ['<tool_call>', [{ from: 'gpt', value: '<tool_call>'.repeat(REPEAT) }]],
    ['<tool_response>', [{ from: 'gpt', value: 'x' }, { from: 'tool', value: '<tool_response>'.repeat(REPEAT) }]],
    ['<tools>', [{ from: 'system', value: '<tools>'.repeat(REPEAT) }]],
  ])('%s without its closing tag is read in linear time', (_tag, conversations) => {
    withinBudget(line(conversations));
  });

  it.each([
    ['<tool_call>', [{ from: 'gpt', value: `${'<tool_call>'.repeat(REPEAT)}</tool_call>` }]],
    ['<tool_response>', [{ from: 'gpt', value: 'x' }, { from: 'tool', value: `${'<tool_response>'.repeat(REPEAT)}</tool_response>` }]],
    ['<tools>', [{ from: 'system', value: `${'<tools>'.repeat(REPEAT)}</tools>`.repeat(2) }]],
  ])('%s repeated and closed once at the end is read in linear time', (_tag, conversations) => {
    withinBudget(line(conversations));
  });
});
