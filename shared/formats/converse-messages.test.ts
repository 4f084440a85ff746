import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Bedrock Converse messages as an agent keeps its history (Strands Agents' `agent.messages`, a
// Converse request's `messages`): blocks told by their one key, no `type`.

const history = [
  { role: 'user', content: [{ text: 'Weather and time in Oslo?' }] },
  {
    role: 'assistant',
    content: [
      { reasoningContent: { reasoningText: { text: 'Two tools.', signature: 'sig' } } },
      { text: 'Checking both.' },
      { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo' } } },
      { toolUse: { toolUseId: 'tooluse_2', name: 'get_time', input: { city: 'Oslo' } } },
    ],
  },
  {
    role: 'user',
    content: [
      { toolResult: { toolUseId: 'tooluse_1', content: [{ json: { temp: 3 } }], status: 'success' } },
      { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'time service down' }], status: 'error' } },
    ],
  },
  { role: 'assistant', content: [{ text: 'It is 3 C; the time could not be read.' }, { cachePoint: { type: 'default' } }] },
];

describe('Bedrock Converse messages', () => {
  it('reads an agent\'s history: tool uses and their results (an error one as a tool that raised), reasoning', () => {
    const { trajectories, problems } = importText(JSON.stringify({ messages: history }), 'agent.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: 'Weather and time in Oslo?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        reasoning_content: 'Two tools.',
        tool_calls: [
          { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'tooluse_2', type: 'function', function: { name: 'get_time', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'tooluse_1', content: '{"temp":3}' },
      { role: 'tool', tool_call_id: 'tooluse_2', content: '{"error": "Tool execution failed: time service down"}', is_error: true },
      { role: 'assistant', content: 'It is 3 C; the time could not be read.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['Two tools.', null] });
  });

  it('leaves OpenAI content parts (which have a type) as they are', () => {
    const chat = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, { role: 'assistant', content: 'hello' }];
    expect(importText(JSON.stringify(chat), 'chat.json').trajectories[0]!.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'hi' }] });
  });

  it('reads a reply with citations and text under a guardrail as text, and a tool result\'s image as a placeholder', () => {
    const chat = [
      { role: 'user', content: [{ guardContent: { text: { text: 'Who ordered?', qualifiers: ['query'] } } }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'get_user', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ json: { name: 'Ann' } }, { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } }], status: 'success' } }] },
      { role: 'assistant', content: [{ reasoningContent: { redactedContent: 'AAAA' } }, { citationsContent: { content: [{ text: 'Ann ' }, { text: 'ordered.' }], citations: [] } }] },
    ];
    const t = importText(JSON.stringify(chat), 'chat.json').trajectories[0]!;
    expect(t.messages.map((m) => m.content)).toEqual(['Who ordered?', null, '{"name":"Ann"}\n[image: image/png, 8 B]', 'Ann ordered.']);
  });
});
