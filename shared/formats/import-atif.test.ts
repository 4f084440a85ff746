import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentAsText } from './content-parts.js';
import { detectFormat, detectRecord, FormatError, importText } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';

// ATIF documents in the layout Harbor writes (schema_version, session_id, agent, steps with
// tool_calls and observation.results), small and made for each rule of the importer.

const bash = { type: 'function', function: { name: 'bash', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };

function atif(steps: unknown[], root: Record<string, unknown> = {}): Record<string, unknown> {
  return { schema_version: 'ATIF-v1.6', session_id: 'run-1', agent: { name: 'harness', version: '1.0', model_name: 'model-a' }, steps: steps.map((s, i) => ({ step_id: i + 1, ...(s as object) })), ...root };
}

const call = (id: string, command: string) => ({ tool_call_id: id, function_name: 'bash', arguments: { command } });

function one(doc: unknown, name = 'trajectory.json'): Trajectory {
  const { format, trajectories, problems } = importText(JSON.stringify(doc), name);
  expect(format).toBe('atif');
  expect(problems).toEqual([]);
  return trajectories[0]!;
}

describe('ATIF trajectories', () => {
  it('is told by its schema_version and steps, and no other format takes it', () => {
    const doc = atif([{ source: 'user', message: 'hi' }]);
    expect(detectRecord(doc, 'document')).toBe('atif');
    expect(detectFormat(JSON.stringify(doc), 'trajectory.json')).toBe('atif');
    expect(detectFormat(JSON.stringify(doc, null, 2), 'trajectory.json')).toBe('atif');
    // A bare version counts only beside `agent`.
    expect(detectRecord({ schema_version: '1.4', agent: { name: 'a' }, steps: [] }, 'document')).toBe('atif');
    expect(detectRecord({ schema_version: '1.4', steps: [] }, 'document')).toBeNull();
    expect(detectRecord({ schema_version: 'ATIF-v1.5', steps: {} }, 'document')).toBeNull();
    // Other formats' documents and lines are not taken for ATIF.
    expect(detectRecord({ messages: [], steps: [] }, 'document')).toBe('agent-result');
    expect(detectRecord([{ role: 'user', content: 'hi' }], 'document')).toBe('chat-messages');
    expect(detectRecord({ history: [], trajectory: [] }, 'document')).toBe('swe-agent-traj');
  });

  it('reads one trajectory: id, model, tools, and the steps as chat messages in order', () => {
    const t = one(atif([
      { source: 'system', message: 'You are a shell agent.' },
      { source: 'user', message: 'List the files.' },
      { source: 'agent', message: 'Listing.', reasoning_content: 'ls is enough.', tool_calls: [call('c1', 'ls')], observation: { results: [{ source_call_id: 'c1', content: 'a.py' }] }, metrics: { prompt_tokens: 10, completion_tokens: 5, cached_tokens: 2 } },
      { source: 'agent', message: 'There is a.py.' },
    ], { agent: { name: 'harness', version: '1.0', model_name: 'model-a', tool_definitions: [bash] } }));
    expect(t).toMatchObject({ id: 'run-1', model: 'model-a', reward: null, source: { format: 'atif', index: 0 } });
    expect(t.tools).toEqual([bash]);
    expect(t.messages).toEqual([
      { role: 'system', content: 'You are a shell agent.' },
      { role: 'user', content: 'List the files.' },
      { role: 'assistant', content: 'Listing.', reasoning_content: 'ls is enough.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'a.py' },
      { role: 'assistant', content: 'There is a.py.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, finished_naturally: true, tool_calls_executed_ok: 1, reasoning_per_turn: ['ls is enough.', null] });
    // A step's token metrics are its model call's usage, shown on its turn.
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 } } }, null]);
  });

  it('takes the trajectory_id (v1.7) as the id, and the first agent step\'s model when the agent names none', () => {
    const t = one({ ...atif([{ source: 'agent', model_name: 'model-b', message: 'done' }]), schema_version: 'ATIF-v1.7', trajectory_id: 'doc-7', agent: { name: 'harness', version: '1.0' } });
    expect(t.id).toBe('doc-7');
    expect(t.model).toBe('model-b');
    const unnamed = one({ schema_version: 'ATIF-v1.7', agent: { name: 'harness', version: '1.0' }, steps: [{ step_id: 1, source: 'user', message: 'hi' }] }, 'runs/task.trajectory.json');
    expect(unnamed.id).toBe('task.trajectory');
    expect(unnamed.model).toBeNull();
  });

  it('keeps a system step after the first turn as a system message between turns, with its results', () => {
    const t = one(atif([
      { source: 'user', message: 'Go.' },
      { source: 'agent', message: 'Step one.' },
      { source: 'system', message: 'Context compacted.', observation: { results: [{ content: 'Summary: step one done.' }] }, extra: { context_management: { type: 'compaction', boundary: 'replace' } } },
      { source: 'system', message: 'Added workspace context' },
      { source: 'agent', message: 'Step two.' },
    ]));
    expect(t.messages).toEqual([
      { role: 'user', content: 'Go.' },
      { role: 'assistant', content: 'Step one.' },
      { role: 'system', content: 'Context compacted.' },
      { role: 'system', content: 'Summary: step one done.' },
      { role: 'system', content: 'Added workspace context' },
      { role: 'assistant', content: 'Step two.' },
    ]);
  });

  it('keeps content parts (v1.6): text as it is, an image by its path', () => {
    const t = one(atif([
      { source: 'user', message: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image', source: { media_type: 'image/png', path: 'images/step_1.png' } }] },
      { source: 'agent', message: 'Let me look closer.', tool_calls: [call('c1', 'zoom')], observation: { results: [{ source_call_id: 'c1', content: [{ type: 'text', text: 'zoomed' }, { type: 'image', source: { media_type: 'image/png', path: 'images/step_2.png' } }] }] } },
      { source: 'agent', message: [{ type: 'text', text: 'A cat.' }] },
    ]));
    expect(t.messages[0]!.content).toEqual([{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'images/step_1.png' } }]);
    expect(t.messages[2]!.content).toEqual([{ type: 'text', text: 'zoomed' }, { type: 'image_url', image_url: { url: 'images/step_2.png' } }]);
    expect(t.messages[3]!.content).toEqual([{ type: 'text', text: 'A cat.' }]);
  });

  it('makes an empty agent message beside tool calls null, and tool call arguments the JSON text of the object', () => {
    const t = one(atif([{ source: 'agent', message: '', tool_calls: [{ tool_call_id: 'c1', function_name: 'edit', arguments: { path: 'a.py', text: 'é "quoted"' } }, { tool_call_id: 'c2', function_name: 'noop', arguments: {} }] }, { source: 'agent', message: '' }]));
    expect(t.messages[0]).toEqual({ role: 'assistant', content: null, tool_calls: [
      { id: 'c1', type: 'function', function: { name: 'edit', arguments: '{"path":"a.py","text":"é \\"quoted\\""}' } },
      { id: 'c2', type: 'function', function: { name: 'noop', arguments: '{}' } },
    ] });
    expect(t.messages[1]).toEqual({ role: 'assistant', content: '' });
  });

  it('puts results in the order of the calls, joins two results of one call, and leaves a call without one unanswered', () => {
    const t = one(atif([{
      source: 'agent', message: 'Three at once.',
      tool_calls: [call('c1', 'ls'), call('c2', 'pwd'), call('c3', 'sleep 99')],
      observation: { results: [{ source_call_id: 'c2', content: '/app' }, { source_call_id: 'c1', content: 'a.py' }, { source_call_id: 'c2', content: 'warning: slow disk' }] },
    }]));
    expect(t.messages.slice(1)).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'a.py' },
      { role: 'tool', tool_call_id: 'c2', content: '/app\n\nwarning: slow disk' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 3, tool_calls_executed_ok: 2, tool_calls_exec_error: 0 });
  });

  it('sends a result without source_call_id back as the user in a step without calls (a parse error)', () => {
    const t = one(atif([
      { source: 'agent', message: 'Not JSON at all', observation: { results: [{ content: 'Previous response had parsing errors: no JSON object found.' }] } },
      { source: 'agent', message: '{"done": true}' },
    ]));
    expect(t.messages).toEqual([
      { role: 'assistant', content: 'Not JSON at all' },
      { role: 'user', content: 'Previous response had parsing errors: no JSON object found.' },
      { role: 'assistant', content: '{"done": true}' },
    ]);
  });

  it('gives a result without source_call_id to the step\'s only call', () => {
    const t = one(atif([{ source: 'agent', message: 'Run it.', tool_calls: [call('call_0_1', 'ls')], observation: { results: [{ content: 'New Terminal Output:\na.py' }] } }]));
    expect(t.messages[1]).toEqual({ role: 'tool', tool_call_id: 'call_0_1', content: 'New Terminal Output:\na.py' });
  });

  it('keeps results without source_call_id beside several calls as user text after the tool messages', () => {
    const t = one(atif([{
      source: 'agent', message: 'Two.', tool_calls: [call('c1', 'ls'), call('c2', 'pwd')],
      observation: { results: [{ content: 'Terminal screen:\n$ ' }, { source_call_id: 'c2', content: '/app' }, { source_call_id: 'elsewhere', content: 'stray output' }] },
    }]));
    expect(t.messages.slice(1)).toEqual([
      { role: 'tool', tool_call_id: 'c2', content: '/app' },
      { role: 'user', content: 'Terminal screen:\n$ ' },
      { role: 'user', content: 'stray output' },
    ]);
  });

  it('names the referenced subagent trajectories of a result without content', () => {
    const t = one(atif([
      { source: 'user', message: 'Go.' },
      { source: 'system', message: 'Performed context summarization.', observation: { results: [{ subagent_trajectory_ref: [{ session_id: 'run-1-summary', trajectory_path: 'trajectory.summary.json', extra: { summary: 'Summary generation' } }, { trajectory_id: 'sub-2' }] }] } },
    ]));
    expect(t.messages[2]).toEqual({ role: 'system', content: 'Subagent trajectory (session_id run-1-summary, trajectory_path trajectory.summary.json): Summary generation\nSubagent trajectory (trajectory_id sub-2)' });
  });

  it('records a result flagged as an error in extra as a tool that raised', () => {
    const t = one(atif([
      { source: 'agent', message: 'Two reads.', tool_calls: [call('c1', 'cat a'), call('c2', 'cat b')], observation: { results: [{ source_call_id: 'c1', content: 'No such file', extra: { tool_result_is_error: true } }, { source_call_id: 'c2', content: 'b', extra: { is_error: false } }] } },
      { source: 'agent', message: 'Write.', tool_calls: [call('c3', 'touch /app/x')], observation: { results: [{ source_call_id: 'c3', content: 'EACCES', extra: { is_error: true } }] } },
      { source: 'agent', message: 'Retry.', tool_calls: [call('c4', 'sudo touch /app/x')], observation: { results: [{ source_call_id: 'c4', content: 'a password is required' }] }, extra: { tool_result_is_error: true } },
      { source: 'agent', message: 'Giving up.' },
    ]));
    const tools = t.messages.filter((m) => m.role === 'tool');
    expect(tools).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: '{"error": "Tool execution failed: No such file"}', is_error: true },
      { role: 'tool', tool_call_id: 'c2', content: 'b' },
      { role: 'tool', tool_call_id: 'c3', content: '{"error": "Tool execution failed: EACCES"}', is_error: true },
      { role: 'tool', tool_call_id: 'c4', content: '{"error": "Tool execution failed: a password is required"}', is_error: true },
    ]);
    const d = deriveAgentResult(t);
    expect(d.result).toMatchObject({ tool_calls_executed_ok: 1, tool_calls_exec_error: 3 });
    expect(d.result.tool_errors.map((e) => e.error)).toEqual(['No such file', 'EACCES', 'a password is required']);
  });

  it('takes a numeric reward from root extra or final_metrics.extra, else none', () => {
    const steps = [{ source: 'agent', message: 'done' }];
    expect(one(atif(steps, { extra: { reward: 0.5 } })).reward).toBe(0.5);
    expect(one(atif(steps, { final_metrics: { total_prompt_tokens: 10, extra: { reward: 1 } } })).reward).toBe(1);
    expect(one(atif(steps, { extra: { reward: 'pass' }, final_metrics: { total_cost_usd: 0.01 } })).reward).toBeNull();
  });

  it('keeps steps copied from an earlier trajectory in the conversation', () => {
    const t = one(atif([
      { source: 'user', message: 'Original task.', is_copied_context: true },
      { source: 'agent', message: 'Earlier answer.', is_copied_context: true },
      { source: 'user', message: 'Continue from the summary.' },
      { source: 'agent', message: 'Continuing.' },
    ]));
    expect(t.messages.map((m) => m.content)).toEqual(['Original task.', 'Earlier answer.', 'Continue from the summary.', 'Continuing.']);
  });

  it('records an end tool as the last call as finished', () => {
    const t = one(atif([{ source: 'agent', message: 'All done.', tool_calls: [{ tool_call_id: 'c9', function_name: 'finish', arguments: { message: 'done' } }] }]));
    expect(t.recorded).toEqual({ finished_naturally: true });
    expect(t.messages).toHaveLength(1);
    const terminus = one(atif([{ source: 'agent', message: 'Confirming.', tool_calls: [{ tool_call_id: 'c1_task_complete', function_name: 'mark_task_complete', arguments: {} }], observation: { results: [{ content: '' }] } }]));
    expect(terminus.recorded).toEqual({ finished_naturally: true });
    expect(one(atif([{ source: 'agent', message: 'More.', tool_calls: [call('c1', 'ls')] }])).recorded).toEqual({});
  });

  it('reads embedded subagents (v1.7) as trajectories of their own, linked at the step that references them', () => {
    const sub = { schema_version: 'ATIF-v1.7', trajectory_id: 'search-1', agent: { name: 'searcher', version: '1.0', model_name: 'model-s' }, steps: [{ step_id: 1, source: 'user', message: 'find auth' }, { step_id: 2, source: 'agent', message: 'auth.ts' }] };
    const doc = { ...atif([
      { source: 'user', message: 'Find the auth code.' },
      { source: 'agent', message: 'Delegating.', tool_calls: [{ tool_call_id: 'd1', function_name: 'search_subagent', arguments: { query: 'auth' } }], observation: { results: [{ source_call_id: 'd1', content: 'auth.ts', subagent_trajectory_ref: [{ trajectory_id: 'search-1', trajectory_path: null }] }] } },
      { source: 'agent', message: 'It is auth.ts.' },
    ]), schema_version: 'ATIF-v1.7', subagent_trajectories: [sub, { trajectory_id: 'broken' }] };
    const { trajectories, problems } = importText(JSON.stringify(doc), 'parent.json');
    expect(trajectories.map((t) => [t.id, t.model, t.source.index, t.branch])).toEqual([
      ['run-1', 'model-a', 0, undefined],
      ['run-1/search-1', 'model-s', 1, { parentId: 'run-1', forkTurn: 1, change: 'subagent search-1' }],
    ]);
    expect(trajectories[1]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(problems).toEqual(['parent.json: subagent_trajectories[1].schema_version: Invalid input: expected string, received undefined; the subagent is left out']);
  });

  it('reports a step that does not fit by its field and opens the rest', () => {
    const { trajectories, problems } = importText(JSON.stringify(atif([
      { source: 'user', message: 'Go.' },
      { source: 'environment', message: 'tick' },
      { source: 'agent', message: 'Run.', tool_calls: [{ tool_call_id: 'c1', arguments: {} }] },
      { source: 'agent', message: { text: 'odd' } },
      { source: 'agent', message: 'Done.' },
    ])), 'odd.json');
    expect(trajectories[0]!.messages).toEqual([{ role: 'user', content: 'Go.' }, { role: 'assistant', content: 'Done.' }]);
    expect(problems).toEqual([
      'odd.json: steps[1].source: Invalid option: expected one of "system"|"user"|"agent"; the step is left out',
      'odd.json: steps[2].tool_calls[0].function_name: Invalid input: expected string, received undefined; the step is left out',
      'odd.json: steps[3].message: expected a string or a list of content parts; the step is left out',
    ]);
  });

  it('refuses a file that declares ATIF but keeps tool results apart from ATIF\'s observation results, naming the step', () => {
    const doc = { schema_version: '1.4', session_id: 's', agent: { name: 'claude-code', version: '2', model: 'm' }, steps: [
      { step_id: 1, source: 'user', message: 'Write a regex.' },
      { step_id: 2, source: 'system', message: 'Tool result for toolu_1', observation: { type: 'tool_result', content: 'EACCES', result: { success: false } } },
      { step_id: 3, source: 'agent', message: 'Saved.', tool_calls: [{ id: 'toolu_1', name: 'Write', arguments: { path: 'regex.txt' } }] },
    ] };
    expect(() => importText(JSON.stringify(doc), 'openagents.json')).toThrow("openagents.json (looked like an ATIF trajectory (Harbor, Terminal-Bench)): steps[1].observation: holds type, content and result, not a results list linked to the calls by source_call_id (schema_version '1.4' is declared, but the steps are not laid out as ATIF)");
    doc.steps.splice(1, 1);
    expect(() => importText(JSON.stringify(doc), 'openagents.json')).toThrow("steps[1].tool_calls[0]: a call with id, name and arguments, not ATIF's tool_call_id, function_name and arguments");
  });

  it('reads steps written as chat messages (NeMo Relay): the request as the recorded prompt, what is new as the conversation', () => {
    const calls = [{ id: 'w1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }, { id: 'p1', type: 'function', function: { name: 'get_population', arguments: '{"city": "Paris"}' } }];
    const question = { role: 'user', content: 'Weather and population of Paris?' };
    const t = one(atif([
      { source: 'user', message: [question] },
      { source: 'agent', message: { role: 'assistant', reasoning: 'Two tools.', tool_calls: calls }, tool_calls: [{ tool_call_id: 'w1', function_name: 'get_weather', arguments: { city: 'Paris' } }, { tool_call_id: 'p1', function_name: 'get_population', arguments: { city: 'Paris' } }] },
      { source: 'system', message: null, observation: { results: [{ source_call_id: 'p1', content: '2.1 million' }, { source_call_id: 'w1', content: 'Rain' }] } },
      { source: 'user', message: [question, { role: 'assistant', content: null, reasoning_content: 'Two tools.', tool_calls: calls }, { role: 'tool', tool_call_id: 'w1', content: 'Rain' }, { role: 'tool', tool_call_id: 'p1', content: '2.1 million' }] },
      { source: 'agent', message: 'Rainy, 2.1 million people.' },
    ]));
    expect(t.messages).toEqual([
      question,
      { role: 'assistant', content: null, reasoning: 'Two tools.', reasoning_content: 'Two tools.', tool_calls: calls },
      { role: 'tool', tool_call_id: 'w1', content: 'Rain' },
      { role: 'tool', tool_call_id: 'p1', content: '2.1 million' },
      { role: 'assistant', content: 'Rainy, 2.1 million people.' },
    ]);
    expect(t.promptViews).toHaveLength(2);
    expect(t.promptViews![0]).toEqual([question]);
    expect(t.promptViews![1]!.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
  });

  it('never drops a message or result of a step it reads, whatever calls and results a step links', () => {
    const id = fc.constantFrom('c1', 'c2', 'c3');
    const result = fc.record({ source_call_id: fc.option(id, { nil: undefined }), extra: fc.option(fc.constantFrom({ is_error: true }, { tool_result_is_error: true }, 'free text'), { nil: undefined }) }, { requiredKeys: [] });
    const observation = fc.option(fc.record({ results: fc.array(result, { maxLength: 4 }) }), { nil: undefined });
    const step = fc.oneof(
      fc.record({ source: fc.constantFrom('system', 'user'), observation }, { requiredKeys: ['source'] }),
      fc.record({ source: fc.constant('agent'), tool_calls: fc.option(fc.uniqueArray(id, { maxLength: 3 }).map((ids) => ids.map((c) => call(c, 'x'))), { nil: undefined }), observation }, { requiredKeys: ['source'] }),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (drawn) => {
        // Every message and result gets a text of its own, to be found again among the messages.
        let n = 0;
        const texts: string[] = [];
        const mark = (): string => {
          texts.push(`text-${++n}-end`);
          return texts[texts.length - 1]!;
        };
        const steps = drawn.map((s) => ({ ...s, message: mark(), ...(s.observation ? { observation: { results: s.observation.results.map((r) => ({ ...r, content: mark() })) } } : {}) }));
        let imported;
        try {
          imported = importText(JSON.stringify(atif(steps)), 'fuzz.json');
        } catch (error) {
          if (!(error instanceof FormatError) || !error.message.startsWith('fuzz.json')) throw error;
          return;
        }
        expect(imported.problems).toEqual([]);
        const all = imported.trajectories[0]!.messages.map((m) => contentAsText(m.content)).join('\n');
        for (const text of texts) expect(all).toContain(text);
      }),
      { seed: 20260301, numRuns: 200 },
    );
  });
});
