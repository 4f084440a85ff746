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
