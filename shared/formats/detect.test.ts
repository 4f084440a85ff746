import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectFormat, detectRecord, FORMATS, importText } from './import.js';
import { atroposLine, sweAgentTraj } from './test-files.js';

// Files whose telling keys come after hundreds of KB of other keys, in the layouts SWE-agent 1.x
// (`trajectory` before `history`) and atropos rollout lines (`tokens`/`masks` before `messages`) write.

afterEach(() => vi.restoreAllMocks());

describe('detection from the first record, whatever its key order and size', () => {
  it('takes a SWE-agent 1.x .traj with 600 KB of steps before history for a .traj', () => {
    const text = sweAgentTraj(30);
    expect(text.indexOf('"history"')).toBeGreaterThan(600_000);
    expect(detectFormat(text, 'run.traj')).toBe('swe-agent-traj');
    const { format, trajectories } = importText(text, 'run.traj');
    expect(format).toBe('swe-agent-traj');
    expect(trajectories[0]!.messages.filter((m) => m.role === 'assistant')).toHaveLength(30);
  });

  it('takes atropos lines with 400 KB of tokens before messages for JSONL of messages, parsing each line once', () => {
    const lines = [atroposLine(4, 12_000), atroposLine(4, 12_000)];
    expect(lines[0]!.indexOf('"messages"')).toBeGreaterThan(400_000);
    const parse = vi.spyOn(JSON, 'parse');
    const { format, trajectories, problems } = importText(lines.join('\n') + '\n', 'rollouts.jsonl');
    const bigParses = parse.mock.calls.filter(([text]) => typeof text === 'string' && text.length > 400_000).length;
    expect(format).toBe('messages-jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(8);
    expect(bigParses).toBe(2);
  });

  it('tells formats apart by shape, not by where keys sit', () => {
    expect(detectRecord({ info: {}, history: [], trajectory: [] }, 'document')).toBe('swe-agent-traj');
    expect(detectRecord({ trajectory: [], history: [] }, 'document')).toBe('swe-agent-traj');
    expect(detectRecord({ results: {}, samples: [], eval: {} }, 'document')).toBe('inspect-log');
    expect(detectRecord({ messages: [], info: { mini_version: '1' } }, 'document')).toBe('mini-swe-agent');
    expect(detectRecord({ turns_used: 1, messages: [] }, 'document')).toBe('agent-result');
    expect(detectRecord({ masks: [], messages: [] }, 'line')).toBe('messages-jsonl');
    expect(detectRecord({ foo: 1 }, 'line')).toBeNull();
  });

  it('lists every format once, with a description, in a table new formats are added to', () => {
    const ids = FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(FORMATS.every((f) => f.description.length > 0)).toBe(true);
  });

  it('names what the first record was when no format fits', () => {
    expect(() => importText('{"foo": 1}\n{"foo": 2}\n', 'x.jsonl')).toThrow('x.jsonl: not a known trajectory format: its first line (an object with keys foo) has none of messages or conversations');
  });
});
