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
});
