import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// LangChain messages as `messages_to_dict`, `dumpd` and `model_dump` (the LangGraph API) write them.

const ai = {
  content: '',
  additional_kwargs: { tool_calls: [{ id: 'call_a', function: { arguments: '{"expression": "2+2"}', name: 'calculator' }, type: 'function' }], reasoning_content: 'Use the tool.' },
  response_metadata: { model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'tool_calls' },
  type: 'ai',
  name: null,
  id: 'run-1',
  example: false,
  tool_calls: [{ name: 'calculator', args: { expression: '2+2' }, id: 'call_a', type: 'tool_call' }],
  invalid_tool_calls: [],
  usage_metadata: { input_tokens: 50, output_tokens: 10, total_tokens: 60 },
};
const fields = {
  human: { content: 'What is 2+2?', additional_kwargs: {}, response_metadata: {}, type: 'human', name: null, id: 'h1', example: false },
  ai,
  tool: { content: '4', additional_kwargs: {}, response_metadata: {}, type: 'tool', name: 'calculator', id: 't1', tool_call_id: 'call_a', artifact: null, status: 'success' },
  answer: { ...ai, content: '2+2 is 4.', additional_kwargs: {}, response_metadata: { model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'stop' }, id: 'run-2', tool_calls: [], usage_metadata: null },
};
const order = [fields.human, fields.ai, fields.tool, fields.answer];

/** What every shape reads as: the question, the call with the arguments the model sent, its result, the answer. */
function expectConversation(text: string, name: string, format: string) {
  const { format: read, trajectories, problems } = importText(text, name);
  expect(read).toBe(format);
  expect(problems).toEqual([]);
  const t = trajectories[0]!;
  expect(t.model).toBe('gpt-4o-mini-2024-07-18');
  expect(t.messages.map((m) => [m.role, m.content])).toEqual([['user', 'What is 2+2?'], ['assistant', ''], ['tool', '4'], ['assistant', '2+2 is 4.']]);
  expect(t.messages[1]!.tool_calls).toEqual([{ id: 'call_a', type: 'function', function: { name: 'calculator', arguments: '{"expression": "2+2"}' } }]);
  expect(t.messages[1]!.reasoning_content).toBe('Use the tool.');
  // The chat message alone: LangChain's own fields (ids, metadata, usage) are left out, for the exports.
  expect(Object.keys(t.messages[1]!).sort()).toEqual(['content', 'reasoning_content', 'role', 'tool_calls']);
  expect(t.messages[2]).toEqual({ role: 'tool', content: '4', name: 'calculator', tool_call_id: 'call_a' });
  expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 2, toolCalls: 1, toolErrors: 0, finishedNaturally: true });
  // The usage stays with the turn its model call made.
  expect(t.callStats).toEqual([{ usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } }, null]);
  return t;
}

describe('LangChain messages', () => {
  it('reads a messages_to_dict list: {type, data}', () => {
    expectConversation(JSON.stringify(order.map((m) => ({ type: m.type, data: m }))), 'history.json', 'chat-messages');
  });

  it('reads dumpd messages (LangSmith, checkpoints) in a messages line', () => {
    const classes: Record<string, string> = { human: 'HumanMessage', ai: 'AIMessage', tool: 'ToolMessage' };
    const dumped = order.map((m) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', classes[m.type]], kwargs: m }));
    expectConversation(`${JSON.stringify({ messages: dumped })}\n`, 'runs.jsonl', 'messages-jsonl');
  });

  it('reads a LangGraph thread state, named by its thread and checkpoint', () => {
    const state = { values: { messages: order }, next: [], tasks: [], metadata: { step: 4 }, created_at: '2026-01-01T00:00:00Z', checkpoint: { thread_id: 'th-1', checkpoint_ns: '', checkpoint_id: 'cp-9' } };
    expect(detectFormat(JSON.stringify(state), 'state.json')).toBe('langgraph-state');
    expect(expectConversation(JSON.stringify(state), 'state.json', 'langgraph-state').id).toBe('th-1@cp-9');
    const thread = { thread_id: 'th-2', status: 'idle', metadata: {}, values: { messages: order } };
    expect(expectConversation(JSON.stringify(thread), 'thread.json', 'langgraph-state').id).toBe('th-2');
  });

  it('reads a thread\'s history, newest state first, as a trajectory per checkpoint', () => {
    const state = (checkpoint: string, messages: unknown[]) => ({ values: { messages }, next: [], checkpoint: { thread_id: 'th-1', checkpoint_ns: '', checkpoint_id: checkpoint } });
    const history = [state('cp-2', order), state('cp-1', order.slice(0, 1))];
    const { format, trajectories } = importText(JSON.stringify(history), 'history.json');
    expect(format).toBe('langgraph-state');
    expect(trajectories.map((t) => [t.id, t.messages.length, t.source.index])).toEqual([['th-1@cp-2', 4, 0], ['th-1@cp-1', 1, 1]]);
    const odd = importText(JSON.stringify([state('cp-2', order), { values: { messages: [{ type: 'human' }] } }]), 'h.json');
    expect(odd.trajectories.map((t) => t.id)).toEqual(['th-1@cp-2']);
    expect(odd.problems).toEqual(['h.json: [1].values.messages[0].role: Invalid input: expected string, received undefined; the state is left out']);
  });

  it('reads each call\'s usage: LangChain\'s counts with the cached and reasoning tokens apart, or an older message\'s provider counts', () => {
    const withDetails = { ...fields.answer, usage_metadata: { input_tokens: 1200, output_tokens: 300, total_tokens: 1500, input_token_details: { audio: 0, cache_read: 1024 }, output_token_details: { audio: 0, reasoning: 256 } } };
    const older = { ...fields.answer, usage_metadata: undefined, response_metadata: { model_name: 'gpt-4o', token_usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 } } };
    const [t] = importText(JSON.stringify([fields.human, withDetails, fields.human, older, fields.human, fields.answer]), 'usage.json').trajectories;
    expect(t!.callStats).toEqual([
      { usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 256 } } },
      { usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 } },
      null,
    ]);
    // Chat messages record no usage of this kind.
    expect(importText(JSON.stringify([{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', usage_metadata: { input_tokens: 1, output_tokens: 1 } }]), 'chat.json').trajectories[0]).not.toHaveProperty('callStats');
  });

  it('keeps a call whose arguments did not parse, with the text the model sent', () => {
    const broken = { ...ai, tool_calls: [], additional_kwargs: {}, invalid_tool_calls: [{ name: 'calculator', args: '{"expression": 2+', id: 'call_b', error: 'Function calculator arguments are not valid JSON.', type: 'invalid_tool_call' }] };
    const [t] = importText(JSON.stringify([fields.human, broken]), 'broken.json').trajectories;
    expect(t!.messages[1]!.tool_calls).toEqual([{ id: 'call_b', type: 'function', function: { name: 'calculator', arguments: '{"expression": 2+' } }]);
    expect(summarizeTrajectory(t!, 0)).toMatchObject({ toolCalls: 1, finishedNaturally: false });
  });

  it('reads tool calls kept only in additional_kwargs (LangChain before parsed tool calls)', () => {
    const old = { content: '', additional_kwargs: ai.additional_kwargs, type: 'ai', example: false };
    const [t] = importText(JSON.stringify([{ type: 'human', data: fields.human }, { type: 'ai', data: old }]), 'old.json').trajectories;
    expect(t!.messages[1]!.tool_calls).toEqual([{ id: 'call_a', type: 'function', function: { name: 'calculator', arguments: '{"expression": "2+2"}' } }]);
  });

  it('records a tool that raised (status error) as the reference records one', () => {
    const failed = { ...fields.tool, content: "Error: ValueError('division by zero')\n Please fix your mistakes.", status: 'error' };
    const [t] = importText(JSON.stringify([fields.human, fields.ai, failed]), 'failed.json').trajectories;
    expect(t!.messages[2]!.content).toBe('{"error": "Tool execution failed: Error: ValueError(\'division by zero\')\\n Please fix your mistakes."}');
    expect(summarizeTrajectory(t!, 0)).toMatchObject({ toolCalls: 1, toolErrors: 1 });
  });

  it('leaves chat messages with a role as they are, and names what does not fit', () => {
    const [t] = importText(JSON.stringify([{ role: 'user', content: 'hi', type: 'human' }]), 'chat.json').trajectories;
    expect(t!.messages).toEqual([{ role: 'user', content: 'hi', type: 'human' }]);
    expect(() => importText(JSON.stringify([fields.human, { type: 'ai', data: { ...ai, tool_calls: [{ name: 'f', args: {}, id: 'c' }] } }, { type: 'remove', id: 'x' }]), 'odd.json')).toThrow(/\[2\]\.role/);
  });

  it('reads content blocks: v1 reasoning, server tool calls and their results, images; Anthropic thinking; call blocks not repeated as content', () => {
    const v1 = [
      { type: 'human', data: { content: [{ type: 'text', text: 'What is this? 🐱' }, { type: 'image', base64: 'iVBORw0KGgo=', mime_type: 'image/png', id: 'img1' }], type: 'human' } },
      {
        type: 'ai',
        data: {
          content: [
            { type: 'reasoning', reasoning: 'Search first.', id: 'rs_1' },
            { type: 'text', text: 'Searching.', annotations: [] },
            { type: 'server_tool_call', id: 'ws_1', name: 'web_search', args: { query: 'cat' } },
            { type: 'server_tool_result', tool_call_id: 'ws_1', status: 'error', output: 'rate limited' },
            { type: 'tool_call', id: 'call_1', name: 'lookup', args: { q: 'cat' } },
          ],
          response_metadata: { model_name: 'gpt-5', output_version: 'v1' },
          type: 'ai',
          tool_calls: [{ name: 'lookup', args: { q: 'cat' }, id: 'call_1', type: 'tool_call' }],
          invalid_tool_calls: [],
          usage_metadata: { input_tokens: 40, output_tokens: 20, total_tokens: 60 },
        },
      },
      { type: 'tool', data: { content: [{ type: 'text', text: 'a cat' }, { type: 'image', source_type: 'url', url: 'https://x.test/cat.png' }], type: 'tool', name: 'lookup', tool_call_id: 'call_1', status: 'success' } },
      { type: 'ai', data: { content: [{ type: 'thinking', thinking: 'It is a cat.', signature: 'abc' }, { type: 'text', text: 'A cat.' }], type: 'ai', tool_calls: [], usage_metadata: { input_tokens: 80, output_tokens: 12, total_tokens: 92 } } },
    ];
    const t = importText(JSON.stringify(v1), 'v1.json').trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is this? 🐱' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      {
        role: 'assistant',
        content: 'Searching.',
        reasoning_content: 'Search first.',
        tool_calls: [
          { id: 'ws_1', type: 'function', function: { name: 'web_search', arguments: '{"query":"cat"}' } },
          { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'ws_1', content: '{"error": "Tool execution failed: rate limited"}' },
      { role: 'tool', name: 'lookup', tool_call_id: 'call_1', content: [{ type: 'text', text: 'a cat' }, { type: 'image_url', image_url: { url: 'https://x.test/cat.png' } }] },
      { role: 'assistant', content: 'A cat.', reasoning_content: 'It is a cat.' },
    ]);
    // Each AI message's usage stays on its own turn, the provider's tool result after it.
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 40, completion_tokens: 20, total_tokens: 60 } }, { usage: { prompt_tokens: 80, completion_tokens: 12, total_tokens: 92 } }]);
  });
});
