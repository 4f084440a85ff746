import { describe, expect, it } from 'vitest';
import { recordedExceptionText } from '../loop/tool-outcome.js';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Langfuse trace exports in the layouts its framework integrations write (inputs, outputs and
// metadata stored as JSON texts), for what the corpus trace does not show: OpenTelemetry GenAI
// events (pydantic-ai), Anthropic Messages requests and replies, and an observation that cannot be read.

const metadata = (attributes: Record<string, string>): string => JSON.stringify({ attributes });

function generation(id: string, start: string, input: unknown, output: unknown, attributes: Record<string, string> = {}, model = 'gpt-4o') {
  return { id, type: 'GENERATION', name: 'chat', startTime: start, model, input: JSON.stringify(input), output: JSON.stringify(output), metadata: metadata({ 'gen_ai.operation.name': 'chat', ...attributes }) };
}

const open = (observations: unknown[]) => importText(JSON.stringify({ trace: { id: 'tr', scores: [] }, observations }), 'trace.json');

describe('Langfuse traces of OpenTelemetry GenAI events', () => {
  const envelope = { 'gen_ai.system': 'openai', 'gen_ai.message.index': 0 };
  const system = { content: 'Answer briefly.', role: 'system', ...envelope, 'event.name': 'gen_ai.system.message' };
  const user = { content: 'Weather in Paris?', role: 'user', ...envelope, 'event.name': 'gen_ai.user.message' };
  const call = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } };

  it('reads message events as their bodies and a choice event as its message', () => {
    const observations = [
      { id: 'span', type: 'SPAN', name: 'agent run', startTime: '2025-06-06T10:00:00.000Z', output: JSON.stringify([system, user]), metadata: '{}' },
      generation('gen-1', '2025-06-06T10:00:00.000Z', [system, user], { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Sunny.' }, 'gen_ai.system': 'openai', 'event.name': 'gen_ai.choice' }, { 'gen_ai.response.model': 'gpt-4o-2024-08-06' }),
    ];
    const { trajectories, problems } = open(observations);
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: 'Sunny.', finish_reason: 'stop' },
    ]);
    expect(t.model).toBe('gpt-4o-2024-08-06');
    expect(t.promptViews).toEqual([t.messages.slice(0, 2)]);
    // No usage and no end time recorded: nothing to show.
    expect(t.callStats).toBeUndefined();
  });

  it('keeps each model call\'s recorded usage and latency for its turn', () => {
    const gen = { ...generation('gen-1', '2025-06-06T10:00:00.000Z', [user], { role: 'assistant', content: 'Sunny.' }), endTime: '2025-06-06T10:00:01.250Z', usageDetails: { input: 120, output: 8, total: 128 } };
    const withLatency = { ...generation('gen-2', '2025-06-06T10:00:02.000Z', [user, { role: 'assistant', content: 'Sunny.' }, { role: 'user', content: 'And tomorrow?' }], { role: 'assistant', content: 'Rain.' }, { 'gen_ai.usage.input_tokens': '140', 'gen_ai.usage.output_tokens': '3' }), latency: 0.5 };
    const [t] = open([gen, withLatency]).trajectories;
    expect(t!.callStats).toEqual([
      { usage: { prompt_tokens: 120, completion_tokens: 8, total_tokens: 128 }, latencyMs: 1250 },
      { usage: { prompt_tokens: 140, completion_tokens: 3, total_tokens: 143 }, latencyMs: 500 },
    ]);
  });

  it('takes the role from the event name, a tool event id as its call, and reads a list of choices', () => {
    const assistant = { tool_calls: [call], ...envelope, 'event.name': 'gen_ai.assistant.message' };
    const tool = { content: 'sunny', id: 'call_1', ...envelope, 'event.name': 'gen_ai.tool.message' };
    const choice = (message: Record<string, unknown>, reason: string) => ({ index: 0, finish_reason: reason, message, 'event.name': 'gen_ai.choice' });
    const observations = [
      generation('gen-1', '1', [system, user], [choice({ tool_calls: [call] }, 'tool_calls')]),
      generation('gen-2', '2', [system, user, assistant, tool], [choice({ role: 'assistant', content: 'It is sunny.' }, 'stop')]),
    ];
    const t = open(observations).trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[2]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    expect(t.messages[3]).toEqual({ role: 'tool', content: 'sunny', tool_call_id: 'call_1' });
    expect(t.promptViews!.map((v) => v!.map((m) => m.role))).toEqual([['system', 'user'], ['system', 'user', 'assistant', 'tool']]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1, tool_calls_executed_ok: 1, finished_naturally: true });
  });
});

describe('Langfuse traces with an observation that cannot be read', () => {
  const first = generation('gen-1', '1', [{ role: 'user', content: 'hi' }], [{ role: 'assistant', content: 'hello' }]);

  it('leaves the observation out and names it in the trajectory problems', () => {
    const broken = generation('gen-2', '2', [{ role: 'user', content: 'again' }], [{ content: 'no role' }]);
    const { trajectories, problems } = open([first, broken]);
    expect(trajectories[0]!.messages.map((m) => m.content)).toEqual(['hi', 'hello']);
    expect(trajectories[0]!.problems).toEqual(['trace.json: observations[1].output[0].role: expected a string; the model call "chat" (id gen-2) is left out']);
    expect(problems).toEqual(trajectories[0]!.problems);
  });

  it('cannot read a trace none of whose model calls can be read', () => {
    const broken = generation('gen-1', '1', [{ role: 'user', content: 'hi' }], [{ content: 'no role' }]);
    expect(() => open([broken])).toThrow('trace.json (looked like a Langfuse trace export (OpenTelemetry GenAI)): no model call could be read; first: observations[0].output[0].role: expected a string; the model call "chat" (id gen-1) is left out');
  });
});

describe('Langfuse traces of Anthropic Messages calls', () => {
  const tools = [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } }];
  const request = (messages: unknown[], extra: Record<string, unknown> = {}) => ({ model: 'claude-sonnet-4-20250514', max_tokens: 8096, ...extra, messages, tools });
  const reply = (id: string, content: unknown[], stop: string) => ({ id, type: 'message', role: 'assistant', content, model: 'claude-sonnet-4-20250514', stop_reason: stop });
  const read = (id: string, path: string) => ({ type: 'tool_use', id, name: 'Read', input: { file_path: path } });
  const result = (id: string, content: string) => ({ type: 'tool_result', tool_use_id: id, content });
  const attributes = { 'gen_ai.system': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-20250514' };
  const call = (id: string, start: string, input: unknown, output: unknown) => ({ ...generation(id, start, input, output, {}, 'claude-sonnet-4-20250514'), name: 'anthropic.messages.create', metadata: metadata(attributes) });

  const user = { role: 'user', content: 'What is in this repository?' };
  const text = { type: 'text', text: 'Let me look at the README.' };
  const twoReads = [read('toolu_2', '/p/a.ts'), read('toolu_3', '/p/b.ts')];
  // The second call sends the first reply back without its thinking block; the third leaves the first turn out.
  const observations = [
    call('gen-1', '1', request([user], { thinking: { type: 'enabled', budget_tokens: 1024 } }), reply('msg_1', [{ type: 'thinking', thinking: 'Start with the README.', signature: 's' }, text, read('toolu_1', '/p/README.md')], 'tool_use')),
    call('gen-2', '2', request([user, { role: 'assistant', content: [text, read('toolu_1', '/p/README.md')] }, { role: 'user', content: [result('toolu_1', '# Project')] }]), reply('msg_2', twoReads, 'tool_use')),
    call('gen-3', '3', request([user, { role: 'assistant', content: twoReads }, { role: 'user', content: [result('toolu_2', 'a'), result('toolu_3', 'b')] }]), reply('msg_3', [{ type: 'text', text: 'Two files.' }], 'end_turn')),
  ];

  it('makes tool calls, tool messages and reasoning of the blocks, and adds each history once', () => {
    const { trajectories, problems } = open(observations);
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'tool', 'assistant']);
    expect(t.messages[1]).toMatchObject({ content: 'Let me look at the README.', reasoning_content: 'Start with the README.', stop_reason: 'tool_use' });
    expect(t.messages[1]!.tool_calls).toEqual([{ id: 'toolu_1', type: 'function', function: { name: 'Read', arguments: '{"file_path":"/p/README.md"}' } }]);
    expect(t.messages[3]!.tool_calls!.map((c) => c.id)).toEqual(['toolu_2', 'toolu_3']);
    expect(t.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content])).toEqual([['toolu_1', '# Project'], ['toolu_2', 'a'], ['toolu_3', 'b']]);
    expect(t.messages[6]).toEqual({ role: 'assistant', content: 'Two files.', stop_reason: 'end_turn' });
    expect(t.model).toBe('claude-sonnet-4-20250514');
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, tool_calls_attempted: 3, tool_calls_executed_ok: 3, finished_naturally: true, reasoning_per_turn: ['Start with the README.', null, null] });
  });

  it('keeps a history that leaves out earlier turns as that turn\'s prompt view', () => {
    const t = open(observations).trajectories[0]!;
    expect(t.promptViews!.map((v) => v!.map((m) => m.role))).toEqual([['user'], ['user', 'assistant', 'tool'], ['user', 'assistant', 'tool', 'tool']]);
    expect(t.promptViews![2]![1]!.tool_calls!.map((c) => c.id)).toEqual(['toolu_2', 'toolu_3']);
  });

  it('takes the tools from the requests, with input_schema as parameters', () => {
    expect(open(observations).trajectories[0]!.tools).toEqual([{ type: 'function', function: { name: 'Read', description: 'Read a file', parameters: tools[0]!.input_schema } }]);
  });

  it('makes the request system its first message, and a result with is_error a tool that raised', () => {
    const failed = { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'no such file' }], is_error: true };
    const t = open([
      call('gen-1', '1', request([user], { system: [{ type: 'text', text: 'You read code.' }] }), reply('msg_1', [read('toolu_1', '/p/x')], 'tool_use')),
      call('gen-2', '2', request([user, { role: 'assistant', content: [read('toolu_1', '/p/x')] }, { role: 'user', content: [failed] }], { system: 'You read code.' }), reply('msg_2', [{ type: 'text', text: 'It is missing.' }], 'end_turn')),
    ]).trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[0]).toEqual({ role: 'system', content: 'You read code.' });
    expect(t.messages[3]!.is_error).toBe(true);
    expect(recordedExceptionText(String(t.messages[3]!.content))).toBe('no such file');
  });
});
