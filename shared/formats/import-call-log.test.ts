import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Model call logs: an agent loop's own log of each chat completions call (`{request, response}`),
// LiteLLM's StandardLoggingPayload as its custom loggers write it (the fields of its logging spec;
// a completion's message with `function_call: null` as LiteLLM's ModelResponse dumps it), and
// Anthropic Messages requests and replies.

const system = { role: 'system', content: 'You are helpful.' };
const ask = { role: 'user', content: 'Weather in Tokyo?' };
const call = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] };
const result = { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' };
const answer = { role: 'assistant', content: 'It is sunny.' };
const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
const completion = (message: Record<string, unknown>, prompt: number, output: number) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { ...message, function_call: null }, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
  usage: { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output },
});
const jsonl = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

/** A LiteLLM StandardLoggingPayload for one call (`at` seconds into the run). */
function payload(at: number, messages: unknown[], reply: Record<string, unknown> | null, error?: string) {
  return {
    id: `chatcmpl-${at}`,
    trace_id: `t-${at}`,
    call_type: 'acompletion',
    response_cost: 0.0001,
    status: error ? 'failure' : 'success',
    total_tokens: 60,
    prompt_tokens: 50,
    completion_tokens: 10,
    startTime: 1733500000 + at,
    endTime: 1733500000.75 + at,
    model: 'gpt-4o',
    model_id: 'abc',
    api_base: 'https://api.openai.com',
    metadata: { user_api_key_hash: null, spend_logs_metadata: null },
    cache_hit: null,
    messages,
    response: reply && completion(reply, 50, 10),
    model_parameters: { temperature: 0.2, tools },
    hidden_params: { model_id: 'abc', api_base: 'https://api.openai.com' },
    error_str: error ?? null,
    error_information: error ? { error_code: '429', error_class: 'RateLimitError', llm_provider: 'openai' } : null,
  };
}

describe('model call logs', () => {
  it('reads an agent loop\'s {request, response} lines as one conversation: each request its turn\'s recorded prompt, each response\'s usage', () => {
    const text = jsonl([
      { request: { model: 'gpt-4o', messages: [system, ask], tools }, response: completion(call, 50, 10) },
      { request: { model: 'gpt-4o', messages: [system, ask, call, result], tools }, response: completion(answer, 70, 5) },
    ]);
    expect(detectFormat(text)).toBe('model-call-log');
    const { trajectories, problems } = importText(text, 'calls.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(1);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'calls#0', model: 'gpt-4o-2024-08-06' });
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([['system', 'You are helpful.'], ['user', 'Weather in Tokyo?'], ['assistant', null], ['tool', 'Sunny'], ['assistant', 'It is sunny.']]);
    expect(t.messages[2]!.tool_calls).toEqual(call.tool_calls);
    expect(t.promptViews!.map((v) => v!.length)).toEqual([2, 4]);
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } }, { usage: { prompt_tokens: 70, completion_tokens: 5, total_tokens: 75 } }]);
    expect(t.tools?.map((tool) => tool.function.name)).toEqual(['get_weather']);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1, finished_naturally: true });
  });

  it('reads LiteLLM payloads: a conversation per first question, each call\'s duration, a last call that failed as the stop reason', () => {
    const other = { role: 'user', content: 'Weather in Oslo?' };
    const text = jsonl([payload(0, [system, ask], call), payload(1, [system, ask, call, result], answer), payload(2, [system, other], null, 'litellm.RateLimitError: 429 quota')]);
    expect(detectFormat(text)).toBe('model-call-log');
    const { trajectories, problems } = importText(text, 'litellm.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => t.messages.length)).toEqual([5, 2]);
    expect(trajectories[0]!.callStats![1]).toEqual({ usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 }, latencyMs: 750 });
    expect(trajectories[0]!.tools?.map((tool) => tool.function.name)).toEqual(['get_weather']);
    expect(trajectories[1]).toMatchObject({ stopReason: 'the model call failed: litellm.RateLimitError: 429 quota (litellm.jsonl:3)', recorded: { finished_naturally: false } });
  });

  it('does not end a conversation at a failed call that was retried', () => {
    const text = jsonl([payload(0, [system, ask], null, 'timeout'), payload(1, [system, ask], call), payload(2, [system, ask, call, result], answer)]);
    const t = importText(text, 'retry.jsonl').trajectories[0]!;
    expect(t.stopReason).toBeUndefined();
    expect(t.messages.at(-1)).toMatchObject({ role: 'assistant', content: 'It is sunny.' });
  });

  it('reads Anthropic Messages requests and replies: the system prompt, tool_use and tool_result blocks, the tools\' input schemas', () => {
    const anthropicTools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const first = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Tokyo' } }], stop_reason: 'tool_use', usage: { input_tokens: 400, output_tokens: 50 } };
    const second = { id: 'msg_2', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'It is sunny.' }], stop_reason: 'end_turn', usage: { input_tokens: 480, output_tokens: 8 } };
    const sent = [ask, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] }];
    const text = jsonl([
      { request: { model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'You are helpful.', messages: [ask], tools: anthropicTools }, response: first },
      { request: { model: 'claude-sonnet-4-5', max_tokens: 1024, system: 'You are helpful.', messages: sent, tools: anthropicTools }, response: second },
    ]);
    const t = importText(text, 'anthropic.jsonl').trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Weather in Tokyo?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
      { role: 'assistant', content: 'It is sunny.' },
    ].map((m) => expect.objectContaining(m)));
    expect(t.callStats![0]).toEqual({ usage: { prompt_tokens: 400, completion_tokens: 50, total_tokens: 450 } });
    expect(t.tools?.[0]?.function.parameters).toEqual(anthropicTools[0]!.input_schema);
  });

  it('reads a JSON list of {input, output} calls, and names a record that is no call', () => {
    const text = JSON.stringify([{ input: { messages: [ask] }, output: completion(answer, 5, 3) }, { input: 'x', output: 'y' }]);
    expect(detectFormat(text)).toBe('model-call-list');
    const { trajectories, problems } = importText(text, 'calls.json');
    expect(trajectories[0]!.messages.map((m) => m.content)).toEqual(['Weather in Tokyo?', 'It is sunny.']);
    expect(problems).toEqual(['calls.json: [1]: not a model call (a request with its messages, and a response): left out']);
  });

  it('exports a reply\'s null function_call as absent', async () => {
    const { exportText } = await import('./export.js');
    const t = importText(jsonl([{ request: { messages: [ask] }, response: completion(answer, 5, 3) }]), 'c.jsonl').trajectories[0]!;
    expect(t.messages[1]).toHaveProperty('function_call', null);
    expect(exportText([t], 'openai-jsonl')).not.toContain('function_call');
  });
});
