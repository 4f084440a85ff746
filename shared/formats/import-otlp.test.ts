import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// OTLP JSON as exporters write it, with the GenAI semantic conventions' attributes (and
// OpenLLMetry's indexed ones).

type Attr = { key: string; value: Record<string, unknown> };
const s = (key: string, value: string): Attr => ({ key, value: { stringValue: value } });
const j = (key: string, value: unknown): Attr => s(key, JSON.stringify(value));
const span = (traceId: string, spanId: string, name: string, start: number, attributes: Attr[], status: Record<string, unknown> = { code: 1 }) => ({
  traceId,
  spanId,
  parentSpanId: 'root',
  name,
  kind: 3,
  startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(start)),
  endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(start + 5)),
  attributes,
  events: [],
  status,
});
const batch = (...spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [s('service.name', 'agent')] }, scopeSpans: [{ scope: { name: 'genai' }, spans }] }] });

const user = { role: 'user', parts: [{ type: 'text', content: 'Weather in Barcelona?' }] };
const callPart = { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { location: 'Barcelona' } };
const chat1 = (trace: string) =>
  span(trace, 'a1', 'chat gpt-4o', 10, [
    s('gen_ai.operation.name', 'chat'),
    s('gen_ai.request.model', 'gpt-4o'),
    s('gen_ai.response.model', 'gpt-4o-2024-08-06'),
    j('gen_ai.system_instructions', [{ type: 'text', content: 'You are a weather agent.' }]),
    j('gen_ai.input.messages', [user]),
    j('gen_ai.output.messages', [{ role: 'assistant', parts: [{ type: 'text', content: 'Checking.' }, callPart], finish_reason: 'tool_call' }]),
    { key: 'gen_ai.usage.input_tokens', value: { intValue: '19' } },
  ]);
const tool = (trace: string, failed = false) =>
  span(trace, 't1', 'execute_tool get_weather', 20, [s('gen_ai.operation.name', 'execute_tool'), s('gen_ai.tool.name', 'get_weather'), s('gen_ai.tool.call.id', 'call_1'), s('gen_ai.tool.call.result', '{"temp": 21}')], failed ? { code: 2, message: 'weather service down' } : { code: 1 });
const chat2 = (trace: string) =>
  span(trace, 'a2', 'chat gpt-4o', 30, [
    s('gen_ai.operation.name', 'chat'),
    s('gen_ai.request.model', 'gpt-4o'),
    j('gen_ai.input.messages', [user, { role: 'assistant', parts: [{ type: 'text', content: 'Checking.' }, callPart] }, { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"temp": 21}' }] }]),
    j('gen_ai.output.messages', [{ role: 'assistant', parts: [{ type: 'text', content: 'It is 21 degrees.' }], finish_reason: 'stop' }]),
  ]);

describe('OpenTelemetry traces (OTLP JSON)', () => {
  it('reads a trace\'s model calls and tool executions as one trajectory', () => {
    const text = JSON.stringify(batch(chat2('T1'), tool('T1'), chat1('T1')), null, 2);
    expect(detectFormat(text, 'traces.json')).toBe('otlp-traces');
    const { format, trajectories, problems } = importText(text, 'traces.json');
    expect(format).toBe('otlp-traces');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.id).toBe('T1');
    expect(t.model).toBe('gpt-4o-2024-08-06');
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are a weather agent.'],
      ['user', 'Weather in Barcelona?'],
      ['assistant', 'Checking.'],
      ['tool', '{"temp": 21}'],
      ['assistant', 'It is 21 degrees.'],
    ]);
    expect(t.messages[2]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Barcelona"}' } }]);
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 2, toolCalls: 1, toolErrors: 0, finishedNaturally: true });
    // The first call recorded its input tokens; each lasted from its start to its end.
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 19 }, latencyMs: 0.000005 }, { latencyMs: 0.000005 }]);
  });

  it('gathers a trace\'s spans from every line of a file exporter\'s output, and a failed tool is a failed call', () => {
    const text = `${JSON.stringify(batch(chat1('T1'), chat1('T2')))}\n${JSON.stringify(batch(tool('T1', true)))}\nnot json\n`;
    expect(detectFormat(text, 'traces.jsonl')).toBe('otlp-traces-jsonl');
    const { trajectories, problems } = importText(text, 'traces.jsonl');
    expect(trajectories.map((t) => t.id)).toEqual(['T1', 'T2']);
    expect(problems).toEqual([expect.stringMatching(/^traces\.jsonl:3: /)]);
    expect(trajectories[0]!.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1', content: '{"error": "Tool execution failed: weather service down"}' });
    expect(summarizeTrajectory(trajectories[0]!, 0)).toMatchObject({ toolCalls: 1, toolErrors: 1 });
    expect(trajectories[1]!.messages.at(-1)!.tool_calls).toHaveLength(1);
  });

  it('reads OpenLLMetry\'s indexed prompt and completion attributes', () => {
    const legacy = span('T3', 'b1', 'openai.chat', 10, [
      s('gen_ai.system', 'openai'),
      s('llm.request.type', 'chat'),
      s('gen_ai.request.model', 'gpt-4o-mini'),
      s('gen_ai.prompt.0.role', 'user'),
      s('gen_ai.prompt.0.content', 'Add 2 and 3.'),
      s('gen_ai.completion.0.role', 'assistant'),
      s('gen_ai.completion.0.finish_reason', 'tool_calls'),
      s('gen_ai.completion.0.tool_calls.0.id', 'call_9'),
      s('gen_ai.completion.0.tool_calls.0.name', 'add'),
      s('gen_ai.completion.0.tool_calls.0.arguments', '{"a": 2, "b": 3}'),
    ]);
    const [t] = importText(JSON.stringify(batch(legacy)), 'legacy.json').trajectories;
    expect(t!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(t!.messages[1]!.tool_calls).toEqual([{ id: 'call_9', type: 'function', function: { name: 'add', arguments: '{"a": 2, "b": 3}' } }]);
    // An index far out is one message in its place, not a list of a billion holes to walk.
    const far = span('T5', 'b2', 'openai.chat', 10, [s('gen_ai.system', 'openai'), s('gen_ai.prompt.999999999.role', 'user'), s('gen_ai.prompt.999999999.content', 'Hi.'), s('gen_ai.prompt.0.role', 'system'), s('gen_ai.prompt.0.content', 'Be brief.')]);
    const [u] = importText(JSON.stringify(batch(far)), 'far.json').trajectories;
    expect(u!.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi.' }]);
  });

  it('leaves out a model call it cannot read and names the span', () => {
    const broken = span('T4', 'x1', 'chat', 5, [s('gen_ai.operation.name', 'chat'), j('gen_ai.input.messages', [{ parts: [] }])]);
    const { trajectories } = importText(JSON.stringify(batch(broken, chat1('T4'))), 'mixed.json');
    expect(trajectories[0]!.problems).toEqual(['mixed.json: resourceSpans[0].scopeSpans[0].spans[0].attributes["gen_ai.input.messages"][0].role: expected a string; the model call "chat" (id x1) is left out']);
    expect(trajectories[0]!.messages.some((m) => m.role === 'assistant')).toBe(true);
  });

  it('reads the parts pydantic-ai writes: thinking as reasoning, a tool response\'s result, an image blob, and its `running tool` spans', () => {
    const ask = { role: 'user', parts: [{ type: 'text', content: 'What is 2+2? 🧮' }, { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo=' }] };
    const reply = { role: 'assistant', parts: [{ type: 'thinking', content: 'Use calc.' }, { type: 'tool_call', id: 'p1', name: 'calc', arguments: { expr: '2+2' } }], finish_reason: 'tool_call' };
    const answered = { role: 'user', parts: [{ type: 'tool_call_response', id: 'p1', name: 'calc', result: 4 }] };
    const spans = [
      span('P1', 'a1', 'chat gpt-4o', 10, [s('gen_ai.operation.name', 'chat'), s('gen_ai.request.model', 'gpt-4o'), j('gen_ai.input.messages', [ask]), j('gen_ai.output.messages', [reply])]),
      span('P1', 't1', 'running tool', 20, [s('gen_ai.tool.name', 'calc'), s('gen_ai.tool.call.id', 'p1'), s('tool_arguments', '{"expr":"2+2"}'), s('tool_response', '4')]),
      span('P1', 'a2', 'chat gpt-4o', 30, [s('gen_ai.operation.name', 'chat'), j('gen_ai.input.messages', [ask, reply, answered]), j('gen_ai.output.messages', [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'p2', name: 'final_result', arguments: { answer: 4 } }] }])]),
      span('P1', 't2', 'running tool', 40, [s('gen_ai.tool.name', 'final_result'), s('gen_ai.tool.call.id', 'p2'), s('tool_arguments', '{"answer":4}'), s('tool_response', 'Final result processed.')]),
    ];
    const { trajectories, problems } = importText(JSON.stringify(batch(...spans)), 'pydantic-ai.json');
    expect(problems).toEqual([]);
    const m = trajectories[0]!.messages;
    expect(m[0]!.content).toEqual([{ type: 'text', text: 'What is 2+2? 🧮' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]);
    expect(m[1]).toMatchObject({ role: 'assistant', reasoning_content: 'Use calc.', content: '' });
    expect(m.slice(2).map((x) => [x.role, x.tool_call_id ?? null, x.content])).toEqual([
      ['tool', 'p1', '4'],
      ['assistant', null, ''],
      // The last tool ran after the last model call: only its span holds the result.
      ['tool', 'p2', 'Final result processed.'],
    ]);
  });

  it('reads content recorded on the gen_ai.client.inference.operation.details event, and the events attribute pydantic-ai and Logfire write', () => {
    const details = span('D1', 'a1', 'chat gpt-5', 10, [s('gen_ai.operation.name', 'chat'), s('gen_ai.request.model', 'gpt-5')]);
    details.events = [{ name: 'gen_ai.client.inference.operation.details', timeUnixNano: '1', attributes: [j('gen_ai.system_instructions', [{ type: 'text', content: 'Be brief.' }]), j('gen_ai.input.messages', [user]), j('gen_ai.output.messages', [{ role: 'assistant', parts: [callPart], finish_reason: 'tool_call' }])] }] as never[];
    const [t] = importText(JSON.stringify(batch(details)), 'details.json').trajectories;
    expect(t!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(t!.messages[2]!.tool_calls).toHaveLength(1);

    const events = [
      { 'event.name': 'gen_ai.system.message', role: 'system', content: 'Be helpful.', 'gen_ai.message.index': 0, 'gen_ai.system': 'openai' },
      { 'event.name': 'gen_ai.user.message', role: 'user', content: 'What is 2+2?', 'gen_ai.message.index': 0, 'gen_ai.system': 'openai' },
      { 'event.name': 'gen_ai.choice', index: 0, message: { role: 'assistant', tool_calls: [{ id: 'p1', type: 'function', function: { name: 'calc', arguments: { expr: '2+2' } } }] }, 'gen_ai.system': 'openai' },
    ];
    const logfire = span('D2', 'a1', 'chat gpt-4o', 10, [s('gen_ai.operation.name', 'chat'), s('gen_ai.system', 'openai'), j('events', events)]);
    const [u] = importText(JSON.stringify(batch(logfire)), 'logfire.json').trajectories;
    expect(u!.messages.map((m) => [m.role, m.content ?? ''])).toEqual([['system', 'Be helpful.'], ['user', 'What is 2+2?'], ['assistant', '']]);
    expect(u!.messages[2]!.tool_calls![0]!.function).toEqual({ name: 'calc', arguments: '{"expr":"2+2"}' });
  });

  it('reads OpenInference\'s indexed messages, token counts and tool spans (Arize Phoenix)', () => {
    const m = (n: number, field: string, value: string): Attr => s(`llm.input_messages.${n}.message.${field}`, value);
    const first = [m(0, 'role', 'system'), m(0, 'content', 'You are helpful.'), m(1, 'role', 'user'), m(1, 'contents.0.message_content.type', 'text'), m(1, 'contents.0.message_content.text', 'Weather in Oslo?'), m(1, 'contents.1.message_content.type', 'image'), m(1, 'contents.1.message_content.image.image.url', 'https://x/a.png')];
    const calls = (prefix: string): Attr[] => [s(`${prefix}.message.role`, 'assistant'), s(`${prefix}.message.tool_calls.0.tool_call.id`, 'call_1'), s(`${prefix}.message.tool_calls.0.tool_call.function.name`, 'get_weather'), s(`${prefix}.message.tool_calls.0.tool_call.function.arguments`, '{"city": "Oslo"}')];
    const llm = (id: string, start: number, attributes: Attr[]) => span('O1', id, 'ChatCompletion', start, [s('openinference.span.kind', 'LLM'), s('llm.model_name', 'gpt-4o-mini-2024-07-18'), ...attributes]);
    const spans = [
      llm('a1', 10, [...first, ...calls('llm.output_messages.0'), { key: 'llm.token_count.prompt', value: { intValue: '80' } }, { key: 'llm.token_count.completion', value: { intValue: '12' } }]),
      span('O1', 't1', 'get_weather', 20, [s('openinference.span.kind', 'TOOL'), s('tool.name', 'get_weather'), s('input.value', '{"city": "Oslo"}'), s('output.value', '-3C')]),
      llm('a2', 30, [...first, ...calls('llm.input_messages.2'), m(3, 'role', 'tool'), m(3, 'content', '-3C'), m(3, 'tool_call_id', 'call_1'), s('llm.output_messages.0.message.role', 'assistant'), s('llm.output_messages.0.message.content', 'It is -3C.')]),
    ];
    const { trajectories, problems } = importText(JSON.stringify(batch(...spans)), 'phoenix.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.model).toBe('gpt-4o-mini-2024-07-18');
    expect(t.messages.map((x) => [x.role, x.content])).toEqual([
      ['system', 'You are helpful.'],
      ['user', [{ type: 'text', text: 'Weather in Oslo?' }, { type: 'image_url', image_url: { url: 'https://x/a.png' } }]],
      ['assistant', ''],
      // The tool span names no call: its result is the one the next model input holds, counted once.
      ['tool', '-3C'],
      ['assistant', 'It is -3C.'],
    ]);
    expect(t.messages[2]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }]);
    expect(t.callStats![0]).toMatchObject({ usage: { prompt_tokens: 80, completion_tokens: 12 } });
  });

  it('refuses a trace whose spans record no messages, saying content capture may be off', () => {
    const bare = span('E1', 'a1', 'chat gpt-5', 10, [s('gen_ai.operation.name', 'chat'), s('gen_ai.request.model', 'gpt-5')]);
    expect(() => importText(JSON.stringify(batch(bare)), 'bare.json')).toThrow(/trace E1: none of its spans records messages .*capture content/);
  });
});
