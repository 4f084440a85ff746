import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Haystack chat messages as `ChatMessage.to_dict()` writes them (and with the `_`-prefixed fields
// of Haystack before 2.9): text, tool calls, tool call results, reasoning, and the generator's
// usage in `meta`.

const messages = [
  { role: 'system', meta: {}, name: null, content: [{ text: 'You are a weather agent.' }] },
  { role: 'user', meta: {}, name: null, content: [{ text: 'Weather and time in Oslo?' }] },
  {
    role: 'assistant',
    meta: { model: 'gpt-4o-mini', finish_reason: 'tool_calls', usage: { prompt_tokens: 80, completion_tokens: 20, total_tokens: 100 } },
    name: null,
    content: [{ reasoning: { reasoning_text: 'Both tools.', extra: {} } }, { tool_call: { tool_name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_1' } }, { tool_call: { tool_name: 'get_time', arguments: { city: 'Oslo' }, id: 'call_2' } }],
  },
  { role: 'tool', meta: {}, name: null, content: [{ tool_call_result: { result: '3 C', origin: { tool_name: 'get_weather', arguments: { city: 'Oslo' }, id: 'call_1' }, error: false } }] },
  { role: 'tool', meta: {}, name: null, content: [{ tool_call_result: { result: 'time service down', origin: { tool_name: 'get_time', arguments: { city: 'Oslo' }, id: 'call_2' }, error: true } }] },
  { role: 'assistant', meta: { usage: { prompt_tokens: 140, completion_tokens: 12 } }, name: null, content: [{ text: 'It is 3 C; the time could not be read.' }] },
];

describe('Haystack messages', () => {
  it('reads calls, their results (an error one as a tool that raised), reasoning and each reply\'s usage', () => {
    const { trajectories, problems } = importText(JSON.stringify(messages), 'messages.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'You are a weather agent.' },
      { role: 'user', content: 'Weather and time in Oslo?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Both tools.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '3 C', name: 'get_weather' },
      { role: 'tool', tool_call_id: 'call_2', content: '{"error": "Tool execution failed: time service down"}', name: 'get_time' },
      { role: 'assistant', content: 'It is 3 C; the time could not be read.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1 });
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 80, completion_tokens: 20, total_tokens: 100 } }, { usage: { prompt_tokens: 140, completion_tokens: 12, total_tokens: 152 } }]);
  });

  it('reads the fields of Haystack before 2.9 (_role, _content)', () => {
    const old = messages.map(({ role, content, meta, name }) => ({ _role: role, _content: content, _meta: meta, _name: name }));
    expect(importText(JSON.stringify(old), 'old.json').trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
  });

  it('reads images: a user\'s beside the text, and those of a result newer versions keep as a list of blocks', () => {
    const chat = [
      { role: 'user', meta: {}, name: null, content: [{ text: 'What time is it in Paris?' }, { image: { base64_image: 'iVBORw0KGgo=', mime_type: 'image/png', detail: null, meta: {}, validation: true } }] },
      { role: 'assistant', meta: {}, name: null, content: [{ tool_call: { tool_name: 'clock', arguments: {}, id: 'call_1', extra: null } }] },
      { role: 'tool', meta: {}, name: null, content: [{ tool_call_result: { result: [{ text: '12:00' }, { image: { base64_image: 'iVBORw0KGgo=', mime_type: 'image/png' } }], origin: { tool_name: 'clock', arguments: {}, id: 'call_1' }, error: false } }] },
      { role: 'assistant', meta: {}, name: null, content: [{ text: 'Noon.' }] },
    ];
    const t = importText(JSON.stringify(chat), 'chat.json').trajectories[0]!;
    expect(t.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'What time is it in Paris?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] });
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', name: 'clock', content: '12:00\n[image: image/png, 8 B]' });
  });
});
