import { readdirSync, readFileSync } from 'node:fs';
import { exportText } from '../../shared/formats/export.js';
import { importText } from '../../shared/formats/import.js';
import { CORPUS_DIR, corpusPath } from './corpus.js';

// Sample files of every format the importers read: the fuzz tests of the importers damage them,
// the views' tests open them. The corpus's files are read from shared/corpus, never copied.

const CORPUS = readdirSync(CORPUS_DIR).filter((name) => name !== 'README.md').sort();

/** Every corpus file, then a small file of each format the corpus has none of, by file name. */
export const BYTES: Map<string, Uint8Array> = new Map(CORPUS.map((name) => [name, new Uint8Array(readFileSync(corpusPath(name)))]));
const encoder = new TextEncoder();
/** The lines of the hermes-agent session export, and its trajectories (some of the files below are made from them). */
export const hermesLines = new TextDecoder().decode(BYTES.get('hermes-agent_session_export.jsonl')).split('\n');
export const hermes = importText(hermesLines.join('\n'), 'h.jsonl').trajectories;
/** A hermes-agent trajectory given a tool list. */
export const withTools = { ...hermes[1]!, tools: [{ type: 'function' as const, function: { name: 'clarify', description: 'Ask', parameters: { type: 'object' } } }] };
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

