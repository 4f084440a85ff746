import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Semantic Kernel chat histories, written after its content classes: Python's
// `ChatHistory.serialize()` (`model_dump_json(exclude_none=True)`: `content_type` on every message
// and item, the reply's usage in its metadata) and .NET's System.Text.Json (`Role.Label`, `Items`
// told by `$type`, PascalCase fields).

const python = {
  messages: [
    { metadata: {}, content_type: 'message', role: 'system', items: [{ metadata: {}, content_type: 'text', text: 'You answer weather questions.' }] },
    { metadata: {}, content_type: 'message', role: 'user', items: [{ metadata: {}, content_type: 'text', text: 'Weather in Tokyo and Atlantis?' }, { metadata: {}, content_type: 'image', uri: 'https://example.com/map.png' }] },
    {
      ai_model_id: 'gpt-4o',
      metadata: { id: 'chatcmpl-1', created: 1733500000, usage: { prompt_tokens: 80, completion_tokens: 20 } },
      content_type: 'message',
      role: 'assistant',
      items: [
        { metadata: {}, content_type: 'function_call', id: 'call_1', index: 0, name: 'Weather-get_weather', function_name: 'get_weather', plugin_name: 'Weather', arguments: '{"city":"Tokyo"}' },
        { metadata: {}, content_type: 'function_call', id: 'call_2', index: 1, function_name: 'get_weather', plugin_name: 'Weather', arguments: { city: 'Atlantis' } },
      ],
      finish_reason: 'tool_calls',
    },
    { metadata: {}, content_type: 'message', role: 'tool', items: [{ metadata: {}, content_type: 'function_result', id: 'call_1', result: 'Sunny, 22C', name: 'Weather-get_weather', function_name: 'get_weather', plugin_name: 'Weather' }] },
    { metadata: {}, content_type: 'message', role: 'tool', items: [{ metadata: {}, content_type: 'function_result', id: 'call_2', result: { error: 'unknown city' }, function_name: 'get_weather', plugin_name: 'Weather' }] },
    { ai_model_id: 'gpt-4o', metadata: { usage: { prompt_tokens: 120, completion_tokens: 9 } }, content_type: 'message', role: 'assistant', items: [{ metadata: {}, content_type: 'text', text: 'Tokyo is sunny.' }], finish_reason: 'stop' },
  ],
};

describe('Semantic Kernel chat histories', () => {
  it('reads ChatHistory.serialize(): items as content, calls named PLUGIN-FUNCTION, results as tool messages, each reply\'s usage', () => {
    const { trajectories, problems } = importText(JSON.stringify(python, null, 2), 'history.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'You answer weather questions.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Tokyo and Atlantis?' }, { type: 'image_url', image_url: { url: 'https://example.com/map.png' } }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'Weather-get_weather', arguments: '{"city":"Tokyo"}' } },
          { id: 'call_2', type: 'function', function: { name: 'Weather-get_weather', arguments: '{"city":"Atlantis"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', name: 'Weather-get_weather', content: 'Sunny, 22C' },
      { role: 'tool', tool_call_id: 'call_2', name: 'Weather-get_weather', content: '{"error":"unknown city"}' },
      { role: 'assistant', content: 'Tokyo is sunny.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_exec_error: 1, finished_naturally: true });
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 80, completion_tokens: 20, total_tokens: 100 } }, { usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 } }]);
  });

  it('reads a .NET ChatHistory serialized with System.Text.Json the same way', () => {
    const dotnet = [
      { Role: { Label: 'user' }, Items: [{ $type: 'TextContent', Text: 'Weather in Tokyo?' }] },
      { Role: { Label: 'assistant' }, Items: [{ $type: 'FunctionCallContent', Id: 'call_1', PluginName: 'Weather', FunctionName: 'get_weather', Arguments: { city: 'Tokyo' } }], ModelId: 'gpt-4o' },
      { Role: { Label: 'tool' }, Items: [{ $type: 'FunctionResultContent', CallId: 'call_1', PluginName: 'Weather', FunctionName: 'get_weather', Result: 'Sunny, 22C' }] },
      { Role: { Label: 'assistant' }, Items: [{ $type: 'TextContent', Text: 'It is sunny in Tokyo.' }], ModelId: 'gpt-4o' },
    ];
    const t = importText(JSON.stringify(dotnet), 'history.json').trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: 'Weather in Tokyo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Weather-get_weather', arguments: '{"city":"Tokyo"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', name: 'Weather-get_weather', content: 'Sunny, 22C' },
      { role: 'assistant', content: 'It is sunny in Tokyo.' },
    ]);
  });
});
