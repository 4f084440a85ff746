import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools } from '../../testing/conformance.js';
import { truncateContext } from '#shared/loop/truncate.js';

const cases = loadConformanceCases();
let identical = 0;

/** The fields of a request the reference pins (absent where absent). */
function pinned(request: Record<string, unknown>) {
  const { messages, n, temperature, tools, max_tokens } = request;
  return { messages, n, temperature, ...(tools !== undefined ? { tools } : {}), ...(max_tokens !== undefined ? { max_tokens } : {}) };
}

describe('conformance with the reference loop', () => {
  it('has the reference cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const model = scriptedModel(c.model);
      const engine = createEngine({ model, tools: scriptedTools(c.tools, c.tools_out) });
      const outcome = await engine.start({ messages: structuredClone(c.messages), config: caseConfig(c) }).done;
      expect(outcome.error).toBeUndefined();
      expect(JSON.parse(JSON.stringify(outcome.result))).toEqual(c.expected.result);
      expect(model.requests.map((r) => pinned(r as unknown as Record<string, unknown>))).toEqual(c.expected.requests.map(pinned));
      identical += 1;
    });

    it(`${c.name}: the literal truncation port gives the same prompt views`, () => {
      const budget = c.config.max_context_tokens ?? null;
      const trajectory = c.expected.result.messages;
      // Turn t's prompt is a view of the messages before the t-th assistant message (the
      // whole trajectory for a turn whose model call failed).
      const turnStarts = trajectory.flatMap((m, i) => (m.role === 'assistant' && i >= c.messages.length ? [i] : []));
      c.expected.requests.forEach((request, t) => {
        const prefix = trajectory.slice(0, turnStarts[t] ?? trajectory.length);
        expect(truncateContext(prefix, budget)).toEqual(request.messages);
      });
    });
  }

  afterAll(() => {
    console.log(`conformance: ${identical} of ${cases.length} cases identical to the reference`);
  });
});
