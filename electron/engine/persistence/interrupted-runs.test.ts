import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '#shared/run/events.js';
import { createEngine } from '../loop/engine.js';
import { findInterruptedRuns } from './interrupted-runs.js';
import { createRunFile } from './run-file.js';
import { planReplay } from '../loop/replay.js';

const call = (id: string) => ({ id, type: 'function' as const, function: { name: 'terminal', arguments: '{"command": "ls"}' } });
const messages = [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: '', tool_calls: [call('a')] },
  { role: 'tool', tool_call_id: 'a', content: 'x' },
  { role: 'assistant', content: '', tool_calls: [call('b')] },
  { role: 'tool', tool_call_id: 'b', content: 'y' },
  { role: 'assistant', content: 'done' },
];

async function recordRun(path: string): Promise<RunEvent[]> {
  const plan = planReplay({ messages });
  const file = createRunFile(path);
  const events: RunEvent[] = [];
  const run = createEngine({ model: plan.model, tools: plan.tools, sink: { append: (e) => (events.push(e), file.append(e)) } }).start({ messages: plan.initialMessages, config: { maxTurns: plan.maxTurns } });
  await run.done;
  file.close();
  return events;
}

describe('interrupted runs', () => {
  it('finds run files whose runs never ended, with the turns they completed, most recent first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-interrupted-'));
    const events = await recordRun(join(dir, 'finished.jsonl'));
    // A run killed after its second turn: everything up to that turn's end, then a cut line.
    const cut = events.findLastIndex((e) => e.type === 'turn_finished' && e.turn === 2);
    writeFileSync(join(dir, 'killed.jsonl'), events.slice(0, cut + 1).map((e) => `${JSON.stringify(e)}\n`).join(''));
    appendFileSync(join(dir, 'killed.jsonl'), '{"runId": "x", "seq": 99, "ty');
    writeFileSync(join(dir, 'notes.txt'), 'not a run file');
    const found = await findInterruptedRuns(dir);
    expect(found.map((f) => [f.path, f.unfinishedRuns, f.completedTurns])).toEqual([[join(dir, 'killed.jsonl'), 1, 2]]);
    // A run still going in this process is not interrupted.
    expect(await findInterruptedRuns(dir, new Set([events[0]!.runId]))).toEqual([]);
    expect(await findInterruptedRuns(join(dir, 'missing'))).toEqual([]);
  });
});
