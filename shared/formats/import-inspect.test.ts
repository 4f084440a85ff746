import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { deflateSync, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { recordedExceptionText } from '../loop/tool-outcome.js';
import { FormatError, importBytes, importText, MAX_NESTING } from './import.js';
import { raisedToolContent } from './import-common.js';
import { inSampleOrder, inspectScoreValue } from './import-inspect.js';
import { zipEntries, zipEntryBytes } from './import-zip.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { corpusPath } from '../../electron/testing/corpus.js';

const EVAL = 'inspect-ai_log_streaming.eval';
const evalBytes = (): Uint8Array => readFileSync(corpusPath(EVAL));

// --- a tool-using sample, in the layout Inspect 0.3.9x writes -----------------------------------

const bashTool = { name: 'bash', description: 'Run a bash command.', parameters: { type: 'object', properties: { cmd: { type: 'string', description: 'The command.' } }, required: ['cmd'], additionalProperties: false } };
const pythonTool = { name: 'python', description: 'Run Python code.', parameters: { type: 'object', properties: { code: { type: 'string' } }, required: ['code'], additionalProperties: false } };

function toolSample(): Record<string, unknown> {
  const m = [
    { id: 'm0', role: 'system', content: 'attachment://0f5c' },
    { id: 'm1', role: 'user', content: [{ type: 'text', text: 'How many files are there?' }, { type: 'image', image: 'data:image/png;base64,AAAA', detail: 'auto' }], source: 'input' },
    {
      id: 'm2', role: 'assistant', source: 'generate', model: 'gpt-x-2025',
      content: [{ type: 'reasoning', reasoning: 'I should list them.', signature: 'sig', redacted: false }, { type: 'text', text: 'Listing.' }],
      tool_calls: [{ id: 'call_1', function: 'bash', arguments: { cmd: 'ls' }, type: 'function' }],
    },
    { id: 'm3', role: 'tool', content: '', tool_call_id: 'call_1', function: 'bash', error: { type: 'timeout', message: 'Command timed out before completing.' } },
    { id: 'm4', role: 'assistant', source: 'generate', content: '', tool_calls: [{ id: 'call_2', function: 'python', arguments: { code: 'import os; print(len(os.listdir()))' }, type: 'function' }] },
    { id: 'm5', role: 'tool', content: 'attachment://9ab1', tool_call_id: 'call_2', function: 'python' },
    { id: 'm6', role: 'assistant', source: 'generate', content: [{ type: 'reasoning', reasoning: 'gAAAAB-encrypted', redacted: true, summary: 'Counted two.' }, { type: 'text', text: 'There are 2 files.' }] },
  ];
  const model = (span: string, input: unknown[], output: unknown, tools: unknown[] = [bashTool, pythonTool]) => ({ span_id: span, event: 'model', model: 'openai/gpt-x', input, tools, tool_choice: 'auto', config: {}, output: { model: 'gpt-x-2025', choices: [{ message: output, stop_reason: 'tool_calls' }] } });
  return {
    id: 'task-7', epoch: 2, input: 'How many files are there?', target: '2', messages: m,
    events: [
      { span_id: 's1', event: 'span_begin', id: 's1', type: 'solver', name: 'react' },
      model('s1', [m[0], m[1]], m[2]),
      { span_id: 's1', event: 'tool', type: 'function', id: 'call_1', function: 'bash', arguments: { cmd: 'ls' }, result: '', error: { type: 'timeout', message: 'Command timed out before completing.' } },
      model('s1', m.slice(0, 4), m[4]),
      model('s1', m.slice(0, 6), m[6]),
      { span_id: 's1', event: 'span_end', id: 's1' },
      { span_id: 's2', event: 'span_begin', id: 's2', type: 'scorer', name: 'model_graded_qa' },
      model('s2', [{ id: 'g0', role: 'user', content: 'attachment://77e2' }], { id: 'g1', role: 'assistant', content: 'GRADE: P' }, []),
      { span_id: 's2', event: 'score', score: { value: 'P', explanation: 'attachment://77e2' } },
    ],
    scores: { model_graded_qa: { value: 'P', answer: 'There are 2 files.', explanation: 'attachment://77e2' } },
    attachments: { '0f5c': 'You are a careful agent.', '9ab1': '2\n', '77e2': 'Grade the answer. It is partly right.' },
  };
}

const log = (samples: unknown[]): string => JSON.stringify({ version: 2, status: 'success', eval: { task: 'count_files', model: 'openai/gpt-x' }, plan: { steps: [] }, samples }, null, 2);
const importSample = (sample: unknown): Trajectory => importText(log([sample]), 'count.json').trajectories[0]!;

describe('Inspect messages and events', () => {
  it('maps content parts, tool calls, tool errors and attachments onto chat messages', () => {
    const t = importSample(toolSample());
    expect(t).toMatchObject({ id: 'task-7#2', model: 'openai/gpt-x', reward: 0.5, recorded: {} });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(t.messages[0]!.content).toBe('You are a careful agent.');
    // The image is kept, as an OpenAI image part.
    expect(t.messages[1]!.content).toEqual([{ type: 'text', text: 'How many files are there?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'auto' } }]);
    expect(t.messages[2]).toEqual({ role: 'assistant', content: 'Listing.', reasoning_content: 'I should list them.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"cmd":"ls"}' } }] });
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', name: 'bash', content: '{"error": "Tool execution failed: timeout: Command timed out before completing."}' });
    expect(t.messages[5]).toEqual({ role: 'tool', tool_call_id: 'call_2', name: 'python', content: '2\n' });
    // A redacted reasoning block is shown by its summary.
    expect(t.messages[6]).toEqual({ role: 'assistant', content: 'There are 2 files.', reasoning_content: 'Counted two.' });
    expect(JSON.stringify(t)).not.toContain('attachment://');
  });

  it('keeps the target, each scorer\'s value, answer and explanation, and the sample metadata', () => {
    const t = importSample({ ...toolSample(), metadata: { difficulty: 'easy', files: ['a', 'b'] } });
    expect(t.evaluation).toEqual({
      target: '2',
      scores: [{ scorer: 'model_graded_qa', value: 'P', answer: 'There are 2 files.', explanation: 'Grade the answer. It is partly right.', metadata: null }],
      metadata: { difficulty: 'easy', files: ['a', 'b'] },
    });
  });

  it('counts a sample that ended by calling submit() as finished, and one stopped by a limit as not', () => {
    const submitted = toolSample();
    const messages = submitted.messages as Array<Record<string, unknown>>;
    messages.push(
      { id: 'm7', role: 'assistant', source: 'generate', content: '', tool_calls: [{ id: 'call_3', function: 'submit', arguments: { answer: '2' }, type: 'function' }] },
      { id: 'm8', role: 'tool', content: '2', tool_call_id: 'call_3', function: 'submit' },
    );
    const t = importSample(submitted);
    expect([t.recorded.finished_naturally, t.stopReason, deriveAgentResult(t).result.finished_naturally]).toEqual([true, 'submit', true]);
    const limited = importSample({ ...submitted, limit: { type: 'message', limit: 8 } });
    expect([limited.recorded.finished_naturally, limited.stopReason]).toEqual([false, 'limit: message']);
    const failed = importSample({ ...toolSample(), error: { message: 'RuntimeError: boom\nmore', traceback: '...' } });
    expect([failed.recorded.finished_naturally, failed.stopReason]).toEqual([false, 'error: RuntimeError: boom']);
    // A last reply cut by max_tokens, or a context that overflowed, is a limit too; 'stop' says nothing.
    const ended = (stop: string) => importSample({ ...toolSample(), output: { model: 'gpt-x', choices: [{ message: { role: 'assistant', content: 'There are' }, stop_reason: stop }] } });
    for (const stop of ['max_tokens', 'model_length', 'length']) expect([ended(stop).recorded.finished_naturally, ended(stop).stopReason]).toEqual([false, stop]);
    expect([ended('stop').recorded.finished_naturally, ended('stop').stopReason]).toEqual([undefined, 'stop']);
  });

  it('counts a tool message with an error as a tool that raised', () => {
    const d = deriveAgentResult(importSample(toolSample()));
    expect(d.result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['I should list them.', null, 'Counted two.'] });
    expect(d.result.tool_errors).toEqual([{ turn: 1, tool_name: 'bash', arguments: '{"cmd":"ls"}', error: 'timeout: Command timed out before completing.', tool_result: '{"error": "Tool execution failed: timeout: Command timed out before completing."}' }]);
  });

  it("takes each turn's prompt from its model event and the tools they offered, leaving the grader out", () => {
    const t = importSample(toolSample());
    expect(t.promptViews!.map((v) => v!.length)).toEqual([2, 4, 6]);
    expect(t.promptViews![0]![0]!.content).toBe('You are a careful agent.');
    expect(t.promptViews![2]![5]!.content).toBe('2\n');
    expect(t.promptViews![1]![3]!.content).toBe(t.messages[3]!.content);
    expect(t.tools).toEqual([{ type: 'function', function: bashTool }, { type: 'function', function: pythonTool }]);
  });

  it('pairs model events by position when the log has no message ids, and skips older scorer steps', () => {
    const sample = JSON.parse(JSON.stringify(toolSample()).replace(/"id":"(m|g)\d","/g, '"')) as { events: Array<Record<string, unknown>>; messages: Array<Record<string, unknown>> };
    expect(sample.messages.some((m) => 'id' in m)).toBe(false);
    // Inspect before spans marked the scorer with step events.
    sample.events = sample.events.filter((e) => !String(e.event).startsWith('span')).map(({ span_id: _span, ...e }) => e);
    const grader = sample.events.findIndex((e) => e.event === 'model' && (e.input as unknown[]).length === 1);
    sample.events.splice(grader, 0, { event: 'step', action: 'begin', type: 'scorer', name: 'model_graded_qa' });
    sample.events.push({ event: 'step', action: 'end', type: 'scorer', name: 'model_graded_qa' });
    const t = importSample(sample);
    expect(t.promptViews!.map((v) => v!.length)).toEqual([2, 4, 6]);
  });

  it('records a sample that hit a limit as not finished, and leaves prompts out when there are no model events', () => {
    const t = importSample({ ...toolSample(), limit: { type: 'message', limit: 7 }, events: [] });
    expect(t.recorded).toEqual({ finished_naturally: false });
    expect(t.promptViews).toBeUndefined();
    expect(t.tools).toBeUndefined();
  });

  it('reports a sample that does not fit by its first field and opens the others; refuses a log of none', () => {
    const sample = toolSample();
    (sample.messages as Array<Record<string, unknown>>)[4]!.tool_calls = [{ id: 'call_2', arguments: {} }];
    const { trajectories, problems } = importText(log([toolSample(), sample, toolSample()]), 'bad.json');
    expect(problems).toEqual(['bad.json: samples[1].messages[4].tool_calls[0].function: Invalid input: expected string, received undefined; the sample is left out']);
    expect(trajectories.map((t) => t.source.index)).toEqual([0, 1]);
    expect(() => importText(log([sample]), 'bad.json')).toThrow('bad.json (looked like an Inspect AI log): samples[0].messages[4].tool_calls[0].function: Invalid input: expected string, received undefined');
    expect(() => importText(log([]), 'empty.json')).toThrow('empty.json (looked like an Inspect AI log): samples: the log holds no samples');
  });
});

// --- a sample in the layout Inspect 0.3.41 writes: events under `transcript`, content as tc:// refs ---

function transcriptSample(): Record<string, unknown> {
  const m = [
    { role: 'system', content: 'You are a careful agent.' },
    { role: 'user', content: 'How many files are there?', source: 'input' },
    { role: 'assistant', content: '', source: 'generate', tool_calls: [{ id: 'call_1', function: 'bash', arguments: { cmd: 'ls | wc -l' }, type: 'function' }] },
    { role: 'tool', content: '2\n', tool_call_id: 'call_1', function: 'bash' },
    { role: 'assistant', content: 'There are 2 files.', source: 'generate' },
  ];
  // The events refer to the contents by hash, and here to a tool call argument too, which Inspect resolves as well.
  const ref = { ...m[2], tool_calls: [{ id: 'call_1', function: 'bash', arguments: { cmd: 'tc://e3b9' }, type: 'function' }] };
  const input = [{ ...m[0], content: 'tc://5d1e' }, { ...m[1], content: 'tc://a7c0' }, ref, { ...m[3], content: 'tc://0c44' }];
  const model = (prompt: unknown[], output: unknown) => ({ event: 'model', model: 'openai/gpt-x', input: prompt, tools: [bashTool], tool_choice: 'auto', config: {}, output: { model: 'gpt-x', choices: [{ message: output, stop_reason: 'stop' }] } });
  return {
    id: 3, epoch: 1, input: 'How many files are there?', target: '2', messages: m,
    output: { model: 'gpt-x', choices: [{ message: m[4], stop_reason: 'stop' }] },
    scores: { match: { value: 'C', answer: 'There are 2 files.' } },
    transcript: {
      events: [
        { event: 'sample_init', sample: { input: 'tc://a7c0', target: '2', id: 3 }, state: { messages: [{ role: 'user', content: 'tc://a7c0' }] } },
        { event: 'step', action: 'begin', type: 'solver', name: 'basic_agent' },
        model(input.slice(0, 2), ref),
        { event: 'tool', type: 'function', id: 'call_1', function: 'bash', arguments: { cmd: 'tc://e3b9' }, result: '2\n' },
        model(input, m[4]),
        { event: 'step', action: 'end', type: 'solver', name: 'basic_agent' },
      ],
      content: { '5d1e': 'You are a careful agent.', a7c0: 'How many files are there?', e3b9: 'ls | wc -l', '0c44': '2\n' },
    },
  };
}

describe('Inspect logs with a transcript', () => {
  it("takes each turn's prompt from the transcript's model events, their tc:// refs resolved", () => {
    const t = importSample(transcriptSample());
    expect(t).toMatchObject({ id: '3#1', reward: 1, stopReason: 'stop' });
    expect(t.promptViews).toEqual([t.messages.slice(0, 2), t.messages.slice(0, 4)]);
    expect(t.promptViews![1]![2]!.tool_calls![0]!.function.arguments).toBe('{"cmd":"ls | wc -l"}');
    expect(t.tools).toEqual([{ type: 'function', function: bashTool }]);
    expect(JSON.stringify(t)).not.toContain('tc://');
  });

  it('leaves a ref to missing content as it is, and names a model event that does not fit by its place', () => {
    const sample = transcriptSample();
    const transcript = sample.transcript as { events: Array<Record<string, unknown>>; content: Record<string, string> };
    delete transcript.content['0c44'];
    expect(importSample(sample).promptViews![1]![3]!.content).toBe('tc://0c44');
    delete transcript.events[4]!.input;
    expect(() => importText(log([sample]), 'old.json')).toThrow('old.json (looked like an Inspect AI log): samples[0].transcript.events[4].input: Invalid input: expected array, received undefined');
  });
});

describe('raisedToolContent', () => {
  it('reads back as the exception text for any error type and message', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 }), (type, message) => {
        expect(recordedExceptionText(raisedToolContent(`${type}: ${message}`))).toBe(`${type}: ${message}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('inspectScoreValue', () => {
  it("converts scalars as Inspect's value_to_float does, and nothing else", () => {
    const cases: Array<[unknown, number | null]> = [
      ['C', 1], ['I', 0], ['P', 0.5], ['N', 0], [true, 1], [false, 0], [0.75, 0.75], [3, 3],
      ['yes', 1], ['True', 1], ['NO', 0], ['false', 0], ['0.25', 0.25], ['12', 12],
      ['c', null], ['-1', null], ['maybe', null], ['', null], [null, null], [[1, 0], null], [{ accuracy: 1 }, null],
    ];
    expect(cases.map(([value]) => inspectScoreValue(value))).toEqual(cases.map(([, reward]) => reward));
  });
});

// --- .eval zips -----------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (data: Uint8Array): number => {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

/** A zstd frame of raw (uncompressed) blocks: the format without its compressor, as RFC 8878 lays it out. */
function zstdFrame(data: Uint8Array): Uint8Array {
  const out: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0xa0]; // magic; Single_Segment with a 4-byte content size
  out.push(data.length & 0xff, (data.length >>> 8) & 0xff, (data.length >>> 16) & 0xff, data.length >>> 24);
  for (let at = 0; at === 0 || at < data.length; at += 1 << 17) {
    const block = data.subarray(at, at + (1 << 17));
    const header = (at + block.length >= data.length ? 1 : 0) | (block.length << 3); // Raw_Block
    out.push(header & 0xff, (header >>> 8) & 0xff, header >>> 16, ...block);
  }
  return Uint8Array.from(out);
}

/** A zip of the given entries, each stored (0), deflated (8) or zstd-compressed (93). */
function zipOf(entries: Array<{ name: string; data: Uint8Array; method: 0 | 8 | 93 }>): Uint8Array {
  const locals: number[] = [];
  const central: number[] = [];
  const u16 = (v: number) => [v & 0xff, v >>> 8];
  const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  for (const e of entries) {
    const body = e.method === 0 ? e.data : e.method === 8 ? deflateSync(e.data) : zstdFrame(e.data);
    const name = strToU8(e.name);
    const common = [...u16(e.method === 93 ? 63 : 20), ...u16(0x800), ...u16(e.method), ...u16(0), ...u16(0x21), ...u32(crc32(e.data)), ...u32(body.length), ...u32(e.data.length), ...u16(name.length), ...u16(0)];
    central.push(...u32(0x02014b50), ...u16(63), ...common, ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(locals.length), ...name);
    locals.push(...u32(0x04034b50), ...common, ...name, ...body);
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(central.length), ...u32(locals.length), ...u16(0)];
  return Uint8Array.from([...locals, ...central, ...end]);
}

/** The corpus .eval's entries, read with fflate's own unzip (not the importer's reader). */
const corpusEntries = (): Record<string, Uint8Array> => unzipSync(evalBytes());

describe('.eval zips', () => {
  it('reads zstd entries (method 93) as newer Inspect writes them', () => {
    const files = corpusEntries();
    const zipped = zipOf(Object.entries(files).map(([name, data]) => ({ name, data, method: name.startsWith('samples/') ? 93 : 8 })));
    const viaZstd = importBytes(zipped, 'zstd.eval');
    const viaDeflate = importBytes(evalBytes(), EVAL);
    expect(viaZstd.trajectories.map((t) => [t.id, t.reward, t.messages[2]!.content])).toEqual([['1#1', 0, 'No'], ['1#2', 1, 'Yes.'], ['2#1', 1, 'No.'], ['2#2', 1, 'No']]);
    expect(viaZstd.trajectories).toEqual(viaDeflate.trajectories);
  });

  it('names the file for a truncated zip', () => {
    const bytes = evalBytes();
    // 8854 bytes: cutting the last 100 loses the end of the central directory.
    expect(bytes.length).toBe(8854);
    expect(() => importBytes(bytes.subarray(0, bytes.length - 100), 'cut.eval')).toThrow(new FormatError('cut.eval (looked like an Inspect AI .eval zip): not a complete zip: the end of its central directory is missing (the file may be truncated)'));
  });

  it('names the entry whose JSON is broken, or whose sample does not fit', () => {
    const files = corpusEntries();
    const broken = zipOf([
      { name: 'header.json', data: files['header.json']!, method: 8 },
      { name: 'samples/1_epoch_1.json', data: files['samples/1_epoch_1.json']!, method: 8 },
      { name: 'samples/2_epoch_1.json', data: strToU8('{"id": 2, "epoch": 1, "messages": [{"role": "user", "content": "hi"}'), method: 8 },
    ]);
    // The entry is 68 characters long and ends inside the messages list.
    const opened = importBytes(broken, 'bad.eval');
    expect(opened.problems).toEqual(["bad.eval: samples/2_epoch_1.json: not valid JSON at line 1, column 69: Expected ',' or ']' after array element; the sample is left out"]);
    expect(opened.trajectories.map((t) => t.id)).toEqual(['1#1']);
    const misfit = zipOf([{ name: 'samples/3_epoch_1.json', data: strToU8('{"id": 3, "epoch": 1, "messages": [{"content": "no role"}]}'), method: 0 }]);
    expect(() => importBytes(misfit, 'misfit.eval')).toThrow('misfit.eval (looked like an Inspect AI .eval zip): samples/3_epoch_1.json: messages[0].role: Invalid input: expected string, received undefined');
  });

  it('names the entry whose JSON is nested too deep', () => {
    const deep = `{"id": 1, "epoch": 1, "messages": [{"role": "user", "content": ${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}}]}`;
    const zipped = zipOf([{ name: 'samples/1_epoch_1.json', data: strToU8(deep), method: 0 }]);
    expect(() => importBytes(zipped, 'deep.eval')).toThrow(new FormatError(`deep.eval (looked like an Inspect AI .eval zip): samples/1_epoch_1.json: messages[0].content[0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`));
  });

  it('names the entry with an unknown compression method or broken data', () => {
    const sample = corpusEntries()['samples/1_epoch_1.json']!;
    const zipped = zipOf([{ name: 'samples/1_epoch_1.json', data: sample, method: 8 }]);
    const bzip2 = zipped.slice();
    bzip2[8] = 12; // the local header's method
    bzip2[bzip2.length - 22 - 46 - 22 + 10] = 12; // the central directory's
    expect(() => importBytes(bzip2, 'bzip2.eval')).toThrow('bzip2.eval (looked like an Inspect AI .eval zip): samples/1_epoch_1.json: compression method 12 is not supported (only stored, deflate and zstd)');
    const garbled = zipped.slice();
    garbled.fill(0xff, 30 + 22, 30 + 60);
    expect(() => importBytes(garbled, 'garbled.eval')).toThrow(/^garbled\.eval \(looked like an Inspect AI \.eval zip\): samples\/1_epoch_1\.json: the deflate data is broken \(.+\)$/);
  });

  it('refuses a zip without samples, and a zip handed over as text', () => {
    expect(() => importBytes(zipOf([{ name: 'header.json', data: strToU8('{"eval": {}}'), method: 0 }]), 'none.eval')).toThrow('none.eval (looked like an Inspect AI .eval zip): samples/: the log holds no samples');
    expect(() => importText(new TextDecoder().decode(evalBytes()), EVAL)).toThrow(`${EVAL} (looked like an Inspect AI .eval zip): a zip is read from its bytes, not from text`);
  });
});

describe('the zip reader', () => {
  const entry = fc.record({
    name: fc.stringMatching(/^[a-z0-9_]{1,12}(\/[a-z0-9_.]{1,12}){0,2}$/),
    data: fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 2000 }).map((t) => strToU8(t.repeat(3)))),
    method: fc.constantFrom(0 as const, 8 as const, 93 as const),
  });
  const entries = fc.uniqueArray(entry, { minLength: 1, maxLength: 5, selector: (e) => e.name });

  it('gives back every entry of a zip, stored, deflated or zstd', () => {
    fc.assert(
      fc.property(entries, (list) => {
        const zip = zipOf(list);
        const read = zipEntries(zip);
        expect(read.map((e) => [e.name, e.method, e.size])).toEqual(list.map((e) => [e.name, e.method, e.data.length]));
        read.forEach((e, i) => expect(zipEntryBytes(zip, e)).toEqual(list[i]!.data));
      }),
      { numRuns: 100 },
    );
  });

  it('turns any cut-off zip into a FormatError naming the file', () => {
    fc.assert(
      fc.property(entries, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (list, at) => {
        const zip = zipOf(list.map((e) => ({ ...e, name: `samples/${e.name.replace(/\//g, '_')}.json` })));
        expect(() => importBytes(zip.subarray(0, Math.floor(at * zip.length)), 'cut.eval')).toThrow(/^cut\.eval(:| \(looked like an Inspect AI \.eval zip\):) /);
      }),
      { numRuns: 200 },
    );
  });
});

describe('inSampleOrder', () => {
  const collator = new Intl.Collator('en', { numeric: true });
  const byCollator = (names: string[]) => [...names].sort((a, b) => collator.compare(a, b));
  const whole = fc.oneof(fc.nat({ max: 30 }), fc.nat(), fc.bigInt({ min: 0n, max: 10n ** 30n })).map(String);

  it('orders names numbered as Inspect numbers them as a numeric collator does', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(whole, whole).map(([id, epoch]) => `samples/${id}_epoch_${epoch}.json`)), (names) => {
        expect(inSampleOrder(names.map((name) => ({ name }))).map((e) => e.name)).toEqual(byCollator(names));
      }),
      { numRuns: 300 },
    );
  });

  it('orders other names, among them, by the collator: ids in words, leading zeros', () => {
    const names = ['samples/b_epoch_1.json', 'samples/10_epoch_1.json', 'samples/A_epoch_2.json', 'samples/2_epoch_1.json', 'samples/02_epoch_1.json', 'samples/a_epoch_10.json', 'samples/a_epoch_9.json'];
    const ordered = inSampleOrder(names.map((name) => ({ name }))).map((e) => e.name);
    expect(ordered).toEqual(byCollator(names));
    expect(ordered.indexOf('samples/a_epoch_9.json')).toBeLessThan(ordered.indexOf('samples/a_epoch_10.json'));
  });
});

describe('Inspect model calls\' recorded usage and time', () => {
  it('keeps each model event\'s usage and time for the turn it answers', () => {
    const name = 'inspect-ai_security-guide.json';
    const log = JSON.parse(readFileSync(corpusPath(name), 'utf8')) as { samples: Array<{ events: Array<Record<string, unknown>> }> };
    const event = log.samples[0]!.events.find((e) => e.event === 'model') as { output: { usage: { input_tokens: number; output_tokens: number }; time: number } };
    const [t] = importText(JSON.stringify(log), name).trajectories;
    expect(t!.callStats![0]).toEqual({ usage: { prompt_tokens: event.output.usage.input_tokens, completion_tokens: event.output.usage.output_tokens, total_tokens: expect.any(Number) }, latencyMs: event.output.time * 1000 });
    // The streaming .eval records usage without a time.
    expect(importBytes(evalBytes(), EVAL).trajectories[0]!.callStats![0]).toEqual({ usage: expect.objectContaining({ prompt_tokens: expect.any(Number) }) });
  });
});

// --- what newer Inspect releases write: pooled model inputs, unparsed tool calls, server tool use ---

/** `toolSample` as Inspect writes it once model inputs are pooled: each event's input as `input_refs` into `events_data.messages`. */
function pooledSample(poolKey: 'events_data' | 'message_pool' = 'events_data'): Record<string, unknown> {
  const sample = toolSample() as { messages: unknown[]; events: Array<Record<string, unknown>> };
  const pool = sample.messages.slice(0, 6);
  const refs: Record<number, number[][]> = { 1: [[0, 2]], 3: [[0, 4]], 4: [[0, 6]] };
  const events = sample.events.map((e, i) => (refs[i] ? { ...e, input: [], input_refs: refs[i] } : e));
  return { ...sample, events, ...(poolKey === 'events_data' ? { events_data: { messages: pool, calls: [] } } : { message_pool: pool, call_pool: [] }) };
}

describe('Inspect logs with pooled model inputs', () => {
  it("reads each turn's prompt from the pool its input_refs point into, in both layouts", () => {
    const inline = importSample(toolSample());
    for (const key of ['events_data', 'message_pool'] as const) {
      const t = importSample(pooledSample(key));
      expect(t.promptViews).toEqual(inline.promptViews);
      expect(t.promptViews!.map((v) => v!.length)).toEqual([2, 4, 6]);
      expect(t.problems).toBeUndefined();
    }
  });

  it('expands ranges in order, and names the event whose ranges reach past the pool', () => {
    const sample = pooledSample() as { events: Array<Record<string, unknown>> };
    sample.events[3]!.input_refs = [[0, 1], [3, 4], [1, 3]];
    sample.events[4]!.input_refs = [[0, 9]];
    const t = importSample(sample);
    expect(t.promptViews![1]!.map((m) => m.role)).toEqual(['system', 'tool', 'user', 'assistant']);
    expect(t.promptViews![2]).toBeNull();
    expect(t.problems).toEqual(["count.json: samples[0].events[4].input_refs: not ranges of the sample's message pool (events_data.messages); that call's recorded prompt is left out"]);
  });
});

describe('what newer Inspect releases record in messages', () => {
  it('keeps the text of a tool call whose arguments did not parse as its arguments', () => {
    const sample = toolSample() as { messages: Array<Record<string, unknown>> };
    const error = 'Error parsing the following tool call arguments:\n\n{"cmd": "ls\n\nError details: Unterminated string starting at: line 1 column 9 (char 8)';
    sample.messages[2]!.tool_calls = [{ id: 'call_1', function: 'bash', arguments: {}, parse_error: error, type: 'function' }];
    sample.messages[3]!.error = { type: 'parsing', message: error };
    const t = importSample(sample);
    expect(t.messages[2]!.tool_calls![0]!.function.arguments).toBe('{"cmd": "ls');
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 2, tool_calls_schema_valid: 1, tool_calls_exec_error: 1 });
  });

  it('makes server-side tool use a tool call of the turn, answered right after it', () => {
    const sample = toolSample() as { messages: Array<Record<string, unknown>> };
    sample.messages[2]!.content = [
      { type: 'tool_use', tool_type: 'web_search', id: 'srvtoolu_1', name: 'web_search', arguments: '{"query": "Zürich Wetter"}', result: 'Sonnig, 21 °C', error: null },
      { type: 'tool_use', tool_type: 'mcp_call', id: 'mcp_1', name: 'lookup', context: 'docs', arguments: '{}', result: '', error: 'server unavailable' },
      { type: 'text', text: 'Listing.' },
    ];
    const t = importSample(sample);
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'tool', 'assistant', 'tool', 'assistant']);
    expect(t.messages[2]!.content).toBe('Listing.');
    expect(t.messages[2]!.tool_calls!.map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([['srvtoolu_1', 'web_search', '{"query": "Zürich Wetter"}'], ['mcp_1', 'lookup', '{}'], ['call_1', 'bash', '{"cmd":"ls"}']]);
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'srvtoolu_1', name: 'web_search', content: 'Sonnig, 21 °C' });
    expect(t.messages[4]).toEqual({ role: 'tool', tool_call_id: 'mcp_1', name: 'lookup', content: raisedToolContent('server unavailable') });
    // Inspect lists a server tool among the model event's tools, as the others.
    expect(deriveAgentResult(t, ['bash', 'python', 'web_search', 'lookup']).result).toMatchObject({ tool_calls_attempted: 4, tool_calls_executed_ok: 2, tool_calls_exec_error: 2 });
  });

  it("reads an older tool message's tool_error as an error of type unknown", () => {
    const sample = toolSample() as { messages: Array<Record<string, unknown>> };
    delete sample.messages[3]!.error;
    sample.messages[3]!.tool_error = 'Command not found';
    expect(importSample(sample).messages[3]!.content).toBe(raisedToolContent('unknown: Command not found'));
  });

  it('names a score kept under the scorer placeholder by the first scorer of the results', () => {
    const sample = { ...toolSample(), scores: { '88F74D2C': { value: 'C' } } };
    const withResults = JSON.stringify({ ...(JSON.parse(log([sample])) as object), results: { scores: [{ name: 'includes', scorer: 'includes' }] } });
    const [t] = importText(withResults, 'count.json').trajectories;
    expect(t!.evaluation!.scores.map((s) => [s.scorer, s.value])).toEqual([['includes', 'C']]);
    const header = strToU8(JSON.stringify({ version: 2, eval: { model: 'openai/gpt-x' }, results: { scores: [{ name: 'includes' }] } }));
    const zipped = zipOf([{ name: 'header.json', data: header, method: 8 }, { name: 'samples/task-7_epoch_2.json', data: strToU8(JSON.stringify(sample)), method: 8 }]);
    expect(importBytes(zipped, 'count.eval').trajectories[0]!.evaluation!.scores[0]!.scorer).toBe('includes');
  });
});
