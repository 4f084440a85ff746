import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat.js';
import { contradictionsOf, deriveAgentResult, deriveRowCounts, type Trajectory } from './trajectory.js';

const names = fc.constantFrom<string | null>('read_file', 'terminal', 'submit', 'other', null);
const ids = fc.constantFrom<string | null>('c1', 'c2', 'c3', null);
const argumentsText = fc.oneof(
  fc.json(),
  fc.string(),
  fc.constantFrom('{"command": ""}', '{"command": "ls"}', '"{\\"path\\": 1}"', '{bad', `{"n": ${'9'.repeat(4301)}}`, `"${'9'.repeat(4400)}"`),
);
const resultText = fc.oneof(
  fc.string(),
  fc.json(),
  fc.constantFrom(
    '{"error": "Tool execution failed: ValueError: x"}',
    '{"error": ""}',
    '{"error": null, "exit_code": -1}',
    '{"output": "x", "exit_code": -1.0}',
    '{"exit_code": -2, "error": "timed out"}',
    '{"error": NaN}',
    '  {"error": [0]}',
    `{"n": ${'1'.repeat(4301)}}`,
  ),
);

const toolCall = fc.record({ id: ids, type: fc.constant('function' as const), function: fc.record({ name: names, arguments: argumentsText }) });
const message: fc.Arbitrary<ChatMessage> = fc.oneof(
  fc.record({ role: fc.constantFrom('system' as const, 'user' as const), content: fc.string() }),
  fc.record({ role: fc.constant('assistant' as const), content: fc.option(fc.string(), { nil: null }), tool_calls: fc.option(fc.array(toolCall, { maxLength: 3 }), { nil: undefined }) }, { requiredKeys: ['role', 'content'] }),
  fc.record({ role: fc.constant('tool' as const), tool_call_id: ids, content: fc.oneof(resultText, fc.constant(null), fc.array(fc.record({ type: fc.constant('text'), text: resultText }), { maxLength: 2 })) }),
) as fc.Arbitrary<ChatMessage>;

const recorded = fc.record(
  { turns_used: fc.nat({ max: 8 }), finished_naturally: fc.boolean(), tool_calls_exec_error: fc.nat({ max: 8 }), tool_calls_attempted: fc.nat({ max: 8 }) },
  { requiredKeys: [] },
);

const trajectory: fc.Arbitrary<Trajectory> = fc.record({
  messages: fc.array(message, { maxLength: 12 }),
  recorded,
  tools: fc.option(fc.array(fc.constantFrom('read_file', 'terminal', 'submit'), { maxLength: 2 }).map((ns) => ns.map((name) => ({ type: 'function' as const, function: { name, parameters: {} } }))), { nil: undefined }),
}).map(({ messages, recorded: r, tools }) => ({ id: 't', model: null, messages, reward: null, recorded: r, source: { format: 'messages-jsonl' as const, index: 0 }, ...(tools ? { tools } : {}) }));

/** The outcome of `f`: its value, or the error it raised. */
function settle<T>(f: () => T): T | { raised: string } {
  try {
    return f();
  } catch (error) {
    return { raised: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

describe('deriveRowCounts', () => {
  it("gives the row figures deriveAgentResult gives (turns, finished, failed calls), or raises what it raises", () => {
    fc.assert(
      fc.property(trajectory, (t) => {
        const exact = settle(() => {
          const { result } = deriveAgentResult(t);
          return { turns_used: result.turns_used, finished_naturally: result.finished_naturally, tool_calls_exec_error: result.tool_calls_exec_error };
        });
        expect(settle(() => deriveRowCounts(t))).toEqual(exact);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('contradictionsOf', () => {
  it('finds what deriveAgentResult finds the recorded result contradicts', () => {
    fc.assert(
      fc.property(trajectory, (t) => {
        const derived = settle(() => deriveAgentResult(t).contradicted);
        if (!('raised' in derived)) expect(contradictionsOf(t, t.messages.filter((m) => m.role === 'assistant').length)).toEqual(derived);
      }),
      { numRuns: 3000 },
    );
  });
});
