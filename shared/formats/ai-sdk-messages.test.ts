import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Chats saved from apps built on the Vercel AI SDK: UI messages in the shapes of AI SDK 5
// (`tool-NAME` and `dynamic-tool` parts), 4 (`tool-invocation` parts) and 3 (`toolInvocations`),
// written after the SDK's UIMessage types.

const user = (text: string) => ({ id: `u-${text.length}`, role: 'user', parts: [{ type: 'text', text }] });

describe('AI SDK UI messages', () => {
  it('reads AI SDK 6 approvals and unparsed input: a denied call as a tool that raised with its reason, a failed call with the raw input the model sent', () => {
    const denied = [
      user('Clean /tmp and get the weather in Zürich'),
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'tool-deleteFiles', toolCallId: 'c1', state: 'output-denied', input: { path: '/tmp' }, approval: { id: 'ap1', approved: false, reason: 'Not allowed' } },
          { type: 'tool-deleteFiles', toolCallId: 'c2', state: 'output-denied', input: { path: '/var' }, approval: { id: 'ap2', approved: false } },
          { type: 'tool-weather', toolCallId: 'c3', state: 'output-error', input: undefined, rawInput: '{"city": Zür', errorText: 'Invalid input for tool weather' },
          { type: 'tool-deleteFiles', toolCallId: 'c4', state: 'approval-requested', input: { path: '/home' }, approval: { id: 'ap4' } },
          { type: 'step-start' },
          { type: 'text', text: 'I could not do it.', state: 'done' },
        ],
      },
    ];
    const t = importText(JSON.stringify(denied), 'chat.json').trajectories[0]!;
    expect(t.messages[1]!.tool_calls!.map((c) => c.function.arguments)).toEqual(['{"path":"/tmp"}', '{"path":"/var"}', '{"city": Zür', '{"path":"/home"}']);
    expect(t.messages.slice(2, 5).map((m) => [m.tool_call_id, m.content])).toEqual([
      ['c1', '{"error": "Tool execution failed: Not allowed"}'],
      ['c2', '{"error": "Tool execution failed: Tool execution denied."}'],
      ['c3', '{"error": "Tool execution failed: Invalid input for tool weather"}'],
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 4, tool_calls_exec_error: 3 });
  });

  it('reads AI SDK 5 parts: one turn per step, reasoning, a call and its output, a failed call as a tool that raised', () => {
    const chat = [
      user('Weather in Oslo and Bergen?'),
      {
        id: 'a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'Two cities, two calls.', state: 'done' },
          { type: 'tool-getWeather', toolCallId: 'call_1', state: 'output-available', input: { city: 'Oslo' }, output: { temp: 3 } },
          { type: 'dynamic-tool', toolName: 'getWeather', toolCallId: 'call_2', state: 'output-error', input: { city: 'Bergen' }, errorText: 'service down' },
          { type: 'step-start' },
          { type: 'text', text: 'Oslo is 3 C; Bergen could not be read.', state: 'done' },
          { type: 'source-url', sourceId: 's1', url: 'https://example.test' },
          { type: 'data-weather', data: { city: 'Oslo' } },
        ],
      },
    ];
    const { format, trajectories, problems } = importText(JSON.stringify({ messages: chat }), 'chat.json');
    expect(format).toBe('agent-result');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: 'Weather in Oslo and Bergen?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Two cities, two calls.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'getWeather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'getWeather', arguments: '{"city":"Bergen"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"error": "Tool execution failed: service down"}' },
      { role: 'assistant', content: 'Oslo is 3 C; Bergen could not be read.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads AI SDK 4 tool invocations, with step marks or split where text follows a result, and an image a user attached', () => {
    const invocation = (id: string, result?: unknown) => ({ type: 'tool-invocation', toolInvocation: { state: result === undefined ? 'call' : 'result', step: 0, toolCallId: id, toolName: 'search', args: { q: id }, ...(result === undefined ? {} : { result }) } });
    const picture = { id: 'u1', role: 'user', content: 'What is this?', parts: [{ type: 'text', text: 'What is this?' }, { type: 'file', mediaType: 'image/png', url: 'data:image/png;base64,iVBORw0KGgo=' }] };
    const unmarked = { id: 'a1', role: 'assistant', content: 'A cat.', parts: [{ type: 'text', text: 'Looking.' }, invocation('c1', 'cat picture'), { type: 'text', text: 'A cat.' }, invocation('c2')] };
    const [t] = importText(JSON.stringify([picture, unmarked]), 'chat.json').trajectories;
    expect(t!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{"q":"c1"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'cat picture' },
      // A call without its result yet is left unanswered.
      { role: 'assistant', content: 'A cat.', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'search', arguments: '{"q":"c2"}' } }] },
    ]);
  });

  it('reads AI SDK 3 toolInvocations beside the text, in a JSONL of chats', () => {
    const line = { id: 'chat-1', messages: [{ role: 'user', content: 'Weather?' }, { role: 'assistant', content: 'It is 3 C.', toolInvocations: [{ state: 'result', toolCallId: 'call_1', toolName: 'getWeather', args: { city: 'Oslo' }, result: { temp: 3 } }] }] };
    const { format, trajectories } = importText(`${JSON.stringify(line)}\n${JSON.stringify({ ...line, id: 'chat-2' })}\n`, 'chats.jsonl');
    expect(format).toBe('messages-jsonl');
    expect(trajectories.map((t) => t.messages.map((m) => m.role))).toEqual([
      ['user', 'assistant', 'tool', 'assistant'],
      ['user', 'assistant', 'tool', 'assistant'],
    ]);
  });

  it('leaves chat messages and OpenTelemetry GenAI parts as they are', () => {
    const plain = [{ role: 'user', content: 'hi', parts: ['not an SDK part'] }, { role: 'assistant', content: 'hello' }];
    expect(importText(JSON.stringify(plain), 'p.json').trajectories[0]!.messages.map((m) => m.content)).toEqual(['hi', 'hello']);
    const genAi = [{ role: 'user', content: 'hi', parts: [{ type: 'text', content: 'hi' }] }];
    expect(importText(JSON.stringify(genAi), 'g.json').trajectories[0]!.messages[0]).toMatchObject({ role: 'user', content: 'hi' });
  });
});

// What `generateText` (ai 6.0, a mock model, two steps) returned as `result.response.messages`,
// after the system message and the prompt as a caller keeps them: a step with reasoning and two
// calls, one of whose tools threw, then the answer.
const modelMessages = [
  { role: 'system', content: 'You answer weather questions.' },
  { role: 'user', content: [{ type: 'text', text: 'Weather in Tokyo and Atlantis?' }] },
  {
    role: 'assistant',
    content: [
      { type: 'reasoning', text: 'Look both up.' },
      { type: 'tool-call', toolCallId: 'call_1', toolName: 'getWeather', input: { city: 'Tokyo' } },
      { type: 'tool-call', toolCallId: 'call_2', toolName: 'getWeather', input: { city: 'Atlantis' } },
    ],
  },
  {
    role: 'tool',
    content: [
      { type: 'tool-result', toolCallId: 'call_1', toolName: 'getWeather', output: { type: 'json', value: { temperature: 22, sky: 'sunny' } } },
      { type: 'tool-result', toolCallId: 'call_2', toolName: 'getWeather', output: { type: 'error-text', value: 'unknown city: Atlantis' } },
    ],
  },
  { role: 'assistant', content: [{ type: 'text', text: 'Tokyo is sunny, 22C. Atlantis is unknown.' }] },
];

describe('AI SDK model messages', () => {
  it("reads response.messages: reasoning, calls with their input, results by output type, a tool's error as a tool that raised", () => {
    const { format, trajectories, problems } = importText(JSON.stringify(modelMessages, null, 2), 'history.json');
    expect(format).toBe('chat-messages');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'You answer weather questions.' },
      { role: 'user', content: 'Weather in Tokyo and Atlantis?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Look both up.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'getWeather', arguments: '{"city":"Tokyo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'getWeather', arguments: '{"city":"Atlantis"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', name: 'getWeather', content: '{"temperature":22,"sky":"sunny"}' },
      { role: 'tool', tool_call_id: 'call_2', name: 'getWeather', content: '{"error": "Tool execution failed: unknown city: Atlantis"}' },
      { role: 'assistant', content: 'Tokyo is sunny, 22C. Atlantis is unknown.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads AI SDK 4 core messages (args, result, isError), images and files, a denied call and a provider-executed result', () => {
    const core = [
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', image: 'iVBORw0KGgo=', mimeType: 'image/png' }, { type: 'file', data: 'JVBERi0=', mimeType: 'application/pdf', filename: 'a.pdf' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool-call', toolCallId: 'c1', toolName: 'lookup', args: { q: 'png' } }, { type: 'tool-call', toolCallId: 'c2', toolName: 'delete', args: { path: '/' } }] },
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'lookup', result: 'an image', isError: false }, { type: 'tool-result', toolCallId: 'c2', toolName: 'delete', output: { type: 'execution-denied', reason: 'not allowed' } }] },
      { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'w1', toolName: 'web_search', input: { query: 'png' }, providerExecuted: true }, { type: 'tool-result', toolCallId: 'w1', toolName: 'web_search', output: { type: 'content', value: [{ type: 'text', text: 'PNG is an image format.' }] } }, { type: 'text', text: 'A PNG image.' }] },
    ];
    const t = importText(JSON.stringify(core), 'core.json').trajectories[0]!;
    expect(t.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=', mime_type: 'application/pdf' } },
      ],
    });
    expect(t.messages.slice(1)).toEqual([
      { role: 'assistant', content: 'Let me check.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":"png"}' } }, { id: 'c2', type: 'function', function: { name: 'delete', arguments: '{"path":"/"}' } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'lookup', content: 'an image' },
      { role: 'tool', tool_call_id: 'c2', name: 'delete', content: '{"error": "Tool execution failed: not allowed"}' },
      { role: 'assistant', content: 'A PNG image.', tool_calls: [{ id: 'w1', type: 'function', function: { name: 'web_search', arguments: '{"query":"png"}' } }] },
      { role: 'tool', tool_call_id: 'w1', name: 'web_search', content: 'PNG is an image format.' },
    ]);
  });

  it('leaves a list of OpenAI chat messages with text parts as it is', () => {
    const chat = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'assistant', content: 'hello' }];
    expect(importText(JSON.stringify(chat), 'chat.json').trajectories[0]!.messages).toEqual(chat);
  });
});
