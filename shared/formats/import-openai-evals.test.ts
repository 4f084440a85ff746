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

describe('OpenAI evals records of solver-based evals', () => {
  // A solver records one sampling per turn, each prompt the whole conversation so far, with the
  // model and usage the OpenAI completion functions add.
  const system = { role: 'system', content: 'You are playing a guessing game. Reply with [GUESS: n].' };
  const usage = (p: number, c: number) => ({ completion_tokens: c, prompt_tokens: p, total_tokens: p + c, completion_tokens_details: null });
  const turn1 = [system, { role: 'user', content: 'Guess a number from 1 to 10.' }];
  const turn2 = [...turn1, { role: 'assistant', content: '[GUESS: 5]' }, { role: 'user', content: 'Higher. Größer!' }];

  it('makes each turn of the conversation part of the trajectory, with its usage; a grader stays out', () => {
    const text = record(
      spec,
      event(0, 'guess.1', 'sampling', { prompt: turn1, sampled: ['[GUESS: 5]'], model: 'gpt-4o-2024-08-06', usage: usage(40, 6) }),
      event(1, 'guess.1', 'sampling', { prompt: turn2, sampled: ['[GUESS: 8]'], model: 'gpt-4o-2024-08-06', usage: usage(55, 6) }),
      event(2, 'guess.1', 'sampling', { prompt: [{ role: 'user', content: 'Did the player win? Answer Y or N.' }], sampled: ['Y'] }),
      event(3, 'guess.1', 'match', { correct: true, expected: 8, picked: 8 }),
      event(4, 'guess.2', 'sampling', { prompt: turn1, sampled: ['[GUESS: 3]'] }),
      event(5, 'guess.2', 'error', { type: 'RateLimitError', message: 'Rate limit reached\nretry later' }),
    );
    const { trajectories, problems } = importText(text, 'run.jsonl');
    const [won, raised] = trajectories;
    expect(won!.messages).toEqual([...turn2, { role: 'assistant', content: '[GUESS: 8]' }]);
    expect(won!.callStats).toEqual([{ usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 } }, { usage: { prompt_tokens: 55, completion_tokens: 6, total_tokens: 61 } }]);
    expect(raised!.stopReason).toBe('error: RateLimitError: Rate limit reached');
    expect(problems).toEqual(["run.jsonl: sample guess.1: 1 further sampling (a grader's, or a retry) not shown"]);
  });
});
