import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiParams, runSettingsSchema, type ApiParams, type RunSettings } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { agentResultOf } from '#shared/run/run-state.js';
import { createApiService } from './api-service.js';
import { DEMO_SCRIPT } from '../demo/demo-script.js';
import { spawnInProcessIndexer, TrajectoryLibrary } from '../library/trajectory-library.js';
import { readRunFile } from '../persistence/run-file.js';
import type { ScriptedReply } from '../../scripted-server/scripted-server.js';
import { memorySecretStore, type SettingsStore } from '../persistence/settings.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';
import { corpusPath } from '../../testing/corpus.js';

type Event<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;

const MINI = corpusPath('mini-swe-agent_github_issue.traj.json');

function service() {
  const saved: RunSettings[] = [];
  const settings: SettingsStore = { load: () => saved.at(-1) ?? null, save: (s) => void saved.push(structuredClone(s)) };
  const runsDir = mkdtempSync(join(tmpdir(), 'trajdbg-runs-'));
  const api = createApiService({ mode: 'serve', version: 'test', settings, secrets: memorySecretStore(), runsDir, library: new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer }) });
  const events: RunEvent[] = [];
  api.onEvent((event) => events.push(event));
  const ended = (runId: string) =>
    new Promise<Event<'run_finished'>>((resolve) => {
      const found = events.find((e) => e.runId === runId && e.type === 'run_finished');
      if (found) return resolve(found as Event<'run_finished'>);
      const off = api.onEvent((event) => {
        if (event.runId === runId && event.type === 'run_finished') {
          off();
          resolve(event);
        }
      });
    });
  const of = (runId: string) => events.filter((e) => e.runId === runId && e.type !== 'model_delta');
  const started = (runId: string) => of(runId).find((e) => e.type === 'run_started') as Event<'run_started'>;
  const branch = async (params: ApiParams<'run.branch'>) => {
    const { runId } = await api.handlers['run.branch'](parseApiParams('run.branch', params));
    return { runId, end: await ended(runId) };
  };
  const listed = async (runId: string) => (await api.handlers['run.list']({})).runs.find((r) => r.runId === runId)!;
  return { api, saved, runsDir, events, ended, of, started, branch, listed };
}

const call = (id: string, name: string, args: Record<string, unknown>) => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });

function settingsFor(baseURL: string, workspace: string | null = null): RunSettings {
  return runSettingsSchema.parse({
    endpoint: { baseURL, model: 'scripted' },
    prompt: { user: 'write a.txt' },
    sampling: {},
    limits: {},
    tools: workspace ? { builtin: ['read_file', 'write_file'], workspace } : {},
  });
}

describe('branching the demo', () => {
  it("edits turn 3's failing read_file to notes.md: the branch's turn 3 succeeds and the run goes on to finish", async () => {
    const { api, runsDir, ended, of, started, branch, listed } = service();
    const { runId } = await api.handlers['run.demo'](parseApiParams('run.demo', {}));
    await ended(runId);
    const parentEvents = structuredClone(of(runId));
    const parentFile = readdirSync(runsDir);
    expect(parentFile).toHaveLength(1);
    const parentText = readFileSync(join(runsDir, parentFile[0]!), 'utf8');
    const parentCall = (parentEvents.find((e) => e.type === 'tool_finished' && e.turn === 3 && e.index === 1) as Event<'tool_finished'>);
    expect(parentCall.status).not.toBe('ok');

    const { runId: branchId, end } = await branch({ runId, change: { kind: 'tool_arguments', turn: 3, arguments: [{ index: 1, arguments: '{"path": "notes.md"}' }] } });
    expect(end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 6 });
    const fixed = of(branchId).find((e) => e.type === 'tool_finished' && e.turn === 3 && e.index === 1) as Event<'tool_finished'>;
    expect(fixed.status).toBe('ok');
    expect(fixed.result).toContain('# Project notes');
    // The model answered turns 4 to 6 again, from the demo script.
    const replies = of(branchId).filter((e) => e.type === 'model_reply') as Array<Event<'model_reply'>>;
    expect(replies.map((r) => [r.turn, r.edited ?? false])).toEqual([[1, false], [2, false], [3, true], [4, false], [5, false], [6, false]]);
    expect(replies[3]!.message.content).toBe(DEMO_SCRIPT[3]!.message.content);
    expect(replies[3]!.seq).toBeGreaterThan(fixed.seq);

    expect(started(branchId).source).toMatchObject({ parentRunId: runId, forkTurn: 2, change: { kind: 'tool_arguments', turn: 3 }, toolSources: started(runId).source.toolSources });
    expect(await listed(branchId)).toMatchObject({
      title: 'Demo, branch at turn 3: read_file arguments edited',
      parentRunId: runId,
      forkTurn: 2,
      change: 'turn 3: read_file arguments edited',
      state: 'ended',
      outcome: { turnsUsed: 6, finishedNaturally: true, endReason: 'finished_naturally', toolErrors: agentResultOf(readRunFile(join(runsDir, parentFile[0]!)).runs[1]!.state.current).tool_calls_exec_error },
    });
    const parentRow = await listed(runId);
    expect(parentRow).toMatchObject({ parentRunId: null, forkTurn: null, change: null, outcome: { turnsUsed: 6, finishedNaturally: true, endReason: 'finished_naturally' } });
    expect(parentRow.outcome!.toolErrors - 1).toBe((await listed(branchId)).outcome!.toolErrors);

    // The parent is untouched; its run file only grew by the branch's lines.
    expect((await api.handlers['run.events']({ runId, fromSeq: 0, limit: 5000 })).events).toEqual(parentEvents);
    expect(readdirSync(runsDir)).toEqual(parentFile);
    const text = readFileSync(join(runsDir, parentFile[0]!), 'utf8');
    expect(text.startsWith(parentText)).toBe(true);
    const file = readRunFile(join(runsDir, parentFile[0]!));
    expect(file.problems).toEqual([]);
    expect(file.runs.map((r) => r.runId)).toEqual([runId, branchId]);
    expect(file.runs[0]!.events).toEqual(parentEvents);
    expect(file.runs[1]!.events).toEqual(of(branchId));
    await api.close();
  });

  it('runs the tools again in the same workspace, and a branch of a branch goes to the same run file', async () => {
    const { api, runsDir, ended, of, started, branch, listed } = service();
    const { runId } = await api.handlers['run.demo'](parseApiParams('run.demo', {}));
    await ended(runId);
    const workspace = started(runId).source.toolSources![0]!.split(' in ').at(-1)!;
    expect(readFileSync(join(workspace, 'notes.md'), 'utf8')).toMatch(/^# Project notes/);
    const first = await branch({ runId, change: { kind: 'tool_arguments', turn: 1, arguments: [{ index: 0, arguments: '{"path": "notes.md", "content": "rewritten"}' }] } });
    expect(first.end.reason).toBe('finished_naturally');
    expect(readFileSync(join(workspace, 'notes.md'), 'utf8')).toBe('rewritten');
    // Turn 5 reads the first line back: the branch's own write, not the parent's.
    const head = of(first.runId).find((e) => e.type === 'tool_finished' && e.turn === 5) as Event<'tool_finished'>;
    expect(head.result).toContain('rewritten');

    const nested = await branch({ runId: first.runId, change: { kind: 'resample', turn: 6, temperature: 0.1 } });
    expect(nested.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 6 });
    expect(started(nested.runId).config.temperature).toBe(0.1);
    expect(await listed(nested.runId)).toMatchObject({ title: 'Demo, branch at turn 6: resampled at temperature 0.1', parentRunId: first.runId, forkTurn: 5 });
    expect(readdirSync(runsDir)).toHaveLength(1);
    expect(readRunFile(join(runsDir, readdirSync(runsDir)[0]!)).runs.map((r) => r.runId)).toEqual([runId, first.runId, nested.runId]);
    await api.close();
  });
});

describe('intervening in a replay paused before tools', () => {
  const scripted = useScriptedServers();

  it('an edit or a skip continues as a branch from the paused turn; the replay stays paused where it was', async () => {
    const { api, events, ended, of, branch, listed } = service();
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-replay-'));
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    writeFileSync(join(workspace, 'notes.md'), 'the notes');
    const path = join(dir, 'chat.json');
    writeFileSync(
      path,
      JSON.stringify([
        { role: 'user', content: 'Read the draft.' },
        { role: 'assistant', content: 'Reading.', tool_calls: [call('c1', 'read_file', { path: 'draft.md' })] },
        { role: 'tool', tool_call_id: 'c1', content: 'the draft' },
        { role: 'assistant', content: 'Read it.' },
      ]),
    );
    const { fileId } = await api.handlers['file.open']({ path });
    for (let i = 0; i < 200 && (await api.handlers['file.list']({})).files[0]!.state === 'indexing'; i++) await new Promise((r) => setTimeout(r, 10));
    const paused = (runId: string, at: 'before_tools' | 'before_model' = 'before_tools') =>
      new Promise<void>((resolve) => {
        const found = () => events.some((e) => e.runId === runId && e.type === 'paused' && e.at === at);
        if (found()) return resolve();
        const off = api.onEvent(() => {
          if (found()) {
            off();
            resolve();
          }
        });
      });
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0, startPaused: true, breakpoints: { beforeTools: true } }));
    await api.handlers['run.control']({ runId, action: 'resume' });
    await paused(runId);
    // A recording runs no tools: the call is not changed in the replay itself.
    await expect(api.handlers['run.intervene'](parseApiParams('run.intervene', { runId, turn: 1, index: 0, change: { action: 'skip' } }))).rejects.toThrow(/plays a recording: it runs no tools.*continue as a branch from turn 1/);
    // Nor in an engine replay, whose tools answer from the recording whatever the arguments.
    const replay = await api.handlers['run.replay'](parseApiParams('run.replay', { title: 'rec', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: '', tool_calls: [call('c1', 'read_file', { path: 'a' })] }], breakpoints: { beforeTools: true } }));
    await paused(replay.runId);
    await expect(api.handlers['run.intervene'](parseApiParams('run.intervene', { runId: replay.runId, turn: 1, index: 0, change: { action: 'edit', arguments: '{}' } }))).rejects.toThrow(/run "rec" .* plays a recording/);
    // Nor its model call, which the recording answers whatever the request.
    const beforeModel = await api.handlers['run.replay'](parseApiParams('run.replay', { title: 'rec', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], breakpoints: { beforeModel: true } }));
    await paused(beforeModel.runId, 'before_model');
    await expect(api.handlers['run.editModelCall'](parseApiParams('run.editModelCall', { runId: beforeModel.runId, edit: { temperature: 0.1 } }))).rejects.toThrow(/run "rec" .* plays a recording/);

    const server = await scripted([{ message: { content: 'Edited read.' } }, { message: { content: 'Skipped.' } }]);
    const settings = runSettingsSchema.parse({ ...settingsFor(server.url), tools: { builtin: ['read_file'], workspace } });
    const edited = await branch({ runId, change: { kind: 'tool_arguments', turn: 1, arguments: [{ index: 0, arguments: '{"path": "notes.md"}' }] }, settings });
    expect(edited.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 2 });
    expect(of(edited.runId).find((e) => e.type === 'tool_finished' && e.turn === 1)).toMatchObject({ status: 'ok', result: '{"content": "the notes"}' });

    const skipped = await branch({ runId, change: { kind: 'skipped_call', turn: 1, index: 0 }, settings });
    expect(skipped.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 2 });
    const error = '{"error": "Tool execution failed: PermissionError: the user skipped the call"}';
    expect(of(skipped.runId).filter((e) => (e.type === 'tool_call_intervened' || e.type === 'tool_finished') && e.turn === 1)).toMatchObject([
      { type: 'tool_call_intervened', index: 0, intervention: { action: 'skip', modelArguments: '{"path":"draft.md"}' } },
      { type: 'tool_finished', index: 0, status: 'exception', result: error },
    ]);
    expect(await listed(skipped.runId)).toMatchObject({ parentRunId: runId, forkTurn: 0, change: 'turn 1: read_file call skipped', outcome: { toolErrors: 1 } });
    expect((server.requests[1] as { messages: Array<{ role: string; content: string }> }).messages.at(-1)).toMatchObject({ role: 'tool', content: error });

    // The replay is still paused before turn 1's tools, and plays on to the end of the recording.
    expect(await listed(runId)).toMatchObject({ state: 'paused' });
    await api.handlers['run.control']({ runId, action: 'resume' });
    await ended(runId);
    expect(of(runId).find((e) => e.type === 'tool_finished' && e.turn === 1)).toMatchObject({ status: 'ok', result: 'the draft' });
    await api.close();
  });

  it('paused before a model call, the edited call is asked once and continues as a branch from the turn', async () => {
    const { api, events, ended, of, started, branch, listed } = service();
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-replay-'));
    const path = join(dir, 'chat.json');
    writeFileSync(path, JSON.stringify([{ role: 'user', content: 'Say hi.' }, { role: 'assistant', content: 'Hi from the file.' }]));
    const { fileId } = await api.handlers['file.open']({ path });
    for (let i = 0; i < 200 && (await api.handlers['file.list']({})).files[0]!.state === 'indexing'; i++) await new Promise((r) => setTimeout(r, 10));
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0, startPaused: true }));
    await new Promise<void>((resolve) => {
      const found = () => events.some((e) => e.runId === runId && e.type === 'paused' && e.at === 'before_model');
      if (found()) return resolve();
      const off = api.onEvent(() => {
        if (found()) {
          off();
          resolve();
        }
      });
    });
    // The recording's prompt of the paused turn is there to ask with.
    const server = await scripted([{ message: { content: 'Hi from the endpoint.' } }]);
    const edit = { temperature: 0.2 };
    const asked = await api.handlers['run.askOnce'](parseApiParams('run.askOnce', { runId, turn: 1, edit, endpoint: { baseURL: server.url, model: 'chosen' } }));
    expect(server.requests[0]).toMatchObject({ model: 'chosen', temperature: 0.2, messages: [{ role: 'user', content: 'Say hi.' }] });
    const settings = runSettingsSchema.parse({ ...settingsFor(server.url), endpoint: { baseURL: server.url, model: 'chosen' } });
    const continued = await branch({ runId, change: { kind: 'asked_once', turn: 1, reply: asked.reply, edit, latencyMs: asked.latencyMs, usage: asked.usage }, settings });
    expect(continued.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 1 });
    expect(started(continued.runId).source).toMatchObject({ parentRunId: runId, forkTurn: 0 });
    expect(of(continued.runId).filter((e) => e.type === 'model_call_edited' || e.type === 'model_reply')).toMatchObject([
      { type: 'model_call_edited', turn: 1, edit },
      { type: 'model_reply', turn: 1, message: { content: 'Hi from the endpoint.' } },
    ]);
    expect(await listed(runId)).toMatchObject({ state: 'paused' });
    await api.handlers['run.control']({ runId, action: 'resume' });
    expect(await ended(runId)).toMatchObject({ reason: 'finished_naturally' });
    await api.close();
  });
});

describe('branching a run started from settings', () => {
  const scripted = useScriptedServers();

  async function parentRun(extraReplies: ScriptedReply[] = []) {
    const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-ws-'));
    const server = await scripted([{ message: { content: '', tool_calls: [call('c1', 'write_file', { path: 'a.txt', content: 'one' })] } }, { message: { content: 'done' } }, ...extraReplies]);
    const s = service();
    const { runId } = await s.api.handlers['run.start']({ settings: settingsFor(server.url, workspace), startPaused: false });
    await s.ended(runId);
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('one');
    return { ...s, server, workspace, runId };
  }

  it('re-executes the model and the tools with the settings given', async () => {
    const { api, server, workspace, runId, branch } = await parentRun();
    const other = await scripted([{ message: { content: 'done again' } }]);
    const edited = await branch({ runId, change: { kind: 'tool_arguments', turn: 1, arguments: [{ index: 0, arguments: '{"path": "a.txt", "content": "two"}' }] }, settings: settingsFor(other.url, workspace) });
    expect(edited.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 2 });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('two');
    expect(other.requests).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
    // The new model saw the edited call and what the tool said of it.
    const prompt = (other.requests[0] as { messages: Array<{ role: string; tool_calls?: Array<{ function: { arguments: string } }> }> }).messages;
    expect(prompt.find((m) => m.role === 'assistant')!.tool_calls![0]!.function.arguments).toBe('{"path": "a.txt", "content": "two"}');
    await api.close();
  });

  it('reuses a recorded result only when asked, and only for an identical call', async () => {
    const { api, workspace, runId, branch, of } = await parentRun();
    const answers = await scripted([{ message: { content: 'a' } }, { message: { content: 'b' } }, { message: { content: 'c' } }]);
    const settings = settingsFor(answers.url, workspace);
    const same = { kind: 'tool_arguments' as const, turn: 1, arguments: [{ index: 0, arguments: JSON.stringify({ path: 'a.txt', content: 'one' }) }] };
    const parentResult = (of(runId).find((e) => e.type === 'tool_finished') as Event<'tool_finished'>).result;

    rmSync(join(workspace, 'a.txt'));
    const reused = await branch({ runId, change: same, settings, reuseToolResults: true });
    expect(existsSync(join(workspace, 'a.txt'))).toBe(false);
    expect((of(reused.runId).find((e) => e.type === 'tool_finished') as Event<'tool_finished'>)).toMatchObject({ result: parentResult, durationMs: 0 });

    const changed = { ...same, arguments: [{ index: 0, arguments: JSON.stringify({ path: 'a.txt', content: 'three' }) }] };
    await branch({ runId, change: changed, settings, reuseToolResults: true });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('three');

    rmSync(join(workspace, 'a.txt'));
    await branch({ runId, change: same, settings, reuseToolResults: false });
    expect(readFileSync(join(workspace, 'a.txt'), 'utf8')).toBe('one');
    expect(answers.requests).toHaveLength(3);
    await api.close();
  });

  it("without settings, uses the parent's own endpoint and tools, without remembering them again", async () => {
    const { api, server, saved, runId, branch, of, listed } = await parentRun([{ message: { content: 'a second answer' } }]);
    const savedBefore = saved.length;
    const resampled = await branch({ runId, change: { kind: 'resample', turn: 2, maxTokens: 50 } });
    expect(resampled.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 2 });
    expect(server.requests).toHaveLength(3);
    expect((server.requests[2] as { max_tokens?: number }).max_tokens).toBe(50);
    expect((of(resampled.runId).find((e) => e.type === 'model_reply' && e.turn === 2) as Event<'model_reply'>).message.content).toBe('a second answer');
    expect(saved).toHaveLength(savedBefore);
    expect(await listed(resampled.runId)).toMatchObject({ title: 'scripted: write a.txt, branch at turn 2: resampled at max tokens 50', forkTurn: 1, change: 'turn 2: resampled at max tokens 50' });
    await api.close();
  });

  it('ends a branch whose model fails with the reason, leaving the parent and other branches as they were', async () => {
    const { api, workspace, runId, branch, of, listed } = await parentRun();
    const good = await scripted([{ message: { content: 'fine' } }]);
    const ok = await branch({ runId, change: { kind: 'resample', turn: 2 }, settings: settingsFor(good.url, workspace) });
    const parentBefore = structuredClone(of(runId));
    const okBefore = structuredClone(of(ok.runId));
    // 400 is not retried: the branch fails at once.
    const failing = await scripted([{ http_error: 400, body: 'bad request' }]);
    const failed = await branch({ runId, change: { kind: 'tool_result', turn: 1, index: 0, content: '{"error": "disk full"}' }, settings: settingsFor(failing.url, workspace) });
    expect(failed.end).toMatchObject({ reason: 'model_error', turnsUsed: 2 });
    expect(of(failed.runId).find((e) => e.type === 'model_failed')).toMatchObject({ turn: 2, status: 400 });
    expect(await listed(failed.runId)).toMatchObject({ forkTurn: 1, change: 'turn 1: write_file result edited', outcome: { turnsUsed: 2, toolErrors: 1, finishedNaturally: false, endReason: 'model_error' } });
    expect(of(runId)).toEqual(parentBefore);
    expect(of(ok.runId)).toEqual(okBefore);
    expect(await listed(ok.runId)).toMatchObject({ outcome: { endReason: 'finished_naturally', toolErrors: 0 } });
    await api.close();
  });

  it('refuses a turn or a call the parent does not have, naming the run, the turn and the call', async () => {
    const { api, runId } = await parentRun();
    const branch = (change: ApiParams<'run.branch'>['change']) => api.handlers['run.branch'](parseApiParams('run.branch', { runId, change }));
    await expect(branch({ kind: 'resample', turn: 5 })).rejects.toThrow(`run ${runId} has 2 turns; there is no turn 5 to branch at`);
    await expect(branch({ kind: 'tool_arguments', turn: 1, arguments: [{ index: 1, arguments: '{}' }] })).rejects.toThrow(`turn 1 of run ${runId} has 1 tool call; there is no call 1`);
    await expect(branch({ kind: 'tool_result', turn: 2, index: 0, content: '' })).rejects.toThrow(`turn 2 of run ${runId} has 0 tool calls; there is no call 0`);
    await expect(api.handlers['run.branch'](parseApiParams('run.branch', { runId: 'nope', change: { kind: 'resample', turn: 1 } }))).rejects.toThrow('no run with id nope');
    await api.close();
  });
});

describe('branching a run without a model of its own', () => {
  const scripted = useScriptedServers();

  it('asks for a model endpoint for a replay', async () => {
    const { api, ended } = service();
    const { runId } = await api.handlers['run.replay'](parseApiParams('run.replay', { title: 'rec', messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] }));
    await ended(runId);
    await expect(api.handlers['run.branch'](parseApiParams('run.branch', { runId, change: { kind: 'resample', turn: 1 } }))).rejects.toThrow(/run "rec" \(.*\) has no model or tools of its own .*: choose a model endpoint for the branch$/);
    await api.close();
  });

  it('branches an opened trajectory into a new run file, which opens again with its branch links', async () => {
    const { api, runsDir, listed, of, started, branch } = service();
    const { fileId } = await api.handlers['file.open']({ path: MINI });
    for (let i = 0; i < 200 && (await api.handlers['file.list']({})).files[0]!.state === 'indexing'; i++) await new Promise((r) => setTimeout(r, 10));
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0 }));
    // A recording is built at once: it has ended when file.view replies, and it is not broadcast.
    expect((await listed(runId)).state).toBe('ended');
    expect(readdirSync(runsDir)).toEqual([]);
    const server = await scripted([{ message: { content: 'first' } }, { message: { content: 'second' } }]);
    const first = await branch({ runId, change: { kind: 'resample', turn: 3 }, settings: settingsFor(server.url) });
    expect(first.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 3 });
    // Turns 1 and 2 with the observations that followed them were the prompt of turn 3.
    expect((server.requests[0] as { messages: unknown[] }).messages).toHaveLength(6);
    const { events: recording } = await api.handlers['run.events'](parseApiParams('run.events', { runId }));
    expect(started(first.runId).messages).toEqual((recording.find((e) => e.type === 'run_started') as Event<'run_started'>).messages);
    const second = await branch({ runId: first.runId, change: { kind: 'assistant_message', turn: 3, content: 'edited answer' } });
    expect(second.end).toMatchObject({ reason: 'finished_naturally', turnsUsed: 3 });
    expect(server.requests).toHaveLength(1);
    expect(of(second.runId).filter((e) => e.type === 'messages_appended')).toHaveLength(2);

    const files = readdirSync(runsDir);
    expect(files).toHaveLength(1);
    const opened = await api.handlers['file.open']({ path: join(runsDir, files[0]!) });
    let status = opened;
    for (let i = 0; i < 200 && status.state === 'indexing'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      status = (await api.handlers['file.list']({})).files.find((f) => f.fileId === opened.fileId)!;
    }
    expect(status).toMatchObject({ format: 'trajdbg-run', state: 'done', trajectories: 2, problemCount: 0 });
    const { rows } = await api.handlers['file.rows']({ fileId: opened.fileId, from: 0, limit: 10 });
    expect(rows.map((r) => [r.id, r.parentId, r.forkTurn, r.turns, r.finishedNaturally])).toEqual([
      [first.runId, runId, 2, 3, true],
      [second.runId, first.runId, 2, 3, true],
    ]);
    await api.close();
  });
});
