import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Pydantic AI messages as `result.all_messages_json()` writes them: requests and responses of parts
// told by `part_kind`, a retried tool call, and the usage of each response in both versions' names.

const at = '2025-06-01T10:00:00Z';
const messages = [
  { parts: [{ content: 'You are a weather agent.', timestamp: at, dynamic_ref: null, part_kind: 'system-prompt' }, { content: 'Weather in Oslo?', timestamp: at, part_kind: 'user-prompt' }], instructions: null, kind: 'request' },
  { parts: [{ content: 'Call the tool.', part_kind: 'thinking' }, { tool_name: 'get_weather', args: '{"town":"Oslo"}', tool_call_id: 'call_1', part_kind: 'tool-call' }], usage: { input_tokens: 50, output_tokens: 10 }, model_name: 'gpt-4o', timestamp: at, kind: 'response' },
  { parts: [{ content: [{ type: 'missing', loc: ['city'], msg: 'Field required', input: { town: 'Oslo' } }], tool_name: 'get_weather', tool_call_id: 'call_1', timestamp: at, part_kind: 'retry-prompt' }], instructions: null, kind: 'request' },
  { parts: [{ tool_name: 'get_weather', args: { city: 'Oslo' }, tool_call_id: 'call_2', part_kind: 'tool-call' }], usage: { request_tokens: 120, response_tokens: 9, total_tokens: 129 }, model_name: 'gpt-4o', kind: 'response' },
  { parts: [{ tool_name: 'get_weather', content: { temp: 3 }, tool_call_id: 'call_2', metadata: null, timestamp: at, part_kind: 'tool-return' }], instructions: null, kind: 'request' },
  { parts: [{ content: 'It is 3 C in Oslo.', part_kind: 'text' }], usage: { input_tokens: 150, output_tokens: 8 }, model_name: 'gpt-4o', kind: 'response' },
];

describe('Pydantic AI messages', () => {
  it('reads them as Pydantic AI sends them: a retry prompt as the failed call\'s result, each response\'s usage on its turn', () => {
    const { trajectories, problems } = importText(JSON.stringify(messages), 'messages.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.function.arguments).join() || m.content : m.content])).toEqual([
      ['system', 'You are a weather agent.'],
      ['user', 'Weather in Oslo?'],
      ['assistant', '{"town":"Oslo"}'],
      ['tool', `{"error": "Tool execution failed: Validation feedback:\\n[\\n  {\\n    \\"type\\": \\"missing\\",\\n    \\"loc\\": [\\n      \\"city\\"\\n    ],\\n    \\"msg\\": \\"Field required\\",\\n    \\"input\\": {\\n      \\"town\\": \\"Oslo\\"\\n    }\\n  }\\n]\\n\\nFix the errors and try again."}`],
      ['assistant', '{"city":"Oslo"}'],
      ['tool', '{"temp":3}'],
      ['assistant', 'It is 3 C in Oslo.'],
    ]);
    expect(t.messages[2]!.reasoning_content).toBe('Call the tool.');
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, tool_calls_exec_error: 1, tool_calls_executed_ok: 1, finished_naturally: true });
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 } },
      { usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 } },
      { usage: { prompt_tokens: 150, completion_tokens: 8, total_tokens: 158 } },
    ]);
  });

  it('takes a request\'s instructions as the system message, and a retry prompt of no tool as a user message', () => {
    const run = [
      { parts: [{ content: 'Hi', part_kind: 'user-prompt' }], instructions: 'Be brief.', kind: 'request' },
      { parts: [{ content: 'Hello!', part_kind: 'text' }], kind: 'response' },
      { parts: [{ content: 'Answer in French.', tool_name: null, tool_call_id: 'r1', part_kind: 'retry-prompt' }], kind: 'request' },
    ];
    expect(importText(JSON.stringify(run), 'run.json').trajectories[0]!.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'Answer in French.\n\nFix the errors and try again.' },
    ]);
  });

  it('reads what newer versions write: a failed or denied tool return as a tool that raised, built-in tool calls with their results, a drawn image, text content items', () => {
    const run = [
      { parts: [{ content: ['Look:', { url: 'https://x.test/a.png', kind: 'image-url', media_type: 'image/png', identifier: 'abc123' }, { kind: 'cache-point', ttl: '5m' }, { content: 'Oslo, please ☃', metadata: null, kind: 'text' }], timestamp: at, part_kind: 'user-prompt' }], timestamp: at, instructions: null, kind: 'request', run_id: 'run-1' },
      {
        parts: [
          { content: 'Search, then call both.', id: 'rs_1', signature: 'sig', provider_name: 'openai', part_kind: 'thinking' },
          { tool_name: 'web_search', args: { query: 'Oslo weather' }, tool_call_id: 'ws_1', provider_name: 'openai', part_kind: 'builtin-tool-call' },
          { tool_name: 'web_search', content: { status: 'completed' }, tool_call_id: 'ws_1', metadata: null, timestamp: at, outcome: 'success', provider_name: 'openai', part_kind: 'builtin-tool-return' },
          { tool_name: 'get_temp', args: '{"city":"Oslo"}', tool_call_id: 'call_a', part_kind: 'tool-call' },
          { tool_name: 'delete_files', args: { path: '/' }, tool_call_id: 'call_b', part_kind: 'tool-call' },
        ],
        usage: { input_tokens: 100, cache_read_tokens: 20, output_tokens: 30, details: { reasoning_tokens: 12 } },
        model_name: 'gpt-5', timestamp: at, kind: 'response', provider_name: 'openai', finish_reason: 'tool_call', run_id: 'run-1',
      },
      {
        parts: [
          { tool_name: 'get_temp', content: 'connection refused', tool_call_id: 'call_a', metadata: null, timestamp: at, outcome: 'failed', part_kind: 'tool-return' },
          { tool_name: 'delete_files', content: 'The tool call was denied.', tool_call_id: 'call_b', metadata: null, timestamp: at, outcome: 'denied', part_kind: 'tool-return' },
        ],
        timestamp: at, instructions: null, kind: 'request', run_id: 'run-1',
      },
      { parts: [{ content: 'Here it is.', part_kind: 'text' }, { content: { data: 'iVBORw0KGgo=', media_type: 'image/png', kind: 'binary', identifier: 'f00' }, part_kind: 'file' }], usage: { input_tokens: 150, output_tokens: 90 }, model_name: 'gpt-5', timestamp: at, kind: 'response', finish_reason: 'stop' },
    ];
    const t = importText(JSON.stringify(run), 'run.json').trajectories[0]!;
    expect(t.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'https://x.test/a.png' } }, { type: 'text', text: 'Oslo, please ☃' }] });
    expect(t.messages[1]!.tool_calls!.map((c) => [c.id, c.function.name])).toEqual([['ws_1', 'web_search'], ['call_a', 'get_temp'], ['call_b', 'delete_files']]);
    expect(t.messages.slice(2, 5).map((m) => [m.tool_call_id, m.content])).toEqual([
      ['ws_1', '{"status":"completed"}'],
      ['call_a', '{"error": "Tool execution failed: connection refused"}'],
      ['call_b', '{"error": "Tool execution failed: The tool call was denied."}'],
    ]);
    expect(t.messages[5]!.content).toEqual([{ type: 'text', text: 'Here it is.' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 3, tool_calls_exec_error: 2, tool_calls_executed_ok: 1 });
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 100, completion_tokens: 30, total_tokens: 130 } }, { usage: { prompt_tokens: 150, completion_tokens: 90, total_tokens: 240 } }]);
    expect(t.stopReason).toBeUndefined();
  });

  it('takes a last response cut by the token limit or a content filter as how the run ended, not as the agent finishing', () => {
    const run = (finish: string): unknown[] => [
      { parts: [{ content: 'Write a long story.', timestamp: at, part_kind: 'user-prompt' }], instructions: null, kind: 'request' },
      { parts: [{ content: 'Once upon a', part_kind: 'text' }], usage: { input_tokens: 10, output_tokens: 4096 }, model_name: 'gpt-4o', timestamp: at, kind: 'response', finish_reason: finish },
    ];
    for (const finish of ['length', 'content_filter']) {
      const t = importText(JSON.stringify(run(finish)), 'run.json').trajectories[0]!;
      expect(t.stopReason).toBe(finish);
      expect(deriveAgentResult(t).result.finished_naturally).toBe(false);
    }
    const stopped = importText(JSON.stringify(run('stop')), 'run.json').trajectories[0]!;
    expect(stopped.stopReason).toBeUndefined();
    expect(deriveAgentResult(stopped).result.finished_naturally).toBe(true);
  });
});
