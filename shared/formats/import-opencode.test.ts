import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Sessions as `opencode export` writes them (JSON.stringify(..., null, 2) of {info, messages,
// todos}), built after OpenCode's message and part schemas (session/message-v2.ts): a user message,
// an assistant message of three model calls (steps), a compaction, a call that failed and one the
// model's error ended.

const session = 'ses_5f1c2a9e7ffeDq0Pz1n8yB3kLm';
const base = (id: string) => ({ id: `prt_${id}`, sessionID: session, messageID: 'msg_x' });
const user = (id: string, parts: unknown[]) => ({ info: { id, sessionID: session, role: 'user', time: { created: 1760000000000 }, agent: 'build', model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' } }, parts });
const assistant = (id: string, parts: unknown[], extra: Record<string, unknown> = {}) => ({
  info: { id, sessionID: session, role: 'assistant', time: { created: 1760000001000, completed: 1760000009000 }, parentID: 'msg_1', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', mode: 'build', agent: 'build', path: { cwd: '/w', root: '/w' }, cost: 0.02, tokens: { input: 18, output: 58, reasoning: 0, cache: { read: 24060, write: 12100 } }, finish: 'stop', ...extra },
  parts,
});
const tokens = (input: number, output: number, read: number, write: number, total?: number) => ({ ...(total !== undefined ? { total } : {}), input, output, reasoning: 0, cache: { read, write } });

function exported(messages: unknown[]): string {
  return JSON.stringify({ info: { id: session, version: '1.0.150', projectID: 'p1', directory: '/w', title: 'List the files', time: { created: 1760000000000, updated: 1760000009000 } }, messages, todos: [] }, null, 2);
}

const listing = [
  user('msg_1', [{ ...base('1'), type: 'text', text: 'List the files' }, { ...base('2'), type: 'text', text: 'hidden from the model', ignored: true }]),
  assistant('msg_2', [
    { ...base('3'), type: 'step-start', snapshot: '4b825dc6' },
    { ...base('4'), type: 'reasoning', text: 'I should run ls.', time: { start: 1, end: 2 } },
    { ...base('5'), type: 'text', text: 'I will list them.' },
    { ...base('6'), type: 'tool', callID: 'toolu_01', tool: 'bash', state: { status: 'completed', input: { command: 'ls', description: 'List files' }, output: 'a.txt\nb.txt\n', title: 'ls', metadata: { exit: 0 }, time: { start: 3, end: 4 } } },
    { ...base('7'), type: 'step-finish', reason: 'tool-calls', cost: 0.01, tokens: tokens(10, 30, 0, 12000) },
    { ...base('8'), type: 'step-start' },
    { ...base('9'), type: 'tool', callID: 'toolu_02', tool: 'read', state: { status: 'error', input: { filePath: '/w/c.txt' }, error: 'File not found: /w/c.txt', time: { start: 5, end: 6 } } },
    { ...base('10'), type: 'step-finish', reason: 'tool-calls', cost: 0.005, tokens: tokens(5, 20, 12000, 60, 12085) },
    { ...base('11'), type: 'step-start' },
    { ...base('12'), type: 'text', text: 'There are two files.' },
    { ...base('13'), type: 'step-finish', reason: 'stop', cost: 0.005, tokens: tokens(3, 8, 12060, 40) },
    { ...base('14'), type: 'patch', hash: 'abc', files: [] },
  ]),
];

describe('OpenCode sessions', () => {
  it('reads an exported session as OpenCode sends it: one turn per step, each call answered, a failed call as a tool that raised', () => {
    const { format, trajectories, problems } = importText(exported(listing), 'session.json');
    expect(format).toBe('opencode-session');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: session, model: 'anthropic/claude-sonnet-4-5', stopReason: 'stop' });
    expect(t.messages).toEqual([
      { role: 'user', content: 'List the files' },
      { role: 'assistant', content: 'I will list them.', reasoning_content: 'I should run ls.', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'bash', arguments: '{"command":"ls","description":"List files"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_01', content: 'a.txt\nb.txt\n' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_02', type: 'function', function: { name: 'read', arguments: '{"filePath":"/w/c.txt"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_02', content: '{"error": "Tool execution failed: File not found: /w/c.txt"}' },
      { role: 'assistant', content: 'There are two files.' },
    ]);
    const { result } = deriveAgentResult(t);
    expect(result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['I should run ls.', null, null] });
    // The uncached input, the cache reads and the cache writes make the prompt.
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 12010, completion_tokens: 30, total_tokens: 12040 } },
      { usage: { prompt_tokens: 12065, completion_tokens: 20, total_tokens: 12085, prompt_tokens_details: { cached_tokens: 12000 } } },
      { usage: { prompt_tokens: 12103, completion_tokens: 8, total_tokens: 12111, prompt_tokens_details: { cached_tokens: 12060 } } },
    ]);
  });

  it('sends a compaction as its question, an image as a part, an interrupted call as an error, and leaves out a call the model failed', () => {
    const later = [
      ...listing,
      user('msg_3', [{ ...base('20'), type: 'compaction', auto: true }]),
      assistant('msg_4', [{ ...base('21'), type: 'text', text: 'Summary: we listed the files.' }], { summary: true }),
      user('msg_5', [{ ...base('22'), type: 'text', text: 'What is in this picture?' }, { ...base('23'), type: 'file', mime: 'image/png', filename: 'shot.png', url: 'data:image/png;base64,iVBORw0KGgo=' }, { ...base('24'), type: 'file', mime: 'text/plain', filename: 'notes.txt', url: 'file:///w/notes.txt' }]),
      assistant('msg_6', [{ ...base('25'), type: 'step-start' }], { error: { name: 'APIError', data: { message: 'Overloaded', isRetryable: true } } }),
      assistant('msg_7', [
        { ...base('26'), type: 'step-start' },
        { ...base('27'), type: 'tool', callID: 'toolu_03', tool: 'bash', state: { status: 'running', input: { command: 'sleep 100' }, time: { start: 7 } } },
      ], { error: { name: 'MessageAbortedError', data: { message: 'Aborted' } }, finish: undefined }),
    ];
    const { trajectories, problems } = importText(exported(later), 'session.json');
    const t = trajectories[0]!;
    expect(t.messages.slice(6)).toEqual([
      { role: 'user', content: 'What did we do so far?' },
      { role: 'assistant', content: 'Summary: we listed the files.' },
      { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_03', type: 'function', function: { name: 'bash', arguments: '{"command":"sleep 100"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_03', content: '{"error": "Tool execution failed: [Tool execution was interrupted]"}' },
    ]);
    expect(problems).toEqual(['session.json: messages[5]: the model call ended with APIError; OpenCode does not send it to the model again, and it is left out']);
    expect(t.callStats).toHaveLength(5);
    expect(t.callStats!.slice(3)).toEqual([null, null]);
  });

  it('ends the session with the error of its last model call, and names the picture a tool read after its output', () => {
    const read = { ...base('30'), type: 'tool', callID: 'toolu_04', tool: 'read', state: { status: 'completed', input: { filePath: '/w/shot.png' }, output: 'Image read successfully', title: 'shot.png', metadata: {}, time: { start: 1, end: 2 }, attachments: [{ ...base('31'), type: 'file', mime: 'image/png', filename: 'shot.png', url: 'data:image/png;base64,iVBORw0KGgo=' }] } };
    const later = [
      ...listing,
      user('msg_3', [{ ...base('22'), type: 'text', text: 'Look at shot.png ✓' }]),
      assistant('msg_4', [{ ...base('23'), type: 'step-start' }, read, { ...base('24'), type: 'step-finish', reason: 'tool-calls', tokens: tokens(1, 1, 0, 0) }], { finish: 'tool-calls' }),
      assistant('msg_5', [{ ...base('25'), type: 'step-start' }], { error: { name: 'APIError', data: { message: 'Overloaded', statusCode: 529, isRetryable: true } }, finish: undefined }),
    ];
    const t = importText(exported(later), 'session.json').trajectories[0]!;
    expect(t.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'toolu_04', content: 'Image read successfully\n[image: image/png, 8 B]' });
    expect(t.stopReason).toBe('error: APIError: Overloaded');
  });

  it('reads the list of a session’s messages the server answers, and tells neither from other formats', () => {
    const list = JSON.stringify(listing);
    expect(detectFormat(list, 'messages.json')).toBe('opencode-session');
    expect(importText(list, 'messages.json').trajectories[0]!.id).toBe(session);
    expect(detectFormat(JSON.stringify({ info: { id: 'x' }, messages: [{ role: 'user', content: 'hi' }] }), 'r.json')).not.toBe('opencode-session');
  });

  it('refuses a session with nothing the model was sent, and names a message that does not fit', () => {
    expect(() => importText(exported([user('msg_1', [{ ...base('1'), type: 'text', text: 'x', ignored: true }])]), 'empty.json')).toThrow(/empty\.json \(looked like an OpenCode session.*\): the session holds no message OpenCode would send to the model/);
    const { problems } = importText(exported([...listing, { info: { role: 'assistant', sessionID: session }, parts: 'none' }]), 'bad.json');
    expect(problems).toEqual(['bad.json: messages[2].parts: Invalid input: expected array, received string; the message is left out']);
  });
});
