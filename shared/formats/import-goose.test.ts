import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// A Goose session file in the layout Goose wrote before sessions moved to a database: metadata,
// then one message per line with its content blocks.

const lines = [
  { working_dir: '/home/dev/app', description: 'Debug memory leak', message_count: 6, total_tokens: 1250 },
  { role: 'user', created: 1747178328, content: [{ type: 'text', text: 'Find the leak.' }] },
  { role: 'assistant', created: 1747178334, content: [{ type: 'text', text: 'Checking memory first.' }, { type: 'toolRequest', id: 'toolu_1', toolCall: { status: 'success', value: { name: 'developer__shell', arguments: { command: 'ps aux | grep worker' } } } }] },
  { role: 'user', created: 1747178335, content: [{ type: 'toolResponse', id: 'toolu_1', toolResult: { status: 'success', value: [{ type: 'text', text: 'node worker.js 87654' }] } }] },
  { role: 'assistant', created: 1747178340, content: [{ type: 'thinking', thinking: 'Look at the heap.' }, { type: 'toolRequest', id: 'toolu_2', toolCall: { status: 'success', value: { name: 'developer__shell', arguments: { command: 'heapdump' } } } }, { type: 'toolRequest', id: 'toolu_3', toolCall: { status: 'error', error: 'arguments did not parse' } }] },
  { role: 'user', created: 1747178341, content: [{ type: 'toolResponse', id: 'toolu_2', toolResult: { status: 'error', error: 'command not found: heapdump' } }, { type: 'text', text: 'Try another way.' }] },
  { role: 'assistant', created: 1747178350, content: [{ type: 'text', text: 'The cache grows without bound.' }, { type: 'image', data: 'iVBOR', mimeType: 'image/png' }] },
];
const session = `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

describe('Goose sessions', () => {
  it('reads the calls, their results and errors, and the reasoning, results before the user\'s words', () => {
    const { format, trajectories, problems } = importText(session, '20250513_101000.jsonl');
    expect(format).toBe('goose-session');
    const t = trajectories[0]!;
    expect(t.id).toBe('20250513_101000');
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'user', 'assistant']);
    expect(t.messages[1]).toEqual({ role: 'assistant', content: 'Checking memory first.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'developer__shell', arguments: '{"command":"ps aux | grep worker"}' } }] });
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', content: 'node worker.js 87654' });
    expect(t.messages[3]).toMatchObject({ content: '', reasoning_content: 'Look at the heap.', tool_calls: [{ id: 'toolu_2' }] });
    expect(t.messages[4]).toMatchObject({ role: 'tool', tool_call_id: 'toolu_2', is_error: true });
    expect(t.messages[4]!.content).toContain('command not found: heapdump');
    expect(t.messages[5]).toEqual({ role: 'user', content: 'Try another way.' });
    expect(problems).toEqual([
      '20250513_101000.jsonl: message 5: a tool request Goose could not read (arguments did not parse); left out',
      '20250513_101000.jsonl: message 7: an image block is not shown; left out',
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads a result given as a call result object, and is told by its metadata line', () => {
    const response = { role: 'user', created: 1, content: [{ type: 'toolResponse', id: 'toolu_1', toolResult: { status: 'success', value: { content: [{ type: 'text', text: 'ok' }], isError: false } } }] };
    const text = [lines[0], lines[1], lines[2], response].map((l) => JSON.stringify(l)).join('\n');
    expect(detectFormat(text, 's.jsonl')).toBe('goose-session');
    expect(importText(text, 's.jsonl').trajectories[0]!.messages[2]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', content: 'ok' });
  });

  it('records a result whose call result says isError as a tool error, and keeps a pasted image', () => {
    const prompt = { role: 'user', created: 1, content: [{ type: 'text', text: 'Why does this fail? ✓' }, { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' }], metadata: { userVisible: true, agentVisible: true } };
    const response = { role: 'user', created: 2, content: [{ type: 'toolResponse', id: 'toolu_1', toolResult: { status: 'success', value: { content: [{ type: 'text', text: '1 failing' }], isError: true } } }] };
    const text = [lines[0], prompt, lines[2], response].map((l) => JSON.stringify(l)).join('\n');
    const { trajectories, problems } = importText(text, 's.jsonl');
    const t = trajectories[0]!;
    expect(problems).toEqual([]);
    expect(t.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Why does this fail? ✓' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] });
    expect(t.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'toolu_1', is_error: true });
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_exec_error: 1, tool_calls_executed_ok: 0 });
  });

  it('lists a line that is not a message, and keeps the rest', () => {
    const text = [lines[0], lines[1], { note: 'x' }, lines[2]].map((l) => JSON.stringify(l)).join('\n');
    const { trajectories, problems } = importText(text, 's.jsonl');
    expect(trajectories[0]!.messages).toHaveLength(2);
    expect(problems).toEqual(['s.jsonl:3: not a message (role user or assistant, with a content list); the line is left out']);
  });
});
