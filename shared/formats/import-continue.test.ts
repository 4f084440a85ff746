import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Continue sessions (`~/.continue/sessions/SESSION_ID.json`), written after Continue's `Session`
// and `ChatHistoryItem` types (core/index.d.ts): an agent-mode session with an attached file, a
// thinking message, a call, its result, a call that errored; and an older one whose result is only
// in the call's state.

const call = (id: string, name: string, args: string) => ({ id, type: 'function', function: { name, arguments: args } });
const state = (toolCallId: string, status: string, output?: unknown[]) => ({ toolCallId, toolCall: call(toolCallId, 'read_file', '{}'), status, parsedArgs: {}, ...(output ? { output } : {}) });

const session = {
  sessionId: '0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e',
  title: 'Summarize the README',
  workspaceDirectory: 'file:///home/u/proj',
  history: [
    {
      message: { role: 'user', content: [{ type: 'text', text: 'Summarize this, and notes.md.' }, { type: 'imageUrl', imageUrl: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      contextItems: [{ content: '```README.md\n# Project\nA tool.\n```', name: 'README.md', description: 'README.md', id: { providerTitle: 'file', itemId: 'r1' } }],
    },
    { message: { role: 'thinking', content: 'Read notes.md first.' }, contextItems: [] },
    {
      message: { role: 'assistant', content: '', toolCalls: [call('call_1', 'read_file', '{"filepath":"notes.md"}')] },
      contextItems: [],
      toolCallState: state('call_1', 'errored'),
      promptLogs: [{ modelTitle: 'GPT-4.1', completionOptions: { model: 'gpt-4.1', maxTokens: 4096 }, prompt: '...', completion: '' }],
    },
    { message: { role: 'tool', content: 'File notes.md does not exist', toolCallId: 'call_1' }, contextItems: [] },
    { message: { role: 'assistant', content: 'The README says it is a tool; notes.md does not exist.' }, contextItems: [] },
  ],
};

describe('Continue sessions', () => {
  it('reads a session: attached files before the text, thinking as reasoning, calls and results, an errored call as a tool that raised', () => {
    const text = JSON.stringify(session, null, 2);
    expect(detectFormat(text)).toBe('continue-session');
    const { trajectories, problems } = importText(text, `${session.sessionId}.json`);
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: session.sessionId, model: 'gpt-4.1' });
    expect(t.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: '```README.md\n# Project\nA tool.\n```' },
          { type: 'text', text: 'Summarize this, and notes.md.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
      { role: 'assistant', content: '', reasoning_content: 'Read notes.md first.', tool_calls: [call('call_1', 'read_file', '{"filepath":"notes.md"}')] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"error": "Tool execution failed: File notes.md does not exist"}' },
      { role: 'assistant', content: 'The README says it is a tool; notes.md does not exist.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads an older session whose call result is only in the call\'s state', () => {
    const older = {
      sessionId: 's-old',
      title: 'Old',
      workspaceDirectory: '',
      history: [
        { message: { role: 'user', content: 'Read notes.md' }, contextItems: [] },
        { message: { role: 'assistant', content: '', toolCalls: [call('c1', 'read_file', '{"filepath":"notes.md"}')] }, contextItems: [], toolCallState: state('c1', 'done', [{ content: 'remember the milk', name: 'notes.md', description: 'notes.md' }]) },
        { message: { role: 'assistant', content: 'It says: remember the milk.' }, contextItems: [] },
      ],
    };
    const t = importText(JSON.stringify(older), 's-old.json').trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Read notes.md'], ['assistant', ''], ['tool', 'remember the milk'], ['assistant', 'It says: remember the milk.']]);
    expect(t.messages[2]!.tool_call_id).toBe('c1');
  });

  it('is not taken for a SWE-agent trajectory, which also keeps a history', () => {
    expect(detectFormat(JSON.stringify({ history: [{ role: 'user', content: 'x' }], info: {} }))).toBe('swe-agent-traj');
  });
});
