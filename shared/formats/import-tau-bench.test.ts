import { describe, expect, it } from 'vitest';
import { importText } from './import.js';

describe('tau-bench results', () => {
  it('keeps the error of a trial that raised as its stop reason, not finished', () => {
    const trials = [
      { task_id: 0, reward: 0, info: { error: 'EOF when reading a line', traceback: 'Traceback (most recent call last):\nEOFError: EOF when reading a line\n' }, traj: [], trial: 0 },
      { task_id: 1, reward: 1, info: { task: { user_id: 'u1' } }, traj: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'done' }], trial: 0 },
    ];
    const [raised, ran] = importText(JSON.stringify(trials), 'results.json').trajectories;
    expect(raised).toMatchObject({ id: 'task 0.0', messages: [], reward: 0, stopReason: 'error: EOF when reading a line', recorded: { finished_naturally: false } });
    expect(ran!.stopReason).toBeUndefined();
    expect(ran!.recorded).toEqual({});
  });
});

// --- tau2-bench, as its current `Results.save` writes it -------------------------------------------

const info = { git_commit: 'abc', num_trials: 1, max_steps: 100, max_errors: 10, user_info: { implementation: 'user_simulator', llm: 'gpt-4.1' }, agent_info: { implementation: 'llm_agent', llm: 'o4-mini' }, environment_info: { domain_name: 'airline', policy: 'Be kind.', tool_defs: null } };
const messages = [
  { role: 'assistant', content: 'Hi! How can I help?', tool_calls: null, turn_idx: 0, timestamp: '2025-07-01T00:00:00', cost: 0, usage: null, raw_data: null },
  { role: 'user', content: 'Cancel EHGLP3, bitte 🙂', tool_calls: null, turn_idx: 1, timestamp: '2025-07-01T00:00:01', cost: 0.001, usage: { completion_tokens: 20, prompt_tokens: 417 }, raw_data: { id: 'u' } },
  {
    role: 'assistant', content: null, turn_idx: 2, timestamp: '2025-07-01T00:00:02', cost: 0.002, usage: { completion_tokens: 50, prompt_tokens: 1200 }, generation_time_seconds: 1.25,
    tool_calls: [{ id: 'call_1', name: 'get_reservation_details', arguments: { reservation_id: 'EHGLP3' }, requestor: 'assistant' }, { id: 'call_2', name: 'get_user_details', arguments: { user_id: 'u1' }, requestor: 'assistant' }],
    raw_data: { id: 'chatcmpl-1', model: 'o4-mini', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, reasoning_content: 'Look the reservation up first.' } }] },
  },
  { role: 'tool', id: 'call_1', content: '{"reservation_id": "EHGLP3"}', requestor: 'assistant', error: false, turn_idx: 3, timestamp: '2025-07-01T00:00:03' },
  { role: 'tool', id: 'call_2', content: 'Error: user not found', requestor: 'assistant', error: true, turn_idx: 4, timestamp: '2025-07-01T00:00:03' },
  { role: 'assistant', content: 'I could not find your account.', tool_calls: null, turn_idx: 5, timestamp: '2025-07-01T00:00:04', usage: { completion_tokens: 8, prompt_tokens: 1300 }, raw_data: null },
];
const simulation = { id: 'sim-1', task_id: '7', timestamp: 't', start_time: 's', end_time: 'e', duration: 3, termination_reason: 'too_many_errors', agent_cost: 0.01, user_cost: 0.01, reward_info: { reward: 0, reward_basis: ['DB'] }, messages, ticks: null, trial: 0, seed: 1, mode: 'half_duplex' };
const results = (...simulations: unknown[]) => JSON.stringify({ timestamp: 't', info, tasks: [{ id: '7' }], simulations });

describe('tau2-bench results', () => {
  it("keeps how a run ended as its stop reason, and each model call's reasoning, usage and time", () => {
    const [t] = importText(results(simulation), 'results.json').trajectories;
    expect(t).toMatchObject({ id: 'task 7.0', model: 'o4-mini', reward: 0, stopReason: 'too_many_errors', recorded: { finished_naturally: false } });
    expect(t!.messages[2]!.reasoning_content).toBe('Look the reservation up first.');
    expect(t!.callStats).toEqual([null, { usage: { prompt_tokens: 1200, completion_tokens: 50, total_tokens: 1250 }, latencyMs: 1250 }, { usage: { prompt_tokens: 1300, completion_tokens: 8, total_tokens: 1308 } }]);
  });

  it('reads a full-duplex simulation from its ticks, as tau2 orders them', () => {
    const tick = (id: number, at: string, fields: Record<string, unknown>) => ({ tick_id: id, timestamp: at, agent_chunk: null, user_chunk: null, agent_tool_calls: [], user_tool_calls: [], agent_tool_results: [], user_tool_results: [], ...fields });
    const ticks = [
      tick(0, '2025-07-01T00:00:00.000', { agent_chunk: { role: 'assistant', content: 'Hello', timestamp: '2025-07-01T00:00:00.010', chunk_id: 0 } }),
      tick(1, '2025-07-01T00:00:00.050', {
        user_chunk: { role: 'user', content: 'Hi, cancel please', timestamp: '2025-07-01T00:00:00.060' },
        agent_tool_calls: [{ id: 'c1', name: 'lookup', arguments: { x: 1 } }],
        agent_tool_results: [{ id: 'c1', role: 'tool', content: 'ok', requestor: 'assistant', error: false, timestamp: '2025-07-01T00:00:00.055' }],
      }),
    ];
    const [t] = importText(results({ ...simulation, messages: null, ticks, mode: 'full_duplex', termination_reason: 'user_stop' }), 'voice.json').trajectories;
    expect(t!.messages).toEqual([
      { role: 'assistant', content: 'Hello' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"x":1}' } }], termination_reason: 'user_stop' },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'user', content: 'Hi, cancel please' },
    ]);
    expect(t!.recorded).toEqual({ finished_naturally: true });
  });

  it('opens one simulation of a run saved in the dir format, and says where the simulations of its results.json are', () => {
    const opened = importText(JSON.stringify(simulation), 'sim-1.json');
    expect(opened.format).toBe('tau2-bench');
    expect(opened.trajectories.map((t) => [t.id, t.stopReason, t.messages.length])).toEqual([['task 7.0', 'too_many_errors', 6]]);
    const index = JSON.stringify({ timestamp: 't', info, tasks: [{ id: '7' }], simulation_index: [{ id: 'sim-1', task_id: '7', trial: 0, reward: 0 }, { id: 'sim-2', task_id: '8', trial: 0, reward: 1 }] });
    expect(() => importText(index, 'results.json')).toThrow('results.json (looked like a tau2-bench results file): simulation_index: the results.json of a run saved in the dir format, which keeps its 2 simulations in simulations/<id>.json beside it; open those files');
  });
});
