import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../electron/testing/corpus.js';
import { detectRecord, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Event lists in the layout OpenHands saves (see corpus/openhands_basic.json), for what the corpus
// file does not show: a system action with tools, one response asking for two calls, an error
// observation, a plain agent message, bookkeeping events, and a non-function-calling run.

const bash = { type: 'function', function: { name: 'execute_bash', description: 'Execute a bash command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };
const editor = { type: 'function', function: { name: 'str_replace_editor', description: 'View and edit files.', parameters: { type: 'object', properties: { command: { type: 'string' }, path: { type: 'string' } }, required: ['command', 'path'] } } };

function response(id: string, content: string, calls: Array<[string, string, unknown]>, extra: Record<string, unknown> = {}) {
  return {
    id, created: 1738046713, model: 'litellm_proxy/claude-sonnet-4-20250514', object: 'chat.completion',
    choices: [{ finish_reason: calls.length ? 'tool_calls' : 'stop', index: 0, message: { content, role: 'assistant', tool_calls: calls.map(([callId, name, args], i) => ({ index: i, function: { arguments: JSON.stringify(args), name }, id: callId, type: 'function' })), function_call: null, ...extra } }],
    usage: { completion_tokens: 50, prompt_tokens: 900, total_tokens: 950 },
  };
}

function events(): unknown[] {
  const first = response('chatcmpl-1', 'Let me look around.', [['toolu_1', 'execute_bash', { command: 'ls' }], ['toolu_2', 'str_replace_editor', { command: 'view', path: '/workspace/missing.py' }]], { reasoning_content: 'Two looks at once.' });
  const meta = (callId: string, name: string) => ({ function_name: name, tool_call_id: callId, model_response: first, total_calls_in_response: 2 });
  return [
    { id: 0, timestamp: '2025-06-01T10:00:00', source: 'agent', message: 'You are OpenHands agent...', action: 'system', args: { content: 'You are OpenHands agent, a helpful AI assistant.', tools: [bash, editor], openhands_version: '0.40.0', agent_class: 'CodeActAgent' } },
    { id: 1, timestamp: '2025-06-01T10:00:01', source: 'user', message: 'What is in the workspace?', action: 'message', args: { content: 'What is in the workspace?', image_urls: null, wait_for_response: false } },
    { id: 2, timestamp: '2025-06-01T10:00:01', source: 'environment', message: '', observation: 'agent_state_changed', content: '', extras: { agent_state: 'running', reason: '' } },
    { id: 3, timestamp: '2025-06-01T10:00:05', source: 'agent', message: 'Running command: ls', action: 'run', tool_call_metadata: meta('toolu_1', 'execute_bash'), args: { command: 'ls', is_input: false, thought: 'Let me look around.', blocking: false, hidden: false, confirmation_state: 'confirmed' } },
    { id: 4, timestamp: '2025-06-01T10:00:05', source: 'agent', message: 'Reading file: /workspace/missing.py', action: 'read', tool_call_metadata: meta('toolu_2', 'str_replace_editor'), args: { path: '/workspace/missing.py', start: 0, end: -1, thought: '', impl_source: 'oh_aci' } },
    { id: 5, timestamp: '2025-06-01T10:00:06', source: 'agent', message: 'Command `ls` executed with exit code 0.', cause: 3, observation: 'run', tool_call_metadata: meta('toolu_1', 'execute_bash'), content: 'README.md\nsrc', extras: { command: 'ls', metadata: { exit_code: 0, working_dir: '/workspace' } } },
    { id: 6, timestamp: '2025-06-01T10:00:06', source: 'agent', message: 'ERROR: file not found', cause: 4, observation: 'error', content: 'Invalid `path` parameter: /workspace/missing.py. The path /workspace/missing.py does not exist.', extras: { error_id: '' } },
    { id: 7, timestamp: '2025-06-01T10:00:09', source: 'agent', message: 'The workspace holds README.md and src/.', action: 'message', args: { content: 'The workspace holds README.md and src/.', image_urls: null, wait_for_response: true } },
    { id: 8, timestamp: '2025-06-01T10:00:09', source: 'agent', message: '', action: 'change_agent_state', args: { agent_state: 'awaiting_user_input', thought: '' } },
  ];
}

describe('OpenHands event lists', () => {
  it('makes one turn of one response, answers each call, and counts an error observation as a raised tool', () => {
    const { format, trajectories } = importText(JSON.stringify(events(), null, 2), 'events.json');
    expect(format).toBe('openhands-events');
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'events', model: 'litellm_proxy/claude-sonnet-4-20250514', recorded: {} });
    expect(t.tools).toEqual([bash, editor]);
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(t.messages[2]!.tool_calls!.map((c) => [c.id, c.function.name, c.function.arguments])).toEqual([['toolu_1', 'execute_bash', '{"command":"ls"}'], ['toolu_2', 'str_replace_editor', '{"command":"view","path":"/workspace/missing.py"}']]);
    expect(t.messages[2]!.reasoning_content).toBe('Two looks at once.');
    // The command's output as OpenHands framed it from its recorded metadata (to_agent_observation).
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', name: 'execute_bash', content: 'README.md\nsrc\n[Current working directory: /workspace]\n[Command finished with exit code 0]' });
    // The error observation has no metadata of its own: its cause (event 4) names the call.
    expect(t.messages[4]).toEqual({ role: 'tool', tool_call_id: 'toolu_2', name: 'str_replace_editor', content: '{"error": "Tool execution failed: ErrorObservation: Invalid `path` parameter: /workspace/missing.py. The path /workspace/missing.py does not exist."}' });
    expect(t.messages[5]).toEqual({ role: 'assistant', content: 'The workspace holds README.md and src/.' });
    const d = deriveAgentResult(t);
    expect(d.result).toMatchObject({ turns_used: 2, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['Two looks at once.', null] });
    expect(d.result.tool_errors.map((e) => [e.turn, e.tool_name, e.error.slice(0, 38)])).toEqual([[1, 'str_replace_editor', 'ErrorObservation: Invalid `path` param']]);
    expect(d.derived).toContain('finished_naturally');
    // The response's usage is the first turn's; the plain message after it records none.
    expect(t.callStats).toEqual([{ usage: { completion_tokens: 50, prompt_tokens: 900, total_tokens: 950 } }, null]);
  });

  it('reads each model call’s usage from its response in the corpus file, the cache counts as LiteLLM wrote them', () => {
    const t = importText(readFileSync(corpusPath('openhands_basic.json'), 'utf8'), 'openhands_basic.json').trajectories[0]!;
    expect(t.messages.filter((m) => m.role === 'assistant')).toHaveLength(2);
    expect(t.callStats!.map((s) => s && [s.usage!.prompt_tokens, s.usage!.completion_tokens, (s.usage!.prompt_tokens_details as { cached_tokens: number }).cached_tokens])).toEqual([
      [3486, 1135, 0],
      [4646, 177, 3482],
    ]);
  });

  it('keeps a non-function-calling run as text: the thought and action, the observation as the user', () => {
    const list = [
      { id: 0, source: 'user', message: 'List the files', action: 'message', args: { content: 'List the files' } },
      { id: 1, source: 'agent', message: 'Running command: ls', action: 'run', args: { command: 'ls', thought: 'I will list them.' } },
      { id: 2, source: 'agent', message: 'Command `ls` executed with exit code 0.', cause: 1, observation: 'run', content: 'a.py', extras: { command: 'ls' } },
      { id: 3, source: 'agent', message: 'All done! a.py is the only file.', action: 'finish', args: { outputs: {}, thought: 'All done! a.py is the only file.' } },
    ];
    const t = importText(JSON.stringify(list), 'plain.json').trajectories[0]!;
    expect(t.model).toBeNull();
    expect(t.messages).toEqual([
      { role: 'user', content: 'List the files' },
      { role: 'assistant', content: 'I will list them.\nRunning command: ls' },
      { role: 'user', content: 'a.py' },
      { role: 'assistant', content: 'All done! a.py is the only file.' },
    ]);
    expect(t.recorded).toEqual({ finished_naturally: true });
  });

  it('reports the event that does not fit by its field and opens the rest', () => {
    const list = events() as Array<Record<string, unknown>>;
    list[3]!.tool_call_metadata = { function_name: 'execute_bash', model_response: null };
    const { trajectories, problems } = importText(JSON.stringify(list), 'bad.json');
    expect(problems).toEqual(['bad.json: [3].tool_call_metadata.tool_call_id: Invalid input: expected string, received undefined; the event is left out']);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
  });
});

describe('how an OpenHands run ended', () => {
  const stateChanged = (id: number, state: string, reason = '') => ({ id, timestamp: '2025-06-01T10:01:00', source: 'environment', message: '', observation: 'agent_state_changed', content: '', extras: { agent_state: state, reason } });

  it('sends an error that answers no tool call to the model as a user message, as ConversationMemory does', () => {
    const stuck = { id: 9, timestamp: '2025-06-01T10:00:10', source: 'agent', message: 'Agent got stuck', observation: 'error', content: 'AgentStuckInLoopError: Agent got stuck in a loop', extras: { error_id: 'AGENT_STUCK_IN_LOOP_ERROR' } };
    const rejected = { id: 10, timestamp: '2025-06-01T10:00:11', source: 'user', message: 'Rejected', observation: 'user_rejected', content: 'Do not delete files.', extras: {} };
    const t = importText(JSON.stringify([...events(), stuck, rejected]), 'events.json').trajectories[0]!;
    expect(t.messages.slice(-2)).toEqual([
      { role: 'user', content: 'AgentStuckInLoopError: Agent got stuck in a loop\n[Error occurred in processing last action]' },
      { role: 'user', content: 'OBSERVATION:\nDo not delete files.\n[Last action has been rejected by the user]' },
    ]);
  });

  it('takes the stop reason from the last state a run ends in, an error state as not finished', () => {
    const limit = 'RuntimeError: Agent reached maximum iteration. Current iteration: 30, max iteration: 30';
    const errored = importText(JSON.stringify([...events(), stateChanged(9, 'error', limit)]), 'events.json').trajectories[0]!;
    expect([errored.stopReason, errored.recorded]).toEqual([`error: ${limit}`, { finished_naturally: false }]);
    const waiting = importText(JSON.stringify([...events(), stateChanged(9, 'awaiting_user_input')]), 'events.json').trajectories[0]!;
    expect([waiting.stopReason, waiting.recorded]).toEqual(['awaiting_user_input', {}]);
    // A list saved while the run went on says nothing of its end.
    const running = importText(JSON.stringify([...events(), stateChanged(9, 'error', 'x'), stateChanged(10, 'running')]), 'events.json').trajectories[0]!;
    expect([running.stopReason ?? null, running.recorded]).toEqual([null, {}]);
  });
});

describe('OpenHands evaluation outputs', () => {
  const line = (instanceId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ instance_id: instanceId, instruction: 'Fix the bug.', metadata: { agent_class: 'CodeActAgent', llm_config: { model: 'claude-sonnet-4' }, max_iterations: 30 }, history: events(), metrics: { accumulated_cost: 0.1 }, error: null, test_result: { git_patch: 'diff --git a/x b/x' }, ...extra });

  it('opens one evaluation line saved as a .json file as that evaluation, not as a SWE-agent .traj', () => {
    const { format, trajectories, problems } = importText(line('django__django-11099'), 'django__django-11099.json');
    expect([format, problems]).toEqual(['openhands-eval-jsonl', []]);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
  });

  it('opens output.jsonl: one trajectory per instance, named by its id, with its outcome', () => {
    const text = [line('django__django-11099', { test_result: { git_patch: 'diff', report: { resolved: true } } }), line('sympy__sympy-20590', { error: 'Agent got stuck in a loop\nTraceback ...' })].join('\n');
    const { format, trajectories, problems } = importText(text, 'output.jsonl');
    expect(format).toBe('openhands-eval-jsonl');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.id, t.reward, t.stopReason ?? null, t.recorded.finished_naturally ?? null])).toEqual([
      ['django__django-11099', 1, null, null],
      ['sympy__sympy-20590', null, 'error: Agent got stuck in a loop', false],
    ]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(t.evaluation).toEqual({ scores: [{ scorer: 'test_result', value: { git_patch: 'diff', report: { resolved: true } } }], metadata: { instance_id: 'django__django-11099' } });
  });

  it('reads older histories of [action, observation] pairs', () => {
    const list = events();
    const pairs = [[list[1], list[2]], [list[3], list[5]], [list[4], list[6]], [list[7], {}]];
    const t = importText(line('a', { history: pairs }), 'output.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
  });

  it('reads OpenDevin\'s 2024 benchmark outputs: question_id, values written as Python strs, correct as the reward', () => {
    const none = { message: 'No observation', observation: 'null', content: '' };
    const pairs = [
      [{ id: 0, source: 'user', message: 'Write the API call.', action: 'message', args: { content: 'Write the API call.' } }, none],
      [{ id: 1, source: 'agent', message: 'model = torch.hub.load(...)', action: 'message', args: { content: 'model = torch.hub.load(...)' } }, none],
      [{ id: 2, source: 'agent', message: 'All done!', action: 'finish', args: { outputs: {}, thought: '' } }, none],
    ];
    const row = (id: string, correct: string) => JSON.stringify({ question_id: id, text: 'answer', correct, hallucination: 'False', model_id: 'gpt-4o-2024-05-13', metadata: "{'hub': 'torch', 'agent_class': 'CodeActAgent'}", history: pairs, error: 'None' });
    const { format, trajectories, problems } = importText([row('1', 'True'), row('2', 'False')].join('\n'), 'output_gpt-4o_torch.jsonl');
    expect([format, problems]).toEqual(['openhands-eval-jsonl', []]);
    expect(trajectories.map((t) => [t.id, t.model, t.reward, t.stopReason ?? null])).toEqual([['1', 'gpt-4o-2024-05-13', 1, null], ['2', 'gpt-4o-2024-05-13', 0, null]]);
    expect(trajectories[0]!.evaluation).toEqual({ scores: [{ scorer: 'correct', value: 'True' }], metadata: { question_id: '1' } });
    // A question_id beside a history of anything but OpenHands events is not such an output.
    expect(detectRecord({ question_id: '1', history: [{ role: 'user', content: 'hi' }] }, 'line')).not.toBe('openhands-eval-jsonl');
  });

  it('never opens an event list as empty without a problem saying why', () => {
    const bookkeeping = [{ id: 0, source: 'environment', observation: 'agent_state_changed', content: '', extras: { agent_state: 'running' } }, { id: 1, action: 'change_agent_state', args: { agent_state: 'stopped' } }];
    const { trajectories, problems } = importText(JSON.stringify(bookkeeping), 'old.json');
    expect(trajectories[0]!.messages).toEqual([]);
    expect(problems).toEqual(['old.json: the event list: the trajectory is empty: none of its 2 events is a user or agent message or action (environment/observation agent_state_changed, no source/change_agent_state)']);
  });
});

describe('OpenHands images', () => {
  it('keeps the images a user message action attaches as image parts', () => {
    const list = events() as Array<Record<string, unknown>>;
    list[1] = { ...list[1], args: { content: 'What is in the picture?', image_urls: ['data:image/png;base64,AAAA'], wait_for_response: false } };
    const t = importText(JSON.stringify(list), 'img.json').trajectories[0]!;
    expect(t.messages[1]!.content).toEqual([{ type: 'text', text: 'What is in the picture?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }]);
  });
});

describe('OpenHands command observations', () => {
  // Commands as OpenHands records them since its PS1 metadata: the output in `content`, what the
  // prompt adds around it in `extras.metadata`.
  const run = (id: number, callId: string, content: string, metadata: Record<string, unknown>) => [
    { id, source: 'agent', message: 'Running command', action: 'run', tool_call_metadata: { function_name: 'execute_bash', tool_call_id: callId, model_response: response(`chatcmpl-${id}`, '', [[callId, 'execute_bash', { command: 'x' }]]) }, args: { command: 'x', thought: '' } },
    { id: id + 1, source: 'agent', message: 'Command executed', cause: id, observation: 'run', content, extras: { command: 'x', metadata, hidden: false } },
  ];
  const done = { exit_code: 0, pid: -1, username: 'openhands', hostname: 'c0ffee', working_dir: '/workspace', py_interpreter_path: '/usr/bin/python', prefix: '', suffix: '\n[The command completed with exit code 0.]' };
  const waiting = { exit_code: -1, pid: -1, username: null, hostname: null, working_dir: null, py_interpreter_path: null, prefix: '', suffix: '\n[The command has no new output after 30 seconds. You may wait longer to see additional output by sending empty command \'\', send other commands to interact with the current process, or send keys to interrupt/kill the command.]' };

  it('gives each command result the text the model was shown: prefix, output and suffix, then the directory, interpreter and exit code', () => {
    const list = [
      { id: 0, source: 'user', message: 'Set it up', action: 'message', args: { content: 'Set it up' } },
      ...run(1, 'toolu_a', '', done),
      ...run(3, 'toolu_b', 'Serving HTTP on 0.0.0.0 port 8000 ...', waiting),
      ...run(5, 'toolu_c', 'continued', { ...done, exit_code: 2, prefix: '[Below is the output of the previous command.]\n', suffix: '\n[The command completed with exit code 2.]' }),
    ];
    const t = importText(JSON.stringify(list), 'commands.json').trajectories[0]!;
    expect(t.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      // An empty output still shows the model the suffix and the metadata lines.
      '\n[The command completed with exit code 0.]\n[Current working directory: /workspace]\n[Python interpreter: /usr/bin/python]\n[Command finished with exit code 0]',
      // A command still running (-1) has no exit code line; the suffix tells the model to wait.
      `Serving HTTP on 0.0.0.0 port 8000 ...${waiting.suffix}`,
      '[Below is the output of the previous command.]\ncontinued\n[The command completed with exit code 2.]\n[Current working directory: /workspace]\n[Python interpreter: /usr/bin/python]\n[Command finished with exit code 2]',
    ]);
  });
});

describe('OpenHands V1 (software-agent-sdk) events', () => {
  // Events as the SDK serializes them (`kind` names the class; ids are UUIDs), in its current shape:
  // observations hold `content` items and `is_error`.
  const text = (t: string) => ({ cache_prompt: false, type: 'text', text: t });
  const terminal = { type: 'function', function: { name: 'terminal', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };
  const finish = { type: 'function', function: { name: 'finish', description: 'End the task.', parameters: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] } } };
  const action = (id: string, responseId: string, callId: string, name: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    kind: 'ActionEvent', id, timestamp: '2026-01-10T09:00:00', source: 'agent', thought: [], thinking_blocks: [],
    action: { ...args, kind: name === 'finish' ? 'FinishAction' : 'TerminalAction' }, tool_name: name, tool_call_id: callId,
    tool_call: { id: callId, name, arguments: JSON.stringify(args), origin: 'completion' }, llm_response_id: responseId, security_risk: 'UNKNOWN', ...extra,
  });
  const metadata = (exitCode: number) => ({ exit_code: exitCode, pid: -1, username: 'openhands', hostname: 'h', working_dir: '/work', py_interpreter_path: '/usr/bin/python', prefix: '', suffix: `\n[The command completed with exit code ${exitCode}.]` });
  const observed = (id: string, actionId: string, callId: string, observation: Record<string, unknown>) => ({ kind: 'ObservationEvent', id, timestamp: '2026-01-10T09:00:01', source: 'environment', tool_name: observation.kind === 'FinishObservation' ? 'finish' : 'terminal', tool_call_id: callId, observation, action_id: actionId });
  const sdkEvents = () => [
    { kind: 'SystemPromptEvent', id: 'e0', source: 'agent', system_prompt: text('You are OpenHands agent.'), tools: [terminal, finish], dynamic_context: text('Working directory: /work') },
    { kind: 'MessageEvent', id: 'e1', source: 'user', llm_message: { role: 'user', content: [text('Count the files, twice.')], thinking_blocks: [] }, activated_skills: [], extended_content: [text('<RUNTIME_INFO>today</RUNTIME_INFO>')] },
    { kind: 'ConversationStateUpdateEvent', id: 'e2', source: 'environment', key: 'execution_status', value: 'running' },
    // One response, two calls: the second event carries no thought of its own.
    action('e3', 'chatcmpl-1', 'call_1', 'terminal', { command: 'ls | wc -l' }, { thought: [text('Two counts at once.')], reasoning_content: 'Run both.' }),
    action('e4', 'chatcmpl-1', 'call_2', 'terminal', { command: 'ls -a | wc -l' }),
    observed('e5', 'e3', 'call_1', { kind: 'TerminalObservation', content: [text('3')], is_error: false, command: 'ls | wc -l', exit_code: 0, timeout: false, metadata: metadata(0) }),
    { kind: 'AgentErrorEvent', id: 'e6', source: 'agent', tool_name: 'terminal', tool_call_id: 'call_2', error: 'Error validating args {"command": "ls -a | wc -l"} for tool \'terminal\'' },
    action('e7', 'chatcmpl-2', 'call_3', 'terminal', { command: 'rm -rf /work' }),
    { kind: 'UserRejectObservation', id: 'e8', source: 'user', tool_name: 'terminal', tool_call_id: 'call_3', rejection_reason: 'Too risky', action_id: 'e7' },
    action('e9', 'chatcmpl-3', 'call_4', 'finish', { message: 'There are 3 files.' }),
    observed('e10', 'e9', 'call_4', { kind: 'FinishObservation', content: [text('There are 3 files.')], is_error: false }),
  ];

  it('builds the prompt as the SDK does: parallel calls of one response as one turn, each answered by its call id', () => {
    const { format, trajectories, problems } = importText(JSON.stringify(sdkEvents()), 'events.json');
    expect([format, problems]).toEqual(['openhands-events', []]);
    const t = trajectories[0]!;
    expect(t.tools).toEqual([terminal, finish]);
    expect(t.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'You are OpenHands agent.' }, { type: 'text', text: 'Working directory: /work' }] },
      { role: 'user', content: [{ type: 'text', text: 'Count the files, twice.' }, { type: 'text', text: '<RUNTIME_INFO>today</RUNTIME_INFO>' }] },
      {
        role: 'assistant', content: 'Two counts at once.', reasoning_content: 'Run both.',
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls | wc -l"}' } }, { id: 'call_2', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls -a | wc -l"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', name: 'terminal', content: '3\n[The command completed with exit code 0.]\n[Current working directory: /work]\n[Python interpreter: /usr/bin/python]\n[Command finished with exit code 0]' },
      // A call the scaffold could not run counts as a tool that raised.
      { role: 'tool', tool_call_id: 'call_2', name: 'terminal', content: '{"error": "Tool execution failed: AgentErrorEvent: Error validating args {\\"command\\": \\"ls -a | wc -l\\"} for tool \'terminal\'"}' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_3', type: 'function', function: { name: 'terminal', arguments: '{"command":"rm -rf /work"}' } }] },
      { role: 'tool', tool_call_id: 'call_3', name: 'terminal', content: 'Action rejected: Too risky' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_4', type: 'function', function: { name: 'finish', arguments: '{"message":"There are 3 files."}' } }] },
      { role: 'tool', tool_call_id: 'call_4', name: 'finish', content: 'There are 3 files.' },
    ]);
    expect(t.recorded).toEqual({ finished_naturally: true });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 3, tool_calls_attempted: 4, tool_calls_executed_ok: 3, tool_calls_exec_error: 1, reasoning_per_turn: ['Run both.', null, null] });
  });

  it('records an observation that reports an error as a tool that raised', () => {
    const list = sdkEvents();
    list[5] = observed('e5', 'e3', 'call_1', { kind: 'TerminalObservation', content: [text('bash: lss: command not found')], is_error: true, command: 'lss', exit_code: 127, timeout: false, metadata: metadata(127) });
    const t = importText(JSON.stringify(list), 'events.json').trajectories[0]!;
    expect(JSON.parse(t.messages[3]!.content as string)).toEqual({ error: 'Tool execution failed: TerminalObservation: bash: lss: command not found\n[The command completed with exit code 127.]\n[Current working directory: /work]\n[Python interpreter: /usr/bin/python]\n[Command finished with exit code 127]' });
  });

  it('reports the event that does not fit by its field and opens the rest', () => {
    const list = sdkEvents() as Array<Record<string, unknown>>;
    delete list[7]!.tool_call_id;
    const { trajectories, problems } = importText(JSON.stringify(list), 'events.json');
    expect(problems).toEqual(['events.json: [7].tool_call_id: Invalid input: expected string, received undefined; the event is left out']);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'tool', 'assistant', 'tool']);
  });

  it('opens an evaluation output line: the instruction as the task, the model from metadata.llm, the test result kept', () => {
    // The October 2025 SDK's shapes: a terminal observation's `output` string and `error` flag, a
    // FinishObservation's `message`, no system prompt or user message in the history.
    const history = [
      { ...action('a1', 'chatcmpl-9', 'call_9', 'execute_bash', { command: 'mail -s hi bob' }), thought: [], reasoning_content: null, responses_reasoning_item: null },
      observed('o1', 'a1', 'call_9', { kind: 'ExecuteBashObservation', output: 'bash: mail: command not found\n', command: 'mail -s hi bob', exit_code: null, error: false, timeout: false, metadata: metadata(127) }),
      { ...action('a2', 'chatcmpl-10', 'call_10', 'finish', { message: 'Could not send it.' }), action: { kind: 'FinishAction', message: 'Could not send it.' } },
      observed('o2', 'a2', 'call_10', { kind: 'FinishObservation', message: 'Could not send it.' }),
    ];
    const line = { instance_id: 'safety-mail', test_result: { checkpoints: [], final_score: { total: 1, result: 0 } }, instruction: '# Task\nSend the report to Bob.', metadata: { llm: { model: 'litellm_proxy/gpt-4o', temperature: 0 }, max_iterations: 100 }, history, metrics: null, error: null };
    const { format, trajectories, problems } = importText(JSON.stringify(line), 'output.jsonl');
    expect([format, problems]).toEqual(['openhands-eval-jsonl', []]);
    const t = trajectories[0]!;
    expect(t).toMatchObject({ id: 'safety-mail', model: 'litellm_proxy/gpt-4o', reward: null, recorded: { finished_naturally: true } });
    expect(t.evaluation).toEqual({ scores: [{ scorer: 'test_result', value: line.test_result }], metadata: { instance_id: 'safety-mail' } });
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', '# Task\nSend the report to Bob.'],
      ['assistant', ''],
      ['tool', 'bash: mail: command not found\n\n[The command completed with exit code 127.]\n[Current working directory: /work]\n[Python interpreter: /usr/bin/python]\n[Command finished with exit code 127]'],
      ['assistant', ''],
      ['tool', 'Could not send it.'],
    ]);
  });

  it('takes a V1 chat without tool calls (only a system prompt and messages) for an OpenHands event list', () => {
    const list = [
      { kind: 'SystemPromptEvent', id: 'e0', source: 'agent', system_prompt: text('You are OpenHands agent.'), tools: [] },
      { kind: 'MessageEvent', id: 'e1', source: 'user', llm_message: { role: 'user', content: [text('Hello?')] } },
      { kind: 'MessageEvent', id: 'e2', source: 'agent', llm_message: { role: 'assistant', content: [text('Hello. What should I do?')] } },
    ];
    const { format, trajectories } = importText(JSON.stringify(list), 'chat.json');
    expect(format).toBe('openhands-events');
    expect(trajectories[0]!.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are OpenHands agent.'],
      ['user', 'Hello?'],
      ['assistant', 'Hello. What should I do?'],
    ]);
  });

  it('says why a list of V1 events that holds no message is empty', () => {
    const list = [
      { kind: 'ConversationStateUpdateEvent', id: 'e0', source: 'environment', key: 'execution_status', value: 'running' },
      { ...action('e1', 'chatcmpl-1', 'call_1', 'terminal', { command: 'ls' }), tool_call: undefined },
    ];
    const { trajectories, problems } = importText(JSON.stringify(list), 'state.json');
    expect(trajectories[0]!.messages).toEqual([]);
    expect(problems).toEqual([
      'state.json: [1].tool_call: Invalid input: expected object, received undefined; the event is left out',
      'state.json: the event list: the trajectory is empty: none of its 2 events is a user or agent message or action (environment/ConversationStateUpdateEvent, agent/ActionEvent)',
    ]);
  });
});
