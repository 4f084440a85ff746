import { describe, expect, it } from 'vitest';
import { importText } from './import.js';

describe('tau-bench results', () => {
  it('keeps the error of a trial that raised as its stop reason, not finished', () => {
    const trials = [
      { task_id: 0, reward: 0, info: { error: 'EOF when reading a line', traceback: 'Traceback (most recent call last):\nEOFError: EOF when reading a line\n' }, traj: [], trial: 0 },
      { task_id: 1, reward: 1, info: { task: { user_id: 'u1' } }, traj: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'done' }], trial: 0 },
    ];
    const [raised, ran] = importText(JSON.stringify(trials), 'results.json').trajectories;
    expect(raised).toMatchObject({ id: 'task 0.0', messages: [], reward: 0, stopReason: 'error: EOF when reading a line', recorded: { finished_naturally: false } });
    expect(ran!.stopReason).toBeUndefined();
    expect(ran!.recorded).toEqual({});
  });
});
