import type { TrajectorySummary } from '#shared/formats/summary.js';

/** A trajectory summary for tests: a plain finished run, with `fields` over it. */
export function summary(index: number, fields: Partial<TrajectorySummary> = {}): TrajectorySummary {
  return {
    index,
    id: `traj-${index}`,
    model: 'gpt-small',
    turns: 1,
    toolCalls: 0,
    toolErrors: 0,
    finishedNaturally: true,
    reward: null,
    toolNames: [],
    preview: `Task ${index}`,
    ...fields,
  };
}

/** Five trajectories with ties, blanks, errors, unfinished runs and tools to sort and filter on. */
export function sampleRows(): TrajectorySummary[] {
  return [
    summary(0, { id: 'alpha', model: 'gpt-small', turns: 3, toolCalls: 2, reward: 0.5, toolNames: ['read_file'], preview: 'Fix the failing test' }),
    summary(1, { id: 'bravo', model: 'llama-70b', turns: 5, toolCalls: 4, toolErrors: 2, finishedNaturally: false, reward: 1, toolNames: ['terminal', 'read_file'], preview: 'Deploy the service' }),
    summary(2, { id: 'charlie', model: null, turns: 3, toolCalls: 1, toolErrors: 1, reward: null, toolNames: ['web_search'], preview: 'Search the docs' }),
    summary(3, { id: 'delta', model: 'gpt-small', turns: 1, toolCalls: 0, finishedNaturally: false, reward: 0, preview: 'Say hello' }),
    summary(4, { id: 'echo', model: 'llama-70b', turns: 8, toolCalls: 7, reward: 0.25, toolNames: ['terminal'], preview: 'Refactor the parser' }),
  ];
}
