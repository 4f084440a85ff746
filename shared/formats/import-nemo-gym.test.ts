import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// NeMo Gym rollout lines in the shapes its agents write: a gymnasium-style game whose model calls
// carry their token ids and whose environment replies are not in the output, a call of several
// items, and the outcome fields agents add next to the reward. The fixtures are written by hand
// after the structure of NeMo Gym's example rollouts.

const jsonl = (lines: readonly unknown[]): string => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const params = { input: [{ type: 'message', role: 'system', content: 'Play cards. Answer <move>draw</move> or <move>hold</move>.' }, { type: 'message', role: 'user', content: 'Start.' }] };
const tokens = (prompt: number[], generation: number[]) => ({ prompt_token_ids: prompt, generation_token_ids: generation, generation_log_probs: generation.map(() => -0.1) });
const said = (id: string, text: string, ids?: ReturnType<typeof tokens>) => ({ ...ids, id, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] });
const rollout = (output: unknown[], extra: Record<string, unknown> = {}) => ({ responses_create_params: params, response: { id: 'resp_1', model: 'small-model', output }, reward: 1, _ng_task_index: 3, _ng_rollout_index: 0, ...extra });
const open = (lines: readonly unknown[]) => importText(jsonl(lines), 'rollouts.jsonl');

describe('model calls of a NeMo Gym rollout', () => {
  it('takes two messages that carry their own token ids for two turns, leaving out the reply between them', () => {
    const output = [said('msg_a', '<move>draw</move>', tokens([1, 2, 3], [7, 8])), said('msg_b', '<move>hold</move>', tokens([1, 2, 3, 7, 8, 4, 5], [9, 8]))];
    const { trajectories, problems } = open([rollout(output)]);
    const [t] = trajectories;
    expect(t!.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'Play cards. Answer <move>draw</move> or <move>hold</move>.'],
      ['user', 'Start.'],
      ['assistant', '<move>draw</move>'],
      ['assistant', '<move>hold</move>'],
    ]);
    expect(deriveAgentResult(t!).result.turns_used).toBe(2);
    expect(t!.problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rollouts\.jsonl:1: response\.output\[1\]: a new model call follows the previous one with nothing recorded between them; .*prompt_token_ids, and is left out$/);
  });

  it('keeps the reasoning, text and call of one model call one turn: the token ids are on its last item', () => {
    const output = [
      { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Look first.' }] },
      said('msg_1', 'Looking.'),
      { ...tokens([1, 2], [3, 4, 5]), id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'look', arguments: '{}', status: 'completed' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a table' },
      said('msg_2', 'A table.', tokens([1, 2, 3, 4, 5, 6], [7])),
    ];
    const { trajectories, problems } = open([rollout(output)]);
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.slice(2)).toEqual([
      { role: 'assistant', content: 'Looking.', reasoning_content: 'Look first.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'a table' },
      { role: 'assistant', content: 'A table.' },
    ]);
  });

  it('keeps assistant messages without token ids one turn, as before', () => {
    const { trajectories, problems } = open([rollout([said('msg_1', 'One.'), said('msg_2', 'Two.')])]);
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.slice(2)).toEqual([{ role: 'assistant', content: 'One.\nTwo.' }]);
  });

  it('keeps items that repeat one call\'s token ids one turn', () => {
    const same = tokens([1, 2], [3, 4]);
    const { trajectories, problems } = open([rollout([said('msg_1', 'One.', same), said('msg_2', 'Two.', same)])]);
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.slice(2)).toEqual([{ role: 'assistant', content: 'One.\nTwo.' }]);
  });

  it('records no prompt: the input is the start of the trajectory, and prompt views are recomputed', () => {
    const output = [said('msg_a', '<move>draw</move>', tokens([1], [2])), said('msg_b', '<move>hold</move>', tokens([1, 2, 3], [4]))];
    expect(open([rollout(output)]).trajectories[0]!.promptViews).toBeUndefined();
  });
});

describe('how a NeMo Gym rollout ended', () => {
  const output = [said('msg_1', '<move>hold</move>', tokens([1], [2]))];

  it('takes terminated for the stop reason, and the episode ending by its rules for finished', () => {
    const [t] = open([rollout(output, { terminated: true, truncated: false, info: { result: 'win' } })]).trajectories;
    expect(t!.stopReason).toBe('terminated');
    expect(t!.recorded).toEqual({ finished_naturally: true });
  });

  it('takes truncated for a cut: not finished, whatever else the line records', () => {
    const [t] = open([rollout(output, { terminated: false, truncated: true, finished_naturally: true })]).trajectories;
    expect(t!.stopReason).toBe('truncated');
    expect(t!.recorded.finished_naturally).toBe(false);
  });

  it('keeps a finished_naturally the line records over what terminated implies', () => {
    const [t] = open([rollout(output, { terminated: true, finished_naturally: false })]).trajectories;
    expect(t!.stopReason).toBe('terminated');
    expect(t!.recorded.finished_naturally).toBe(false);
  });

  it('takes the turns_used and finished_naturally an agent records next to the reward', () => {
    const [t] = open([rollout([said('msg-0', 'Done.')], { turns_used: 1, finished_naturally: true })]).trajectories;
    expect(t!.recorded).toEqual({ turns_used: 1, finished_naturally: true });
    expect(t!.stopReason).toBeUndefined();
  });

  it('records nothing of its end when the line says nothing of it', () => {
    const [t] = open([rollout(output)]).trajectories;
    expect(t!.recorded).toEqual({});
    expect(t!.stopReason).toBeUndefined();
  });

  it('names the field of a recorded value that does not fit', () => {
    const { trajectories, problems } = open([rollout(output), rollout(output, { turns_used: 'two' }), rollout(output, { terminated: 'yes' })]);
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/^rollouts\.jsonl:2: turns_used: /), expect.stringMatching(/^rollouts\.jsonl:3: terminated: /)]);
  });
});
