import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// Lines of a verifiers `results.jsonl` as later versions write them (`state_to_output`):
// `example_id`, `prompt`, `completion`, `reward`, `metrics` (and the same numbers flattened to the
// top level), `is_completed`, `is_truncated`, `stop_condition`, `error`, the tools on the line.

const base = { task: 'math', timing: { generation_ms: 10, scoring_ms: 1, total_ms: 11 }, is_completed: true, is_truncated: false, token_usage: { input_tokens: 100, output_tokens: 20 } };
const calc = { name: 'calc', description: 'Evaluates an expression.', parameters: { type: 'object', properties: { e: { type: 'string' } } } };
const lines = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('verifiers results', () => {
  it('reads provider-neutral tool calls ({id, name, arguments} as JSON text), the tool definitions on the line, and the metrics as scores', () => {
    const line = {
      ...base,
      example_id: 0,
      prompt: [{ role: 'system', content: 'Use tools.' }, { role: 'user', content: '2+2? ✓' }],
      completion: [
        { role: 'assistant', content: '', reasoning_content: 'Two ways.', tool_calls: [JSON.stringify({ id: 'c1', name: 'calc', arguments: '{"e": "2+2"}' }), JSON.stringify({ id: 'c2', name: 'calc', arguments: '{"e": "2*2"}' })] },
        { role: 'tool', content: '4', tool_call_id: 'c1' },
        { role: 'tool', content: '4', tool_call_id: 'c2' },
        { role: 'assistant', content: '4' },
      ],
      answer: '4',
      reward: 1,
      stop_condition: 'no_tools_called',
      metrics: { correct_answer: 1, num_turns: 2 },
      correct_answer: 1,
      num_turns: 2,
      tool_defs: [calc],
    };
    const { format, trajectories, problems } = importText(lines(line), 'results.jsonl');
    expect(format).toBe('verifiers-results');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages[2]!.tool_calls).toEqual([
      { id: 'c1', type: 'function', function: { name: 'calc', arguments: '{"e": "2+2"}' } },
      { id: 'c2', type: 'function', function: { name: 'calc', arguments: '{"e": "2*2"}' } },
    ]);
    expect(t.messages[2]!.reasoning_content).toBe('Two ways.');
    expect(t.tools?.map((tool) => tool.function.name)).toEqual(['calc']);
    expect(t.stopReason).toBe('no_tools_called');
    expect(t.evaluation).toEqual({ target: '4', scores: [{ scorer: 'correct_answer', value: 1 }, { scorer: 'num_turns', value: 2 }] });
  });

  it('keeps the per-function rewards earlier versions flattened to the top level', () => {
    const line = { id: 3, prompt: [{ role: 'user', content: 'Hi' }], completion: [{ role: 'assistant', content: 'Hello' }], task: 'default', generation_ms: 5, scoring_ms: 1, total_ms: 6, answer: '', reward: 0.5, correct_answer_reward_func: 0.5, python_calls: 0 };
    const [t] = importText(lines(line), 'results.jsonl').trajectories;
    expect(t!.evaluation).toEqual({ scores: [{ scorer: 'correct_answer_reward_func', value: 0.5 }, { scorer: 'python_calls', value: 0 }] });
  });

  it('reads a rollout that failed before it had a completion, with its error as how it ended', () => {
    const failed = { ...base, example_id: 1, prompt: [{ role: 'user', content: 'Hi' }], completion: null, reward: 0, is_completed: false, stop_condition: 'has_error', error: { error: 'ModelError', error_chain_repr: "ModelError(RateLimitError('429'))", error_chain_str: 'ModelError: 429 rate limited' }, metrics: {} };
    const ran = { ...base, example_id: 1, prompt: [{ role: 'user', content: 'Hi' }], completion: [{ role: 'assistant', content: 'Hello' }], reward: 1, metrics: {} };
    const text = lines(failed, ran);
    expect(detectFormat(text, 'results.jsonl')).toBe('verifiers-results');
    const { trajectories, problems } = importText(text, 'results.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(2);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(t.stopReason).toBe('error: ModelError: 429 rate limited');
    expect(summarizeTrajectory(t, 0)).toMatchObject({ finishedNaturally: false });
  });
});
