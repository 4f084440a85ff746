import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';

// The record of an OpenAI evals run in the layout `oaieval --record_path` writes: the spec, the
// final report, then events by sample.

const spec = { spec: { completion_fns: ['gpt-3.5-turbo'], eval_name: 'us-tort-law.dev.v0', base_eval: 'us-tort-law', split: 'dev', run_id: 'R1', created_at: '2023-04-11 17:13:51' } };
const prompt = (question: string) => [
  { role: 'system', content: 'Multiple choice questions about tort law.' },
  { role: 'system', content: 'Example question.', name: 'example_user' },
  { role: 'system', content: 'A', name: 'example_assistant' },
  { role: 'user', content: question },
];
const event = (id: number, sample: string, type: string, data: Record<string, unknown>) => ({ run_id: 'R1', event_id: id, sample_id: sample, type, data, created_by: '', created_at: '2023-04-11 17:13:51.6+00:00' });
const record = (...lines: unknown[]) => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;

describe('OpenAI evals records', () => {
  it('makes each sample a trajectory: its prompt and completion, graded by its match', () => {
    const text = record(
      spec,
      { final_report: { accuracy: 0.5 } },
      event(0, 'us-tort-law.dev.284', 'sampling', { prompt: prompt('Who is liable?'), sampled: ['D'] }),
      event(1, 'us-tort-law.dev.284', 'match', { correct: false, expected: 'A', picked: null, sampled: 'D', options: ['A'] }),
      event(2, 'us-tort-law.dev.79', 'sampling', { prompt: prompt('Is it negligence?'), sampled: ['A'] }),
      event(3, 'us-tort-law.dev.79', 'match', { correct: true, expected: 'A', picked: 'A', sampled: 'A', options: ['A'] }),
    );
    expect(detectFormat(text, 'run.jsonl')).toBe('openai-evals-log');
    const { format, trajectories, problems } = importText(text, 'run.jsonl');
    expect([format, problems]).toEqual(['openai-evals-log', []]);
    expect(trajectories.map((t) => [t.id, t.model, t.reward])).toEqual([['us-tort-law.dev.284', 'gpt-3.5-turbo', 0], ['us-tort-law.dev.79', 'gpt-3.5-turbo', 1]]);
    const t = trajectories[0]!;
    expect(t.messages.at(-1)).toEqual({ role: 'assistant', content: 'D' });
    expect(t.messages[1]).toMatchObject({ role: 'system', name: 'example_user' });
    expect(t.evaluation).toEqual({ target: 'A', scores: [{ scorer: 'correct', value: false }, { scorer: 'picked', value: null }, { scorer: 'sampled', value: 'D' }, { scorer: 'options', value: ['A'] }], metadata: { eval: 'us-tort-law.dev.v0' } });
  });

  it('reads a completion prompt as the user\'s text, and lists what it does not show', () => {
    const text = record(
      spec,
      event(0, 's.1', 'sampling', { prompt: 'Q: 2+2?\nA:', sampled: '4' }),
      event(1, 's.1', 'sampling', { prompt: [{ role: 'user', content: 'Grade this.' }], sampled: ['Y'] }),
      event(2, 's.1', 'match', { correct: 'True', expected: '4', picked: '4' }),
      event(3, 's.1', 'raw_sample', { text: 'x' }),
      event(4, 's.2', 'match', { correct: false }),
      { note: 'not an event' },
    );
    const { trajectories, problems } = importText(text, 'run.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(trajectories[0]!.messages).toEqual([{ role: 'user', content: 'Q: 2+2?\nA:' }, { role: 'assistant', content: '4' }]);
    expect(trajectories[0]!.reward).toBe(1);
    expect(problems).toEqual([
      'run.jsonl:7: not a spec, a final report or an event (sample_id and type); the line is left out',
      'run.jsonl: 1 raw_sample event not shown',
      "run.jsonl: sample s.1: 1 further sampling (a grader's, or a retry) not shown",
      'run.jsonl: sample s.2: no sampling event that could be read, so no conversation; left out',
    ]);
  });
});
