import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Chats saved from apps built on the Vercel AI SDK: UI messages in the shapes of AI SDK 5
// (`tool-NAME` and `dynamic-tool` parts), 4 (`tool-invocation` parts) and 3 (`toolInvocations`),
// written after the SDK's UIMessage types.

const user = (text: string) => ({ id: `u-${text.length}`, role: 'user', parts: [{ type: 'text', text }] });

describe('AI SDK UI messages', () => {
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
