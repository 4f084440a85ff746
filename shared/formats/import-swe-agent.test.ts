import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Small files in the layouts SWE-agent 1.x (`DefaultAgent.get_trajectory_data`) and mini-swe-agent
// 2.x (`DefaultAgent.serialize`, `mini-swe-agent-1.1`) write, for what the corpus does not hold:
// steps with recorded prompts, requeries, demonstrations, and mini-swe-agent's object files.

const main = { agent: 'main' };
const system = { role: 'system', content: 'SETTING: You are an autonomous programmer.', ...main, message_type: 'system_prompt' };
const issue = { role: 'user', content: 'Fix the off-by-one in a.py', ...main, message_type: 'observation' };
const look = {
  role: 'assistant', content: 'Look first.', thought: 'Look first.', action: 'ls', ...main,
  tool_calls: [{ function: { arguments: '{"command":"ls"}', name: 'bash' }, id: 'call_1', type: 'function' }],
  message_type: 'action', thinking_blocks: [{ type: 'thinking', thinking: 'ls shows the layout', signature: 'sig' }],
};
const listing = { role: 'tool', content: 'a.py\n(Open file: n/a)', ...main, message_type: 'observation', tool_call_ids: ['call_1'] };
const submit = {
  role: 'assistant', content: 'Submit.', thought: 'Submit.', action: 'submit', ...main,
  tool_calls: [{ function: { arguments: '{}', name: 'submit' }, id: 'call_2', type: 'function' }], message_type: 'action', thinking_blocks: [],
};
const diff = { role: 'tool', content: 'diff --git a/a.py b/a.py', ...main, message_type: 'observation', tool_call_ids: ['call_2'] };
const formatError = 'Your output could not be parsed properly.\nPlease make sure your output includes a thought and exactly _ONE_ function call.';

const step = (response: string, action: string, query: unknown[]) => ({ action, observation: '', response, thought: response, execution_time: 0.1, state: { open_file: 'n/a', working_dir: '/testbed' }, query, extra_info: {} });

/** A function-calling run with one format error: the rejected output is a step of its own. */
function functionCallingTraj(exitStatus: string): string {
  return JSON.stringify({
    trajectory: [
      step('Look first.', 'ls', [system, issue]),
      step('I will submit now', '', [system, issue, look, listing]),
      step('Submit.', 'submit', [system, issue, look, listing, { role: 'assistant', content: 'I will submit now', ...main, message_type: 'assistant' }, { role: 'user', content: formatError, ...main, message_type: 'user' }]),
    ],
    history: [system, issue, look, listing, submit, diff],
    info: { swe_agent_version: '1.1.0', submission: 'diff --git a/a.py b/a.py', exit_status: exitStatus, model_stats: { instance_cost: 0.12, tokens_sent: 3100, tokens_received: 210, api_calls: 3 } },
    replay_config: JSON.stringify({ env: { deployment: { type: 'docker' } }, agent: { name: 'main', model: { name: 'claude-sonnet-4-20250514', per_instance_cost_limit: 3 } } }),
    environment: 'main',
  }, null, 2);
}

describe('SWE-agent .traj with recorded prompts', () => {
  it('takes each turn its step query, skipping the step of a rejected output', () => {
    const { format, trajectories } = importText(functionCallingTraj('submitted'), 'run.traj');
    expect(format).toBe('swe-agent-traj');
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'run', model: 'claude-sonnet-4-20250514', recorded: { finished_naturally: true, turns_used: 3 } });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(t.messages[2]).toEqual({ role: 'assistant', content: 'Look first.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }], reasoning_content: 'ls shows the layout' });
    expect(t.messages[5]).toEqual({ role: 'tool', content: 'diff --git a/a.py b/a.py', tool_call_id: 'call_2' });
    // Three steps for two turns: the second step's output was rejected and never reached the history.
    expect(t.promptViews).toHaveLength(2);
    expect(t.promptViews![0]!.map((m) => m.content)).toEqual([system.content, issue.content]);
    expect(t.promptViews![1]!.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(t.promptViews![1]![3]).toEqual({ role: 'tool', content: listing.content, tool_call_id: 'call_1' });
    expect(t.promptViews![1]![5]!.content).toBe(formatError);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 2, reasoning_per_turn: ['ls shows the layout', null] });
  });

  it('records an autosubmission after a limit as not finished', () => {
    const t = importText(functionCallingTraj('submitted (exit_cost)'), 'cost.traj').trajectories[0]!;
    expect(t.recorded).toEqual({ finished_naturally: false, turns_used: 3 });
  });

  it('pairs older `messages` steps by position and keeps non-function-calling actions as text', () => {
    const action = (text: string) => ({ role: 'assistant', content: text, thought: text.split('\n')[0], action: text.split('```\n')[1]?.trim(), ...main });
    const first = 'DISCUSSION\nList the files.\n\n```\nls -a\n```';
    const second = 'DISCUSSION\nDone.\n\n```\nsubmit\n```';
    const observation = (text: string) => ({ role: 'user', content: text, ...main });
    // A demonstration put into the history entry by entry: the model saw it, but it is not a turn.
    const demo = [{ role: 'user', content: 'Demo issue', ...main, is_demo: true }, { role: 'assistant', content: 'DISCUSSION\ndemo\n```\nls\n```', ...main, is_demo: true }];
    const history = [system, ...demo, issue, action(first), observation('.  ..  a.py'), action(second), observation('diff')];
    const file = JSON.stringify({
      environment: 'swe_main',
      trajectory: [
        { action: 'ls -a', observation: '.  ..  a.py', response: first, state: '{}', thought: 'DISCUSSION', messages: [system, ...demo, issue] },
        { action: 'submit', observation: 'diff', response: second, state: '{}', thought: 'DISCUSSION', messages: [system, ...demo, issue, action(first), observation('.  ..  a.py')] },
      ],
      history,
      info: { exit_status: 'submitted', model_stats: { api_calls: 2 } },
    });
    const t = importText(file, 'old.traj').trajectories[0]!;
    expect(t.model).toBeNull();
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(t.messages.some((m) => m.tool_calls)).toBe(false);
    expect(t.messages[2]!.content).toBe(first);
    expect(t.promptViews!.map((v) => v!.length)).toEqual([4, 6]);
    expect(t.promptViews![0]![2]).toEqual({ role: 'assistant', content: 'DISCUSSION\ndemo\n```\nls\n```' });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 0, finished_naturally: true });
  });

  it('leaves promptViews out when no step records a prompt', () => {
    const file = JSON.parse(functionCallingTraj('submitted')) as { trajectory: Array<Record<string, unknown>> };
    for (const s of file.trajectory) delete s.query;
    expect(importText(JSON.stringify(file), 'x.traj').trajectories[0]!.promptViews).toBeUndefined();
  });

  it('reports a recorded prompt that does not fit, naming the step and field, and opens the rest', () => {
    const file = JSON.parse(functionCallingTraj('submitted')) as { trajectory: Array<{ query: Array<Record<string, unknown>> }> };
    delete file.trajectory[2]!.query[1]!.role;
    const { trajectories, problems } = importText(JSON.stringify(file), 'bad.traj');
    expect(problems).toEqual(["bad.traj: trajectory[2].query[1].role: Invalid input: expected string, received undefined; step 3's recorded prompt is left out"]);
    expect(trajectories[0]!.promptViews!.map((v) => v?.length ?? null)).toEqual([2, null]);
    expect(trajectories[0]!.messages).toHaveLength(6);
  });

  it("opens a run whose last step is the forced exit on a full context window (query: [{}])", () => {
    const file = JSON.parse(functionCallingTraj('exit_context')) as { trajectory: Array<Record<string, unknown>>; history: unknown[] };
    const exit = 'Exit due to context window';
    file.trajectory.push({ action: '', observation: exit, response: exit, thought: exit, execution_time: 0, state: {}, query: [{}], extra_info: {} });
    file.history.push({ role: 'assistant', content: exit, thought: exit, action: '', agent: 'main', tool_calls: null, message_type: 'action' });
    const { format, trajectories, problems } = importText(JSON.stringify(file), 'full.traj');
    expect(format).toBe('swe-agent-traj');
    expect(problems).toEqual(["full.traj: trajectory[3].query[0].role: Invalid input: expected string, received undefined; step 4's recorded prompt is left out"]);
    const t = trajectories[0]!;
    expect(t.messages).toHaveLength(7);
    expect(t.promptViews!.map((v) => v?.length ?? null)).toEqual([2, 6, null]);
    expect(t.stopReason).toBe('exit_context');
    expect(t.recorded.finished_naturally).toBe(false);
    expect(t.problems).toEqual(problems);
  });

  it('reports a history entry that does not fit and keeps the others', () => {
    const file = JSON.parse(functionCallingTraj('submitted')) as { history: Array<Record<string, unknown>> };
    file.history.splice(2, 0, { content: 'no role', agent: 'main' });
    const { trajectories, problems } = importText(JSON.stringify(file), 'odd.traj');
    expect(problems).toEqual(['odd.traj: history[2].role: Invalid input: expected string, received undefined; the message is left out']);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
  });

  it('flags a recorded api_calls of 0 that contradicts the assistant messages, and counts the messages', () => {
    const file = JSON.parse(functionCallingTraj('submitted')) as { info: { model_stats: { api_calls: number } } };
    file.info.model_stats.api_calls = 0;
    const t = importText(JSON.stringify(file), 'demo.traj').trajectories[0]!;
    // Shown as recorded...
    expect(t.recorded.turns_used).toBe(0);
    const derived = deriveAgentResult(t);
    // ...flagged, and not used as the count.
    expect(derived.contradicted).toEqual([{ field: 'turns_used', recorded: 0, derived: 2, note: 'contradicts the messages: they hold 2 assistant messages' }]);
    expect(derived.result.turns_used).toBe(2);
    // More calls than messages (requeries) is no contradiction.
    file.info.model_stats.api_calls = 3;
    expect(deriveAgentResult(importText(JSON.stringify(file), 'ok.traj').trajectories[0]!).contradicted).toEqual([]);
  });
});

/** A mini-swe-agent tool-calling run as `DefaultAgent.serialize` merges it with the model and environment. */
function miniFile(systemTemplate = 'You are a helpful assistant that can interact with a computer.'): Record<string, unknown> {
  const patch = 'diff --git a/a.py b/a.py\n-x = 1\n+x = 2\n';
  return {
    info: {
      model_stats: { instance_cost: 0.0123, api_calls: 3 },
      config: {
        agent: { system_template: systemTemplate, instance_template: '<pr_description>{{task}}</pr_description>', step_limit: 0, cost_limit: 3.0, output_path: null },
        agent_type: 'minisweagent.agents.default.DefaultAgent',
        model: { model_name: 'anthropic/claude-sonnet-4-5-20250929', model_kwargs: { temperature: 0.0 }, set_cache_control: null, cost_tracking: 'default' },
        model_type: 'minisweagent.models.litellm_toolcall_model.LitellmToolcallModel',
        environment: { cwd: '/testbed', env: {}, timeout: 30 },
        environment_type: 'minisweagent.environments.local.LocalEnvironment',
      },
      mini_version: '2.0.0',
      exit_status: 'Submitted',
      submission: patch,
    },
    messages: [
      { role: 'system', content: systemTemplate },
      { role: 'user', content: '<pr_description>x should be 2</pr_description>' },
      {
        role: 'assistant', content: 'Let me look.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command": "cat a.py"}' } }], function_call: null,
        extra: { actions: [{ command: 'cat a.py', tool_call_id: 'call_1' }], response: { id: 'chatcmpl-1', choices: [] }, cost: 0.004, timestamp: 1760000000.5 },
      },
      { role: 'tool', tool_call_id: 'call_1', content: '<returncode>0</returncode>\n<output>\nx = 1\n</output>', extra: { raw_output: 'x = 1\n', returncode: 0, timestamp: 1760000001.0 } },
      // A call of an unknown tool is rejected before it becomes a message: only the error is kept.
      { role: 'user', content: "Unknown tool 'edit'. Valid tools: ['bash']", extra: { interrupt_type: 'FormatError', tool_name: 'edit', valid_tools: ['bash'] } },
      {
        role: 'assistant', content: 'Fixing and submitting.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'bash', arguments: '{"command": "sed -i s/1/2/ a.py && echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff"}' } }],
        extra: { actions: [{ command: 'sed -i s/1/2/ a.py && echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff', tool_call_id: 'call_2' }], cost: 0.005, timestamp: 1760000002.0 },
      },
      { role: 'exit', content: patch, extra: { exit_status: 'Submitted', submission: patch } },
    ],
    trajectory_format: 'mini-swe-agent-1.1',
  };
}

describe('mini-swe-agent object files', () => {
  it('imports {info, messages, trajectory_format}: the model, the exit status, no extra and no exit message', () => {
    const text = JSON.stringify(miniFile(), null, 2);
    expect(detectFormat(text, 'run.traj.json')).toBe('mini-swe-agent');
    const { format, trajectories } = importText(text, 'run.traj.json');
    expect(format).toBe('mini-swe-agent');
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'run', model: 'anthropic/claude-sonnet-4-5-20250929', reward: null, recorded: { finished_naturally: true, turns_used: 3 } });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user', 'assistant']);
    expect(t.messages.some((m) => 'extra' in m)).toBe(false);
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '<returncode>0</returncode>\n<output>\nx = 1\n</output>' });
    // The submitting call ends the run inside the environment, so it has no tool message.
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 0 });
  });

  it('records a stop at a limit as not finished, and takes the exit status from the exit message when info has none', () => {
    const file = miniFile();
    const info = file.info as Record<string, unknown>;
    info.exit_status = '';
    const messages = file.messages as Array<Record<string, unknown>>;
    messages[messages.length - 1] = { role: 'exit', content: 'LimitsExceeded', extra: { exit_status: 'LimitsExceeded', submission: '' } };
    expect(importText(JSON.stringify(file), 'limit.traj.json').trajectories[0]!.recorded).toEqual({ finished_naturally: false, turns_used: 3 });
  });

  it('finds a file whose long info hides every telling key from the head', () => {
    const text = JSON.stringify(miniFile('x'.repeat(65536)), null, 2);
    expect(detectFormat(text.slice(0, 65536), 'long.traj.json')).toBeNull();
    expect(detectFormat(text, 'long.traj.json')).toBe('mini-swe-agent');
    const { format, trajectories } = importText(text, 'long.traj.json');
    expect(format).toBe('mini-swe-agent');
    expect(trajectories[0]!.messages).toHaveLength(6);
  });

  it('names the message that does not fit', () => {
    const file = miniFile();
    (file.messages as Array<Record<string, unknown>>)[2]!.role = 7;
    expect(() => importText(JSON.stringify(file), 'bad.traj.json')).toThrow('bad.traj.json (looked like a mini-swe-agent trajectory): messages[2].role: Invalid input: expected string, received number');
  });
});
