import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// LangSmith runs of a LangGraph ReAct agent as the SDK returns them (`client.list_runs` dumped to
// JSON): the root chain, two chat model calls with LangChain's serialized messages (dumpd) and
// generations, and the tool run between them, whose ToolMessage names the call it answers.

const lc = (cls: string, kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', cls], kwargs });
const system = lc('SystemMessage', { content: 'You are a weather assistant.', type: 'system' });
const human = lc('HumanMessage', { content: 'What is the weather in Oslo?', type: 'human' });
const call = lc('AIMessage', {
  content: '',
  additional_kwargs: { tool_calls: [{ id: 'call_1', function: { arguments: '{"city":"Oslo"}', name: 'get_weather' }, type: 'function' }] },
  response_metadata: { token_usage: { completion_tokens: 15, prompt_tokens: 80, total_tokens: 95 }, model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'tool_calls' },
  type: 'ai',
  id: 'run-llm-1',
  tool_calls: [{ name: 'get_weather', args: { city: 'Oslo' }, id: 'call_1', type: 'tool_call' }],
  usage_metadata: { input_tokens: 80, output_tokens: 15, total_tokens: 95 },
  invalid_tool_calls: [],
});
const result = lc('ToolMessage', { content: '3 C and sunny', type: 'tool', name: 'get_weather', tool_call_id: 'call_1', status: 'success' });
const answer = lc('AIMessage', { content: 'It is 3 C and sunny in Oslo.', response_metadata: { finish_reason: 'stop', model_name: 'gpt-4o-mini-2024-07-18' }, type: 'ai', id: 'run-llm-2', tool_calls: [], invalid_tool_calls: [] });

const trace = 'b7d1c0de-0000-4000-8000-000000000001';
const run = (id: string, runType: string, second: number, rest: Record<string, unknown>) => ({
  id,
  name: runType === 'llm' ? 'ChatOpenAI' : runType === 'tool' ? 'get_weather' : 'LangGraph',
  run_type: runType,
  start_time: `2025-03-01T10:00:${String(second).padStart(2, '0')}.000000`,
  end_time: `2025-03-01T10:00:${String(second + 1).padStart(2, '0')}.200000`,
  trace_id: trace,
  parent_run_id: id === trace ? null : trace,
  dotted_order: `20250301T1000${String(second).padStart(2, '0')}000000Z${id}`,
  extra: runType === 'llm' ? { invocation_params: { model: 'gpt-4o-mini', temperature: 0 }, metadata: { ls_model_name: 'gpt-4o-mini', ls_provider: 'openai' } } : {},
  error: null,
  ...rest,
});
const generation = (message: unknown) => ({ generations: [[{ text: '', generation_info: { finish_reason: 'stop' }, type: 'ChatGeneration', message }]], llm_output: { model_name: 'gpt-4o-mini' }, run: null, type: 'LLMResult' });

const runs = [
  run(trace, 'chain', 0, { inputs: { messages: [{ type: 'human', content: 'What is the weather in Oslo?' }] }, outputs: { messages: [] }, feedback_stats: { correctness: { n: 1, avg: 1.0 } } }),
  run('llm-1', 'llm', 1, { inputs: { messages: [[system, human]] }, outputs: generation(call), prompt_tokens: 80, completion_tokens: 15, total_tokens: 95 }),
  run('tool-1', 'tool', 3, { inputs: { input: "{'city': 'Oslo'}" }, outputs: { output: result } }),
  run('llm-2', 'llm', 5, { inputs: { messages: [[system, human, call, result]] }, outputs: generation(answer), prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 }),
];

describe('LangSmith runs', () => {
  it('builds a trace\'s trajectory from its model calls, with each call\'s tokens, latency and prompt', () => {
    const { format, trajectories, problems } = importText(JSON.stringify(runs, null, 2), 'runs.json');
    expect(format).toBe('langsmith-runs');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: trace, model: 'gpt-4o-mini', reward: 1 });
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are a weather assistant.'],
      ['user', 'What is the weather in Oslo?'],
      ['assistant', ''],
      ['tool', '3 C and sunny'],
      ['assistant', 'It is 3 C and sunny in Oslo.'],
    ]);
    expect(t.messages[2]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(t.callStats).toEqual([
      { usage: { prompt_tokens: 80, completion_tokens: 15, total_tokens: 95 }, latencyMs: 1200 },
      { usage: { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 }, latencyMs: 1200 },
    ]);
    expect(t.promptViews!.map((v) => v?.length)).toEqual([2, 4]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, finished_naturally: true, tool_calls_executed_ok: 1 });
  });

  it('reads runs one per line, and a root run with its child runs nested', () => {
    const lines = runs.map((r) => JSON.stringify(r)).join('\n') + '\n';
    expect(detectFormat(lines, 'runs.jsonl')).toBe('langsmith-runs-jsonl');
    expect(importText(lines, 'runs.jsonl').trajectories[0]!.messages).toHaveLength(5);
    const nested = { ...runs[0]!, child_runs: runs.slice(1).map((r) => ({ ...r, trace_id: undefined })) };
    const { format, trajectories } = importText(JSON.stringify(nested), 'root.json');
    expect(format).toBe('langsmith-runs');
    expect(trajectories.map((t) => [t.id, t.messages.length])).toEqual([[trace, 5]]);
  });

  it('adds a tool result no later call was sent, records a failed tool as one that raised, and keeps traces apart', () => {
    const other = 'b7d1c0de-0000-4000-8000-000000000002';
    const failed = [
      ...runs.slice(0, 2),
      run('tool-1', 'tool', 3, { inputs: { input: "{'city': 'Oslo'}" }, outputs: { output: { ...result, kwargs: { ...result.kwargs, content: 'Error: service down', status: 'error' } } }, error: 'ToolException: service down' }),
      { ...run(other, 'llm', 9, { inputs: { messages: [[human]] }, outputs: generation(answer) }), parent_run_id: null, trace_id: other },
    ];
    const { trajectories } = importText(JSON.stringify(failed), 'failed.json');
    expect(trajectories.map((t) => t.id)).toEqual([trace, other]);
    const t = trajectories[0]!;
    expect(t.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"error": "Tool execution failed: ToolException: service down"}', name: 'get_weather' });
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_exec_error: 1, finished_naturally: false });
  });

  it('takes the root run\'s error, else a last model call\'s, as how the run ended: its first line, not finished', () => {
    const recursion = "GraphRecursionError('Recursion limit of 25 reached without hitting a stop condition.')\n\nTraceback (most recent call last):\n  File \"graph.py\", line 1";
    const cut = [{ ...runs[0]!, error: recursion }, ...runs.slice(1)];
    const t = importText(JSON.stringify(cut), 'cut.json').trajectories[0]!;
    expect(t.stopReason).toBe("error: GraphRecursionError('Recursion limit of 25 reached without hitting a stop condition.')");
    expect(deriveAgentResult(t).result.finished_naturally).toBe(false);
    const refused = [...runs, run('llm-3', 'llm', 7, { inputs: { messages: [[system, human, call, result]] }, outputs: null, error: "RateLimitError('Error code: 429')\n\nTraceback (most recent call last):" })];
    const u = importText(JSON.stringify(refused), 'refused.json').trajectories[0]!;
    expect(u.stopReason).toBe("error: RateLimitError('Error code: 429')");
    expect(deriveAgentResult(u).result.finished_naturally).toBe(false);
    expect(importText(JSON.stringify(runs), 'runs.json').trajectories[0]!.stopReason).toBeUndefined();
  });

  it('reads a graph\'s root run alone from its output state, and refuses runs with no message to read, by name', () => {
    const root = run(trace, 'chain', 0, { inputs: { messages: [{ type: 'human', content: 'hi' }] }, outputs: { messages: [{ type: 'human', content: 'hi' }, { type: 'ai', content: 'hello' }] } });
    expect(importText(JSON.stringify([root]), 'root.json').trajectories[0]!.messages).toEqual([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]);
    expect(() => importText(JSON.stringify([run(trace, 'retriever', 0, { inputs: { query: 'x' }, outputs: { documents: [] } })]), 'r.json')).toThrow(
      `r.json (looked like LangSmith runs (a run with its child runs, or a list of runs)): no trace could be read; first: trace ${trace}: it holds no model call (an llm run), and its root run no messages`,
    );
  });

  it('reads a ChatAnthropic reply kept as content blocks: thinking as reasoning, the tool_use block as its call, the result paired', () => {
    const blocks = lc('AIMessage', {
      content: [{ type: 'thinking', thinking: 'Look it up.', signature: 'sig' }, { type: 'text', text: 'Checking. ☀' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }],
      type: 'ai',
      tool_calls: [{ name: 'get_weather', args: { city: 'Oslo' }, id: 'toolu_1', type: 'tool_call' }],
      response_metadata: { model_name: 'claude-sonnet-4-20250514', stop_reason: 'tool_use' },
    });
    const failed = lc('ToolMessage', { content: 'Error: service down', type: 'tool', name: 'get_weather', tool_call_id: 'toolu_1', status: 'error' });
    const runs = [
      { id: 'c1', name: 'ChatAnthropic', run_type: 'llm', inputs: { messages: [[human]] }, outputs: { generations: [[{ text: 'Checking. ☀', type: 'ChatGeneration', message: blocks }]] }, error: null, start_time: '2025-01-01T00:00:01', end_time: '2025-01-01T00:00:02', trace_id: 'T9', parent_run_id: 'root' },
      { id: 'c2', name: 'ChatAnthropic', run_type: 'llm', inputs: { messages: [[human, blocks, failed]] }, outputs: { generations: [[{ text: 'The service is down.', type: 'ChatGeneration', message: lc('AIMessage', { content: 'The service is down.', type: 'ai' }) }]] }, error: null, start_time: '2025-01-01T00:00:05', end_time: '2025-01-01T00:00:06', trace_id: 'T9', parent_run_id: 'root' },
    ];
    const [t] = importText(JSON.stringify(runs), 'anthropic-runs.json').trajectories;
    expect(t!.messages.map((m) => [m.role, m.content, m.tool_call_id ?? null])).toEqual([
      ['user', 'What is the weather in Oslo?', null],
      ['assistant', 'Checking. ☀', null],
      ['tool', '{"error": "Tool execution failed: Error: service down"}', 'toolu_1'],
      ['assistant', 'The service is down.', null],
    ]);
    expect(t!.messages[1]).toMatchObject({ reasoning_content: 'Look it up.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] });
  });
});
