import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../model/chat.js';
import { materializePromptView, PromptViewIndex, RangeAddTree, shortenToolResult, truncateContext } from './truncate.js';

const ids = fc.constantFrom('a', 'b', 'c', 'd', '');
const content = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 150, maxLength: 420 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, '', undefined) },
);
const toolCall = fc.record({ id: fc.oneof(ids, fc.constant(null)), type: fc.constant('function' as const), function: fc.record({ name: fc.constant('t'), arguments: fc.constant('{}') }) });
const message: fc.Arbitrary<ChatMessage> = fc.oneof(
  fc.record({ role: fc.constantFrom('system', 'user'), content }),
  fc.record({ role: fc.constant('assistant'), content, tool_calls: fc.array(toolCall, { maxLength: 3 }) }, { requiredKeys: ['role', 'content'] }),
  fc.record({ role: fc.constant('tool'), content, tool_call_id: fc.oneof(ids, fc.constant(null)) }, { requiredKeys: ['role', 'content'] }),
) as fc.Arbitrary<ChatMessage>;

describe('truncateContext (the literal port)', () => {
  it('shortens a long middle tool result to first 100 + marker + last 50 code points', () => {
    const long = '😀'.repeat(150) + 'x'.repeat(100);
    expect(shortenToolResult(long)).toBe('😀'.repeat(100) + '\n...[truncated]...\n' + 'x'.repeat(50));
  });

  it('never modifies its input', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 30 }), fc.integer({ min: 1, max: 400 }), (messages, budget) => {
        const copy = structuredClone(messages);
        truncateContext(messages, budget);
        expect(messages).toEqual(copy);
      }),
    );
  });

  it('keeps the first two and the last min(6, n-2) messages', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 3, maxLength: 30 }), fc.integer({ min: 1, max: 400 }), (messages, budget) => {
        const view = truncateContext(messages, budget);
        const tail = Math.min(6, messages.length - 2);
        expect(view.slice(0, 2)).toEqual(messages.slice(0, 2));
        expect(view.slice(view.length - tail)).toEqual(messages.slice(messages.length - tail));
      }),
    );
  });
});

/** Trajectories shaped like real loops: each assistant turn followed by its tool results. */
const loopTrajectory: fc.Arbitrary<ChatMessage[]> = fc
  .tuple(
    fc.array(fc.record({ role: fc.constantFrom('system', 'user'), content }), { minLength: 1, maxLength: 3 }),
    fc.array(
      fc.record({ text: content, calls: fc.array(fc.tuple(ids, content), { maxLength: 3 }), shuffle: fc.boolean() }),
      { maxLength: 40 },
    ),
  )
  .map(([head, turns]) => {
    const out: ChatMessage[] = [...head];
    turns.forEach((turn, t) => {
      const calls = turn.calls.map(([id, _], k) => ({ id: `${id}${t}_${k}`, type: 'function' as const, function: { name: 't', arguments: '{}' } }));
      out.push(calls.length ? { role: 'assistant', content: turn.text, tool_calls: calls } : { role: 'assistant', content: turn.text });
      const results = turn.calls.map(([, text], k) => ({ role: 'tool', tool_call_id: calls[k]!.id, content: text }));
      out.push(...(turn.shuffle ? results.reverse() : results));
    });
    return out;
  });

describe('RangeAddTree', () => {
  it('answers point queries like a plain array, while it grows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.nat(40), fc.integer({ min: -50, max: 50 }))), fc.array(fc.nat(399)), (adds, queries) => {
        const tree = new RangeAddTree();
        const plain: number[] = new Array(400).fill(0);
        for (const [start, length, value] of adds) {
          tree.addRange(start, start + length, value);
          for (let i = start; i < start + length; i++) plain[i]! += value;
          for (const q of queries) expect(tree.pointQuery(q)).toBe(plain[q]);
        }
      }),
    );
  });
});

describe('PromptViewIndex (incremental) equals the literal port', () => {
  it('on every prefix of loop-shaped trajectories', () => {
    fc.assert(
      fc.property(loopTrajectory, fc.integer({ min: 1, max: 1500 }), (messages, budget) => {
        const index = new PromptViewIndex(budget);
        for (let k = 0; k < messages.length; k++) {
          index.append(messages[k]!);
          expect(index.promptMessages()).toEqual(truncateContext(messages.slice(0, k + 1), budget));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('on every prefix of random trajectories and budgets', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 40 }), fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constant(null)), (messages, budget) => {
        const index = new PromptViewIndex(budget);
        for (let k = 0; k < messages.length; k++) {
          index.append(messages[k]!);
          const expected = truncateContext(messages.slice(0, k + 1), budget);
          const view = index.view();
          expect(index.promptMessages(view)).toEqual(expected);
          expect(materializePromptView(messages, view)).toEqual(expected);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reports what it dropped and shortened', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 't', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'a', content: 'x'.repeat(1000) },
      { role: 'assistant', content: '', tool_calls: [{ id: 'b', type: 'function', function: { name: 't', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'b', content: 'y'.repeat(1000) },
      ...Array.from({ length: 6 }, (_, i) => ({ role: 'user', content: `tail ${i}` })),
    ];
    const index = new PromptViewIndex(300);
    messages.forEach((m) => index.append(m));
    const view = index.view();
    expect(view.phase).toBe('dropped');
    expect(view.dropped).toEqual([[2, 4]]);
    expect(view.shortened).toEqual([5]);
    expect(view.estimatedTokens).toBeLessThanOrEqual(300);
    expect(index.promptMessages(view)).toEqual(truncateContext(messages, 300));
  });

  it('without a budget, counts a message the estimate cannot measure as 0 and says how many there are', () => {
    const index = new PromptViewIndex(null);
    index.append({ role: 'user', content: 'what is 3.5 squared?' });
    expect(index.view().unestimated).toBeUndefined();
    const measured = index.view().fullTokens;
    // len(3.5) raises in Python: the reference estimates nothing without a budget, so no error.
    index.append({ role: 'user', content: 3.5 } as unknown as ChatMessage);
    index.append({ role: 'assistant', content: 12 } as unknown as ChatMessage);
    expect(index.view()).toMatchObject({ phase: 'none', fullTokens: measured, estimatedTokens: measured, unestimated: 2 });
    // With a budget the estimate raises, as the reference's truncation does.
    const budgeted = new PromptViewIndex(100);
    expect(() => budgeted.append({ role: 'user', content: 3.5 } as unknown as ChatMessage)).toThrow(/has no len\(\)/);
  });
});
