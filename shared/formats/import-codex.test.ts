import { describe, expect, it } from 'vitest';
import { detectFormat, FormatError, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Codex CLI session logs in the shapes real sessions take: the header of older versions without
// `instructions`, a `compacted` line, and an archived log of event lines only. The fixtures are
// written by hand after the structure of real `rollout-*.jsonl` files.

const jsonl = (lines: readonly unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const user = (text: string): unknown => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
const assistant = (text: string): unknown => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const at = (second: number): string => `2025-10-28T04:00:${String(second).padStart(2, '0')}.000Z`;
const item = (second: number, payload: unknown): unknown => ({ timestamp: at(second), type: 'response_item', payload });
const event = (second: number, payload: unknown): unknown => ({ timestamp: at(second), type: 'event_msg', payload });
const meta = { timestamp: at(0), type: 'session_meta', payload: { id: 'sess-7', cwd: '/w', cli_version: '0.77.0' } };

describe('the header of older Codex logs', () => {
  const id = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('takes an {id, timestamp} header without instructions, followed by bare items, for a session', () => {
    const text = jsonl([{ id, timestamp: '2025-05-07T17:24:21.000Z' }, user('Open the old session.'), assistant('It is open.')]);
    const { format, trajectories, problems } = importText(text, 'rollout-old.jsonl');
    expect(format).toBe('codex-session');
    expect(problems).toEqual([]);
    const [t] = trajectories;
    expect(t!.id).toBe(id);
    expect(t!.messages).toEqual([
      { role: 'user', content: 'Open the old session.' },
      { role: 'assistant', content: 'It is open.' },
    ]);
    expect(deriveAgentResult(t!).result.turns_used).toBe(1);
  });

  it('takes the header with its git info and a state line after it', () => {
    const text = jsonl([{ id, timestamp: '2025-05-07T17:24:21Z', git: { branch: 'main' } }, { record_type: 'state' }, user('hi'), assistant('hello')]);
    expect(importText(text, 'rollout-old.jsonl').trajectories[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('does not take an {id, timestamp} line that is not a Codex header', () => {
    const rest = jsonl([{ role: 'user', content: 'x' }]);
    expect(detectFormat(JSON.stringify({ id: 'run-1', timestamp: '2025-05-07T17:24:21Z' }) + '\n' + rest, 'log.jsonl')).toBeNull();
    expect(detectFormat(JSON.stringify({ id, timestamp: 'yesterday' }) + '\n' + rest, 'log.jsonl')).toBeNull();
    expect(detectFormat(JSON.stringify({ id, timestamp: '2025-05-07T17:24:21Z', name: 'trace' }) + '\n' + rest, 'log.jsonl')).toBeNull();
  });
});

describe('a compacted line', () => {
  const before = [meta, item(1, user('Build the API')), item(2, assistant('Router added.'))];
  const after = [item(5, user('Now add auth')), item(6, assistant('Auth added.'))];

  it('is the summary as a user message where the context was compacted', () => {
    const summary = '**Progress**\n\n- Router done\n\n**Outstanding**\n\n- Auth';
    const text = jsonl([...before, { timestamp: at(4), type: 'compacted', payload: { message: summary } }, ...after]);
    const { trajectories, problems } = importText(text, 'rollout.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages).toEqual([
      { role: 'user', content: 'Build the API' },
      { role: 'assistant', content: 'Router added.' },
      { role: 'user', content: summary },
      { role: 'user', content: 'Now add auth' },
      { role: 'assistant', content: 'Auth added.' },
    ]);
  });

  it('keeps the summary and not the replacement history when both are recorded', () => {
    const payload = { message: 'the summary', replacement_history: [user('Build the API')] };
    const text = jsonl([...before, { timestamp: at(4), type: 'compacted', payload }, ...after]);
    expect(importText(text, 'rollout.jsonl').trajectories[0]!.messages[2]).toEqual({ role: 'user', content: 'the summary' });
  });

  it('without a summary text, holds the replacement history: messages as text, the encrypted compaction as recorded', () => {
    const compaction = { type: 'compaction', id: 'cmp_1', encrypted_content: 'gAAAA' };
    const text = jsonl([...before, { timestamp: at(4), type: 'compacted', payload: { message: '', replacement_history: [user('Build the API'), compaction] } }, ...after]);
    expect(importText(text, 'rollout.jsonl').trajectories[0]!.messages[2]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Build the API' }, compaction] });
  });

  it('that cannot be read, or records nothing of the compacted context, is reported, and the rest opens', () => {
    const lines = [...before, { timestamp: at(3), type: 'compacted', payload: { message: 42 } }, { timestamp: at(4), type: 'compacted', payload: { message: '', replacement_history: [] } }, ...after];
    const { trajectories, problems } = importText(jsonl(lines), 'rollout.jsonl');
    expect(problems).toEqual([expect.stringMatching(/^rollout\.jsonl:4: payload\.message: /), 'rollout.jsonl:5: payload: a compaction that records neither its summary (message) nor its replacement_history']);
    expect(trajectories[0]!.messages).toHaveLength(4);
  });
});

describe('a log of event lines only', () => {
  it('is read from its user and agent message events, and says so', () => {
    const text = jsonl([
      meta,
      event(1, { type: 'user_message', message: 'List the files.', images: null }),
      event(2, { type: 'agent_reasoning', text: 'Looking.' }),
      event(3, { type: 'agent_message', message: 'alpha.txt and beta.txt.' }),
      event(4, { type: 'task_complete', last_agent_message: 'alpha.txt and beta.txt.' }),
    ]);
    const { format, trajectories, problems } = importText(text, 'rollout-archived.jsonl');
    expect(format).toBe('codex-session');
    expect(trajectories[0]).toMatchObject({ id: 'sess-7', recorded: { finished_naturally: true } });
    expect(trajectories[0]!.messages).toEqual([
      { role: 'user', content: 'List the files.' },
      { role: 'assistant', content: 'alpha.txt and beta.txt.' },
    ]);
    expect(problems).toEqual(['rollout-archived.jsonl: no response items; the conversation is read from the user_message and agent_message events, without tool calls or reasoning']);
  });

  it('keeps the images of a user message as image parts', () => {
    const text = jsonl([meta, event(1, { type: 'user_message', message: 'What is this?', images: ['data:image/png;base64,iVBORw0K'] })]);
    expect(importText(text, 'rollout.jsonl').trajectories[0]!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } }] },
    ]);
  });

  it('does not repeat the event messages of a log that has response items', () => {
    const text = jsonl([meta, event(1, { type: 'user_message', message: 'hi' }), item(1, user('hi')), item(2, assistant('hello')), event(2, { type: 'agent_message', message: 'hello' })]);
    const { trajectories, problems } = importText(text, 'rollout.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.map((m) => m.content)).toEqual(['hi', 'hello']);
  });

  it('with no message at all is refused by name', () => {
    const text = jsonl([meta, { timestamp: at(1), type: 'turn_context', payload: { model: 'gpt-5' } }, event(2, { type: 'token_count', info: null })]);
    expect(() => importText(text, 'rollout-empty.jsonl')).toThrow(FormatError);
    expect(() => importText(text, 'rollout-empty.jsonl')).toThrow(/^rollout-empty\.jsonl \(looked like a Codex CLI session log.*\): no line holds a message/);
  });
});

describe('token usage', () => {
  const usage = (input: number, cached: number, output: number, reasoning: number) => ({ input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: input + output });
  const count = (second: number, last: unknown, total: unknown = last) => event(second, { type: 'token_count', info: { total_token_usage: total, last_token_usage: last, model_context_window: 258400 }, rate_limits: { primary: { used_percent: 3 } } });
  const call = (id: string) => ({ type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: id });
  const output = (id: string) => ({ type: 'function_call_output', call_id: id, output: 'a.txt' });

  it('reads each model call’s usage from the token_count event after its response, in the OpenAI names', () => {
    const text = jsonl([
      meta,
      item(1, user('List the files')),
      item(2, call('c1')),
      count(3, usage(2840, 2688, 15, 0)),
      // A repeated count of the same response (Codex writes one with the rate limits) is not a second call.
      count(3, usage(2840, 2688, 15, 0)),
      item(4, output('c1')),
      // A count with only rate limits counts nothing.
      event(4, { type: 'token_count', info: null, rate_limits: {} }),
      item(5, { type: 'reasoning', summary: [{ type: 'summary_text', text: 'One file.' }] }),
      item(5, assistant('There is a.txt.')),
      count(6, usage(2900, 2816, 40, 24), usage(5740, 5504, 55, 24)),
    ]);
    const [t] = importText(text, 'rollout.jsonl').trajectories;
    expect(t!.messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
    expect(t!.callStats).toEqual([
      { usage: { prompt_tokens: 2840, completion_tokens: 15, total_tokens: 2855, prompt_tokens_details: { cached_tokens: 2688 }, completion_tokens_details: { reasoning_tokens: 0 } } },
      { usage: { prompt_tokens: 2900, completion_tokens: 40, total_tokens: 2940, prompt_tokens_details: { cached_tokens: 2816 }, completion_tokens_details: { reasoning_tokens: 24 } } },
    ]);
  });

  it('leaves a turn without a count as not recorded, and records none for a log without counts', () => {
    const text = jsonl([meta, item(1, user('a')), item(2, call('c1')), item(3, output('c1')), item(4, assistant('done')), count(5, usage(100, 0, 5, 0))]);
    expect(importText(text, 'rollout.jsonl').trajectories[0]!.callStats).toEqual([null, { usage: { prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } }]);
    expect(importText(jsonl([meta, item(1, user('a')), item(2, assistant('b'))]), 'rollout.jsonl').trajectories[0]).not.toHaveProperty('callStats');
  });
});

describe('what newer Codex logs record about a session', () => {
  it('leaves out the turns a rollback dropped, and keeps them as a branch at the turn they share', () => {
    const text = jsonl([
      meta,
      item(1, user('List the files.')),
      event(1, { type: 'user_message', message: 'List the files.', images: [] }),
      item(2, assistant('a.txt')),
      event(3, { type: 'task_complete', last_agent_message: 'a.txt' }),
      item(4, user('Delete a.txt.')),
      event(4, { type: 'user_message', message: 'Delete a.txt.', images: [] }),
      item(5, { type: 'function_call', name: 'shell', arguments: '{"command":["rm","a.txt"]}', call_id: 'call_1' }),
      item(6, { type: 'function_call_output', call_id: 'call_1', output: '' }),
      item(7, assistant('Deleted.')),
      event(8, { type: 'thread_rolled_back', num_turns: 1 }),
      item(9, user('Thanks, that is all.')),
      event(9, { type: 'user_message', message: 'Thanks, that is all.', images: [] }),
      item(10, assistant('You are welcome.')),
    ]);
    const { trajectories, problems } = importText(text, 'rollout.jsonl');
    expect(problems).toEqual([]);
    const [session, branch] = trajectories;
    expect(session!.messages.map((m) => m.content)).toEqual(['List the files.', 'a.txt', 'Thanks, that is all.', 'You are welcome.']);
    expect(branch).toMatchObject({ id: 'sess-7/branch 1', branch: { parentId: 'sess-7', forkTurn: 1, change: 'abandoned: the session was rolled back to turn 1' } });
    expect(branch!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
  });

  it('ends the session with an error event after its last response item', () => {
    const text = jsonl([meta, item(1, user('Refactor it.')), item(2, assistant('Starting.')), event(3, { type: 'error', message: 'stream disconnected before completion: Transport error' })]);
    const [t] = importText(text, 'rollout.jsonl').trajectories;
    expect(t).toMatchObject({ stopReason: 'error: stream disconnected before completion: Transport error', recorded: { finished_naturally: false } });
  });

  it('names an image a tool returned among its output texts instead of writing out its data URL', () => {
    const output = [{ type: 'input_text', text: 'attached ✓' }, { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=' }];
    const text = jsonl([meta, item(1, user('Look at shot.png.')), item(2, { type: 'function_call', name: 'view_image', arguments: '{"path":"shot.png"}', call_id: 'call_1' }), item(3, { type: 'function_call_output', call_id: 'call_1', output })]);
    const [t] = importText(text, 'rollout.jsonl').trajectories;
    expect(t!.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'attached ✓\n[image: image/png, 8 B]' });
  });
});
