import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordedExceptionText } from '../loop/tool-outcome.js';
import { runEventSchema, type RunEvent } from '../run/events.js';
import { RunState, agentResultOf } from '../run/run-state.js';
import { exportText, openAiChatMessage } from './export.js';
import { detectFormat, FormatError, importBytes, importText, type ImportResult } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { trajectoryRunEvents } from './trajectory-events.js';
import { corpusPath } from '../../electron/testing/corpus.js';

// The corpus files of the Responses, Anthropic Messages, tau-bench, verifiers and Langfuse
// formats, imported from their bytes as the app opens them. The counts are those of
// corpus/README.md, read from the files with python3; here they are counted from the trajectories.

const read = (name: string): Buffer => readFileSync(corpusPath(name));
const open = (name: string): ImportResult => importBytes(read(name), name);

/** Trajectories, tool calls and tool results of an import. */
function counts(result: ImportResult): { trajectories: number; calls: number; results: number } {
  const all = result.trajectories.flatMap((t) => t.messages);
  return { trajectories: result.trajectories.length, calls: all.reduce((n, m) => n + (m.role === 'assistant' ? (m.tool_calls?.length ?? 0) : 0), 0), results: all.filter((m) => m.role === 'tool').length };
}

/** Every tool call of a trajectory that has a tool message with its id right after its turn. */
function answeredCalls(t: Trajectory): number {
  let answered = 0;
  t.messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const ids = new Set<unknown>();
    for (let j = i + 1; j < t.messages.length && t.messages[j]!.role === 'tool'; j++) ids.add(t.messages[j]!.tool_call_id);
    answered += (m.tool_calls ?? []).filter((c) => ids.has(c.id)).length;
  });
  return answered;
}

const CORPUS = ['nemogym_newton_bench_example_rollouts.jsonl', 'spotter_tool_heavy.jsonl', 'taubench_gpt-4o-airline.json', 'tau2bench-pr448_airline_run1.json', 'verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl', 'langfuse_microsoft-agent-2025-12-17.trace.json'];

describe('NeMo Gym rollouts (Responses API items)', () => {
  const result = open('nemogym_newton_bench_example_rollouts.jsonl');

  it('imports 5 rollouts, 28 calls, 28 results, each result after its call', () => {
    expect(result.format).toBe('nemo-gym-rollouts');
    expect(counts(result)).toEqual({ trajectories: 5, calls: 28, results: 28 });
    expect(result.problems).toEqual([]);
    expect(result.trajectories.reduce((n, t) => n + answeredCalls(t), 0)).toBe(28);
  });

  it('keeps the reward, model, response id, tools and the reasoning summaries', () => {
    const first = result.trajectories[0]!;
    expect(result.trajectories.map((t) => t.reward)).toEqual([1, 0.9999999999999998, 0.10872453727997922, 1, -0.49081631392023545]);
    expect(first).toMatchObject({ id: 'resp_b6ad5d7c876f46ce9ecf08d4693d1b99', model: 'nvdev/openai/gpt-oss-120b' });
    expect(first.tools?.map((s) => s.function.name)).toEqual(['run_experiment_m0_gravity']);
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(first.messages[2]!.reasoning_content).toMatch(/^We need to discover law via experiments\./);
    expect(first.messages[3]).toEqual({ role: 'tool', tool_call_id: 'chatcmpl-tool-20529c038ad241398823516e9c2df7c1', content: '{"result":6.674e-05}' });
    expect(String(first.messages[8]!.content)).toMatch(/^<final_law>/);
    expect(deriveAgentResult(first).result.finished_naturally).toBe(true);
  });

  it('records an incomplete response, and a call that carries its own output', () => {
    const rollout = {
      responses_create_params: { input: 'list files', instructions: 'be brief' },
      response: {
        model: 'm', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' },
        output: [
          { type: 'mcp_call', id: 'mcp_1', name: 'ls', arguments: '{}', output: 'a.txt' },
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'one file' }] },
          { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'There is a' }] },
        ],
      },
      reward: 0,
    };
    const [t] = importText(`${JSON.stringify(rollout)}\n`, 'r.jsonl').trajectories;
    expect(t!.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'list files' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'mcp_1', type: 'function', function: { name: 'ls', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'mcp_1', content: 'a.txt' },
      { role: 'assistant', content: 'There is a', reasoning_content: 'one file', finish_reason: 'max_output_tokens' },
    ]);
    expect(t!.recorded).toEqual({ finished_naturally: false });
  });

  it('groups rollouts of one task by their task and rollout indices', () => {
    const line = JSON.parse(read('nemogym_newton_bench_example_rollouts.jsonl').toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    const text = [0, 1].map((r) => JSON.stringify({ _ng_rollout_index: r, ...line, _ng_task_index: 7 })).join('\n');
    const { trajectories } = importText(text, 'r.jsonl');
    expect(trajectories.map((t) => t.id)).toEqual(['task 7.0', 'task 7.1']);
    expect(trajectories.map((t) => t.group)).toEqual([0, 1].map((index) => ({ id: 'task 7', index, size: null, score: 1 })));
  });
});

describe('Codex CLI session logs (Responses API items)', () => {
  const lines = [
    { timestamp: 't0', type: 'session_meta', payload: { id: 'sess-1', cwd: '/w', base_instructions: { text: 'You are Codex.' } } },
    { timestamp: 't1', type: 'turn_context', payload: { cwd: '/w', model: 'gpt-5-codex' } },
    { timestamp: 't2', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'run the tests' }] } },
    { timestamp: 't3', type: 'event_msg', payload: { type: 'user_message', message: 'run the tests' } },
    { timestamp: 't4', type: 'response_item', payload: { type: 'reasoning', summary: [], content: null, encrypted_content: 'gAAA' } },
    { timestamp: 't5', type: 'response_item', payload: { type: 'function_call', name: 'shell', arguments: '{"command":["npm","test"]}', call_id: 'call_1' } },
    { timestamp: 't6', type: 'response_item', payload: { type: 'function_call_output', call_id: 'call_1', output: 'ok' } },
    { timestamp: 't7', type: 'response_item', payload: { type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch', call_id: 'call_2', status: 'completed' } },
    { timestamp: 't8', type: 'response_item', payload: { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done' } },
    { timestamp: 't9', type: 'event_msg', payload: { type: 'agent_message', message: 'The suite passed.' } },
    { timestamp: 't10', type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'The suite passed.' }] } },
    { timestamp: 't11', type: 'event_msg', payload: { type: 'task_complete', last_agent_message: 'The suite passed.' } },
  ];
  const text = lines.map((l) => JSON.stringify(l)).join('\n');

  it('reads response items, drops the event messages that repeat them, keeps encrypted reasoning', () => {
    const result = importText(text, 'rollout-2025.jsonl');
    expect(result.format).toBe('codex-session');
    const [t] = result.trajectories;
    expect(t).toMatchObject({ id: 'sess-1', model: 'gpt-5-codex', recorded: { finished_naturally: true } });
    expect(t!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(t!.messages[2]).toMatchObject({ reasoning_details: [{ type: 'reasoning.encrypted', data: 'gAAA' }], tool_calls: [{ id: 'call_1', function: { name: 'shell' } }] });
    expect(t!.messages[4]!.tool_calls![0]!.function).toEqual({ name: 'apply_patch', arguments: '*** Begin Patch' });
    expect(t!.messages.filter((m) => m.content === 'The suite passed.')).toHaveLength(1);
  });

  it('reads an older log of bare items after its header', () => {
    const old = [{ id: 'old-1', timestamp: 't', instructions: null }, { record_type: 'state' }, lines[2]!.payload, lines[5]!.payload, lines[6]!.payload].map((l) => JSON.stringify(l)).join('\n');
    const result = importText(old, 'rollout-old.jsonl');
    expect(result.format).toBe('codex-session');
    expect(result.trajectories[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('reports a line that cannot be read and opens the rest', () => {
    const broken = text.split('\n');
    broken[5] = '{"timestamp":"t5","type":"response_item","payload":{"type":"message","content":[]}}';
    broken[7] = '{"timestamp": ';
    const result = importText(broken.join('\n'), 'rollout.jsonl');
    expect(result.problems).toEqual(['rollout.jsonl:6: payload.role: expected a string', expect.stringMatching(/^rollout\.jsonl:8: not valid JSON/)]);
    expect(result.trajectories[0]!.messages.length).toBeGreaterThan(3);
  });
});

describe('agent session transcripts (Anthropic Messages blocks)', () => {
  const result = open('spotter_tool_heavy.jsonl');

  it('imports 1 session, 6 calls, 6 results, merging the lines of one API message', () => {
    expect(result.format).toBe('claude-code-session');
    expect(counts(result)).toEqual({ trajectories: 1, calls: 6, results: 6 });
    expect(result.problems).toEqual([]);
    const t = result.trajectories[0]!;
    expect(answeredCalls(t)).toBe(6);
    expect(t).toMatchObject({ id: 'd6e0bada-1959-4eec-a9d2-0bfade768d8f', model: 'claude-opus-4-6' });
    // msg_01LbyjvsALGe2gMsTgDSj7e6 spans four lines: text, thinking and two tool uses.
    const merged = t.messages.find((m) => m.tool_calls?.length === 2)!;
    expect(merged.tool_calls!.map((c) => c.function.name)).toEqual(['WebSearch', 'Glob']);
    expect(merged.reasoning_content).toMatch(/^The user wants me to research why scrolling/);
    expect(deriveAgentResult(t).result.turns_used).toBe(4);
  });

  const line = (fields: Record<string, unknown>): string => JSON.stringify({ sessionId: 's', parentUuid: null, isSidechain: false, ...fields });

  it('keeps a subagent sidechain apart, linked to its parent, and an error result as a raised tool', () => {
    const text = [
      line({ type: 'user', uuid: 'u1', message: { role: 'user', content: 'look around' } }),
      line({ type: 'assistant', uuid: 'a1', message: { id: 'm1', role: 'assistant', model: 'claude-x', content: [{ type: 'tool_use', id: 't1', name: 'Task', input: { prompt: 'find' } }], stop_reason: 'tool_use' } }),
      line({ type: 'user', uuid: 's1', isSidechain: true, agentId: 'ag', message: { role: 'user', content: 'find' } }),
      line({ type: 'assistant', uuid: 's2', isSidechain: true, agentId: 'ag', message: { id: 'm2', role: 'assistant', content: [{ type: 'tool_use', id: 't2', name: 'Read', input: {} }] } }),
      line({ type: 'user', uuid: 's3', isSidechain: true, agentId: 'ag', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't2', content: 'no such file', is_error: true }] } }),
      line({ type: 'user', uuid: 'u2', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'found it' }] }] } }),
      line({ type: 'user', uuid: 'u2', message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'repeated line' }] } }),
      '{"type":"progress","data":{}}',
    ].join('\n');
    const { trajectories } = importText(text, 'session.jsonl');
    expect(trajectories.map((t) => [t.id, t.messages.map((m) => m.role).join(',')])).toEqual([['s', 'user,assistant,tool'], ['s/ag', 'user,assistant,tool']]);
    expect(trajectories[0]!.messages[1]!.stop_reason).toBe('tool_use');
    expect(trajectories[0]!.messages[2]!.content).toBe('found it');
    expect(trajectories[1]!.branch).toEqual({ parentId: 's', forkTurn: 1, change: 'subagent ag' });
    expect(recordedExceptionText(String(trajectories[1]!.messages[2]!.content))).toBe('no such file');
    expect(deriveAgentResult(trajectories[1]!).result.tool_calls_exec_error).toBe(1);
  });

  it('tells two subagents of an older log apart by their parent links', () => {
    const text = [
      line({ type: 'user', uuid: 'u1', message: { role: 'user', content: 'go' } }),
      line({ type: 'user', uuid: 'x1', isSidechain: true, message: { role: 'user', content: 'first' } }),
      line({ type: 'user', uuid: 'y1', isSidechain: true, message: { role: 'user', content: 'second' } }),
      line({ type: 'assistant', uuid: 'x2', parentUuid: 'x1', isSidechain: true, message: { id: 'm', role: 'assistant', content: 'one' } }),
    ].join('\n');
    expect(importText(text, 's.jsonl').trajectories.map((t) => [t.id, t.messages.map((m) => m.content)])).toEqual([
      ['s', ['go']],
      ['s/sidechain 1', ['first', 'one']],
      ['s/sidechain 2', ['second']],
    ]);
  });
});

describe('tau-bench and tau2-bench', () => {
  it('imports tau-bench: 200 trajectories, 1,164 calls, 1,164 results, ids by task and trial', () => {
    const result = open('taubench_gpt-4o-airline.json');
    expect(result.format).toBe('tau-bench');
    expect(counts(result)).toEqual({ trajectories: 200, calls: 1164, results: 1164 });
    expect(result.trajectories.reduce((n, t) => n + answeredCalls(t), 0)).toBe(1164);
    expect(result.trajectories.slice(0, 2).map((t) => [t.id, t.reward])).toEqual([['task 0.0', 0], ['task 1.0', 0]]);
    expect(new Set(result.trajectories.map((t) => t.id)).size).toBe(200);
  });

  it('imports tau2-bench: 50 trajectories, 265 calls, 265 results, the reward and termination kept', () => {
    const result = open('tau2bench-pr448_airline_run1.json');
    expect(result.format).toBe('tau2-bench');
    expect(counts(result)).toEqual({ trajectories: 50, calls: 265, results: 265 });
    expect(result.trajectories.reduce((n, t) => n + answeredCalls(t), 0)).toBe(265);
    const first = result.trajectories[0]!;
    expect(first).toMatchObject({ id: 'task 0.0', model: 'whissle', reward: 0, recorded: { finished_naturally: true } });
    expect(first.messages.findLast((m) => m.role === 'assistant')!.termination_reason).toBe('user_stop');
    // Arguments recorded as objects become the JSON text of the call.
    expect(first.messages[4]!.tool_calls![0]).toEqual({ id: 'gem_get_reservation_details_0', type: 'function', function: { name: 'get_reservation_details', arguments: '{"reservation_id":"EHGLP3"}' } });
    // 12 tool messages have error: true.
    expect(result.trajectories.reduce((n, t) => n + t.messages.filter((m) => m.role === 'tool' && recordedExceptionText(String(m.content)) !== null).length, 0)).toBe(12);
  });

  it('keeps the user simulator tool calls on its user message and a bad simulation as a problem', () => {
    const sim = (messages: unknown[]): Record<string, unknown> => ({ task_id: '9', trial: 1, messages, termination_reason: 'max_steps' });
    const file = {
      info: { agent_info: { llm: 'm' } },
      simulations: [
        sim([{ role: 'user', content: null, tool_calls: [{ id: 'u1', name: 'toggle_airplane_mode', arguments: {}, requestor: 'user' }] }, { role: 'tool', id: 'u1', content: 'off', requestor: 'user' }, { role: 'assistant', content: 'ok' }]),
        sim([{ content: 'no role' }]),
      ],
    };
    const result = importText(JSON.stringify(file), 'tau2.json');
    expect(result.problems).toEqual(['tau2.json: simulations[1].messages[0].role: Invalid input: expected string, received undefined']);
    const t = result.trajectories[0]!;
    expect(t.messages[0]!.tool_calls![0]!.function.name).toBe('toggle_airplane_mode');
    expect(t.messages[1]).toEqual({ role: 'tool', tool_call_id: 'u1', content: 'off', requestor: 'user' });
    expect(t.recorded.finished_naturally).toBe(false);
  });
});

describe('verifiers results', () => {
  it('imports 15 rollouts, 30 calls, 30 results, grouped by example, results paired by position', () => {
    const result = open('verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl');
    expect(result.format).toBe('verifiers-results');
    expect(counts(result)).toEqual({ trajectories: 15, calls: 30, results: 30 });
    expect(result.trajectories.reduce((n, t) => n + answeredCalls(t), 0)).toBe(30);
    expect(result.trajectories.map((t) => t.id.replace(/\.\d+$/, ''))).toEqual([0, 1, 2, 3, 4].flatMap((e) => Array(3).fill(`example ${e}`)));
    // The collection's group view reads the group; its score is the rollout's reward.
    expect(result.trajectories.map((t) => t.group?.id)).toEqual([0, 1, 2, 3, 4].flatMap((e) => Array(3).fill(`example ${e}`)));
    expect(result.trajectories.every((t) => t.group?.score === t.reward)).toBe(true);
    const first = result.trajectories[0]!;
    expect(first.reward).toBe(1);
    expect(first.tools?.map((s) => s.function.name)).toEqual(['python']);
    expect(first.messages[2]!.tool_calls![0]!.id).toBe('call_RYna5gb2agTQButNTFngPJmD');
  });
});

describe('Langfuse OpenTelemetry GenAI traces', () => {
  it('imports 1 trace, 1 call, 1 result counted once, each model input as its prompt view', () => {
    const result = open('langfuse_microsoft-agent-2025-12-17.trace.json');
    expect(result.format).toBe('langfuse-trace');
    expect(counts(result)).toEqual({ trajectories: 1, calls: 1, results: 1 });
    const t = result.trajectories[0]!;
    expect(t).toMatchObject({ id: '8e419d3288419b5d944270505640e183', model: 'gpt-5-mini-2025-08-07', reward: 1 });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(t.promptViews!.map((v) => v!.map((m) => m.role))).toEqual([['user'], ['tool']]);
    expect(t.tools?.map((s) => s.function.name)).toEqual(['get_weather']);
    expect(answeredCalls(t)).toBe(1);
  });
});

describe('Langfuse traces without the result in a model input', () => {
  it('takes the tool span as the result, and keeps a span no call asked for at the end', () => {
    const attributes = (a: Record<string, string>): string => JSON.stringify({ attributes: a });
    const trace = {
      trace: { id: 'tr', scores: [{ name: 'reward', value: 0.5 }] },
      observations: [
        { type: 'SPAN', startTime: '3', output: '"late"', metadata: attributes({ 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.call.id': 'other' }) },
        { type: 'TOOL', startTime: '2', output: '"sunny"', level: 'ERROR', statusMessage: 'timeout', metadata: attributes({ 'gen_ai.tool.call.id': 'c1', 'gen_ai.tool.name': 'weather' }) },
        {
          type: 'GENERATION', startTime: '1', model: 'm',
          input: JSON.stringify([{ role: 'user', content: 'weather?' }]),
          output: JSON.stringify([{ role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] }]),
          metadata: attributes({ 'gen_ai.response.finish_reasons': '["tool_calls"]' }),
        },
      ],
    };
    const [t] = importText(JSON.stringify(trace), 'trace.json').trajectories;
    expect(t!.messages.map((m) => [m.role, m.tool_call_id ?? null])).toEqual([['user', null], ['assistant', null], ['tool', 'c1'], ['tool', 'other']]);
    expect(t!.messages[1]!.finish_reason).toBe('tool_calls');
    expect(recordedExceptionText(String(t!.messages[2]!.content))).toBe('timeout');
    expect(t).toMatchObject({ model: 'm', reward: 0.5 });
    expect(deriveAgentResult(t!).result).toMatchObject({ tool_calls_attempted: 1, tool_calls_exec_error: 1 });
  });
});

describe('detection from the first record', () => {
  const reversed = (value: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(value).reverse());

  it('tells a rollout line whatever its key order, and one longer than the detection head', () => {
    const line = JSON.parse(read('nemogym_newton_bench_example_rollouts.jsonl').toString('utf8').split('\n')[0]!) as Record<string, unknown>;
    const padded = { padding: 'x'.repeat(128 * 1024), ...reversed(line) };
    const text = `${JSON.stringify(reversed(line))}\n${JSON.stringify(padded)}\n`;
    expect(detectFormat(text, 'r.jsonl')).toBe('nemo-gym-rollouts');
    const long = `${JSON.stringify(padded)}\n${JSON.stringify(line)}\n`;
    expect(importText(long, 'r.jsonl')).toMatchObject({ format: 'nemo-gym-rollouts', problems: [] });
    expect(importText(long, 'r.jsonl').trajectories).toHaveLength(2);
  });

  it.each([
    ['spotter_tool_heavy.jsonl', 'claude-code-session'],
    ['verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl', 'verifiers-results'],
    ['langfuse_microsoft-agent-2025-12-17.trace.json', 'langfuse-trace'],
  ])('tells %s from its first record', (name, format) => {
    expect(detectFormat(read(name).toString('utf8'), name)).toBe(format);
  });

  it('tells a tau2-bench file whose simulations come before its info, and a pretty-printed tau-bench list', () => {
    const tau2 = JSON.parse(read('tau2bench-pr448_airline_run1.json').toString('utf8')) as { info: unknown; simulations: unknown[] };
    expect(importText(JSON.stringify({ simulations: tau2.simulations.slice(0, 1), info: tau2.info }), 't.json').format).toBe('tau2-bench');
    const tau = JSON.parse(read('taubench_gpt-4o-airline.json').toString('utf8')) as Array<Record<string, unknown>>;
    expect(importText(JSON.stringify(tau.slice(0, 2).map(reversed), null, 2), 't.json')).toMatchObject({ format: 'tau-bench', problems: [] });
    expect(detectFormat(JSON.stringify(tau.slice(0, 1)), 't.json')).toBe('tau-bench');
  });
});

describe('refusals and exports', () => {
  it('refuses a file that looks like one of these formats but does not fit, in one line naming it', () => {
    expect(() => importText(JSON.stringify([{ task_id: 1, traj: [{ content: 'x' }] }]), 'tau.json')).toThrow(new FormatError('tau.json (looked like a tau-bench results file): no task trial could be read; first: [0].traj[0].role: Invalid input: expected string, received undefined'));
    expect(() => importText('{"type":"progress","sessionId":"s","parentUuid":null}\n{"type":"progress","sessionId":"s","parentUuid":null}\n', 's.jsonl')).toThrow(/^s\.jsonl \(looked like an agent session transcript \(Anthropic Messages blocks\)\): no line holds a message/);
  });

  it.each(CORPUS)('%s opens as runs: valid events, every message, the derived counts', (name) => {
    for (const t of open(name).trajectories) {
      const state = new RunState();
      trajectoryRunEvents(t, { origin: { fileId: 'f', path: name }, maxContextTokens: 2000 }).forEach((body, seq) => state.apply(runEventSchema.parse({ ...body, runId: 'r', seq, time: 0 }) as RunEvent));
      const result = agentResultOf(state.current);
      // The run holds every message (tool results in call order, as the engine writes them).
      expect(result.messages).toHaveLength(t.messages.length);
      const derived = deriveAgentResult(t).result;
      expect([result.turns_used, result.tool_calls_attempted, result.tool_calls_exec_error]).toEqual([derived.turns_used, derived.tool_calls_attempted, derived.tool_calls_exec_error]);
    }
  });

  it.each(CORPUS)('%s exports to every format', (name) => {
    const { trajectories } = open(name);
    const first = trajectories.slice(0, 3);
    const lines = exportText(first, 'openai-jsonl').trim().split('\n');
    expect(lines).toHaveLength(first.length);
    expect(importText(lines.join('\n'), 'back.jsonl').trajectories.map((t) => t.messages)).toEqual(first.map((t) => t.messages.map(openAiChatMessage)));
    const results = first.length === 1 ? [JSON.parse(exportText(first, 'agent-result'))] : exportText(first, 'agent-result').trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r: { messages: unknown[] }) => r.messages)).toEqual(first.map((t) => t.messages));
    expect(exportText(first, 'sharegpt').trim().split('\n')).toHaveLength(first.length);
    expect(exportText(first.slice(0, 1), 'markdown').length).toBeGreaterThan(0);
  });
});
