import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat.js';
import { importGeminiCliSession, importGeminiCliSessionJsonl, isGeminiCliSession, isGeminiCliSessionLine } from './import-gemini-cli.js';
import { raisedToolContent } from './import-common.js';
import { importText } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';

// Gemini CLI sessions written by hand in the shape its ChatRecordingService writes them: a
// ConversationRecord document, or the JSONL log of a header, message records, `$set` and
// `$rewindTo` lines.

const HEADER = { sessionId: 'sess-1', projectHash: 'f00d', startTime: '2026-01-05T10:00:00.000Z', lastUpdated: '2026-01-05T10:05:00.000Z' };
let second = 0;

/** A message record: an id, a timestamp, its type and content, then its own fields. */
function record(id: string, type: string, content: unknown, more: Record<string, unknown> = {}): Record<string, unknown> {
  second += 1;
  return { id, timestamp: new Date(Date.UTC(2026, 0, 5, 10, 0, second)).toISOString(), type, content, ...more };
}
const user = (id: string, text: string): Record<string, unknown> => record(id, 'user', [{ text }]);
const gemini = (id: string, text: string, more: Record<string, unknown> = {}): Record<string, unknown> => record(id, 'gemini', text, { model: 'gemini-2.5-pro', tokens: { input: 10, output: 5, cached: 0, thoughts: 2, tool: 0, total: 17 }, ...more });
const response = (id: string, name: string, body: Record<string, unknown>): Array<Record<string, unknown>> => [{ functionResponse: { id, name, response: body } }];
/** A recorded tool call, its result the functionResponse Gemini CLI sends back. */
function toolCall(id: string, name: string, args: Record<string, unknown>, status: string, body?: Record<string, unknown>): Record<string, unknown> {
  return { id, name, args, status, timestamp: '2026-01-05T10:00:30.000Z', displayName: name, description: '', ...(body ? { result: response(id, name, body) } : {}) };
}

const session = (messages: unknown[], more: Record<string, unknown> = {}): Record<string, unknown> => ({ ...HEADER, messages, kind: 'main', ...more });
function one(doc: unknown): Trajectory {
  const [t, ...rest] = importGeminiCliSession(doc, 'session-x');
  expect(rest).toEqual([]);
  return t!;
}
const jsonl = (lines: unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n');

/** A message in a few words: its role, then its text, tool calls or the call it answers. */
function said(m: ChatMessage): string {
  if (m.role === 'tool') return `tool ${String(m.tool_call_id)}${m.is_error ? ' (raised)' : ''}`;
  const calls = (m.tool_calls ?? []).map((c) => ` ${String(c.id)}`).join('');
  return `${m.role} ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}${calls}`;
}

describe('Gemini CLI session documents', () => {
  it('is told by sessionId and projectHash beside messages, and its JSONL header by the same without them', () => {
    expect(isGeminiCliSession(session([]))).toBe(true);
    expect(isGeminiCliSession({ sessionId: 's', messages: [] })).toBe(false);
    expect(isGeminiCliSession({ ...HEADER, messages: {} })).toBe(false);
    expect(isGeminiCliSession(HEADER)).toBe(false);
    expect(isGeminiCliSessionLine(HEADER)).toBe(true);
    expect(isGeminiCliSessionLine({ ...HEADER, kind: 'subagent', directories: ['/w'] })).toBe(true);
    // A message line carries the session id too, but it is not the header.
    expect(isGeminiCliSessionLine({ ...user('m1', 'hi'), sessionId: 's', projectHash: 'p' })).toBe(false);
    expect(isGeminiCliSessionLine(session([]))).toBe(false);
  });

  it('is opened as what it is, not as an AgentResult or messages JSONL, in either layout and on one line', () => {
    const doc = session([user('m1', 'hi'), gemini('m2', 'Hello.')]);
    expect(importText(JSON.stringify(doc, null, 2), 'session-2026-01-05T10-00-f00d.json').format).toBe('gemini-cli-session');
    expect(importText(JSON.stringify(doc), 'session-2026-01-05T10-00-f00d.json').format).toBe('gemini-cli-session');
    const log = importText(`${jsonl([HEADER, user('m1', 'hi'), gemini('m2', 'Hello.')])}\n`, 'session-2026-01-05T10-00-f00d.jsonl');
    expect(log.format).toBe('gemini-cli-session-jsonl');
    expect(log.trajectories[0]!.messages.map(said)).toEqual(['user hi', 'assistant Hello.']);
  });

  it('reads user and gemini messages: Part[] text joined, thoughts as reasoning, the model named', () => {
    const t = one(session([
      user('u1', 'Say hi.'),
      gemini('g1', 'Hi!', { thoughts: [{ subject: 'Greeting', description: 'A short hello is enough.', timestamp: '2026-01-05T10:00:02.000Z' }, { subject: '', description: 'No tools needed.', timestamp: '2026-01-05T10:00:03.000Z' }] }),
      record('u2', 'user', ['Read ', { text: 'this.' }]),
      gemini('g2', ''),
    ]));
    expect(t).toMatchObject({ id: 'sess-1', model: 'gemini-2.5-pro', reward: null, recorded: {}, source: { format: 'gemini-cli-session', index: 0 } });
    expect(t.messages).toEqual([
      { role: 'user', content: 'Say hi.' },
      { role: 'assistant', content: 'Hi!', reasoning_content: '**Greeting**\n\nA short hello is enough.\n\nNo tools needed.' },
      { role: 'user', content: 'Read this.' },
      { role: 'assistant', content: '' },
    ]);
    expect(t.problems).toBeUndefined();
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, finished_naturally: true });
    // Each reply's tokens are its turn's usage: the thoughts count in the completion, shown apart.
    const usage = { prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, completion_tokens_details: { reasoning_tokens: 2 } };
    expect(t.callStats).toEqual([{ usage }, { usage }]);
  });

  it('answers each tool call with its functionResponse output, in call order (parallel calls)', () => {
    const t = one(session([
      user('u1', 'Read both files.'),
      gemini('g1', 'Reading them.', { toolCalls: [
        toolCall('read_file-1', 'read_file', { file_path: 'a.txt' }, 'success', { output: 'A' }),
        toolCall('read_file-2', 'read_file', { file_path: 'b.txt' }, 'success', { output: 'B' }),
      ] }),
      gemini('g2', 'A and B.'),
    ]));
    expect(t.messages).toEqual([
      { role: 'user', content: 'Read both files.' },
      { role: 'assistant', content: 'Reading them.', tool_calls: [
        { id: 'read_file-1', type: 'function', function: { name: 'read_file', arguments: '{"file_path":"a.txt"}' } },
        { id: 'read_file-2', type: 'function', function: { name: 'read_file', arguments: '{"file_path":"b.txt"}' } },
      ] },
      { role: 'tool', tool_call_id: 'read_file-1', content: 'A' },
      { role: 'tool', tool_call_id: 'read_file-2', content: 'B' },
      { role: 'assistant', content: 'A and B.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_executed_ok: 2, tool_calls_exec_error: 0 });
  });

  it('records a failed call and a cancelled one as tools that raised', () => {
    const t = one(session([
      user('u1', 'Fix the port.'),
      gemini('g1', '', { toolCalls: [
        toolCall('replace-1', 'replace', { file_path: 'c.json' }, 'error', { error: 'Failed to edit, 0 occurrences found' }),
        toolCall('shell-1', 'run_shell_command', { command: 'rm -rf build' }, 'cancelled', { error: '[Operation Cancelled] Reason: User denied execution.' }),
        // A failed call with no result keeps the error text the file holds beside it.
        { ...toolCall('shell-2', 'run_shell_command', { command: 'make' }, 'error'), resultDisplay: 'Command not allowed.' },
      ] }),
    ]));
    expect(t.messages.map(said)).toEqual(['user Fix the port.', 'assistant null replace-1 shell-1 shell-2', 'tool replace-1 (raised)', 'tool shell-1 (raised)', 'tool shell-2 (raised)']);
    expect(t.messages[2]!.content).toBe(raisedToolContent('Failed to edit, 0 occurrences found'));
    expect(t.messages[3]!.content).toBe(raisedToolContent('[Operation Cancelled] Reason: User denied execution.'));
    expect(t.messages[4]!.content).toBe(raisedToolContent('Command not allowed.'));
    const { result } = deriveAgentResult(t);
    expect(result).toMatchObject({ tool_calls_attempted: 3, tool_calls_exec_error: 3, tool_calls_executed_ok: 0 });
    expect(result.tool_errors.map((e) => e.tool_name)).toEqual(['replace', 'run_shell_command', 'run_shell_command']);
  });

  it('leaves a call still running unanswered, and keeps result parts beside the functionResponse', () => {
    const t = one(session([
      user('u1', 'Show the logo.'),
      gemini('g1', '', { toolCalls: [
        { ...toolCall('read-1', 'read_file', { file_path: 'logo.png' }, 'success'), result: [{ functionResponse: { id: 'read-1', name: 'read_file', response: { output: 'Binary content provided.' } } }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
        toolCall('shell-1', 'run_shell_command', { command: 'sleep 100' }, 'executing'),
      ] }),
    ]));
    expect(t.messages.map(said)).toEqual(['user Show the logo.', 'assistant null read-1 shell-1', 'tool read-1']);
    expect(t.messages[2]!.content).toBe('Binary content provided.\n[image: image/png, 8 B]');
  });

  it('names the images a function response carries in its own parts, with its call and in a user record', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const shot = (id: string): Record<string, unknown> => ({ functionResponse: { id, name: 'screenshot', response: { output: 'taken' }, parts: [{ inlineData: { mimeType: 'image/png', data: png } }] } });
    const t = one(session([
      user('u1', 'Take two screenshots.'),
      gemini('g1', '', { toolCalls: [{ ...toolCall('shot-1', 'screenshot', {}, 'success'), result: [shot('shot-1')] }] }),
      record('g2', 'gemini', [{ functionCall: { id: 'shot-2', name: 'screenshot', args: {} } }]),
      record('u2', 'user', [shot('shot-2')]),
    ]));
    expect(t.messages.map(said)).toEqual(['user Take two screenshots.', 'assistant null shot-1', 'tool shot-1', 'assistant null shot-2', 'tool shot-2']);
    expect(t.messages[2]!.content).toBe('taken\n[image: image/png, 70 B]');
    expect(t.messages[4]!.content).toBe('taken\n[image: image/png, 70 B]');
  });

  it('reads calls and results in content parts (turns synced from the history), each id once', () => {
    const t = one(session([
      user('u1', 'List files.'),
      record('g1', 'gemini', [{ text: 'Thinking aloud.', thought: true }, { text: 'Listing.' }, { functionCall: { id: 'ls-1', name: 'list_directory', args: { dir_path: '.' } } }]),
      record('u2', 'user', response('ls-1', 'list_directory', { output: 'a.py' })),
      gemini('g2', 'Only a.py.', { toolCalls: [toolCall('ls-2', 'list_directory', { dir_path: 'src' }, 'success', { output: 'b.py' })] }),
      // The history's copy of a result already recorded with its call.
      record('u3', 'user', response('ls-2', 'list_directory', { output: 'b.py' })),
      record('u4', 'user', [{ text: 'Look: ' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }]),
    ]));
    expect(t.messages).toEqual([
      { role: 'user', content: 'List files.' },
      { role: 'assistant', content: 'Listing.', reasoning_content: 'Thinking aloud.', tool_calls: [{ id: 'ls-1', type: 'function', function: { name: 'list_directory', arguments: '{"dir_path":"."}' } }] },
      { role: 'tool', tool_call_id: 'ls-1', content: 'a.py' },
      { role: 'assistant', content: 'Only a.py.', tool_calls: [{ id: 'ls-2', type: 'function', function: { name: 'list_directory', arguments: '{"dir_path":"src"}' } }] },
      { role: 'tool', tool_call_id: 'ls-2', content: 'b.py' },
      { role: 'user', content: [{ type: 'text', text: 'Look: ' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
    ]);
  });

  it('leaves notices out of the messages, lists them as problems, and takes a last error as the stop reason', () => {
    const t = one(session([
      user('u1', 'Go.'),
      record('i1', 'info', 'Switched to fallback model gemini-2.5-flash'),
      gemini('g1', 'Going.', { model: 'gemini-2.5-flash' }),
      record('w1', 'warning', 'Approaching the context limit.'),
      user('u2', 'Again.'),
      record('e1', 'error', '[API Error: quota exceeded]\nRetry later.'),
    ]));
    expect(t.messages.map(said)).toEqual(['user Go.', 'assistant Going.', 'user Again.']);
    expect(t.model).toBe('gemini-2.5-flash');
    expect(t.stopReason).toBe('error: [API Error: quota exceeded]');
    expect(t.problems).toEqual([
      'messages[1]: an info notice shown to the user, not to the model, is left out: "Switched to fallback model gemini-2.5-flash"',
      'messages[3]: a warning notice shown to the user, not to the model, is left out: "Approaching the context limit."',
      'messages[5]: an error notice shown to the user, not to the model, is left out: "[API Error: quota exceeded]\\nRetry later."',
    ]);
    // An error the session went on after is no stop reason.
    expect(one(session([user('u1', 'Go.'), record('e1', 'error', 'boom'), gemini('g1', 'Done.')])).stopReason).toBeUndefined();
  });

  it('keeps a model that differs from the first on its message', () => {
    const t = one(session([user('u1', 'a'), gemini('g1', 'b'), user('u2', 'c'), gemini('g2', 'd', { model: 'gemini-2.5-flash' })]));
    expect(t.model).toBe('gemini-2.5-pro');
    expect(t.messages[1]!.model).toBeUndefined();
    expect(t.messages[3]!.model).toBe('gemini-2.5-flash');
  });

  it('leaves out a message that does not fit, naming its field, and refuses a document without messages', () => {
    const t = one(session([user('u1', 'Go.'), { id: 'x', content: 'no type' }, record('z1', 'summary', 'odd'), gemini('g1', 'Done.', { toolCalls: [{ id: 'c1', args: {} }] }), gemini('g2', 'Fine.')]));
    expect(t.messages.map(said)).toEqual(['user Go.', 'assistant Fine.']);
    expect(t.problems).toEqual([
      'messages[1].type: Invalid input: expected string, received undefined; the message is left out',
      'messages[3].toolCalls[0].name: Invalid input: expected string, received undefined; the message is left out',
      "messages[2].type: 'summary' is not a message type Gemini CLI writes (user, gemini, info, warning, error); the message is left out",
    ]);
    expect(() => importGeminiCliSession({ ...HEADER, messages: 'none' }, 'x')).toThrow(/^messages: /);
  });
});

describe('Gemini CLI JSONL sessions', () => {
  it('reads the header, then each message line, a rewritten message replacing its first line where it stands', () => {
    const { trajectories, problems } = importGeminiCliSessionJsonl(jsonl([
      HEADER,
      user('u1', 'Read a.txt.'),
      { $set: { lastUpdated: '2026-01-05T10:00:02.000Z' } },
      gemini('g1', 'Reading.'),
      // Gemini CLI writes the message again with its tool calls, then its tokens.
      gemini('g1', 'Reading.', { toolCalls: [toolCall('read-1', 'read_file', { file_path: 'a.txt' }, 'success', { output: 'A' })] }),
      gemini('g2', 'It says A.'),
      { $set: { lastUpdated: '2026-01-05T10:00:09.000Z', summary: 'Read a file' } },
    ]), 'session-2026-01-05T10-00-sess-1.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(1);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'sess-1', model: 'gemini-2.5-pro', source: { format: 'gemini-cli-session-jsonl', index: 0 } });
    expect(t.messages.map(said)).toEqual(['user Read a.txt.', 'assistant Reading. read-1', 'tool read-1', 'assistant It says A.']);
  });

  it('drops what a rewind removes from the session, and keeps it as a branch', () => {
    const { trajectories, problems } = importGeminiCliSessionJsonl(jsonl([
      HEADER,
      user('u1', 'First.'),
      gemini('g1', 'One.'),
      user('u2', 'Second.'),
      gemini('g2', 'Two.'),
      { $rewindTo: 'u2' },
      user('u3', 'Second, edited.'),
      gemini('g3', 'Two, again.'),
    ]), 'session.jsonl');
    expect(problems).toEqual([]);
    const [main, branch] = trajectories;
    expect(main!.messages.map(said)).toEqual(['user First.', 'assistant One.', 'user Second, edited.', 'assistant Two, again.']);
    expect(branch!.id).toBe('sess-1/branch 1');
    expect(branch!.messages.map(said)).toEqual(['user First.', 'assistant One.', 'user Second.', 'assistant Two.']);
    expect(branch!.branch).toEqual({ parentId: 'sess-1', forkTurn: 1, change: 'abandoned: the session was rewound to turn 1' });
    expect(branch!.source).toEqual({ format: 'gemini-cli-session-jsonl', index: 1 });
    // A rewind to an id the file does not hold clears the conversation, as Gemini CLI does.
    const cleared = importGeminiCliSessionJsonl(jsonl([HEADER, user('u1', 'a'), gemini('g1', 'b'), { $rewindTo: 'gone' }, user('u2', 'c')]), 'session.jsonl');
    expect(cleared.trajectories[0]!.messages.map(said)).toEqual(['user c']);
    expect(cleared.trajectories[1]!.branch).toMatchObject({ forkTurn: 0, change: 'abandoned: the session was rewound to its start' });
  });

  it('takes a $set of messages as the whole conversation so far, and the lines after it on top', () => {
    const { trajectories, problems } = importGeminiCliSessionJsonl(jsonl([
      HEADER,
      user('u1', 'Long prompt.'),
      gemini('g1', 'Long answer.'),
      { $set: { messages: [record('s1', 'user', [{ text: 'Summary of the conversation.' }]), gemini('g1', 'Long answer.')], lastUpdated: '2026-01-05T10:01:00.000Z' } },
      user('u2', 'Next.'),
      gemini('g2', 'Done.'),
      { $set: { messages: [] } },
    ]), 'session.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.map(said)).toEqual(['user Summary of the conversation.', 'assistant Long answer.', 'user Next.', 'assistant Done.']);
  });

  it('reports a line it cannot read, and its notices, by file and line', () => {
    const { trajectories, problems } = importGeminiCliSessionJsonl([
      JSON.stringify(HEADER),
      JSON.stringify(user('u1', 'Go.')),
      '{"id": "g1", "type": ',
      JSON.stringify({ id: 'g2', type: 'gemini', content: 'x', toolCalls: 'none' }),
      JSON.stringify({ note: 'what is this' }),
      JSON.stringify(record('i1', 'info', 'Request cancelled.')),
      JSON.stringify(gemini('g3', 'Done.')),
    ].join('\n'), 'session.jsonl');
    expect(trajectories[0]!.messages.map(said)).toEqual(['user Go.', 'assistant Done.']);
    expect(problems).toEqual([
      expect.stringMatching(/^session\.jsonl:3: not valid JSON at column \d+: /),
      'session.jsonl:4: toolCalls: Invalid input: expected array, received string',
      'session.jsonl:5: not a message (no string id), a $set or $rewindTo record, or the session header; the line is left out',
      'session.jsonl:6: an info notice shown to the user, not to the model, is left out: "Request cancelled."',
    ]);
    expect(() => importGeminiCliSessionJsonl('{"broken', 'session.jsonl')).toThrow(/^no line could be read; first: session\.jsonl:1: /);
  });

  it('names the trajectory after the file when no line names the session', () => {
    const { trajectories } = importGeminiCliSessionJsonl(jsonl([user('u1', 'a'), gemini('g1', 'b')]), 'chats/session-2026-01-05.jsonl');
    expect(trajectories[0]!.id).toBe('session-2026-01-05');
  });
});
