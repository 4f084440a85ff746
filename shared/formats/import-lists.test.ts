import { describe, expect, it } from 'vitest';
import { detectFormat, detectRecord, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Message lists of other APIs where a list of OpenAI chat messages is expected: Anthropic Messages
// (Cline and Roo task histories, raw API dumps), OpenAI Responses items (the Agents SDK's
// `to_input_list()`), and SWE dataset rows that store their list, tools or reward their own way.

const anthropicList = [
  { role: 'user', content: [{ type: 'text', text: 'Read the README.' }] },
  {
    role: 'assistant',
    modelInfo: { id: 'claude-sonnet-4-6' },
    content: [
      { type: 'thinking', thinking: 'Read it first.' },
      { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'README.md' } },
      { type: 'tool_use', id: 't2', name: 'read_file', input: { path: 'MISSING.md' } },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 't1', content: '# Project', is_error: false },
      { type: 'tool_result', tool_use_id: 't2', content: [{ type: 'text', text: 'no such file' }], is_error: true },
    ],
  },
  { role: 'assistant', content: [{ type: 'text', text: 'It is a project.' }] },
];

describe('lists of Anthropic Messages messages', () => {
  it('reads a bare list with tool_use and tool_result blocks as tool calls and results', () => {
    const { format, trajectories, problems } = importText(JSON.stringify(anthropicList), 'api_conversation_history.json');
    expect(format).toBe('chat-messages');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.model).toBe('claude-sonnet-4-6');
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(t.messages[1]).toMatchObject({ reasoning_content: 'Read it first.', tool_calls: [{ id: 't1', function: { name: 'read_file', arguments: '{"path":"README.md"}' } }, { id: 't2' }] });
    expect(t.messages[3]).toMatchObject({ tool_call_id: 't2', is_error: true });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads a {sessionId, messages} document as one, named by its session', () => {
    const { format, trajectories } = importText(JSON.stringify({ version: 1, sessionId: 's-1', messages: anthropicList }), 's-1.messages.json');
    expect(format).toBe('agent-result');
    expect(trajectories[0]).toMatchObject({ id: 's-1', model: 'claude-sonnet-4-6' });
    expect(deriveAgentResult(trajectories[0]!).result.tool_calls_attempted).toBe(2);
  });

  it('reads a messages JSONL line with Anthropic blocks the same way', () => {
    const line = JSON.stringify({ messages: anthropicList, reward: 1 });
    const { trajectories } = importText(`${line}\n${line}\n`, 'dump.jsonl');
    expect(trajectories).toHaveLength(2);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
  });

  it('names the message that does not fit', () => {
    const broken = [anthropicList[0], { role: 'assistant', content: [{ type: 'tool_use', id: 't1', input: {} }] }];
    expect(() => importText(JSON.stringify(broken), 'h.json')).toThrow('h.json (looked like a JSON list of chat messages): [1].content[0].name: expected a string');
  });

  it('keeps OpenAI content parts (text, image_url) as they are', () => {
    const parts = [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }];
    const { trajectories } = importText(JSON.stringify([{ role: 'user', content: parts }, { role: 'assistant', content: 'A dot.' }]), 'chat.json');
    expect(trajectories[0]!.messages).toEqual([{ role: 'user', content: parts }, { role: 'assistant', content: 'A dot.' }]);
  });
});

describe('bare lists of OpenAI Responses items', () => {
  const items = [
    { role: 'user', content: 'Weather in Paris?' },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Look it up.' }] },
    { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
    { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Sunny.', annotations: [] }] },
  ];

  it('reads function calls, their outputs and reasoning', () => {
    const { format, trajectories, problems } = importText(JSON.stringify(items), 'input_list.json');
    expect(format).toBe('chat-messages');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: '', reasoning_content: 'Look it up.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      { role: 'assistant', content: 'Sunny.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 1, tool_calls_executed_ok: 1, finished_naturally: true });
  });

  it('does not take a computer call (which has an action) for an OpenHands event', () => {
    const computer = [{ role: 'user', content: 'Click it.' }, { type: 'computer_call', call_id: 'c1', action: { type: 'click', x: 1, y: 2 } }, { type: 'computer_call_output', call_id: 'c1', output: 'clicked' }];
    expect(detectFormat(JSON.stringify(computer))).toBe('chat-messages');
    expect(importText(JSON.stringify(computer), 'c.json').trajectories[0]!.messages[1]!.tool_calls).toMatchObject([{ id: 'c1', function: { name: 'computer' } }]);
  });
});

describe('SWE trajectory dataset rows', () => {
  const messages = [
    { role: 'user', content: 'Fix foo().' },
    { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'a.py' },
    { role: 'assistant', content: 'Done.' },
  ];
  const bash = { type: 'function', function: { name: 'bash', parameters: { type: 'object' } } };
  const rows = (...lines: object[]): string => lines.map((l) => JSON.stringify(l)).join('\n');

  it('reads messages stored as the JSON text of the list', () => {
    const { format, trajectories, problems } = importText(rows({ messages: JSON.stringify(messages), resolved: true }, { messages: JSON.stringify(messages), resolved: false }), 'swe-smith.jsonl');
    expect(format).toBe('messages-jsonl');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.messages.length, t.reward])).toEqual([[4, 1], [4, 0]]);
  });

  it('names the field when that text is not JSON', () => {
    const { problems } = importText(rows({ messages }, { messages: '[{"role": ' }), 'rows.jsonl');
    expect(problems).toEqual(['rows.jsonl:2: messages: not valid JSON at line 1, column 11: Unexpected end of JSON input in the JSON text of the message list']);
  });

  it('reads tools given as a list of JSON texts, and names one that is not JSON', () => {
    const { trajectories, problems } = importText(rows({ messages, tools: [JSON.stringify(bash), '{"type": '], resolved: 1 }, { messages }), 'open-swe.jsonl');
    expect(trajectories[0]!.tools).toEqual([bash]);
    expect(problems).toEqual(['open-swe.jsonl:1: tools[1]: not valid JSON at line 1, column 10: Unexpected end of JSON input; the tool schema is left out']);
  });

  it('takes resolved as the reward only when there is no reward or score, and -1 as none', () => {
    const { trajectories } = importText(rows({ messages, resolved: 1 }, { messages, resolved: 0 }, { messages, resolved: -1 }, { messages, resolved: true, reward: 0.5 }, { messages, resolved: false, score: 0.25 }), 'r.jsonl');
    expect(trajectories.map((t) => t.reward)).toEqual([1, 0, null, 0.5, 0.25]);
  });

  it('reads rows that keep their messages under trajectory, with exit_status as the stop reason', () => {
    const { format, trajectories } = importText(rows({ instance_id: 'a-1', trajectory: messages, tools: [bash], exit_status: 'submit', resolved: 0 }, { instance_id: 'a-2', trajectory: messages, resolved: 1 }), 'rebench.jsonl');
    expect(format).toBe('messages-jsonl');
    expect(trajectories.map((t) => [t.messages.length, t.reward, t.stopReason ?? null])).toEqual([[4, 0, 'submit'], [4, 1, null]]);
    expect(importText(JSON.stringify({ trajectory: messages, resolved: true }), 'row.json').format).toBe('messages-jsonl');
  });

  it('reads nebius SWE-agent-trajectories rows: ai as the assistant, the system prompt in system_prompt, target as resolved', () => {
    const trajectory = [
      { cutoff_date: '01.01.2023', mask: false, role: 'system', system_prompt: 'SETTING: a shell.', text: null },
      { cutoff_date: null, mask: false, role: 'user', system_prompt: null, text: 'Fix the issue.' },
      { cutoff_date: null, mask: true, role: 'ai', system_prompt: null, text: 'Look first.\n```\nls -F\n```' },
      { cutoff_date: null, mask: false, role: 'user', system_prompt: null, text: 'setup.py' },
    ];
    const { format, trajectories } = importText(rows({ instance_id: 'a__b-1', model_name: 'swe-agent-llama-70b', target: false, trajectory, exit_status: 'submitted' }, { instance_id: 'a__b-2', target: true, trajectory }), 'nebius.jsonl');
    expect(format).toBe('messages-jsonl');
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'SETTING: a shell.' },
      { role: 'user', content: 'Fix the issue.' },
      { role: 'assistant', content: 'Look first.\n```\nls -F\n```' },
      { role: 'user', content: 'setup.py' },
    ]);
    expect([t.model, t.reward, t.stopReason]).toEqual(['swe-agent-llama-70b', 0, 'submitted']);
    expect(trajectories[1]!.reward).toBe(1);
    // A `target` beside `messages` is not a verdict (an evaluation's expected answer, say).
    expect(importText(rows({ messages, target: true }), 'r.jsonl').trajectories[0]!.reward).toBeNull();
  });

  it('reads rows that keep their messages under conversation (LMSYS-Chat-1M, WildChat, OpenEnv dumps)', () => {
    const conversation = [{ role: 'user', content: 'Hi', turn_identifier: 1 }, { role: 'assistant', content: 'Hello!' }];
    const { format, trajectories } = importText(rows({ conversation_id: 'c1', model: 'vicuna-13b', conversation, turn: 1, language: 'English' }), 'lmsys.jsonl');
    expect(format).toBe('messages-jsonl');
    expect(trajectories[0]!.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Hi'], ['assistant', 'Hello!']]);
    expect(trajectories[0]!.model).toBe('vicuna-13b');
    expect(detectRecord({ conversation: 'text' }, 'line', false)).toBeNull();
    expect(detectRecord({ conversation: [{ from: 'human', value: 'hi' }] }, 'line', false)).toBeNull();
  });

  it('leaves SWE-agent .traj files and role-less trajectories to their own formats', () => {
    const steps = [{ action: 'ls', observation: 'a.py', response: 'ls', thought: '' }];
    const traj = { history: messages, trajectory: steps, info: { exit_status: 'submitted' } };
    expect(detectFormat(JSON.stringify(traj), 'x.traj')).toBe('swe-agent-traj');
    expect(detectRecord({ ...traj, exit_status: 'submitted' }, 'line', false)).not.toBe('messages-jsonl');
    expect(detectRecord({ trajectory: steps, exit_status: 'submitted' }, 'line', false)).toBeNull();
    // Without an exit status or a verdict, a `trajectory` key says too little.
    expect(detectRecord({ trajectory: messages }, 'line', false)).toBeNull();
  });
});

describe('OpenAI\'s legacy function calling', () => {
  const legacy = [
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city": "Oslo"}' }, tool_calls: null },
    { role: 'function', name: 'get_weather', content: '{"temp": 3}' },
    { role: 'assistant', content: 'It is 3 degrees.' },
  ];

  it('reads function_call as the tool call, a function message as its result, and functions as the tools', () => {
    const { trajectories } = importText(`${JSON.stringify({ messages: legacy, functions: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }] })}\n`, 'ft.jsonl');
    const t = trajectories[0]!;
    expect(t.messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] });
    expect(t.messages[2]).toEqual({ role: 'tool', name: 'get_weather', content: '{"temp": 3}', tool_call_id: 'call_1_0' });
    expect(t.tools!.map((tool) => tool.function.name)).toEqual(['get_weather']);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1, tool_calls_schema_valid: 1, tool_calls_executed_ok: 1 });
  });

  it('reads a bare list the same way, the result paired with its call in order', () => {
    const t = importText(JSON.stringify(legacy), 'chat.json').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 1, tool_calls_executed_ok: 1 });
  });
});

describe('JSON lists of JSONL records', () => {
  const call = { id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } };
  const rollout = (reward: number) => ({ messages: [{ role: 'user', content: 'List.' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'c1', content: 'a.py' }, { role: 'assistant', content: 'a.py' }], reward });

  it('reads a list of messages records, pretty-printed or on one line, as its JSONL would be', () => {
    const jsonl = importText(`${[rollout(1), rollout(0)].map((r) => JSON.stringify(r)).join('\n')}\n`, 'rollouts.jsonl');
    for (const text of [JSON.stringify([rollout(1), rollout(0)], null, 2), JSON.stringify([rollout(1), rollout(0)])]) {
      const listed = importText(text, 'rollouts.json');
      expect(listed.format).toBe('messages-jsonl');
      expect(listed.problems).toEqual([]);
      expect(listed.trajectories).toEqual(jsonl.trajectories);
    }
    expect(jsonl.trajectories.map((t) => [t.id, t.reward])).toEqual([['rollouts:1', 1], ['rollouts:2', 0]]);
  });

  it('reads a list of ShareGPT records (LLaMA-Factory data files, dataset samples) as ShareGPT lines', () => {
    const record = { id: 's1', conversations: [{ from: 'human', value: 'Hi' }, { from: 'gpt', value: 'Hello' }] };
    const { format, trajectories } = importText(JSON.stringify([record, record], null, 2), 'data.json');
    expect(format).toBe('hermes-sharegpt-jsonl');
    expect(trajectories).toHaveLength(2);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('leaves out a record that does not fit, named by its place in the list, and refuses a list where none does', () => {
    const { trajectories, problems } = importText(JSON.stringify([rollout(1), { messages: 'nothing' }]), 'rollouts.json');
    expect(trajectories).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rollouts\.json: \[1\]: messages/);
    expect(() => importText(JSON.stringify([{ messages: 'nothing' }]), 'rollouts.json')).toThrow(/^rollouts\.json \(a JSON list of records of JSONL of objects with messages\): no record could be imported; first: rollouts\.json: \[0\]: messages/);
  });

  it('is told by the first record only when it is not a chat message', () => {
    expect(detectRecord([rollout(1)], 'document')).toBe('messages-jsonl');
    expect(detectRecord([rollout(1)], 'line', true)).toBe('messages-jsonl');
    // A JSONL line that is a list stays unknown: only a whole file is a list of records.
    expect(detectRecord([rollout(1)], 'line', false)).toBeNull();
    expect(detectRecord([{ role: 'user', content: 'hi', messages: [] }], 'document')).toBe('chat-messages');
    expect(detectRecord([{ id: 1, note: 'x' }], 'document')).toBe('chat-messages');
  });
});

describe('detection of other lists is unchanged', () => {
  it('keeps OpenAI chat lists and OpenHands event lists where they were', () => {
    expect(detectFormat(JSON.stringify([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]))).toBe('chat-messages');
    expect(detectFormat(JSON.stringify([{ id: 1, source: 'agent', action: 'run', args: { command: 'ls' } }]))).toBe('openhands-events');
  });
});
