import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { summarizeTrajectory } from './summary.js';
import { deriveAgentResult } from './trajectory.js';

// RL rollout lines in the layout atropos writes (ScoredDataGroup: tokens, masks, scores, messages
// as one list per rollout), with the roles its environments use.

const rollout = (answer: string) => [
  { role: 'system', content: 'Solve it.' },
  { role: 'user', content: 'What is 2+2? Use the calculator.' },
  { role: 'agent', content: 'Calling it.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'calc', arguments: '{"expr":"2+2"}' } }] },
  { role: 'environment', content: '4' },
  { role: 'agent', content: `The answer is ${answer}.` },
  { role: 'environment', content: 'Episode over.' },
];
const group = (scores: number[]) => JSON.stringify({ tokens: scores.map(() => [1, 2, 3]), masks: scores.map(() => [-100, 2, 3]), scores, messages: scores.map((s) => rollout(String(s * 4))) });

describe('atropos rollout groups', () => {
  it('maps agent and environment roles, so turns and tool results count', () => {
    const { trajectories, problems } = importText(`${group([1, 0.5, 0])}\n`, 'rollouts.jsonl');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(t.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'c1', content: '4' });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 1, tool_calls_executed_ok: 1, finished_naturally: true });
  });

  it('keeps each rollout in its group with its score, for a side-by-side view', () => {
    const { trajectories } = importText(`${group([1, 0.5, 0])}\n${group([0.25, 0.75])}\n`, 'rollouts.jsonl');
    expect(trajectories.map((t) => [t.id, t.group])).toEqual([
      ['rollouts:1.0', { id: 'rollouts:1', index: 0, size: 3, score: 1 }],
      ['rollouts:1.1', { id: 'rollouts:1', index: 1, size: 3, score: 0.5 }],
      ['rollouts:1.2', { id: 'rollouts:1', index: 2, size: 3, score: 0 }],
      ['rollouts:2.0', { id: 'rollouts:2', index: 0, size: 2, score: 0.25 }],
      ['rollouts:2.1', { id: 'rollouts:2', index: 1, size: 2, score: 0.75 }],
    ]);
    expect(summarizeTrajectory(trajectories[4]!, 4)).toMatchObject({ turns: 2, reward: 0.75, groupId: 'rollouts:2', groupIndex: 1 });
  });

  it('says so when a line holds rendered strings (a chat template applied) instead of messages', () => {
    const rendered = JSON.stringify({ tokens: [[1]], masks: [[1]], scores: [1], messages: [['<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>']] });
    const { trajectories, problems } = importText(`${group([1])}\n${rendered}\n`, 'mixed.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual(['mixed.jsonl:2: messages[0]: holds rendered strings (a chat template already applied), not chat messages with roles; export the rollouts before templating']);
  });
});

describe('a null messages list', () => {
  it('says the line holds token ids only, and the line is a problem', () => {
    const tokensOnly = JSON.stringify({ tokens: [[1, 2, 3]], masks: [[-100, 2, 3]], scores: [1], messages: null });
    const { trajectories, problems } = importText(`${group([1])}\n${tokensOnly}\n`, 'mixed.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual(['mixed.jsonl:2: messages: null: the line holds token ids only, no messages (atropos writes them with include_messages set)']);
    expect(() => importText(`${tokensOnly}\n${tokensOnly}\n`, 'tokens.jsonl')).toThrow('tokens.jsonl (looked like JSONL of objects with messages): no line could be imported; first: tokens.jsonl:1: messages: null: the line holds token ids only, no messages');
  });

  it('says the line holds no messages when it has no tokens either', () => {
    const { problems } = importText(`${group([1])}\n${JSON.stringify({ id: 'x', messages: null })}\n`, 'mixed.jsonl');
    expect(problems).toEqual(['mixed.jsonl:2: messages: null: the line holds no messages']);
  });
});

// OpenAI-format SFT and agentic lines: `messages` with `tools` beside them, the tools sometimes as
// JSON text, calls without ids and tool messages that name the tool but not the call.

const schema = (name: string) => ({ type: 'function', function: { name, description: `the ${name} tool`, parameters: { type: 'object', properties: {} } } });
const call = (name: string, args: object) => ({ type: 'function', function: { name, arguments: JSON.stringify(args) } });
const sftLine = (tools: unknown, messages: unknown[]) => JSON.stringify({ messages, tools });
const parallel = [
  { role: 'system', content: 'You drive a CAD model.' },
  { role: 'user', content: 'Add two nodes and a beam.' },
  { role: 'assistant', content: '', tool_calls: [call('add_node', { n: 1 }), call('add_node', { n: 2 }), call('add_beam', { from: 1, to: 2 })] },
  // Results in another order than the calls: the names say which call each answers.
  { role: 'tool', name: 'add_beam', content: '{"beam": 1}' },
  { role: 'tool', name: 'add_node', content: '{"node": 1}' },
  { role: 'tool', name: 'add_node', content: '{"node": 2}' },
  { role: 'assistant', content: 'Done.' },
];

describe('OpenAI-format lines with tools', () => {
  it('reads tools stored as JSON text, gives calls ids and pairs results with their calls by name', () => {
    const { trajectories, problems } = importText(`${sftLine(JSON.stringify([schema('add_node'), schema('add_beam')]), parallel)}\n`, 'sft.jsonl');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.tools?.map((s) => s.function.name)).toEqual(['add_node', 'add_beam']);
    expect(t.messages[2]!.tool_calls!.map((c) => c.id)).toEqual(['call_2_0', 'call_2_1', 'call_2_2']);
    expect(t.messages.slice(3, 6).map((m) => m.tool_call_id)).toEqual(['call_2_2', 'call_2_0', 'call_2_1']);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 3, tool_calls_executed_ok: 3, finished_naturally: true });
  });

  it('reads tools given as a list, and pairs results without a name by position among the calls left', () => {
    const messages = [
      { role: 'user', content: 'Look both up.' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', ...call('lookup', { q: 'x' }) }, { id: 'b', ...call('lookup', { q: 'y' }) }, call('lookup', { q: 'z' })] },
      { role: 'tool', tool_call_id: 'b', content: 'y found' },
      { role: 'tool', content: 'x found' },
      { role: 'tool', content: 'z found' },
    ];
    const t = importText(`${sftLine([schema('lookup')], messages)}\n`, 'sft.jsonl').trajectories[0]!;
    expect(t.tools?.map((s) => s.function.name)).toEqual(['lookup']);
    expect(t.messages.slice(2).map((m) => m.tool_call_id)).toEqual(['b', 'a', 'call_1_2']);
  });

  it('gives each rollout of a group the line\'s tools', () => {
    const line = JSON.stringify({ messages: [parallel, parallel], scores: [1, 0], tools: [schema('add_node'), schema('add_beam')] });
    const { trajectories } = importText(`${line}\n`, 'groups.jsonl');
    expect(trajectories.map((t) => t.tools?.length)).toEqual([2, 2]);
  });

  it('reports tools it cannot read by field, and keeps the trajectory', () => {
    const { trajectories, problems } = importText(`${sftLine('[{"type": "function",', parallel)}\n${sftLine({ add_node: {} }, parallel)}\n`, 'sft.jsonl');
    expect(trajectories).toHaveLength(2);
    expect(trajectories.every((t) => t.tools === undefined)).toBe(true);
    expect(problems).toEqual([
      expect.stringMatching(/^sft\.jsonl:1: tools: not valid JSON at line 1, column \d+: .*; the tool schemas are left out$/),
      'sft.jsonl:2: tools: expected a list of tool schemas; the tool schemas are left out',
    ]);
  });
});
