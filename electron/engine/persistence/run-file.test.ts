import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from '#shared/formats/import.js';
import { summarizeTrajectory } from '#shared/formats/summary.js';
import type { BranchChange, RunEvent } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { planBranch } from '../loop/branch.js';
import { createEngine } from '../loop/engine.js';
import { type RunHandle, type RunOutcome } from '../loop/run-handle.js';
import { appendToRunFile, createRunFile, parseRunFile, readRunFile, type RunFileWriter } from './run-file.js';
import { caseConfig, loadConformanceCases, scriptedModel, scriptedTools, type ConformanceCase } from '../../testing/conformance.js';

const c = loadConformanceCases().find((x) => x.name === 'trunc_0_3')!;

interface Written {
  run: RunHandle;
  events: RunEvent[];
  done: Promise<RunOutcome>;
}

/** Starts a run of the case writing to `sink`, keeping its persisted events. */
function start(sink: RunFileWriter, request: Parameters<ReturnType<typeof createEngine>['start']>[0], replies: ConformanceCase['model'], toolsFrom: number): Written {
  const run = createEngine({ model: scriptedModel(replies), tools: scriptedTools(c.tools, c.tools_out.slice(toolsFrom)), sink }).start(request);
  const events: RunEvent[] = [];
  run.subscribe((e) => events.push(e));
  return { run, events, done: run.done.then((outcome) => (sink.close(), outcome)) };
}

/** Starts a branch of `parent` as the service does: same config, parent link in its source, events appended to the same file. */
function branch(path: string, parent: Written, change: BranchChange): Written {
  const plan = planBranch({ runId: parent.run.runId, events: parent.events }, change, { reuseToolResults: false });
  const toolsFrom = parent.events.filter((e) => e.type === 'tool_started' && e.known && e.turn < plan.resume.turn).length;
  const source = { parentRunId: parent.run.runId, forkTurn: plan.forkTurn, change };
  return start(appendToRunFile(path), { messages: plan.messages, config: caseConfig(c), source, prefix: plan.prefix, resume: plan.resume }, c.model.slice(plan.firstModelTurn - 1), toolsFrom);
}

/** A run file with a root run, two branches of it written side by side, and a branch of a branch. */
async function runFileWithBranches() {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-runfile-')), 'run.jsonl');
  const root = start(createRunFile(path), { messages: structuredClone(c.messages), config: caseConfig(c) }, c.model, 0);
  await root.done;
  const rootText = readFileSync(path, 'utf8');
  const resampled = branch(path, root, { kind: 'resample', turn: 4 });
  const edited = branch(path, root, { kind: 'tool_result', turn: 2, index: 0, content: '{"error": "edited"}' });
  await Promise.all([resampled.done, edited.done]);
  const nested = branch(path, resampled, { kind: 'resample', turn: 6 });
  await nested.done;
  return { path, rootText, runs: [root, resampled, edited, nested] };
}

describe('a run file with branches', () => {
  it('holds every run, each event with its run id, and reads back grouped by run', async () => {
    const { path, rootText, runs } = await runFileWithBranches();
    const text = readFileSync(path, 'utf8');
    // Branches only append: the root's lines are as they were.
    expect(text.startsWith(rootText)).toBe(true);
    const lineRuns = text.trim().split('\n').map((line) => (JSON.parse(line) as RunEvent).runId);
    // The two branches of the root ran side by side, so their lines interleave.
    const [, a, b] = runs.map((r) => r.run.runId);
    expect(lineRuns.lastIndexOf(a!)).toBeGreaterThan(lineRuns.indexOf(b!));
    expect(lineRuns.lastIndexOf(b!)).toBeGreaterThan(lineRuns.indexOf(a!));

    const file = readRunFile(path);
    expect(file.problems).toEqual([]);
    expect(file.runs.map((r) => r.runId)).toEqual(runs.map((r) => r.run.runId));
    for (const [k, written] of runs.entries()) {
      expect(file.runs[k]!.events).toEqual(written.events);
      expect(agentResultOf(file.runs[k]!.state.current)).toEqual((await written.done).result);
    }
    // The root run is also the file's first run, as for a file without branches.
    expect(file.events).toEqual(runs[0]!.events);
    expect(file.runs[3]!.state.current.source).toMatchObject({ parentRunId: a, forkTurn: 5, change: { kind: 'resample', turn: 6 } });
  });

  it('keeps every completed event of every run when the last line was cut short', async () => {
    const { path, runs } = await runFileWithBranches();
    const text = readFileSync(path, 'utf8');
    const cut = text.slice(0, text.length - 30);
    writeFileSync(path, cut);
    const file = readRunFile(path);
    expect(file.problems).toHaveLength(1);
    expect(file.problems[0]!.message).toMatch(/run\.jsonl:\d+: the last line is incomplete/);
    expect(file.runs.reduce((n, r) => n + r.events.length, 0)).toBe(cut.split('\n').length - 1);
    // Only the last run's last event (its run_finished) is lost: every turn of every run is kept.
    for (const [k, written] of runs.entries()) {
      expect(file.runs[k]!.state.current.turns).toEqual(written.run.state.current.turns);
      expect(file.runs[k]!.state.current.messages).toEqual(written.run.state.current.messages);
    }
    expect(file.runs[3]!.state.current.end).toBeNull();
  });

  it('names the line of an event whose run never started', () => {
    const { problems, runs } = parseRunFile('{"type":"turn_started","turn":1,"runId":"ghost","seq":1,"time":0}\n', 'orphan.jsonl');
    expect(runs).toEqual([]);
    expect(problems).toEqual([{ line: 1, message: 'orphan.jsonl:1: an event of run ghost before that run started' }]);
  });
});

describe('the trajdbg-run importer', () => {
  it('detects a run file (which has messages in its first line, like messages JSONL) from its first event', async () => {
    const { path } = await runFileWithBranches();
    const text = readFileSync(path, 'utf8');
    expect(detectFormat(text.slice(0, 65536), 'run.jsonl')).toBe('trajdbg-run');
    expect(detectFormat(text.slice(0, 65536))).toBe('trajdbg-run');
    expect(detectFormat('{"messages": [{"role": "user", "content": "run_started"}]}\n{"messages": []}\n', 'x.jsonl')).toBe('messages-jsonl');
  });

  it('gives one trajectory per run, every AgentResult field recorded, and the branch links on trajectories and rows', async () => {
    const { path, runs } = await runFileWithBranches();
    const ids = runs.map((r) => r.run.runId);
    const imported = importText(readFileSync(path, 'utf8'), path);
    expect(imported.format).toBe('trajdbg-run');
    expect(imported.problems).toEqual([]);
    expect(imported.trajectories.map((t) => t.id)).toEqual(ids);
    for (const [k, t] of imported.trajectories.entries()) {
      const { messages, ...recorded } = (await runs[k]!.done).result;
      expect(t.messages).toEqual(messages);
      expect(t.recorded).toEqual(recorded);
      expect(t.source).toEqual({ format: 'trajdbg-run', index: k });
      expect(t.tools).toEqual(c.tools);
    }
    const toolName = runs[0]!.run.state.current.turns[1]!.toolCalls[0]!.name;
    expect(imported.trajectories.map((t) => t.branch ?? null)).toEqual([
      null,
      { parentId: ids[0], forkTurn: 3, change: 'turn 4: resampled' },
      { parentId: ids[0], forkTurn: 2, change: `turn 2: ${toolName} result edited` },
      { parentId: ids[1], forkTurn: 5, change: 'turn 6: resampled' },
    ]);
    const rows = imported.trajectories.map((t, i) => summarizeTrajectory(t, i));
    expect(rows.map((r) => [r.id, r.parentId ?? null, r.forkTurn ?? null])).toEqual([
      [ids[0], null, null],
      [ids[1], ids[0], 3],
      [ids[2], ids[0], 2],
      [ids[3], ids[1], 5],
    ]);
    // The edited result is an error: the row counts it.
    expect(rows[2]!.toolErrors).toBe(rows[0]!.toolErrors + 1);
  });

  it('imports a file cut mid-line, reporting the cut line', async () => {
    const { path } = await runFileWithBranches();
    const text = readFileSync(path, 'utf8');
    const imported = importText(text.slice(0, text.length - 30), path);
    expect(imported.trajectories).toHaveLength(4);
    expect(imported.problems).toEqual([expect.stringMatching(/run\.jsonl:\d+: the last line is incomplete/)]);
  });
});
