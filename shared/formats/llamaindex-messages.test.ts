import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// LlamaIndex chat messages as `ChatMessage.model_dump()` writes them: content in `blocks`, an
// assistant's calls and a tool's call id in `additional_kwargs` (an OpenAI LLM's), and the older
// messages with `content`.

const messages = [
  { role: 'user', additional_kwargs: {}, blocks: [{ block_type: 'text', text: 'Weather in Oslo?' }, { block_type: 'image', image: 'iVBORw0KGgo=', image_mimetype: 'image/png', url: null, path: null }] },
  { role: 'assistant', additional_kwargs: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] }, blocks: [{ block_type: 'thinking', content: 'Use the tool.' }] },
  { role: 'tool', additional_kwargs: { tool_call_id: 'call_1', name: 'get_weather' }, blocks: [{ block_type: 'text', text: '3 C' }] },
  { role: 'assistant', additional_kwargs: {}, blocks: [{ block_type: 'text', text: 'It is 3 C.' }] },
];

describe('LlamaIndex messages', () => {
  it('reads content blocks, calls and results from additional_kwargs, thinking as reasoning, an image', () => {
    const t = importText(JSON.stringify(messages), 'chat.json').trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }], reasoning_content: 'Use the tool.' },
      { role: 'tool', content: '3 C', tool_call_id: 'call_1', name: 'get_weather' },
      { role: 'assistant', content: 'It is 3 C.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_executed_ok: 1, finished_naturally: true });
  });

  it('reads older messages with content, and leaves chat messages with their own calls as they are', () => {
    const older = [{ role: 'user', content: 'hi', additional_kwargs: {} }, { role: 'assistant', content: '', additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }] } }, { role: 'tool', content: 'a.txt', additional_kwargs: { tool_call_id: 'c1' } }];
    expect(importText(JSON.stringify(older), 'old.json').trajectories[0]!.messages.map((m) => [m.role, m.tool_calls?.[0]?.id ?? m.tool_call_id ?? m.content])).toEqual([['user', 'hi'], ['assistant', 'c1'], ['tool', 'c1']]);
    const chat = [{ role: 'assistant', content: 'x', tool_calls: [], additional_kwargs: { tool_calls: [{ id: 'no' }] } }];
    expect(importText(JSON.stringify(chat), 'c.json').trajectories[0]!.messages[0]).toMatchObject({ role: 'assistant', content: 'x', tool_calls: [] });
  });

  it('reads a message recognised by its calls whose blocks hold something that is not a block', () => {
    const odd = [{ role: 'user', content: 'hi' }, { role: 'assistant', additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }] }, blocks: [null, 7, { block_type: 'text', text: 'Listing.' }] }];
    expect(importText(JSON.stringify(odd), 'odd.json').trajectories[0]!.messages[1]).toEqual({ role: 'assistant', content: 'Listing.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }] });
  });

  it('reads the calls newer versions keep in tool_call blocks', () => {
    const run = [
      { role: 'user', additional_kwargs: {}, blocks: [{ block_type: 'text', text: 'Add 2 and 3.' }] },
      { role: 'assistant', additional_kwargs: {}, blocks: [{ block_type: 'thinking', content: 'Use add.', num_tokens: null, additional_information: {} }, { block_type: 'tool_call', tool_call_id: 'call_1', tool_name: 'add', tool_kwargs: { a: 2, b: 3 } }, { block_type: 'tool_call', tool_call_id: 'call_2', tool_name: 'noop', tool_kwargs: '{}' }] },
      { role: 'tool', additional_kwargs: { tool_call_id: 'call_1' }, blocks: [{ block_type: 'text', text: '5' }] },
      { role: 'tool', additional_kwargs: { tool_call_id: 'call_2', name: 'noop' }, blocks: [{ block_type: 'text', text: 'ok' }] },
      { role: 'assistant', additional_kwargs: {}, blocks: [{ block_type: 'text', text: '5.' }] },
    ];
    const t = importText(JSON.stringify(run), 'chat.json').trajectories[0]!;
    expect(t.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'Use add.',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":2,"b":3}' } },
        { id: 'call_2', type: 'function', function: { name: 'noop', arguments: '{}' } },
      ],
    });
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 2, tool_calls_executed_ok: 2 });
  });
});
