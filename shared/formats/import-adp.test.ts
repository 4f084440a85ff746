import { describe, expect, it } from 'vitest';
import { detectFormat, detectRecord, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';
import { trajectoryRunEvents } from './trajectory-events.js';
import { deriveAgentResult } from './trajectory.js';

// Trajectories in the Agent Data Protocol's standardized form, in the layout of its datasets'
// `full_std.jsonl` (one per line) and `sample_std.json` (a list of them).

const sweTrajectory = {
  id: 'tomerfiliba__plumbum-366_17',
  content: [
    { class_: 'text_observation', content: 'Fix the SyntaxError in image.py.', name: null, source: 'user' },
    { class_: 'code_action', language: 'bash', content: 'ls -F', description: 'Find the file first.' },
    { class_: 'text_observation', content: 'plumbum/\nsetup.py', name: null, source: 'user' },
    { class_: 'api_action', function: 'find_file', kwargs: { file_name: '"image.py"', dir: '"plumbum"' }, description: 'Look for image.py.' },
    { class_: 'text_observation', content: 'Found 1 matches', name: null, source: 'environment' },
    { class_: 'api_action', function: 'submit', kwargs: {}, description: 'Submit.' },
    { class_: 'text_observation', content: 'Task completed successfully.', name: null, source: 'user' },
    { class_: 'message_action', content: '<finish> I did it! </finish>', description: '' },
  ],
  details: { model_name: 'swe-agent-llama-70b', exit_status: 'submitted', generated_patch: 'diff --git' },
};

const lines = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('Agent Data Protocol trajectories', () => {
  it('reads actions as tool calls with their thought, observations as their results, and the agent\'s message last', () => {
    const { format, trajectories, problems } = importText(lines(sweTrajectory), 'full_std.jsonl');
    expect(format).toBe('adp-trajectory');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.id).toBe('tomerfiliba__plumbum-366_17');
    expect(t.model).toBe('swe-agent-llama-70b');
    expect(t.stopReason).toBe('submitted');
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool', 'assistant']);
    expect(t.messages[1]).toEqual({ role: 'assistant', content: 'Find the file first.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"content":"ls -F"}' } }] });
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: 'plumbum/\nsetup.py' });
    expect(t.messages[3]!.tool_calls![0]!.function).toEqual({ name: 'find_file', arguments: '{"file_name":"\\"image.py\\"","dir":"\\"plumbum\\""}' });
    expect(t.messages[4]).toMatchObject({ role: 'tool', tool_call_id: 'call_3' });
    expect(t.messages[7]).toEqual({ role: 'assistant', content: '<finish> I did it! </finish>' });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 4, tool_calls_attempted: 3, tool_calls_executed_ok: 3, finished_naturally: true });
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 4, toolCalls: 3 });
    expect(trajectoryRunEvents(t, { origin: { fileId: 'f', path: 'full_std.jsonl' }, maxContextTokens: null }).at(-1)).toMatchObject({ type: 'run_finished', reason: 'finished_naturally' });
  });

  it('reads a sample file, a list of them, the same way', () => {
    const listed = importText(JSON.stringify([sweTrajectory, { ...sweTrajectory, id: 'second' }], null, 2), 'sample_std.json');
    expect(listed.format).toBe('adp-trajectory');
    expect(listed.trajectories.map((t) => t.id)).toEqual(['tomerfiliba__plumbum-366_17', 'second']);
    expect(listed.trajectories[0]!.messages).toEqual(importText(lines(sweTrajectory), 'full_std.jsonl').trajectories[0]!.messages);
  });

  it('gives an observation that answers no call to the user, or to the agent when it is its source, and a web page its URL and tree', () => {
    const t = importText(lines({
      id: 7,
      content: [
        { class_: 'text_observation', content: 'Buy a lamp.', source: 'user' },
        { class_: 'text_observation', content: 'I will search.', source: 'agent' },
        { class_: 'api_action', function: 'click', kwargs: { element_id: 'b3' }, description: null },
        { class_: 'web_observation', html: '<html></html>', axtree: '[1] button "Buy"', url: 'https://shop.example/', viewport_size: null, image_observation: null },
        { class_: 'text_observation', content: 'More to do.', source: 'environment' },
        { class_: 'message_action', content: 'Bought.', description: 'It was in stock.' },
      ],
    }), 'web.jsonl').trajectories[0]!;
    expect(t.id).toBe('7');
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Buy a lamp.'],
      ['assistant', 'I will search.'],
      ['assistant', ''],
      ['tool', 'URL: https://shop.example/\n\n[1] button "Buy"'],
      ['user', 'More to do.'],
      ['assistant', 'Bought.'],
    ]);
    expect(t.messages[5]!.reasoning_content).toBe('It was in stock.');
  });

  it('lists what it cannot show, and names the item that does not fit', () => {
    const t = importText(lines({ id: 'i', content: [{ class_: 'text_observation', content: 'Describe it.', source: 'user' }, { class_: 'code_action', language: 'python', content: 'show()', description: '' }, { class_: 'image_observation', content: 'images/1.png', source: 'environment' }, { class_: 'video_observation', content: 'v.mp4' }] }), 'img.jsonl').trajectories[0]!;
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '[image: images/1.png]' });
    expect(t.problems).toEqual(['img.jsonl:1: content[2]: an image observation is shown as its path, not as the image', "img.jsonl:1: content[3]: unknown class_ 'video_observation'; left out"]);
    const bad = importText(lines({ id: 'b', content: [{ class_: 'api_action', kwargs: {} }] }, sweTrajectory), 'bad.jsonl');
    expect(bad.trajectories).toHaveLength(1);
    expect(bad.problems[0]).toMatch(/^bad\.jsonl:1: content\[0\]\.function: /);
  });

  it('is told by its content classes, and takes no record of another format', () => {
    expect(detectFormat(lines(sweTrajectory), 'x.jsonl')).toBe('adp-trajectory');
    expect(detectRecord({ id: 'x', content: 'text' }, 'line')).toBeNull();
    expect(detectRecord({ id: 'x', content: [{ type: 'text', text: 'hi' }] }, 'line')).toBeNull();
    expect(detectRecord({ id: 'x', content: [{ class_: 'other' }] }, 'line')).toBeNull();
    expect(detectRecord({ ...sweTrajectory, messages: [] }, 'line')).toBe('messages-jsonl');
  });
});
