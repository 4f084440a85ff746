import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
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
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'toolu_1', name: 'execute_bash', content: 'README.md\nsrc' });
    // The error observation has no metadata of its own: its cause (event 4) names the call.
    expect(t.messages[4]).toEqual({ role: 'tool', tool_call_id: 'toolu_2', name: 'str_replace_editor', content: '{"error": "Tool execution failed: ErrorObservation: Invalid `path` parameter: /workspace/missing.py. The path /workspace/missing.py does not exist."}' });
    expect(t.messages[5]).toEqual({ role: 'assistant', content: 'The workspace holds README.md and src/.' });
    const d = deriveAgentResult(t);
    expect(d.result).toMatchObject({ turns_used: 2, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['Two looks at once.', null] });
    expect(d.result.tool_errors.map((e) => [e.turn, e.tool_name, e.error.slice(0, 38)])).toEqual([[1, 'str_replace_editor', 'ErrorObservation: Invalid `path` param']]);
    expect(d.derived).toContain('finished_naturally');
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

describe('OpenHands evaluation outputs', () => {
  const line = (instanceId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ instance_id: instanceId, instruction: 'Fix the bug.', metadata: { agent_class: 'CodeActAgent', llm_config: { model: 'claude-sonnet-4' }, max_iterations: 30 }, history: events(), metrics: { accumulated_cost: 0.1 }, error: null, test_result: { git_patch: 'diff --git a/x b/x' }, ...extra });

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
