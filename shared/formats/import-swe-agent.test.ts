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

  it('takes a recorded api_calls of 0 (a replay, a demonstration) for no count, and flags a count below the messages', () => {
    const file = JSON.parse(functionCallingTraj('submitted')) as { info: { model_stats: { api_calls: number } } };
    file.info.model_stats.api_calls = 0;
    const replay = importText(JSON.stringify(file), 'demo.traj').trajectories[0]!;
    expect(replay.recorded).toEqual({ finished_naturally: true });
    expect(deriveAgentResult(replay)).toMatchObject({ contradicted: [], result: { turns_used: 2 } });
    // One call for two replies cannot be true: flagged, and the messages counted instead.
    file.info.model_stats.api_calls = 1;
    const wrong = importText(JSON.stringify(file), 'wrong.traj').trajectories[0]!;
    expect(wrong.recorded.turns_used).toBe(1);
    const derived = deriveAgentResult(wrong);
    expect(derived.contradicted).toEqual([{ field: 'turns_used', recorded: 1, derived: 2, note: 'contradicts the messages: they hold 2 assistant messages' }]);
    expect(derived.result.turns_used).toBe(2);
    // More calls than messages (requeries) is no contradiction.
    file.info.model_stats.api_calls = 3;
    expect(deriveAgentResult(importText(JSON.stringify(file), 'ok.traj').trajectories[0]!).contradicted).toEqual([]);
  });

  it('keeps the one user message SWE-agent 0.x rendered its demonstration into (is_demo, no message_type)', () => {
    const primary = { agent: 'primary' };
    const demo = { ...primary, content: 'Here is a demonstration of how to correctly accomplish this task.\nDISCUSSION\ndemo\n```\nls\n```', is_demo: true, role: 'user' };
    const reply = 'DISCUSSION\nDone.\n\n```\nsubmit\n```';
    const history = [{ role: 'system', content: 'SETTING: ...', ...primary }, demo, { role: 'user', content: 'ISSUE: x should be 2', ...primary }, { role: 'assistant', content: reply, thought: 'DISCUSSION\nDone.', action: 'submit\n', ...primary }];
    const file = { environment: 'swe_main', trajectory: [{ action: 'submit\n', observation: 'diff', response: reply, state: '{}', thought: 'DISCUSSION\nDone.' }], history, info: { exit_status: 'submitted', model_stats: { api_calls: 1 } } };
    const t = importText(JSON.stringify(file), 'i1.traj').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'user', 'assistant']);
    expect(t.messages[1]).toEqual({ role: 'user', content: demo.content });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 1, finished_naturally: true });
  });

  it('reports the steps after the last turn that a function-calling run leaves out of its history', () => {
    // SWE-agent 1.0 left the final step (the submit and its diff) out of the history; the step
    // records no tool call to answer with the diff.
    const file = {
      trajectory: [step('Look first.', 'ls', [system, issue]), { ...step('Submit.', 'submit', [system, issue, look, listing]), observation: 'diff --git a/a.py b/a.py' }],
      history: [system, issue, look, listing],
      info: { exit_status: 'submitted', model_stats: { api_calls: 2 } },
    };
    const { trajectories, problems } = importText(JSON.stringify(file), 'fc.traj');
    expect(problems).toEqual(['fc.traj: trajectory[1]: not in the history, and a step records no tool call to rebuild a function-calling turn from; the step is left out']);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(t.promptViews).toHaveLength(1);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1 });
  });

  it('rebuilds a text-action turn that the history leaves out from its step, with the observation as recorded', () => {
    const first = 'DISCUSSION\nList the files.\n\n```\nls -a\n```';
    const second = 'DISCUSSION\nDone.\n\n```\nsubmit\n```';
    const reply = (text: string) => ({ role: 'assistant', content: text, thought: 'DISCUSSION', action: text.split('```\n')[1]!.trim(), ...main });
    const listed = { role: 'user', content: '.  ..  a.py\n(Open file: n/a)', ...main };
    const file = {
      trajectory: [
        { action: 'ls -a', observation: '.  ..  a.py', response: first, state: '{}', thought: 'DISCUSSION', messages: [system, issue] },
        { action: 'submit', observation: 'diff --git a/a.py b/a.py', response: second, state: '{}', thought: 'DISCUSSION', messages: [system, issue, reply(first), listed] },
      ],
      history: [system, issue, reply(first), listed],
      info: { exit_status: 'submitted', model_stats: { api_calls: 2 } },
    };
    const { trajectories, problems } = importText(JSON.stringify(file), 'text.traj');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.slice(4)).toEqual([{ role: 'assistant', content: second }, { role: 'user', content: 'diff --git a/a.py b/a.py' }]);
    expect(t.promptViews!.map((v) => v!.length)).toEqual([2, 4]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 0, finished_naturally: true });
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
  it('imports {info, messages, trajectory_format}: the model, the exit status, no extra, and the submission as the submitting call\'s result', () => {
    const text = JSON.stringify(miniFile(), null, 2);
    expect(detectFormat(text, 'run.traj.json')).toBe('mini-swe-agent');
    const { format, trajectories } = importText(text, 'run.traj.json');
    expect(format).toBe('mini-swe-agent');
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'run', model: 'anthropic/claude-sonnet-4-5-20250929', reward: null, recorded: { finished_naturally: true, turns_used: 3 } });
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user', 'assistant', 'tool']);
    expect(t.messages.some((m) => 'extra' in m)).toBe(false);
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '<returncode>0</returncode>\n<output>\nx = 1\n</output>' });
    // The submitting call ends the run inside the environment before it gets a tool message: the
    // exit message's submission is its result.
    expect(t.messages[6]).toEqual({ role: 'tool', tool_call_id: 'call_2', content: 'diff --git a/a.py b/a.py\n-x = 1\n+x = 2\n' });
    expect(t.stopReason).toBe('Submitted');
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 2, tool_calls_exec_error: 0 });
  });

  it('records a stop at a limit as not finished, and takes the exit status from the exit message when info has none', () => {
    const file = miniFile();
    const info = file.info as Record<string, unknown>;
    info.exit_status = '';
    const messages = file.messages as Array<Record<string, unknown>>;
    messages[messages.length - 1] = { role: 'exit', content: 'LimitsExceeded', extra: { exit_status: 'LimitsExceeded', submission: '' } };
    expect(importText(JSON.stringify(file), 'limit.traj.json').trajectories[0]!.recorded).toEqual({ finished_naturally: false, turns_used: 3 });
  });

  it('takes the reasoning of a reply that has none from the raw response in extra', () => {
    const file = miniFile();
    const messages = file.messages as Array<Record<string, unknown> & { extra: Record<string, unknown> }>;
    // OpenRouter's Gemini returns the reasoning in the response only.
    messages[2]!.extra.response = { choices: [{ message: { role: 'assistant', content: 'Let me look.', reasoning: 'Read a.py first.', reasoning_details: [{ type: 'reasoning.text', text: 'Read a.py first.' }] } }] };
    messages[5]!.extra.response = { choices: [{ message: { role: 'assistant', content: 'Fixing and submitting.', reasoning_details: [{ type: 'reasoning.text', text: 'x = 2 fixes it.' }] } }] };
    const t = importText(JSON.stringify(file), 'gemini.traj.json').trajectories[0]!;
    expect(t.messages[2]).toMatchObject({ reasoning_content: 'Read a.py first.' });
    expect(t.messages[5]).toMatchObject({ reasoning_content: 'x = 2 fixes it.' });
    expect(t.messages.some((m) => 'extra' in m)).toBe(false);
    // A reply's own reasoning is kept.
    (messages[2] as Record<string, unknown>).reasoning_content = 'its own';
    expect(importText(JSON.stringify(file), 'own.traj.json').trajectories[0]!.messages[2]!.reasoning_content).toBe('its own');
  });

  it('keeps the error of a run whose model call raised, and does not count the failed call as a turn', () => {
    const error = 'litellm.RateLimitError: RateLimitError: OpenAIException - You exceeded your current quota';
    const crash = { role: 'exit', content: error, extra: { exit_status: 'RateLimitError', submission: '', exception_str: error, traceback: `Traceback (most recent call last):\n  ...\n${error}\n` } };
    const file = miniFile();
    const info = file.info as { exit_status: string; model_stats: { api_calls: number } };
    info.exit_status = 'RateLimitError';
    info.model_stats.api_calls = 1;
    const messages = file.messages as unknown[];
    file.messages = [messages[0], messages[1], crash];
    const before = importText(JSON.stringify(file), 'ratelimit.traj.json').trajectories[0]!;
    expect(before.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(before.recorded).toEqual({ finished_naturally: false });
    expect(before.stopReason).toBe(`RateLimitError: ${error}`);
    expect(deriveAgentResult(before).result.turns_used).toBe(0);
    // Raised on the second call: the first is a turn.
    info.model_stats.api_calls = 2;
    file.messages = [...messages.slice(0, 4), crash];
    expect(importText(JSON.stringify(file), 'later.traj.json').trajectories[0]!.recorded).toEqual({ finished_naturally: false, turns_used: 1 });
  });

  it('keeps the error of a 1.x run that raised, saved as its exit status and submission', () => {
    // mini-swe-agent 1.x: `save_traj(..., exit_status=type(e).__name__, result=str(e), extra_info={"traceback": ...})`.
    const file = { info: { exit_status: 'TimeoutExpired', submission: "Command 'pytest' timed out after 60 seconds\nmore", traceback: 'Traceback (most recent call last):\n...', model_stats: { instance_cost: 0.01, api_calls: 2 }, mini_version: '1.9.0' }, messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'Fix it.' }, { role: 'assistant', content: '```bash\npytest\n```' }], trajectory_format: 'mini-swe-agent-1' };
    const t = importText(JSON.stringify(file), 'timeout.traj.json').trajectories[0]!;
    expect([t.stopReason, t.recorded]).toEqual(["TimeoutExpired: Command 'pytest' timed out after 60 seconds", { finished_naturally: false, turns_used: 2 }]);
  });

  it('reports an exit message that does not fit and opens the rest', () => {
    const file = miniFile();
    const messages = file.messages as Array<Record<string, unknown>>;
    messages[messages.length - 1] = { role: 'exit', content: '', extra: { exit_status: 5 } };
    const { trajectories, problems } = importText(JSON.stringify(file), 'exit.traj.json');
    expect(problems).toEqual(['exit.traj.json: messages[6].extra.exit_status: Invalid input: expected string, received number; the exit message is left out']);
    expect(trajectories[0]!).toMatchObject({ stopReason: 'Submitted', recorded: { finished_naturally: true } });
    expect(trajectories[0]!.messages).toHaveLength(6);
  });

  it('reads a Responses-API run: response objects as turns, function_call_output items as tool messages', () => {
    const patch = 'diff --git a/a.py b/a.py\n-x = 1\n+x = 2\n';
    const file = {
      info: {
        model_stats: { instance_cost: 0.02, api_calls: 3 },
        config: { model: { model_name: 'openai/gpt-5.5' }, model_type: 'minisweagent.models.litellm_response_model.LitellmResponseModel' },
        mini_version: '2.2.8', exit_status: 'Submitted', submission: patch,
      },
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'x should be 2 in a.py' },
        {
          id: 'resp_1', object: 'response', model: 'gpt-5.5', status: 'completed',
          output: [
            { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Read a.py first.' }], encrypted_content: 'gAAAA' },
            { type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Looking.', annotations: [] }] },
            { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'bash', arguments: '{"command": "cat a.py"}', status: 'completed' },
          ],
          extra: { actions: [{ command: 'cat a.py', tool_call_id: 'call_1' }], cost: 0.01, timestamp: 1760000000.5 },
        },
        { type: 'function_call_output', call_id: 'call_1', output: '<returncode>0</returncode>\n<output>\nx = 1\n</output>', extra: { raw_output: 'x = 1\n', returncode: 0 } },
        // A reply without a tool call is rejected: only the error reaches the messages.
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'No tool calls found in the response.' }], extra: { interrupt_type: 'FormatError' } },
        {
          id: 'resp_3', object: 'response', model: 'gpt-5.5', status: 'completed',
          // An output message item is the model's even without its role.
          output: [{ type: 'message', content: [{ type: 'output_text', text: 'Submitting.' }] }, { type: 'function_call', call_id: 'call_2', name: 'bash', arguments: '{"command": "sed -i s/1/2/ a.py && echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff"}' }],
          extra: { actions: [{ command: 'sed -i s/1/2/ a.py && echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff', tool_call_id: 'call_2' }], cost: 0.01 },
        },
        { role: 'exit', content: patch, extra: { exit_status: 'Submitted', submission: patch } },
      ],
      trajectory_format: 'mini-swe-agent-1.1',
    };
    const { format, trajectories, problems } = importText(JSON.stringify(file), 'responses.traj.json');
    expect(format).toBe('mini-swe-agent');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.model).toBe('openai/gpt-5.5');
    expect(t.messages).toEqual([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: 'x should be 2 in a.py' },
      {
        role: 'assistant', content: 'Looking.', reasoning_content: 'Read a.py first.', reasoning_details: [{ type: 'reasoning.encrypted', id: 'rs_1', data: 'gAAAA' }],
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command": "cat a.py"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '<returncode>0</returncode>\n<output>\nx = 1\n</output>' },
      { role: 'user', content: 'No tool calls found in the response.' },
      { role: 'assistant', content: 'Submitting.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'bash', arguments: '{"command": "sed -i s/1/2/ a.py && echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT && git diff"}' } }] },
      { role: 'tool', tool_call_id: 'call_2', content: patch },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 2, reasoning_per_turn: ['Read a.py first.', null] });
  });

  it('finds a file whose long info hides every telling key from the head', () => {
    const text = JSON.stringify(miniFile('x'.repeat(65536)), null, 2);
    expect(detectFormat(text.slice(0, 65536), 'long.traj.json')).toBeNull();
    expect(detectFormat(text, 'long.traj.json')).toBe('mini-swe-agent');
    const { format, trajectories } = importText(text, 'long.traj.json');
    expect(format).toBe('mini-swe-agent');
    expect(trajectories[0]!.messages).toHaveLength(7);
  });

  it('names the message that does not fit', () => {
    const file = miniFile();
    (file.messages as Array<Record<string, unknown>>)[2]!.role = 7;
    expect(() => importText(JSON.stringify(file), 'bad.traj.json')).toThrow('bad.traj.json (looked like a mini-swe-agent trajectory): messages[2].role: Invalid input: expected string, received number');
  });
});

describe("SWE-agent RetryAgent .traj (its attempts)", () => {
  // `RetryAgent.get_trajectory_data`: every attempt's own `.traj` under `attempts`; once chosen,
  // the best attempt copied to the top, with the model calls of all attempts in its `model_stats`.
  const attempt = (exitStatus: string, calls: number, history: unknown[]) => ({
    trajectory: [], history, replay_config: null, environment: 'main',
    info: { exit_status: exitStatus, submission: 'diff', model_stats: { instance_cost: 0.1, api_calls: calls } },
  });
  const attempts = [attempt('exit_cost', 7, [system, issue, look, listing]), attempt('submitted', 2, [system, issue, look, listing, submit, diff])];

  it('opens each attempt as a trajectory of its own, with its own status and calls, the chosen one scored', () => {
    const chosen = { attempts, ...attempts[1], info: { ...attempts[1]!.info, best_attempt_idx: 1, model_stats: { instance_cost: 0.2, api_calls: 9 } } };
    const { format, trajectories } = importText(JSON.stringify(chosen), 'retry.traj');
    expect(format).toBe('swe-agent-traj');
    expect(trajectories.map((t) => [t.id, t.stopReason, t.recorded, t.messages.length, t.group, t.evaluation])).toEqual([
      ['retry attempt 1', 'exit_cost', { finished_naturally: false, turns_used: 7 }, 4, { id: 'retry', index: 0, size: 2, score: 0 }, { scores: [{ scorer: 'best_attempt', value: false }] }],
      ['retry attempt 2', 'submitted', { finished_naturally: true, turns_used: 2 }, 6, { id: 'retry', index: 1, size: 2, score: 1 }, { scores: [{ scorer: 'best_attempt', value: true }] }],
    ]);
  });

  it('opens a file saved before an attempt was chosen, which holds only the attempts', () => {
    const { format, trajectories } = importText(JSON.stringify({ attempts: attempts.slice(0, 1) }), 'retry.traj');
    expect(format).toBe('swe-agent-traj');
    expect(trajectories.map((t) => [t.id, t.stopReason, t.group])).toEqual([['retry attempt 1', 'exit_cost', { id: 'retry', index: 0, size: 1, score: null }]]);
    expect(trajectories[0]!.evaluation).toBeUndefined();
  });
});
