import { describe, expect, it } from 'vitest';
import { detectFormat, detectRecord, importText } from './import.js';
import { rolloutFacts } from './rollout-row.js';
import { summarizeTrajectory } from './summary.js';
import { deriveAgentResult } from './trajectory.js';

// Rollout dumps in the layout veRL's trainer writes to `trainer.rollout_data_dir`: one line per
// rollout, the prompt and response decoded without special tokens, the score and the step.

const prompt = (question: string) => `system\nYou are a helpful assistant.\nuser\n${question} Put the answer after "####".\nassistant\n`;
const dumpLine = (question: string, output: string, score: number, extra: Record<string, unknown> = {}) => JSON.stringify({ input: prompt(question), output, score, step: 7, ...extra });
const dump = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('veRL rollout dumps', () => {
  it('imports each line as the prompt and the response, scored, with the line as its id', () => {
    const { format, trajectories, problems } = importText(dump(dumpLine('What is 2+2?', 'It is 4.\n#### 4', 1), dumpLine('What is 3+3?', 'It is 5.\n#### 5', 0)), '7.jsonl');
    expect(format).toBe('verl-rollouts');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => t.id)).toEqual(['7:1', '7:2']);
    const t = trajectories[0]!;
    // The prompt stays one user message as decoded: its role names are plain text.
    expect(t.messages).toEqual([{ role: 'user', content: prompt('What is 2+2?') }, { role: 'assistant', content: 'It is 4.\n#### 4' }]);
    expect(t.reward).toBe(1);
    expect(t.source).toEqual({ format: 'verl-rollouts', index: 0 });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 1, tool_calls_attempted: 0, finished_naturally: true });
  });

  it('takes a leading <think> block of the response as the reply\'s reasoning, the rest as its content', () => {
    const t = importText(dump(dumpLine('What is 2+2?', '<think>\n2 and 2 make 4.\n</think>\n\nIt is 4.\n#### 4', 1)), '7.jsonl').trajectories[0]!;
    expect(t.messages[1]).toEqual({ role: 'assistant', content: 'It is 4.\n#### 4', reasoning_content: '2 and 2 make 4.' });
    // A block left open (the response cut by the length limit) is not split off.
    const cut = importText(dump(dumpLine('What is 2+2?', '<think>\n2 and 2', 0)), '7.jsonl').trajectories[0]!;
    expect(cut.messages[1]).toEqual({ role: 'assistant', content: '<think>\n2 and 2' });
  });

  it('groups the rollouts of one prompt at one step, each in its line, for a side-by-side view', () => {
    const text = dump(dumpLine('What is 2+2?', '4', 1), dumpLine('What is 3+3?', '6', 1), dumpLine('What is 2+2?', '5', 0));
    const { trajectories } = importText(text, '7.jsonl');
    const [a, b, c] = trajectories.map((t) => t.group!);
    expect(a!.id).toMatch(/^step 7 prompt [0-9a-f]{8}$/);
    expect(c).toEqual({ id: a!.id, index: 3, size: null, score: 0 });
    expect(a).toEqual({ id: a!.id, index: 1, size: null, score: 1 });
    expect(b!.id).not.toBe(a!.id);
    // The same prompt at another step is another group.
    const later = importText(dump(JSON.stringify({ input: prompt('What is 2+2?'), output: '4', score: 1, step: 8 })), '8.jsonl').trajectories[0]!;
    expect(later.group!.id).not.toBe(a!.id);
    expect(summarizeTrajectory(trajectories[2]!, 2)).toMatchObject({ reward: 0, groupId: a!.id, groupIndex: 3 });
  });

  it('gives a rollout set its step and group columns', () => {
    const line = dumpLine('What is 2+2?', '4', 1);
    const t = importText(dump(line), '7.jsonl').trajectories[0]!;
    expect(rolloutFacts(t, JSON.parse(line))).toMatchObject({ step: 7, group_id: t.group!.id, reward: 1, turns: 1 });
  });

  it('keeps the ground truth as the target and the reward function\'s extra info as scores', () => {
    const { trajectories } = importText(dump(dumpLine('What is 2+2?', '4', 1, { gts: '4', acc: true, pred: '4' }), dumpLine('What is 3+3?', '6', 1, { gts: null })), '7.jsonl');
    expect(trajectories[0]!.evaluation).toEqual({ target: '4', scores: [{ scorer: 'acc', value: true }, { scorer: 'pred', value: '4' }] });
    expect(trajectories[1]!.evaluation).toBeUndefined();
  });

  it('is told from its first line, and takes no line of another format', () => {
    expect(detectFormat(dump(dumpLine('Q', 'A', 0.5)), 'x.jsonl')).toBe('verl-rollouts');
    expect(detectRecord({ input: 'q', output: 'a', score: 1 }, 'document')).toBe('verl-rollouts');
    expect(detectRecord({ input: 'q', output: 'a', score: 1, messages: [] }, 'line')).toBe('messages-jsonl');
    expect(detectRecord({ input: 'q', output: 'a', score: 1, conversations: [] }, 'line')).toBe('hermes-sharegpt-jsonl');
    expect(detectRecord({ input: 'q', output: 'a', score: 1, prompt: 'q', completion: 'a' }, 'line')).toBe('verifiers-results');
    expect(detectRecord({ input: 'q', output: 'a', score: '1' }, 'line')).toBeNull();
    expect(detectRecord({ input: [], output: 'a', score: 1 }, 'line')).toBeNull();
  });

  it('reports a line that does not fit with its line and field, and imports the others', () => {
    const { trajectories, problems } = importText(dump(dumpLine('Q', 'A', 1), JSON.stringify({ input: 'q', output: null, score: 0, step: 7 })), '7.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual(['7.jsonl:2: output: Invalid input: expected string, received null']);
  });
});
