import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Pydantic AI messages as `result.all_messages_json()` writes them: requests and responses of parts
// told by `part_kind`, a retried tool call, and the usage of each response in both versions' names.

const at = '2025-06-01T10:00:00Z';
const messages = [
  { parts: [{ content: 'You are a weather agent.', timestamp: at, dynamic_ref: null, part_kind: 'system-prompt' }, { content: 'Weather in Oslo?', timestamp: at, part_kind: 'user-prompt' }], instructions: null, kind: 'request' },
  { parts: [{ content: 'Call the tool.', part_kind: 'thinking' }, { tool_name: 'get_weather', args: '{"town":"Oslo"}', tool_call_id: 'call_1', part_kind: 'tool-call' }], usage: { input_tokens: 50, output_tokens: 10 }, model_name: 'gpt-4o', timestamp: at, kind: 'response' },
  { parts: [{ content: [{ type: 'missing', loc: ['city'], msg: 'Field required', input: { town: 'Oslo' } }], tool_name: 'get_weather', tool_call_id: 'call_1', timestamp: at, part_kind: 'retry-prompt' }], instructions: null, kind: 'request' },
  { parts: [{ tool_name: 'get_weather', args: { city: 'Oslo' }, tool_call_id: 'call_2', part_kind: 'tool-call' }], usage: { request_tokens: 120, response_tokens: 9, total_tokens: 129 }, model_name: 'gpt-4o', kind: 'response' },
  { parts: [{ tool_name: 'get_weather', content: { temp: 3 }, tool_call_id: 'call_2', metadata: null, timestamp: at, part_kind: 'tool-return' }], instructions: null, kind: 'request' },
  { parts: [{ content: 'It is 3 C in Oslo.', part_kind: 'text' }], usage: { input_tokens: 150, output_tokens: 8 }, model_name: 'gpt-4o', kind: 'response' },
];

describe('Pydantic AI messages', () => {
  it('reads them as Pydantic AI sends them: a retry prompt as the failed call\'s result, each response\'s usage on its turn', () => {
    const { trajectories, problems } = importText(JSON.stringify(messages), 'messages.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.arguments).join() || m.content : m.content])).toEqual([
      ['system', 'You are a weather agent.'],
      ['user', 'Weather in Oslo?'],
      ['assistant', '{"town":"Oslo"}'],
      ['tool', `{"error": "Tool execution failed: Validation feedback:\\n[\\n  {\\n    \\"type\\": \\"missing\\",\\n    \\"loc\\": [\\n      \\"city\\"\\n    ],\\n    \\"msg\\": \\"Field required\\",\\n    \\"input\\": {\\n      \\"town\\": \\"Oslo\\"\\n    }\\n  }\\n]\\n\\nFix the errors and try again."}`],
      ['assistant', '{"city":"Oslo"}'],
      ['tool', '{"temp":3}'],
      ['assistant', 'It is 3 C in Oslo.'],
    ]);
    expect(t.messages[2]!.reasoning_content).toBe('Call the tool.');
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, tool_calls_exec_error: 1, tool_calls_executed_ok: 1, finished_naturally: true });
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } },
      { usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 } },
      { usage: { prompt_tokens: 150, completion_tokens: 8, total_tokens: 158 } },
    ]);
  });

  it('takes a request\'s instructions as the system message, and a retry prompt of no tool as a user message', () => {
    const run = [
      { parts: [{ content: 'Hi', part_kind: 'user-prompt' }], instructions: 'Be brief.', kind: 'request' },
      { parts: [{ content: 'Hello!', part_kind: 'text' }], kind: 'response' },
      { parts: [{ content: 'Answer in French.', tool_name: null, tool_call_id: 'r1', part_kind: 'retry-prompt' }], kind: 'request' },
    ];
    expect(importText(JSON.stringify(run), 'run.json').trajectories[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Answer in French.\n\nFix the errors and try again.' },
    ]);
  });
});
