/**
 * Fuzz tests of the importers: whatever bytes a file holds, `importBytes` returns a result or
 * throws a `FormatError` whose message starts with the file name. Any other exception fails the
 * property, and a hang fails the test's own timeout.
 *
 * Runs are seeded and short by default. `FUZZ_RUNS=5000` makes every property run that many times
 * and every wrong-type walk exhaustive; `FUZZ_SEED=N` replays another seed (the failure message
 * prints the seed and the input, small enough to read: a file name and the edits made to it).
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportText } from './export.js';
import { FormatError, importBytes, importText } from './import.js';
import { CORPUS_DIR, corpusPath } from '../../electron/testing/corpus.js';

const LONG = process.env.FUZZ_RUNS !== undefined;
const RUNS = LONG ? Number(process.env.FUZZ_RUNS) : 40;
const SEED = Number(process.env.FUZZ_SEED ?? 20260226);
const TIMEOUT = LONG ? 60 * 60_000 : 60_000;
const params = { seed: SEED, numRuns: RUNS, endOnFailure: true };

const CORPUS = readdirSync(CORPUS_DIR).filter((name) => name !== 'README.md').sort();
const BYTES = new Map(CORPUS.map((name) => [name, new Uint8Array(readFileSync(corpusPath(name)))]));
const encoder = new TextEncoder();
const hermesLines = new TextDecoder().decode(BYTES.get('hermes-agent_session_export.jsonl')).split('\n');
const hermes = importText(hermesLines.join('\n'), 'h.jsonl').trajectories;
const withTools = { ...hermes[1]!, tools: [{ type: 'function' as const, function: { name: 'clarify', description: 'Ask', parameters: { type: 'object' } } }] };
// Formats the corpus has no file of, made by the exporters.
BYTES.set('generated.sharegpt.jsonl', encoder.encode(exportText([withTools, ...hermes.slice(2, 8)], 'sharegpt')));
BYTES.set('generated.agent-result.json', encoder.encode(exportText([hermes[3]!], 'agent-result')));
// An OpenCode export (the shape `opencode export` writes), for a format of a document of nested parts.
const openCodePart = (type: string, rest: Record<string, unknown>) => ({ id: `prt_${type}`, sessionID: 'ses_1', messageID: 'msg_2', type, ...rest });
BYTES.set('generated.opencode.json', encoder.encode(JSON.stringify({
  info: { id: 'ses_1', title: 'fuzz', time: { created: 1, updated: 2 } },
  messages: [
    { info: { id: 'msg_1', sessionID: 'ses_1', role: 'user', time: { created: 1 } }, parts: [openCodePart('text', { text: 'List the files' }), openCodePart('file', { mime: 'image/png', url: 'data:image/png;base64,AA==' })] },
    {
      info: { id: 'msg_2', sessionID: 'ses_1', role: 'assistant', modelID: 'm', providerID: 'p', tokens: { input: 1, output: 2, reasoning: 0, cache: { read: 0, write: 0 } }, finish: 'stop' },
      parts: [
        openCodePart('step-start', {}),
        openCodePart('reasoning', { text: 'think' }),
        openCodePart('tool', { callID: 'c1', tool: 'bash', state: { status: 'completed', input: { command: 'ls' }, output: 'a', time: { start: 1, end: 2 } } }),
        openCodePart('step-finish', { tokens: { total: 30, input: 10, output: 5, reasoning: 0, cache: { read: 10, write: 5 } } }),
        openCodePart('step-start', {}),
        openCodePart('tool', { callID: 'c2', tool: 'read', state: { status: 'error', input: { filePath: 'x' }, error: 'not found', time: { start: 3, end: 4 } } }),
        openCodePart('text', { text: 'done' }),
      ],
    },
  ],
  todos: [],
}, null, 2)));
// LangSmith runs: a root chain, a chat model call with LangChain's serialized messages, a tool run.
const lcMessage = (cls: string, kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', cls], kwargs });
const lsCall = lcMessage('AIMessage', { content: '', type: 'ai', tool_calls: [{ name: 'ls', args: { path: '.' }, id: 'c1', type: 'tool_call' }], usage_metadata: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } });
BYTES.set('generated.langsmith.json', encoder.encode(JSON.stringify([
  { id: 't', run_type: 'chain', trace_id: 't', parent_run_id: null, start_time: '2025-03-01T10:00:00', inputs: { messages: [{ type: 'human', content: 'list' }] }, outputs: {}, feedback_stats: { reward: { n: 1, avg: 0.5 } } },
  { id: 'l1', run_type: 'llm', trace_id: 't', parent_run_id: 't', start_time: '2025-03-01T10:00:01', end_time: '2025-03-01T10:00:02', inputs: { messages: [[lcMessage('HumanMessage', { content: 'list', type: 'human' })]] }, outputs: { generations: [[{ text: '', message: lsCall }]] }, prompt_tokens: 5 },
  { id: 'x1', run_type: 'tool', trace_id: 't', parent_run_id: 't', start_time: '2025-03-01T10:00:03', inputs: { input: '.' }, outputs: { output: lcMessage('ToolMessage', { content: 'a.txt', tool_call_id: 'c1', type: 'tool' }) }, error: null },
], null, 2)));
// A chat saved from an AI SDK app: UI messages whose parts hold the content and the tool calls.
BYTES.set('generated.ai-sdk.json', encoder.encode(JSON.stringify({ messages: [
  { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,AA==' }] },
  { id: 'a1', role: 'assistant', parts: [{ type: 'step-start' }, { type: 'reasoning', text: 'call it' }, { type: 'tool-getWeather', toolCallId: 'c1', state: 'output-available', input: { city: 'Oslo' }, output: { temp: 3 } }, { type: 'tool-invocation', toolInvocation: { state: 'result', toolCallId: 'c2', toolName: 'x', args: {}, result: 'r' } }, { type: 'step-start' }, { type: 'text', text: '3 C' }] },
] }, null, 2)));
// A headless agent run (stream-json): init, an API message in two lines, results, a subagent, the result.
BYTES.set('generated.claude-stream.jsonl', encoder.encode([
  { type: 'system', subtype: 'init', session_id: 's1', model: 'm', tools: ['Bash'] },
  { type: 'assistant', message: { id: 'm1', role: 'assistant', content: [{ type: 'thinking', thinking: 't' }], usage: { input_tokens: 1, output_tokens: 2 } }, parent_tool_use_id: null, session_id: 's1' },
  { type: 'assistant', message: { id: 'm1', role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'Bash', input: { command: 'ls' } }] }, parent_tool_use_id: null, session_id: 's1' },
  { type: 'user', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'a', is_error: true }] }, parent_tool_use_id: null, session_id: 's1' },
  { type: 'assistant', message: { id: 'm2', role: 'assistant', content: [{ type: 'text', text: 'sub' }] }, parent_tool_use_id: 'c1', session_id: 's1' },
  { type: 'result', subtype: 'success', is_error: false, session_id: 's1' },
].map((line) => JSON.stringify(line)).join('\n')));
// A Gemini chat history: contents whose parts hold text, thoughts, calls, responses and an image.
BYTES.set('generated.gemini-contents.json', encoder.encode(JSON.stringify([
  { role: 'user', parts: [{ text: 'Weather?' }, { inlineData: { mimeType: 'image/png', data: 'AA==' } }] },
  { role: 'model', parts: [{ text: 'think', thought: true }, { functionCall: { id: 'f1', name: 'w', args: { city: 'Oslo' } } }] },
  { role: 'user', parts: [{ functionResponse: { id: 'f1', name: 'w', response: { error: 'down' } } }] },
  { role: 'model', parts: [{ text: 'done' }] },
], null, 2)));
// A Bedrock Converse history: text, reasoning, tool uses and results, one of them an error.
BYTES.set('generated.converse.json', encoder.encode(JSON.stringify({ messages: [
  { role: 'user', content: [{ text: 'Weather?' }] },
  { role: 'assistant', content: [{ reasoningContent: { reasoningText: { text: 't' } } }, { toolUse: { toolUseId: 't1', name: 'w', input: { city: 'Oslo' } } }] },
  { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { temp: 3 } }], status: 'error' } }] },
  { role: 'assistant', content: [{ text: 'done' }] },
] }, null, 2)));
// Pydantic AI messages: a request, a response with a call and its usage, a retry prompt, a return.
BYTES.set('generated.pydantic-ai.json', encoder.encode(JSON.stringify([
  { kind: 'request', instructions: 'Be brief.', parts: [{ part_kind: 'user-prompt', content: 'Weather?' }] },
  { kind: 'response', usage: { input_tokens: 5, output_tokens: 2 }, parts: [{ part_kind: 'thinking', content: 't' }, { part_kind: 'tool-call', tool_name: 'w', args: { city: 'Oslo' }, tool_call_id: 'c1' }] },
  { kind: 'request', parts: [{ part_kind: 'retry-prompt', tool_name: 'w', tool_call_id: 'c1', content: [{ msg: 'bad' }] }] },
  { kind: 'request', parts: [{ part_kind: 'tool-return', tool_name: 'w', tool_call_id: 'c1', content: { temp: 3 } }] },
  { kind: 'response', parts: [{ part_kind: 'text', content: 'done' }] },
], null, 2)));
// Haystack messages: text, a call with reasoning and usage, a failed result.
BYTES.set('generated.haystack.json', encoder.encode(JSON.stringify([
  { role: 'user', meta: {}, content: [{ text: 'Weather?' }] },
  { role: 'assistant', meta: { usage: { prompt_tokens: 5, completion_tokens: 2 } }, content: [{ reasoning: { reasoning_text: 't' } }, { tool_call: { tool_name: 'w', arguments: { city: 'Oslo' }, id: 'c1' } }] },
  { role: 'tool', meta: {}, content: [{ tool_call_result: { result: 'down', origin: { tool_name: 'w', arguments: {}, id: 'c1' }, error: true } }] },
  { role: 'assistant', meta: {}, content: [{ text: 'done' }] },
], null, 2)));
// An OpenAI Agents SDK (JavaScript) run state: the input, a handoff, a call waiting for approval, each response's usage.
const agentsCall = (callId: string, name: string, args: string) => ({ id: 'r', type: 'function_call', callId, name, status: 'completed', arguments: args, providerData: {} });
BYTES.set('generated.openai-agents-state.json', encoder.encode(JSON.stringify({
  $schemaVersion: '1.22',
  currentTurn: 2,
  currentAgent: { name: 'Files agent' },
  originalInput: [{ role: 'user', content: 'Delete /tmp/old.log' }],
  modelResponses: [
    { usage: { requests: 1, inputTokens: 5, outputTokens: 2, totalTokens: 7, inputTokensDetails: [{ cached_tokens: 1 }] }, output: [agentsCall('h1', 'transfer_to_files', '{}')], providerData: { model: 'm' } },
    { usage: { requests: 1, inputTokens: 9, outputTokens: 3, totalTokens: 12 }, output: [agentsCall('d1', 'delete_file', '{"path":"x"}')] },
  ],
  generatedItems: [
    { type: 'handoff_call_item', rawItem: agentsCall('h1', 'transfer_to_files', '{}'), agent: { name: 'Triage' } },
    { type: 'handoff_output_item', rawItem: { type: 'function_call_result', name: 'transfer_to_files', callId: 'h1', status: 'completed', output: { type: 'text', text: '{"assistant":"Files agent"}' } } },
    { type: 'reasoning_item', rawItem: { type: 'reasoning', content: [{ type: 'input_text', text: 't' }], rawContent: [{ type: 'reasoning_text', text: 'raw' }] } },
    { type: 'tool_call_item', rawItem: agentsCall('d1', 'delete_file', '{"path":"x"}') },
    { type: 'tool_approval_item', rawItem: agentsCall('d1', 'delete_file', '{"path":"x"}') },
  ],
  currentStep: { type: 'next_step_interruption', data: { interruptions: [] } },
  trace: { object: 'trace', id: 'trace_1' },
}, null, 2)));
// A Google ADK session in the Python default's snake case: a thought and a call with usage, a failed response, a partial event, an error event.
BYTES.set('generated.adk-session.json', encoder.encode(JSON.stringify({
  id: 's1',
  app_name: 'weather_app',
  user_id: 'u',
  state: {},
  events: [
    { invocation_id: 'e1', author: 'user', content: { role: 'user', parts: [{ text: 'Weather?' }] } },
    { invocation_id: 'e1', author: 'a', content: { role: 'model', parts: [{ text: 't', thought: true }, { function_call: { id: 'c1', name: 'w', args: { city: 'Oslo' } } }] }, usage_metadata: { prompt_token_count: 5, candidates_token_count: 2, thoughts_token_count: 1, total_token_count: 8 }, model_version: 'm' },
    { invocation_id: 'e1', author: 'a', content: { role: 'user', parts: [{ function_response: { id: 'c1', name: 'w', response: { error: 'down' } } }] } },
    { invocation_id: 'e1', author: 'a', partial: true, content: { role: 'model', parts: [{ text: 'do' }] } },
    { invocation_id: 'e1', author: 'a', content: { role: 'model', parts: [{ text: 'done' }, { executable_code: { code: 'print(1)' } }] } },
    { invocation_id: 'e2', author: 'a', error_code: 'RESOURCE_EXHAUSTED', error_message: 'quota' },
  ],
}, null, 2)));
// AI SDK model messages (response.messages): reasoning, calls, results of each output type, an image.
BYTES.set('generated.ai-sdk-model.json', encoder.encode(JSON.stringify([
  { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', image: 'AA==', mediaType: 'image/png' }] },
  { role: 'assistant', content: [{ type: 'reasoning', text: 't' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'w', input: { city: 'Oslo' } }, { type: 'tool-call', toolCallId: 'c2', toolName: 'w', args: {} }] },
  { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'w', output: { type: 'error-json', value: { code: 1 } } }, { type: 'tool-result', toolCallId: 'c2', toolName: 'w', result: 'r', isError: false }] },
  { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
], null, 2)));
// A model call log: an OpenAI call, its follow-up, and a LiteLLM payload of a failed call of another conversation.
const logged = (messages: unknown[], reply: unknown) => ({ request: { model: 'm', messages, tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }] }, response: { model: 'm', choices: [{ index: 0, message: reply, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } });
const loggedCall = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }] };
BYTES.set('generated.call-log.jsonl', encoder.encode([
  logged([{ role: 'user', content: 'Weather?' }], loggedCall),
  logged([{ role: 'user', content: 'Weather?' }, loggedCall, { role: 'tool', tool_call_id: 'c1', content: '3 C' }], { role: 'assistant', content: 'done', function_call: null }),
  { call_type: 'acompletion', status: 'failure', messages: [{ role: 'user', content: 'Other?' }], response: null, error_str: 'quota', startTime: 1, endTime: 2 },
].map((line) => JSON.stringify(line)).join('\n')));
// A Semantic Kernel chat history (Python's serialize()): text, a call with usage, its result.
BYTES.set('generated.semantic-kernel.json', encoder.encode(JSON.stringify({ messages: [
  { content_type: 'message', role: 'user', items: [{ content_type: 'text', text: 'Weather?' }] },
  { content_type: 'message', role: 'assistant', metadata: { usage: { prompt_tokens: 5, completion_tokens: 2 } }, items: [{ content_type: 'function_call', id: 'c1', function_name: 'w', plugin_name: 'P', arguments: '{}' }] },
  { content_type: 'message', role: 'tool', items: [{ content_type: 'function_result', id: 'c1', result: { temp: 3 }, function_name: 'w' }] },
  { content_type: 'message', role: 'assistant', items: [{ content_type: 'text', text: 'done' }] },
] }, null, 2)));
// A Continue session: an attached file, thinking, a call that errored and its result, an older call whose result is in its state.
const continueCall = (id: string) => ({ id, type: 'function', function: { name: 'read_file', arguments: '{}' } });
BYTES.set('generated.continue-session.json', encoder.encode(JSON.stringify({ sessionId: 's1', title: 't', workspaceDirectory: '', history: [
  { message: { role: 'user', content: [{ type: 'text', text: 'Read it' }, { type: 'imageUrl', imageUrl: { url: 'data:image/png;base64,AA==' } }] }, contextItems: [{ content: 'file text', name: 'a', description: 'a' }] },
  { message: { role: 'thinking', content: 't' }, contextItems: [] },
  { message: { role: 'assistant', content: '', toolCalls: [continueCall('c1')] }, contextItems: [], toolCallState: { toolCallId: 'c1', status: 'errored' } },
  { message: { role: 'tool', content: 'no such file', toolCallId: 'c1' }, contextItems: [] },
  { message: { role: 'assistant', content: '', toolCalls: [continueCall('c2')] }, contextItems: [], toolCallState: { toolCallId: 'c2', status: 'done', output: [{ content: 'x' }] } },
  { message: { role: 'assistant', content: 'done' }, contextItems: [] },
] }, null, 2)));
// LlamaIndex messages: blocks, calls and a call id in additional_kwargs.
BYTES.set('generated.llamaindex.json', encoder.encode(JSON.stringify([
  { role: 'user', additional_kwargs: {}, blocks: [{ block_type: 'text', text: 'Weather?' }, { block_type: 'image', image: 'AA==', image_mimetype: 'image/png' }] },
  { role: 'assistant', additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }] }, blocks: [{ block_type: 'thinking', content: 't' }] },
  { role: 'tool', additional_kwargs: { tool_call_id: 'c1', name: 'w' }, blocks: [{ block_type: 'text', text: '3 C' }] },
  { role: 'assistant', additional_kwargs: {}, blocks: [{ block_type: 'text', text: 'done' }] },
], null, 2)));
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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (the root too), found without recursion. */
function pathsOf(root: Json): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  const stack: Array<{ value: Json; path: Array<string | number> }> = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: [...path, key] });
  }
  return paths;
}

function replaced(root: Json, path: Array<string | number>, value: Json): Json {
  if (path.length === 0) return value;
  const copy = structuredClone(root);
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  at[path.at(-1)!] = value;
  return copy;
}

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
