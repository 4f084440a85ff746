import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyRepr } from '../python/repr.js';
import type { PyValue } from '../python/value.js';
import { importText } from './import.js';
import { pythonCalls, pythonLiteralAt } from './python-calls.js';
import { deriveAgentResult } from './trajectory.js';

// ToolACE's assistant turns: a Python list of calls, `[Name(arg=VALUE, ...), ...]`.

describe('pythonCalls', () => {
  it('reads names with spaces and dots, and Python literals as JSON', () => {
    expect(pythonCalls('[Market Trends API(trend_type="INDEXES", limit=5), weather.lookup(city=\'Paris\', units=None, exact=True, ratio=-0.5)]')).toEqual([
      { name: 'Market Trends API', arguments: '{"trend_type":"INDEXES","limit":5}' },
      { name: 'weather.lookup', arguments: '{"city":"Paris","units":null,"exact":true,"ratio":-0.5}' },
    ]);
    expect(pythonCalls('[Get Joke()]')).toEqual([{ name: 'Get Joke', arguments: '{}' }]);
    expect(pythonCalls('[User Feed (Video Posts) V2(user_id="12345"), Search (v2)()]')).toEqual([{ name: 'User Feed (Video Posts) V2', arguments: '{"user_id":"12345"}' }, { name: 'Search (v2)', arguments: '{}' }]);
    expect(pythonCalls(' [f(xs=[1, (2, 3)], d={"a": {"b": [True]}, 1: \'x\'},)] ')).toEqual([{ name: 'f', arguments: '{"xs":[1,[2,3]],"d":{"1":"x","a":{"b":[true]}}}' }]);
  });

  it('reads Python\'s string escapes', () => {
    expect(JSON.parse(pythonCalls(String.raw`[f(s='it\'s\n\t\\ \x41\u00e9\U0001F600 \q')]`)![0]!.arguments)).toEqual({ s: "it's\n\t\\ Aé😀 \\q" });
  });

  it('takes any other text for the assistant\'s words', () => {
    for (const text of ['Plain answer.', '[]', '[this is not a call]', '[f(city=Paris)]', '[f(x=1)] and more', '[f(x=1', '[f(1)]', '[f(x="unclosed)]', '[(x=1)]', `[f(x=${'['.repeat(500)}${']'.repeat(500)})]`]) {
      expect(pythonCalls(text)).toBeNull();
    }
    // An argument named __proto__ is an argument.
    expect(pythonCalls('[f(__proto__={"a": 1})]')).toEqual([{ name: 'f', arguments: '{"__proto__":{"a":1}}' }]);
  });

  it('reads a literal to plain objects, as JSON.parse makes them', () => {
    const read = pythonLiteralAt("x = [{'name': 'f', '__proto__': {'a': None}}] # end", 4)!;
    expect(read.value).toEqual(JSON.parse('[{"name": "f", "__proto__": {"a": null}}]'));
    const first = (read.value as Array<Record<string, unknown>>)[0]!;
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.keys(first)).toEqual(['name', '__proto__']);
    expect(read.end).toBe(45);
    expect(pythonLiteralAt('[1, 2', 0)).toBeNull();
  });

  it('reads back any list of calls Python would print', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const value = fc.letrec((tie) => ({
      any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('any'), { maxKeys: 3 })),
    })).any;
    const call = fc.record({ name: fc.stringMatching(/^[A-Za-z_][\w. ]{0,20}$/).filter((n) => n.trim() === n), args: fc.dictionary(fc.stringMatching(/^[A-Za-z_]\w{0,8}$/), value, { maxKeys: 4 }) });
    const toPy = (v: unknown): PyValue => (v === null || typeof v !== 'object' ? (v as PyValue) : Array.isArray(v) ? v.map(toPy) : new Map(Object.entries(v).map(([k, x]) => [k, toPy(x)])));
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 3 }), (calls) => {
        const text = `[${calls.map((c) => `${c.name}(${Object.entries(c.args).map(([k, v]) => `${k}=${pyRepr(toPy(v))}`).join(', ')})`).join(', ')}]`;
        const read = pythonCalls(text);
        expect(read?.map((c) => ({ name: c.name, args: JSON.parse(c.arguments) as unknown }))).toEqual(calls.map((c) => ({ name: c.name, args: JSON.parse(JSON.stringify(c.args)) as unknown })));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ToolACE conversations', () => {
  const line = {
    system: 'You are an expert in composing functions. Here is a list of functions in JSON format you can invoke:\n[{"name": "Get Weather", "parameters": {}}]',
    conversations: [
      { from: 'user', value: 'Weather in Oslo and a joke?' },
      { from: 'assistant', value: '[Get Weather(city="Oslo"), Get Joke()]' },
      { from: 'tool', value: '[{"name": "Get Weather", "results": {"temp": 3}}, {"name": "Get Joke", "results": {"joke": "..."}}]' },
      { from: 'assistant', value: 'It is 3 degrees. Here is a joke: ...' },
    ],
  };

  it('reads the calls as tool calls and each listed result as the answer to its call', () => {
    const t = importText(`${JSON.stringify(line)}\n`, 'toolace.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(t.messages[2]).toMatchObject({ content: '', tool_calls: [{ id: 'call_2_0', function: { name: 'Get Weather', arguments: '{"city":"Oslo"}' } }, { id: 'call_2_1', function: { name: 'Get Joke', arguments: '{}' } }] });
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_2_0', content: '{"name":"Get Weather","results":{"temp":3}}' });
    expect(t.messages[4]).toMatchObject({ tool_call_id: 'call_2_1' });
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, finished_naturally: true });
  });

  it('keeps a turn that is not a list of calls as text, and a result that is not a list as one result', () => {
    const other = { conversations: [{ from: 'user', value: 'Go.' }, { from: 'assistant', value: '[Get Weather(city="Oslo")]' }, { from: 'tool', value: '{"temp": 3}' }, { from: 'assistant', value: '[see above]' }] };
    const t = importText(`${JSON.stringify(other)}\n`, 'toolace.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Go.'], ['assistant', ''], ['tool', '{"temp": 3}'], ['assistant', '[see above]']]);
  });
});
