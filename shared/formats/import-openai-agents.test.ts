import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// What the OpenAI Agents SDK for JavaScript (@openai/agents 0.20) saved for two runs against a
// scripted chat-completions server: a weather agent whose second call's tool threw (the SDK sends
// the model its error text), as `JSON.stringify(result.history)` and `result.state.toString()`;
// and a triage agent that handed off to a files agent whose call waits for approval, as its state.
// The states are cut to the keys read (the SDK also keeps guardrail results, tool use trackers,
// the last processed response); each response's `providerData` to its id, object and model.

const history = [{"type": "message", "role": "user", "content": "What is the weather in Tokyo and Atlantis?"}, {"id": "chatcmpl-scripted-1", "type": "function_call", "arguments": "{\"city\":\"Tokyo\"}", "name": "get_weather", "callId": "call_w1", "status": "completed", "providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Tokyo\"}"}}}, {"id": "chatcmpl-scripted-1", "type": "function_call", "arguments": "{\"city\":\"Atlantis\"}", "name": "get_weather", "callId": "call_w2", "status": "completed", "providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Atlantis\"}"}}}, {"type": "function_call_result", "name": "get_weather", "callId": "call_w1", "status": "completed", "output": {"type": "text", "text": "Sunny, 22C in Tokyo"}}, {"type": "function_call_result", "name": "get_weather", "callId": "call_w2", "status": "completed", "output": {"type": "text", "text": "An error occurred while running the tool. Please try again."}}, {"id": "chatcmpl-scripted-2", "type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Tokyo is sunny, 22C. I could not get the weather for Atlantis.", "providerData": {"role": "assistant"}}], "status": "completed"}];

const weatherState = {"$schemaVersion": "1.22", "currentTurn": 2, "currentAgent": {"name": "Weather agent"}, "originalInput": "What is the weather in Tokyo and Atlantis?", "modelResponses": [{"usage": {"requests": 1, "inputTokens": 33, "outputTokens": 55, "totalTokens": 88, "inputTokensDetails": [{"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}]}, "output": [{"providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Tokyo\"}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_w1", "name": "get_weather", "status": "completed", "arguments": "{\"city\":\"Tokyo\"}"}, {"providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Atlantis\"}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_w2", "name": "get_weather", "status": "completed", "arguments": "{\"city\":\"Atlantis\"}"}], "responseId": "chatcmpl-scripted-1", "providerData": {"id": "chatcmpl-scripted-1", "object": "chat.completion", "model": "scripted"}}, {"usage": {"requests": 1, "inputTokens": 145, "outputTokens": 18, "totalTokens": 163, "inputTokensDetails": [{"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}]}, "output": [{"id": "chatcmpl-scripted-2", "type": "message", "role": "assistant", "status": "completed", "content": [{"providerData": {"role": "assistant"}, "type": "output_text", "text": "Tokyo is sunny, 22C. I could not get the weather for Atlantis."}]}], "responseId": "chatcmpl-scripted-2", "providerData": {"id": "chatcmpl-scripted-2", "object": "chat.completion", "model": "scripted"}}], "context": {"usage": {"requests": 2, "inputTokens": 178, "outputTokens": 73, "totalTokens": 251, "inputTokensDetails": [{"cached_tokens": 0}, {"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}, {"reasoning_tokens": 0}], "requestUsageEntries": [{"inputTokens": 33, "outputTokens": 55, "totalTokens": 88, "inputTokensDetails": {"cached_tokens": 0}, "outputTokensDetails": {"reasoning_tokens": 0}}, {"inputTokens": 145, "outputTokens": 18, "totalTokens": 163, "inputTokensDetails": {"cached_tokens": 0}, "outputTokensDetails": {"reasoning_tokens": 0}}]}}, "maxTurns": 10, "currentStep": {"type": "next_step_final_output", "output": "Tokyo is sunny, 22C. I could not get the weather for Atlantis."}, "generatedItems": [{"type": "tool_call_item", "rawItem": {"providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Tokyo\"}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_w1", "name": "get_weather", "status": "completed", "arguments": "{\"city\":\"Tokyo\"}"}, "agent": {"name": "Weather agent"}}, {"type": "tool_call_item", "rawItem": {"providerData": {"type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Atlantis\"}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_w2", "name": "get_weather", "status": "completed", "arguments": "{\"city\":\"Atlantis\"}"}, "agent": {"name": "Weather agent"}}, {"type": "tool_call_output_item", "rawItem": {"type": "function_call_result", "name": "get_weather", "callId": "call_w1", "status": "completed", "output": {"type": "text", "text": "Sunny, 22C in Tokyo"}}, "agent": {"name": "Weather agent"}, "output": "Sunny, 22C in Tokyo", "executionStatus": "executed"}, {"type": "tool_call_output_item", "rawItem": {"type": "function_call_result", "name": "get_weather", "callId": "call_w2", "status": "completed", "output": {"type": "text", "text": "An error occurred while running the tool. Please try again."}}, "agent": {"name": "Weather agent"}, "output": "An error occurred while running the tool. Please try again.", "executionStatus": "executed"}, {"type": "message_output_item", "rawItem": {"id": "chatcmpl-scripted-2", "type": "message", "role": "assistant", "status": "completed", "content": [{"providerData": {"role": "assistant"}, "type": "output_text", "text": "Tokyo is sunny, 22C. I could not get the weather for Atlantis."}]}, "agent": {"name": "Weather agent"}}], "trace": {"object": "trace", "id": "no-op", "workflow_name": "Agent workflow", "group_id": null, "metadata": {}}};

const approvalState = {"$schemaVersion": "1.22", "currentTurn": 2, "currentAgent": {"name": "Files agent"}, "originalInput": [{"role": "user", "content": "Delete /tmp/old.log"}], "modelResponses": [{"usage": {"requests": 1, "inputTokens": 25, "outputTokens": 27, "totalTokens": 52, "inputTokensDetails": [{"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}]}, "output": [{"providerData": {"type": "function", "function": {"name": "transfer_to_Files_agent", "arguments": "{}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_h1", "name": "transfer_to_Files_agent", "status": "completed", "arguments": "{}"}], "responseId": "chatcmpl-scripted-1", "providerData": {"id": "chatcmpl-scripted-1", "object": "chat.completion", "model": "scripted"}}, {"usage": {"requests": 1, "inputTokens": 83, "outputTokens": 34, "totalTokens": 117, "inputTokensDetails": [{"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}]}, "output": [{"id": "chatcmpl-scripted-2", "type": "message", "role": "assistant", "status": "completed", "content": [{"providerData": {"role": "assistant", "tool_calls": [{"id": "call_d1", "type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}]}, "type": "output_text", "text": "I will remove it."}]}, {"providerData": {"type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}, "id": "chatcmpl-scripted-2", "type": "function_call", "callId": "call_d1", "name": "delete_file", "status": "completed", "arguments": "{\"path\":\"/tmp/old.log\"}"}], "responseId": "chatcmpl-scripted-2", "providerData": {"id": "chatcmpl-scripted-2", "object": "chat.completion", "model": "scripted"}}], "context": {"usage": {"requests": 2, "inputTokens": 108, "outputTokens": 61, "totalTokens": 169, "inputTokensDetails": [{"cached_tokens": 0}, {"cached_tokens": 0}], "outputTokensDetails": [{"reasoning_tokens": 0}, {"reasoning_tokens": 0}], "requestUsageEntries": [{"inputTokens": 25, "outputTokens": 27, "totalTokens": 52, "inputTokensDetails": {"cached_tokens": 0}, "outputTokensDetails": {"reasoning_tokens": 0}}, {"inputTokens": 83, "outputTokens": 34, "totalTokens": 117, "inputTokensDetails": {"cached_tokens": 0}, "outputTokensDetails": {"reasoning_tokens": 0}}]}}, "maxTurns": 10, "currentStep": {"type": "next_step_interruption", "data": {"interruptions": [{"type": "tool_approval_item", "rawItem": {"id": "chatcmpl-scripted-2", "type": "function_call", "arguments": "{\"path\":\"/tmp/old.log\"}", "name": "delete_file", "callId": "call_d1", "status": "completed", "providerData": {"type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}}, "agent": {"name": "Files agent"}, "toolName": "delete_file", "functionToolStateKey": "[\"bare\",\"delete_file\"]"}]}}, "generatedItems": [{"type": "handoff_call_item", "rawItem": {"providerData": {"type": "function", "function": {"name": "transfer_to_Files_agent", "arguments": "{}"}}, "id": "chatcmpl-scripted-1", "type": "function_call", "callId": "call_h1", "name": "transfer_to_Files_agent", "status": "completed", "arguments": "{}"}, "agent": {"name": "Triage"}}, {"type": "handoff_output_item", "rawItem": {"type": "function_call_result", "name": "transfer_to_Files_agent", "callId": "call_h1", "status": "completed", "output": {"type": "text", "text": "{\"assistant\":\"Files agent\"}"}}, "sourceAgent": {"name": "Triage"}, "targetAgent": {"name": "Files agent"}}, {"type": "message_output_item", "rawItem": {"id": "chatcmpl-scripted-2", "type": "message", "role": "assistant", "status": "completed", "content": [{"providerData": {"role": "assistant", "tool_calls": [{"id": "call_d1", "type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}]}, "type": "output_text", "text": "I will remove it."}]}, "agent": {"name": "Files agent"}}, {"type": "tool_call_item", "rawItem": {"providerData": {"type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}, "id": "chatcmpl-scripted-2", "type": "function_call", "callId": "call_d1", "name": "delete_file", "status": "completed", "arguments": "{\"path\":\"/tmp/old.log\"}"}, "agent": {"name": "Files agent"}}, {"type": "tool_approval_item", "rawItem": {"providerData": {"type": "function", "function": {"name": "delete_file", "arguments": "{\"path\":\"/tmp/old.log\"}"}}, "id": "chatcmpl-scripted-2", "type": "function_call", "callId": "call_d1", "name": "delete_file", "status": "completed", "arguments": "{\"path\":\"/tmp/old.log\"}"}, "agent": {"name": "Files agent"}, "toolName": "delete_file", "functionToolStateKey": "[\"bare\",\"delete_file\"]"}], "trace": {"object": "trace", "id": "no-op", "workflow_name": "Agent workflow", "group_id": null, "metadata": {}}};

const weatherMessages = [
  { role: 'user', content: 'What is the weather in Tokyo and Atlantis?' },
  {
    role: 'assistant',
    content: '',
    tool_calls: [
      { id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
      { id: 'call_w2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Atlantis"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_w1', content: 'Sunny, 22C in Tokyo' },
  { role: 'tool', tool_call_id: 'call_w2', content: 'An error occurred while running the tool. Please try again.' },
  { role: 'assistant', content: 'Tokyo is sunny, 22C. I could not get the weather for Atlantis.' },
];

describe('OpenAI Agents SDK for JavaScript', () => {
  it("reads result.history: calls paired with their function_call_result by callId, a text output as its text", () => {
    const { format, trajectories, problems } = importText(JSON.stringify(history, null, 2), 'history.json');
    expect(format).toBe('chat-messages');
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages).toEqual(weatherMessages);
    expect(deriveAgentResult(trajectories[0]!).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, finished_naturally: true });
  });

  it('reads a saved run state: the same conversation, each model call\'s usage on its turn, the model and a finished run', () => {
    const text = JSON.stringify(weatherState);
    expect(detectFormat(text)).toBe('openai-agents-state');
    const { trajectories, problems } = importText(text, 'state.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'state', model: 'scripted', recorded: { finished_naturally: true } });
    expect(t.messages).toEqual(weatherMessages);
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 33, completion_tokens: 55, total_tokens: 88, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } },
      { usage: { prompt_tokens: 145, completion_tokens: 18, total_tokens: 163, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } } },
    ]);
  });

  it('reads a run stopped for an approval: the handoff as a call and its result, the waiting call unanswered, and why it stopped', () => {
    const { trajectories, problems } = importText(JSON.stringify(approvalState), 'state.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ recorded: { finished_naturally: false }, stopReason: 'waiting for approval of delete_file' });
    expect(t.messages).toEqual([
      { role: 'user', content: 'Delete /tmp/old.log' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_h1', type: 'function', function: { name: 'transfer_to_Files_agent', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_h1', content: '{"assistant":"Files agent"}' },
      { role: 'assistant', content: 'I will remove it.', tool_calls: [{ id: 'call_d1', type: 'function', function: { name: 'delete_file', arguments: '{"path":"/tmp/old.log"}' } }] },
    ]);
    expect(t.callStats).toHaveLength(2);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, finished_naturally: false });
  });

  it('keeps the usage off the turns, and says so, when the model calls and the turns do not line up', () => {
    const extra = { ...weatherState, modelResponses: [...weatherState.modelResponses, weatherState.modelResponses[1]] };
    const { trajectories } = importText(JSON.stringify(extra), 'state.json');
    expect(trajectories[0]!.callStats).toBeUndefined();
    expect(trajectories[0]!.problems).toEqual(['state.json: modelResponses: 3 model calls wrote output but the conversation has 2 turns; the usage is left off the turns']);
  });

  it('names a generated item without its raw item, and reads the rest', () => {
    const cut = { ...weatherState, generatedItems: weatherState.generatedItems.map((item, i) => (i === 2 ? { type: item.type } : item)) };
    const { trajectories } = importText(JSON.stringify(cut), 'state.json');
    expect(trajectories[0]!.problems).toEqual(['state.json: generatedItems[2]: a tool_call_output_item without its rawItem is left out']);
    expect(trajectories[0]!.messages.filter((m) => m.role === 'tool')).toHaveLength(1);
  });

  it('refuses a state whose originalInput is neither a text nor a list, naming the field', () => {
    expect(() => importText(JSON.stringify({ ...weatherState, originalInput: 3 }), 'state.json')).toThrow(/originalInput/);
  });

  it('reads the Python SDK\'s saved run state (snake case, the waiting calls in the current step\'s interruptions)', () => {
    const call = (id: string, name: string, args: string) => ({ arguments: args, call_id: id, name, type: 'function_call', id: `fc_${id}`, status: 'completed' });
    const state = {
      $schemaVersion: '1.9',
      current_turn: 1,
      current_agent: { name: 'Assistant' },
      original_input: [{ role: 'user', content: 'Delete old logs and check the disk' }],
      model_responses: [{ usage: { requests: 1, input_tokens: 120, input_tokens_details: { cached_tokens: 20 }, output_tokens: 40, output_tokens_details: { reasoning_tokens: 16 }, total_tokens: 160 }, output: [call('call_1', 'delete_logs', '{"path":"/var/log"}'), call('call_2', 'disk_usage', '{}')], response_id: 'resp_1' }],
      context: { usage: { requests: 1, input_tokens: 120, output_tokens: 40, total_tokens: 160 }, approvals: {}, context: {} },
      max_turns: 10,
      generated_items: [
        { type: 'reasoning_item', raw_item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Two calls.' }] }, agent: { name: 'Assistant' } },
        { type: 'tool_call_item', raw_item: call('call_1', 'delete_logs', '{"path":"/var/log"}'), agent: { name: 'Assistant' } },
        { type: 'tool_call_item', raw_item: call('call_2', 'disk_usage', '{}'), agent: { name: 'Assistant' } },
        { type: 'tool_call_output_item', raw_item: { call_id: 'call_2', output: '42% used', type: 'function_call_output' }, agent: { name: 'Assistant' }, output: '42% used' },
      ],
      session_items: [],
      current_step: { type: 'next_step_interruption', data: { interruptions: [{ type: 'tool_approval_item', raw_item: call('call_1', 'delete_logs', '{"path":"/var/log"}'), agent: { name: 'Assistant' }, tool_name: 'delete_logs' }] } },
      last_model_response: null,
      trace: { object: 'trace', id: 'trace_abc', workflow_name: 'Agent workflow' },
    };
    const text = JSON.stringify(state);
    expect(detectFormat(text)).toBe('openai-agents-state');
    const t = importText(text, 'state.json').trajectories[0]!;
    expect(t.id).toBe('trace_abc');
    expect(t.messages.map((m) => [m.role, m.tool_call_id ?? (m.tool_calls ?? []).map((c) => c.function.name).join() ?? m.content])).toEqual([
      ['user', ''],
      ['assistant', 'delete_logs,disk_usage'],
      ['tool', 'call_2'],
    ]);
    expect(t.messages[1]!.reasoning_content).toBe('Two calls.');
    expect(t.stopReason).toBe('waiting for approval of delete_logs');
    expect(t.recorded.finished_naturally).toBe(false);
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 120, completion_tokens: 40, total_tokens: 160, prompt_tokens_details: { cached_tokens: 20 }, completion_tokens_details: { reasoning_tokens: 16 } } }]);
  });
});
