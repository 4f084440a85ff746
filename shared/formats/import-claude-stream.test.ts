import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// A headless agent run as `claude -p --output-format stream-json` prints it (the Claude Agent SDK's
// message types): the init message, an API message written as two lines (one per block), a
// failed tool result, a subagent started by a Task call, and the result.

const session = '5f1c2a9e-0000-4000-8000-000000000001';
const usage = (input: number, write: number, read: number, output: number) => ({ input_tokens: input, cache_creation_input_tokens: write, cache_read_input_tokens: read, output_tokens: output });
const assistant = (id: string, content: unknown[], u: unknown, parent: string | null = null) => ({ type: 'assistant', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content, stop_reason: null, stop_sequence: null, usage: u }, parent_tool_use_id: parent, session_id: session });
const results = (content: unknown[], parent: string | null = null) => ({ type: 'user', message: { role: 'user', content }, parent_tool_use_id: parent, session_id: session });

const lines = [
  { type: 'system', subtype: 'init', cwd: '/w', session_id: session, tools: ['Bash', 'Read', 'Task'], mcp_servers: [], model: 'claude-sonnet-4-5-20250929', permissionMode: 'default', apiKeySource: 'none' },
  assistant('msg_01', [{ type: 'thinking', thinking: 'List first.', signature: 'sig' }], usage(4, 1200, 10000, 25)),
  assistant('msg_01', [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } }, { type: 'tool_use', id: 'toolu_02', name: 'Read', input: { file_path: '/w/c.txt' } }], usage(4, 1200, 10000, 48)),
  results([{ tool_use_id: 'toolu_01', type: 'tool_result', content: 'a.txt\nb.txt', is_error: false }, { tool_use_id: 'toolu_02', type: 'tool_result', content: 'File does not exist.', is_error: true }]),
  assistant('msg_02', [{ type: 'tool_use', id: 'toolu_03', name: 'Task', input: { description: 'Read a.txt', prompt: 'Read a.txt and summarize it.' } }], usage(6, 300, 11200, 30)),
  results([{ type: 'text', text: 'Read a.txt and summarize it.' }], 'toolu_03'),
  assistant('msg_s1', [{ type: 'text', text: 'a.txt is empty.' }], usage(3, 0, 900, 7), 'toolu_03'),
  results([{ tool_use_id: 'toolu_03', type: 'tool_result', content: [{ type: 'text', text: 'a.txt is empty.' }] }]),
  assistant('msg_03', [{ type: 'text', text: 'a.txt is empty; c.txt does not exist.' }], usage(4, 60, 11500, 14)),
  { type: 'result', subtype: 'success', is_error: false, duration_ms: 9100, duration_api_ms: 8000, num_turns: 4, result: 'a.txt is empty; c.txt does not exist.', session_id: session, total_cost_usd: 0.021, usage: { input_tokens: 14, output_tokens: 92 } },
];

describe('headless agent runs (stream-json)', () => {
  it('reads the session: each API message one turn with its usage, tool results, a failed one as a tool that raised', () => {
    const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    expect(detectFormat(text, 'run.jsonl')).toBe('claude-code-stream');
    const { trajectories, problems } = importText(text, 'run.jsonl');
    expect(problems).toEqual([]);
    const [main, sub] = trajectories;
    expect(main).toMatchObject({ id: session, model: 'claude-sonnet-4-5-20250929' });
    expect(main!.messages.map((m) => [m.role, m.role === 'tool' ? m.content : (m.tool_calls ?? []).map((c) => c.function.name).join(',') || m.content])).toEqual([
      ['assistant', 'Bash,Read'],
      ['tool', 'a.txt\nb.txt'],
      ['tool', '{"error": "Tool execution failed: File does not exist."}'],
      ['assistant', 'Task'],
      ['tool', 'a.txt is empty.'],
      ['assistant', 'a.txt is empty; c.txt does not exist.'],
    ]);
    expect(main!.messages[0]!.reasoning_content).toBe('List first.');
    // The later line of an API message carries the usage of the whole reply.
    expect(main!.callStats![0]).toEqual({ usage: { prompt_tokens: 11204, completion_tokens: 48, total_tokens: 11252, prompt_tokens_details: { cached_tokens: 10000 } } });
    expect(deriveAgentResult(main!).result).toMatchObject({ turns_used: 3, tool_calls_exec_error: 1, finished_naturally: true });
    expect(sub).toMatchObject({ id: `${session}/toolu_03`, branch: { parentId: session, forkTurn: 2, change: 'subagent of call toolu_03' } });
    expect(sub!.messages).toEqual([{ role: 'user', content: 'Read a.txt and summarize it.' }, { role: 'assistant', content: 'a.txt is empty.' }]);
  });

  it('reads the same messages saved as one list (--output-format json --verbose), and a run that hit its turn limit', () => {
    const list = [...lines.slice(0, -1), { ...lines.at(-1), subtype: 'error_max_turns', is_error: true }];
    const { format, trajectories } = importText(JSON.stringify(list, null, 2), 'run.json');
    expect(format).toBe('claude-code-stream-list');
    expect(trajectories[0]).toMatchObject({ id: session, stopReason: 'error_max_turns' });
  });

  it('leaves out an API error written in place of a reply, and ends the run with it', () => {
    const error = { type: 'assistant', message: { id: 'e1', type: 'message', role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: 'API Error: 529 Overloaded' }], stop_reason: 'stop_sequence', usage: usage(0, 0, 0, 0) }, parent_tool_use_id: null, session_id: session, error: 'server_error' };
    const run = [...lines.slice(0, 4), error, { ...lines.at(-1), is_error: true, result: 'API Error: 529 Overloaded' }];
    const { trajectories, problems } = importText(run.map((l) => JSON.stringify(l)).join('\n'), 'run.jsonl');
    expect(trajectories[0]!.messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
    expect(trajectories[0]!.stopReason).toBe('error: API Error: 529 Overloaded');
    expect(problems).toEqual(['run.jsonl:5: an API error Claude Code wrote in place of a reply is not a turn of the model, and is left out: "API Error: 529 Overloaded"']);
  });

  it('names a message it cannot read and opens the rest', () => {
    const broken = [lines[0], { ...lines[1], message: { ...(lines[1] as { message: object }).message, content: 7 } }, ...lines.slice(2)];
    const { problems, trajectories } = importText(broken.map((l) => JSON.stringify(l)).join('\n'), 'run.jsonl');
    expect(problems).toEqual(['run.jsonl:2: message.content: expected a string or a list of blocks; the message is left out']);
    expect(trajectories[0]!.messages[0]!.tool_calls).toHaveLength(2);
  });
});
