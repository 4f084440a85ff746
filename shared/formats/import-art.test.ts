import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// Trajectory groups as ART's `serialize_trajectory_groups` writes them: one `{"trajectories": [...]}`
// per line, the model's turns as the OpenAI Choices it returned (logprobs taken out).

const tools = [{ type: 'function', function: { name: 'search_emails', description: 'Search the inbox', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }];

function rollout(reward: number, answer: string) {
  return {
    reward,
    metrics: { correct: reward, num_turns: 2 },
    metadata: { scenario_id: 's1' },
    messages_and_choices: [
      { role: 'system', content: 'You are an email agent.' },
      { role: 'user', content: 'Find the invoice from ACME.' },
      { finish_reason: 'tool_calls', index: 0, message: { content: null, refusal: null, role: 'assistant', annotations: null, audio: null, function_call: null, tool_calls: [{ id: 'call_1', function: { arguments: '{"query": "ACME invoice"}', name: 'search_emails' }, type: 'function' }] } },
      { role: 'tool', tool_call_id: 'call_1', content: '[{"id": "m1", "subject": "Invoice 42"}]' },
      { finish_reason: 'stop', index: 0, message: { content: answer, refusal: null, role: 'assistant', annotations: null, audio: null, function_call: null, tool_calls: null } },
    ],
    tools,
    additional_histories: [],
    logs: ['scenario s1'],
  };
}

const jsonl = (...lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

describe('ART trajectory groups', () => {
  it('reads each line as a group of rollouts, the Choices as the assistant turns, metrics as scores', () => {
    const text = jsonl({ trajectories: [rollout(1, 'It is m1.'), rollout(0, 'I could not find it.')] }, { trajectories: [rollout(0.5, 'Maybe m1.')] });
    expect(detectFormat(text, '0003.jsonl')).toBe('art-trajectory-groups');
    const { format, trajectories, problems } = importText(text, '0003.jsonl');
    expect(format).toBe('art-trajectory-groups');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.id, t.reward, t.group])).toEqual([
      ['0003:1.0', 1, { id: '0003:1', index: 0, size: 2, score: 1 }],
      ['0003:1.1', 0, { id: '0003:1', index: 1, size: 2, score: 0 }],
      ['0003:2.0', 0.5, { id: '0003:2', index: 0, size: 1, score: 0.5 }],
    ]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[2]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'search_emails', arguments: '{"query": "ACME invoice"}' } }]);
    expect(t.messages[4]!.content).toBe('It is m1.');
    expect(t.tools).toEqual(tools);
    expect(t.evaluation).toEqual({ scores: [{ scorer: 'correct', value: 1 }, { scorer: 'num_turns', value: 2 }], metadata: { scenario_id: 's1' } });
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 2, toolCalls: 1, toolErrors: 0, finishedNaturally: true, reward: 1 });
  });

  it('says what it leaves out, and names the rollout and field that do not fit', () => {
    const judged = { ...rollout(1, 'm1'), additional_histories: [{ messages_and_choices: [{ role: 'user', content: 'Grade it.' }], tools: null }] };
    const [t] = importText(jsonl({ trajectories: [judged] }), 'art.jsonl').trajectories;
    expect(t!.problems).toEqual(['art.jsonl:1: trajectories[0].additional_histories: a further history (another conversation of this rollout) is not shown']);

    const broken = { ...rollout(0, 'x'), messages_and_choices: [{ role: 'user', content: 'hi' }, { finish_reason: 'stop', index: 0, message: { role: 'assistant', content: 'ok', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] } }] };
    const result = importText(jsonl({ trajectories: [rollout(1, 'm1')] }, { trajectories: [broken] }), 'art.jsonl');
    expect(result.trajectories).toHaveLength(1);
    expect(result.problems).toEqual(['art.jsonl:2: trajectories[0].messages_and_choices[1].tool_calls[0].function.arguments: Invalid input: expected nonoptional, received undefined']);
  });
});

describe('rows that keep nested fields as JSON text (ART Parquet rows)', () => {
  // One rollout of ART's Parquet layout, as a row reaches the importers.
  const row = {
    group_index: 3,
    reward: 0.25,
    metrics: '{"correct": 0.25}',
    metadata: '{"scenario_id": "s9"}',
    tools: JSON.stringify(tools),
    logs: ['ok'],
    additional_histories: null,
    messages: [
      { role: 'user', content: 'Find the invoice.', tool_calls: null, tool_call_id: null, trainable: false },
      { role: 'assistant', content: null, tool_calls: '[{"id": "call_1", "function": {"arguments": "{\\"query\\": \\"invoice\\"}", "name": "search_emails"}, "type": "function"}]', tool_call_id: null, trainable: true },
      { role: 'tool', content: '[]', tool_calls: null, tool_call_id: 'call_1', trainable: false },
      { role: 'assistant', content: 'None found.', tool_calls: '', tool_call_id: null, trainable: true },
    ],
  };

  it('reads tool calls kept as JSON text, and the row\'s group, metrics and metadata', () => {
    const { format, trajectories, problems } = importText(jsonl(row), 'step.jsonl');
    expect(format).toBe('messages-jsonl');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages[1]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'search_emails', arguments: '{"query": "invoice"}' } }]);
    expect(t.messages[3]!.tool_calls).toBeUndefined();
    expect(t.group).toEqual({ id: 'group 3', index: 0, size: null, score: 0.25 });
    expect(t.evaluation).toEqual({ scores: [{ scorer: 'correct', value: 0.25 }], metadata: { scenario_id: 's9' } });
    expect(t.tools).toEqual(tools);
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 2, toolCalls: 1, finishedNaturally: true });
  });

  it('names a message whose tool calls text is not a JSON list', () => {
    const bad = (calls: string) => importText(jsonl({ ...row, messages: [row.messages[0], { ...row.messages[1], tool_calls: calls }] }, row), 'step.jsonl').problems[0];
    expect(bad('[{"id": ')).toMatch(/^step\.jsonl:1: messages\[1\]\.tool_calls: .* in the JSON text of the tool calls$/);
    expect(bad('{"id": "c"}')).toBe('step.jsonl:1: messages[1].tool_calls: expected a list of tool calls in the JSON text');
    // A metrics text that is not JSON is left out, and said so.
    const [t] = importText(jsonl({ ...row, metrics: '{oops' }), 'step.jsonl').trajectories;
    expect(t!.problems).toEqual([expect.stringMatching(/^step\.jsonl:1: metrics: .*; it is left out$/)]);
    expect(t!.evaluation).toEqual({ scores: [], metadata: { scenario_id: 's9' } });
  });
});

describe('ART trajectory groups with rollouts that raised', () => {
  it('names the rollouts of a group that raised, and reports a group whose rollouts all raised instead of dropping it', () => {
    const timeout = { type: "<class 'TimeoutError'>", message: 'rollout timed out', traceback: 'Traceback (most recent call last): ...' };
    const died = { type: "<class 'RuntimeError'>", message: 'sandbox died', traceback: '...' };
    const text = jsonl({ trajectories: [rollout(1, 'It is m1.')], exceptions: [timeout], metadata: {} }, { trajectories: [], exceptions: [died], metadata: {} });
    const { trajectories, problems } = importText(text, '0004.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(trajectories[0]!.problems).toEqual(['0004.jsonl:1: exceptions: another rollout of this group raised and is not shown: TimeoutError: rollout timed out']);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringMatching(/^0004\.jsonl:2: .*the group holds no trajectory; its rollouts raised: RuntimeError: sandbox died/));
  });
});
