import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markupCalls, markupResult } from './function-markup.js';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// OpenHands' prompt-based function calling, as SFT sets keep it: calls as `<function=NAME>` blocks
// in the assistant's text, results as user turns `EXECUTION RESULT of [NAME]:`.

const bash = (command: string) => `<function=execute_bash>\n<parameter=command>\n${command}\n</parameter>\n</function>`;

describe('markupCalls', () => {
  it('reads the call, each parameter stripped, and the text before it as the content', () => {
    expect(markupCalls(`Let me look.\n\n${bash('ls -F')}`)).toEqual({ content: 'Let me look.', calls: [{ name: 'execute_bash', arguments: '{"command": "ls -F"}' }] });
    expect(markupCalls('Done.\n<function=finish>\n</function>')).toEqual({ content: 'Done.', calls: [{ name: 'finish', arguments: '{}' }] });
    expect(markupCalls('No call here.')).toBeNull();
    expect(markupCalls('An unclosed <function=x> call.')).toBeNull();
  });

  it('makes the arguments Python\'s json.dumps of a dict: the first place and the last value of a repeated parameter, non-ASCII escaped', () => {
    const text = '<function=edit>\n<parameter=path>a.py</parameter>\n<parameter=new>é "q"</parameter>\n<parameter=path>b.py</parameter>\n</function>';
    expect(markupCalls(text)!.calls[0]!.arguments).toBe('{"path": "b.py", "new": "\\u00e9 \\"q\\""}');
  });

  it('keeps every call of a turn that writes more than one, in order', () => {
    expect(markupCalls(`${bash('ls')}\n${bash('pwd')}`)!.calls.map((c) => JSON.parse(c.arguments) as unknown)).toEqual([{ command: 'ls' }, { command: 'pwd' }]);
  });

  it('finds the blocks the converter\'s lazy patterns find, on any text', () => {
    const FUNCTION = /<function=([^>]+)>\n?([\s\S]*?)<\/function>/g;
    const PARAMETER = /<parameter=([^>]+)>([\s\S]*?)<\/parameter>/g;
    const byPatterns = (text: string) => {
      const calls = [...text.matchAll(FUNCTION)].map((m) => ({ name: m[1]!, params: [...m[2]!.matchAll(PARAMETER)].map((p): [string, string] => [p[1]!, p[2]!.trim()]) }));
      return calls.length === 0 ? null : calls;
    };
    const fragment = fc.constantFrom('<function=', '<function=a>', '</function>', '<parameter=', '<parameter=p>', '</parameter>', '>', '\n', 'x', ' ', '<', '=');
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join('')), (text) => {
        const read = markupCalls(text);
        const expected = byPatterns(text);
        const got = read && read.calls.map((c) => ({ name: c.name, params: Object.entries(JSON.parse(c.arguments) as Record<string, string>) }));
        // A repeated parameter is one key of the dict: compare the last value of each.
        const asDict = (calls: typeof got) => calls && calls.map((c) => ({ name: c.name, params: Object.entries(Object.fromEntries(c.params)) }));
        expect(asDict(got)).toEqual(asDict(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a turn of 100,000 openings that are never closed (the lazy pattern would rescan from each)', () => {
    expect(markupCalls('<function=x>'.repeat(100_000))).toBeNull();
    expect(markupCalls(`${'<function=x>'.repeat(100_000)}</function>`)!.calls).toHaveLength(1);
    expect(markupCalls(`<function=x>${'<parameter=p>'.repeat(100_000)}</function>`)!.calls).toEqual([{ name: 'x', arguments: '{}' }]);
    expect(markupCalls(`${'<function=>'.repeat(100_000)}</function>`)).toBeNull();
  });
});

describe('markupResult', () => {
  it('reads a user turn that gives a result, and no other', () => {
    expect(markupResult('EXECUTION RESULT of [execute_bash]:\nREADME.md\n\n')).toEqual({ name: 'execute_bash', content: 'README.md' });
    expect(markupResult('Please go on. EXECUTION RESULT of [x]:\n1')).toBeNull();
    expect(markupResult('EXECUTION RESULT of [x] without the colon')).toBeNull();
  });
});

describe('conversations in the markup', () => {
  const turns = [
    { from: 'human', value: 'Fix the bug.' },
    { from: 'gpt', value: `Let me look.\n\n${bash('ls -F')}` },
    { from: 'human', value: 'EXECUTION RESULT of [execute_bash]:\nREADME.rst\nsetup.py' },
    { from: 'gpt', value: 'Done.\n\n<function=finish>\n</function>' },
  ];

  it('reads a ShareGPT line\'s calls and results as tool calls and tool messages', () => {
    const t = importText(`${JSON.stringify({ conversations: turns })}\n`, 'sft.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[1]).toMatchObject({ content: 'Let me look.', tool_calls: [{ id: 'call_2_0', function: { name: 'execute_bash', arguments: '{"command": "ls -F"}' } }] });
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_2_0', content: 'README.rst\nsetup.py' });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, finished_naturally: false });
  });

  it('reads a messages line the same way, and leaves a user turn that answers no call as it is', () => {
    const messages = turns.map((turn) => ({ role: turn.from === 'gpt' ? 'assistant' : 'user', content: turn.value }));
    const t = importText(`${JSON.stringify({ messages })}\n`, 'sft.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[2]).toMatchObject({ role: 'tool', name: 'execute_bash', tool_call_id: 'call_1_0', content: 'README.rst\nsetup.py' });
    const early = importText(`${JSON.stringify({ messages: [{ role: 'user', content: 'EXECUTION RESULT of [x]:\nhi' }, { role: 'assistant', content: 'ok' }] })}\n`, 'sft.jsonl').trajectories[0]!;
    expect(early.messages[0]).toEqual({ role: 'user', content: 'EXECUTION RESULT of [x]:\nhi' });
  });

  it('leaves a turn with hermes <tool_call> blocks to them', () => {
    const value = '<tool_call>\n{"name": "a", "arguments": {}}\n</tool_call> and <function=b>\n</function>';
    const t = importText(`${JSON.stringify({ conversations: [{ from: 'human', value: 'Go.' }, { from: 'gpt', value }] })}\n`, 'sft.jsonl').trajectories[0]!;
    expect(t.messages[1]!.tool_calls!.map((c) => c.function.name)).toEqual(['a']);
  });
});
