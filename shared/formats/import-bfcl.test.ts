import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';
import { trajectoryRunEvents } from './trajectory-events.js';

// Lines in the layout of `bfcl generate`'s result files (BFCL v4): single-turn entries with the
// calls alone, and a multi-turn entry with its inference log.

const jsonl = (...lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

const state = (root: string) => [{ role: 'state_info', class_name: 'GorillaFileSystem', content: { long_context: false, root } }];
const step = (calls: Array<Record<string, string>>, decoded: string[], results: string[]) => [
  { role: 'assistant', content: calls },
  { role: 'handler_log', content: 'Successfully decoded model response.', model_response_decoded: decoded },
  ...results.map((content) => ({ role: 'tool', content })),
];
const endOfTurn = [
  { role: 'assistant', content: [] },
  { role: 'handler_log', content: 'Successfully decoded model response.', model_response_decoded: [] },
  { role: 'handler_log', content: 'Empty response from the model. Proceed to next turn.', model_response_decoded: [] },
];
const multiTurn = {
  id: 'multi_turn_base_1',
  result: [[[{ pwd: '{}' }], []], [[{ cd: '{"folder": "workspace"}' }], []]],
  input_token_count: [[2227, 2258], [2318, 2353]],
  output_token_count: [[43, 58], [39, 34]],
  latency: [[1.9, 0.58], [0.41, 0.38]],
  inference_log: [
    state('<Directory: alex>'),
    {
      begin_of_turn_query: [{ role: 'user', content: 'Check the current directory.' }],
      step_0: step([{ pwd: '{}' }], ['pwd()'], ['{"current_working_directory": "/alex"}']),
      step_1: endOfTurn,
    },
    state('<Directory: alex>'),
    {
      begin_of_turn_query: [{ role: 'user', content: 'Go to workspace.' }],
      step_0: step([{ cd: '{"folder": "workspace"}' }, { ls: '{"a": true}' }], ["cd(folder='workspace')", 'ls(a=True)'], ['{"current_working_directory": "workspace"}', '{"error": "ls: no such option"}']),
      step_1: [{ role: 'assistant', content: 'I moved there.' }, { role: 'handler_log', content: 'Error decoding the model response. Proceed to next turn.', error: "Invalid syntax. Failed to decode AST. invalid syntax (<unknown>, line 1)" }],
    },
    state('<Directory: alex>'),
  ],
};

describe('BFCL result files', () => {
  it('reads a multi-turn entry from its log: the queries, each step\'s calls and their results in order', () => {
    const text = jsonl(multiTurn);
    expect(detectFormat(text, 'BFCL_v4_multi_turn_base_result.json')).toBe('bfcl-result');
    const { format, trajectories, problems } = importText(text, 'BFCL_v4_multi_turn_base_result.json');
    expect(format).toBe('bfcl-result');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.id).toBe('multi_turn_base_1');
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Check the current directory.'],
      ['assistant', ''],
      ['tool', '{"current_working_directory": "/alex"}'],
      ['assistant', ''],
      ['user', 'Go to workspace.'],
      ['assistant', ''],
      ['tool', '{"current_working_directory": "workspace"}'],
      ['tool', '{"error": "ls: no such option"}'],
      ['assistant', 'I moved there.'],
    ]);
    expect(t.messages[5]!.tool_calls).toEqual([
      { id: 'call_2_0_0', type: 'function', function: { name: 'cd', arguments: '{"folder": "workspace"}' } },
      { id: 'call_2_0_1', type: 'function', function: { name: 'ls', arguments: '{"a": true}' } },
    ]);
    expect(t.messages[7]!.tool_call_id).toBe('call_2_0_1');
    // Every step is a model call; the error result is a tool error by the reference's rule.
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 4, toolCalls: 3, toolErrors: 1, finishedNaturally: true });
    // Each step's token counts and latency are its model call's, shown on its turn.
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 2227, completion_tokens: 43, total_tokens: 2270 }, latencyMs: 1900 },
      { usage: { prompt_tokens: 2258, completion_tokens: 58, total_tokens: 2316 }, latencyMs: 580 },
      { usage: { prompt_tokens: 2318, completion_tokens: 39, total_tokens: 2357 }, latencyMs: 410 },
      { usage: { prompt_tokens: 2353, completion_tokens: 34, total_tokens: 2387 }, latencyMs: 380 },
    ]);
    const replies = trajectoryRunEvents(t, { origin: { fileId: 'f', path: 'r.json' }, maxContextTokens: null }).filter((e) => e.type === 'model_reply');
    expect(replies.map((e) => (e.type === 'model_reply' ? [e.latencyMs, e.usage?.prompt_tokens] : null))).toEqual([[1900, 2227], [580, 2258], [410, 2318], [380, 2353]]);
    // What the harness said of a reply it could not use stays with the entry; its routine notes do not.
    expect(t.evaluation).toEqual({ scores: [], metadata: { handler_log: ['turn 2, step 1: Error decoding the model response. Proceed to next turn. (Invalid syntax. Failed to decode AST. invalid syntax (<unknown>, line 1))'] } });
  });

  it('reads single-turn entries as the reply alone: calls as JSON, or the Python calls a prompting model wrote', () => {
    const text = jsonl(
      { id: 'live_simple_0-0-0', result: [{ get_user_info: '{"user_id": 7890, "special": "black"}' }], input_token_count: 206, output_token_count: 56, latency: 0.68 },
      { id: 'simple_python_3', result: "[get_weather(city='Oslo', unit=None)]", input_token_count: 120, output_token_count: 20, latency: 0.3 },
      { id: 'live_irrelevance_1', result: 'I cannot help with that.', input_token_count: 99, output_token_count: 9, latency: 0.2 },
      { id: 'live_simple_29-7-2', result: [], input_token_count: 209, output_token_count: 181, latency: 2.2 },
    );
    const { trajectories, problems } = importText(text, 'BFCL_v4_live_simple_result.json');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => t.id)).toEqual(['live_simple_0-0-0', 'simple_python_3', 'live_irrelevance_1', 'live_simple_29-7-2']);
    expect(trajectories[0]!.messages).toEqual([{ role: 'assistant', content: '', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_user_info', arguments: '{"user_id": 7890, "special": "black"}' } }] }]);
    expect(trajectories[1]!.messages[0]!.tool_calls).toEqual([{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo","unit":null}' } }]);
    expect(trajectories[2]!.messages).toEqual([{ role: 'assistant', content: 'I cannot help with that.' }]);
    expect(trajectories[3]!.messages).toEqual([{ role: 'assistant', content: '' }]);
    expect(trajectories[0]!.callStats).toEqual([{ usage: { prompt_tokens: 206, completion_tokens: 56, total_tokens: 262 }, latencyMs: 680 }]);
  });

  it('is told by its id, result and the harness\'s figures, not by a bare id and result', () => {
    expect(detectFormat(jsonl({ id: 'x', result: [] }), 'r.jsonl')).toBeNull();
    expect(detectFormat(jsonl({ id: 'x', result: [], latency: 1 }), 'r.jsonl')).toBe('bfcl-result');
  });
});
