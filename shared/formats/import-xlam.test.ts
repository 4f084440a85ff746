import { describe, expect, it } from 'vitest';
import { detectRecord, importText } from './import.js';
import { trajectoryRunEvents } from './trajectory-events.js';

// Rows in the layout of xlam-function-calling-60k: a query, the calls that answer it and the
// tools offered, the lists as JSON text.

const row = {
  id: 1,
  query: 'Where can I find live giveaways for beta access and games?',
  answers: '[{"name": "live_giveaways_by_type", "arguments": {"type": "beta"}}, {"name": "live_giveaways_by_type", "arguments": {"type": "game"}}]',
  tools: '[{"name": "live_giveaways_by_type", "description": "Retrieve live giveaways", "parameters": {"type": {"description": "The type of giveaways", "type": "str", "default": "game"}}}]',
};
const jsonl = (...rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('xLAM function-calling rows', () => {
  it('reads the query as the user\'s message and the answers as one reply\'s tool calls, with the tools offered', () => {
    const { format, trajectories, problems } = importText(jsonl(row), 'xlam.jsonl');
    expect(format).toBe('xlam-function-calling');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.id).toBe('1');
    expect(t.messages).toEqual([
      { role: 'user', content: row.query },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'live_giveaways_by_type', arguments: '{"type":"beta"}' } }, { id: 'call_1', type: 'function', function: { name: 'live_giveaways_by_type', arguments: '{"type":"game"}' } }] },
    ]);
    expect(t.tools).toEqual([{ type: 'function', function: { name: 'live_giveaways_by_type', description: 'Retrieve live giveaways', parameters: { type: { description: 'The type of giveaways', type: 'str', default: 'game' } } } }]);
    // No result is recorded: the replay ends with the recording.
    expect(trajectoryRunEvents(t, { origin: { fileId: 'f', path: 'xlam.jsonl' }, maxContextTokens: null }).at(-1)).toMatchObject({ type: 'run_finished', reason: 'recording_ended' });
  });

  it('takes the lists as they are too, and names a list it cannot read', () => {
    const listed = importText(jsonl({ ...row, answers: [{ name: 'f', arguments: '{}' }], tools: [] }), 'x.jsonl').trajectories[0]!;
    expect(listed.messages[1]!.tool_calls![0]!.function).toEqual({ name: 'f', arguments: '{}' });
    expect(listed.tools).toBeUndefined();
    const bad = importText(jsonl({ ...row, answers: '[{"name": ' }, row), 'x.jsonl');
    expect(bad.trajectories).toHaveLength(1);
    expect(bad.problems[0]).toMatch(/^x\.jsonl:1: answers: .* in the JSON text$/);
  });

  it('is told by query, answers and tools', () => {
    expect(detectRecord(row, 'line')).toBe('xlam-function-calling');
    expect(detectRecord({ query: 'q', answers: '[]' }, 'line')).toBeNull();
  });
});
