import { describe, expect, it } from 'vitest';
import type { RunEvent } from '#shared/run/events.js';
import { createEngine } from './engine.js';
import type { RunHandle } from './run-handle.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools } from '../../testing/conformance.js';

const cases = loadConformanceCases();
const byName = (name: string) => cases.find((c) => c.name === name)!;

/** Resolves at the next `paused` event of a run. */
function nextPause(run: RunHandle): Promise<Extract<RunEvent, { type: 'paused' }>> {
  return new Promise((resolve) => {
    const off = run.subscribe((event) => {
      if (event.type === 'paused') {
        off();
        resolve(event);
      }
    });
  });
}

function startCase(name: string) {
  const c = byName(name);
  const model = scriptedModel(c.model);
  const run = createEngine({ model, tools: scriptedTools(c.tools, c.tools_out) }).start({ messages: structuredClone(c.messages), config: caseConfig(c), breakpoints: { beforeModel: true } });
  const events: RunEvent[] = [];
  run.subscribe((e) => events.push(e));
  return { c, model, run, events };
}

describe('editing a model call while paused before it', () => {
  it('sends the edited request for that one call, records the edit on its turn, and leaves the next calls as the loop builds them', async () => {
    const { c, model, run, events } = startCase('one_call_then_answer');
    expect(await nextPause(run)).toMatchObject({ turn: 1, at: 'before_model' });
    const messages = [...structuredClone(c.messages).slice(0, -1), { role: 'user', content: 'Edited question' }];
    const second = nextPause(run);
    run.editModelCall!({ temperature: 0.2, maxTokens: 64, model: 'other-model', messages });
    expect(await second).toMatchObject({ turn: 2, at: 'before_model' });
    expect(model.requests[0]).toMatchObject({ messages, n: 1, temperature: 0.2, max_tokens: 64, model: 'other-model' });
    const turn = run.state.current.turns[0]!;
    expect(turn.callEdit).toEqual({ temperature: 0.2, maxTokens: 64, model: 'other-model', messages });
    // The prompt view stays the loop's own: the edit is recorded beside it, right after it.
    const types = events.filter((e) => 'turn' in e && e.turn === 1).map((e) => e.type);
    expect(types.slice(types.indexOf('prompt_view'), types.indexOf('prompt_view') + 3)).toEqual(['prompt_view', 'model_call_edited', 'model_reply']);
    expect(turn.request).toMatchObject({ temperature: caseConfig(c).temperature });

    run.editModelCall!({});
    await run.done;
    expect(model.requests[1]).not.toHaveProperty('model');
    expect(model.requests[1]!.temperature).toBe(caseConfig(c).temperature);
    expect(run.state.current.turns[1]!.callEdit).toBeUndefined();
    expect(events.filter((e) => e.type === 'model_call_edited')).toHaveLength(1);
  });

  it('refuses an edit when the run is not paused before a model call', async () => {
    const { run } = startCase('one_call_then_answer');
    await nextPause(run);
    run.resume();
    await nextPause(run);
    run.stop();
    await run.done;
    expect(() => run.editModelCall!({ temperature: 0 })).toThrow(/not paused before a model call/);
  });
});
