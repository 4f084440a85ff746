import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiParams, runSettingsSchema, type OpenedFile } from '#shared/api/contract.js';
import type { RunEvent } from '#shared/run/events.js';
import { createApiService } from './api-service.js';
import { spawnInProcessIndexer, TrajectoryLibrary } from '../library/trajectory-library.js';
import { memoryRecentFiles } from '../persistence/recent-files.js';
import { loadScript, startScriptedServer } from '../../scripted-server/scripted-server.js';
import { memorySecretStore } from '../persistence/settings.js';
import { fileSettingsStore } from '../persistence/settings-file.js';
import { corpusPath } from '../../testing/corpus.js';
import { countingTrajectory } from '../../testing/counting-trajectory.js';

const HERMES = corpusPath('hermes-agent_session_export.jsonl');
const MINI = corpusPath('mini-swe-agent_github_issue.traj.json');

function service(pickFile?: (purpose: 'open' | 'save') => Promise<string | null>) {
  const recentFiles = memoryRecentFiles();
  const api = createApiService({
    mode: 'serve',
    version: 'test',
    settings: { load: () => null, save: () => {} },
    secrets: memorySecretStore(),
    runsDir: mkdtempSync(join(tmpdir(), 'trajdbg-runs-')),
    recentFiles,
    library: new TrajectoryLibrary({ spawnIndexer: spawnInProcessIndexer }),
    ...(pickFile ? { pickFile } : {}),
  });
  const events: RunEvent[] = [];
  const files: OpenedFile[] = [];
  api.onEvent((e) => events.push(e));
  api.onFile((f) => files.push(f));
  const ended = (runId: string) =>
    new Promise<void>((resolve) => {
      if (events.some((e) => e.runId === runId && e.type === 'run_finished')) return resolve();
      const off = api.onEvent((e) => {
        if (e.runId === runId && e.type === 'run_finished') {
          off();
          resolve();
        }
      });
    });
  const indexed = (fileId: string) =>
    new Promise<OpenedFile>((resolve) => {
      const check = async () => {
        const file = (await api.handlers['file.list']({})).files.find((f) => f.fileId === fileId)!;
        if (file.state !== 'indexing') resolve(file);
        else setTimeout(check, 10);
      };
      void check();
    });
  return { api, events, files, ended, indexed, recentFiles };
}

describe('files through the API service', () => {
  it('opens a file, pushes its progress, lists its rows and remembers it as recent', async () => {
    const { api, files, indexed, recentFiles } = service();
    const opened = await api.handlers['file.open']({ path: HERMES, index: 4 });
    expect(opened).toMatchObject({ path: HERMES, name: 'hermes-agent_session_export.jsonl', focusIndex: 4 });
    const done = await indexed(opened.fileId);
    expect(done).toMatchObject({ state: 'done', trajectories: 19, problemCount: 0, focusIndex: 4 });
    expect(files.at(-1)).toMatchObject({ fileId: opened.fileId, state: 'done', focusIndex: 4 });
    const { rows } = await api.handlers['file.rows']({ fileId: opened.fileId, from: 0, limit: 100 });
    expect(rows).toHaveLength(19);
    expect(rows.reduce((n, r) => n + r.turns, 0)).toBe(143);
    expect(recentFiles.list().map((f) => f.path)).toEqual([HERMES]);
    expect((await api.handlers['file.recent']({})).files[0]!.path).toBe(HERMES);
    await api.close();
  });

  it('shows a trajectory as a run whose events carry where it came from and what was derived', async () => {
    const { api, events, indexed } = service();
    const { fileId } = await api.handlers['file.open']({ path: HERMES });
    await indexed(fileId);
    const rows = (await api.handlers['file.rows']({ fileId, from: 0, limit: 100 })).rows;
    const row = rows.find((r) => r.toolErrors > 0)!;
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: row.index }));
    // The view of a recording is built ended, as data the page fetches: nothing is pushed for it.
    expect(events.filter((e) => e.runId === runId)).toEqual([]);
    events.push(...(await api.handlers['run.events'](parseApiParams('run.events', { runId, fromSeq: 0 }))).events);
    expect(events.filter((e) => e.runId === runId).at(-1)?.type).toBe('run_finished');
    // Viewing it again (another page) gives the same run instead of building it once more.
    expect((await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: row.index }))).runId).toBe(runId);
    const started = events.find((e) => e.runId === runId && e.type === 'run_started') as Extract<RunEvent, { type: 'run_started' }>;
    expect(started.source.imported).toMatchObject({ fileId, path: HERMES, index: row.index, trajectoryId: row.id, format: 'hermes-session-jsonl' });
    expect(started.source.imported!.derived).toContain('tool_errors');
    const finished = events.filter((e) => e.runId === runId && e.type === 'tool_finished' && e.status !== 'ok');
    expect(finished).toHaveLength(row.toolErrors);
    expect(events.filter((e) => e.runId === runId && e.type === 'turn_started')).toHaveLength(row.turns);
    const list = (await api.handlers['run.list']({})).runs;
    expect(list.find((r) => r.runId === runId)?.title).toBe(`hermes-agent_session_export.jsonl #${row.index}: ${row.id}`);
    await api.close();
  });

  it('serves a long trajectory\'s first events at once and the rest as they are built, complete only at the end', async () => {
    const { api, events, indexed } = service();
    const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-long-')), 'long.json');
    const messages = countingTrajectory(3_000);
    writeFileSync(path, JSON.stringify(messages));
    const { fileId } = await api.handlers['file.open']({ path });
    await indexed(fileId);
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0 }));
    const first = await api.handlers['run.events'](parseApiParams('run.events', { runId, fromSeq: 0, limit: 500 }));
    // The first turns were built before the view was returned: a first page comes at once.
    expect(first.events).toHaveLength(500);
    expect(first.complete).toBe(false);
    // Later calls wait until their page is full or the run whole, never answering with none.
    const fetched = [...first.events];
    const sizes: number[] = [];
    for (let page = first; !page.complete; ) {
      page = await api.handlers['run.events'](parseApiParams('run.events', { runId, fromSeq: fetched.at(-1)!.seq + 1, limit: 2_000 }));
      sizes.push(page.events.length);
      fetched.push(...page.events);
    }
    expect(sizes.slice(0, -1).every((n) => n === 2_000)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(fetched.map((e) => e.seq)).toEqual(fetched.map((_, i) => i));
    expect(fetched.filter((e) => e.type === 'turn_started')).toHaveLength(3_000);
    expect(fetched.at(-1)).toMatchObject({ type: 'run_finished', reason: 'recording_ended', turnsUsed: 3_000 });
    // Nothing of it was pushed: pages fetch it.
    expect(events.filter((e) => e.runId === runId)).toEqual([]);
    await api.close();
  });

  it('fills a page asked for ahead of the events built so far', async () => {
    const { api, indexed } = service();
    const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-long-')), 'long.json');
    writeFileSync(path, JSON.stringify(countingTrajectory(3_000)));
    const { fileId } = await api.handlers['file.open']({ path });
    await indexed(fileId);
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0 }));
    // As a page loading the run asks: the next pages, two at a time, before the first is built.
    const pages = await Promise.all([500, 4_500].map((fromSeq) => api.handlers['run.events'](parseApiParams('run.events', { runId, fromSeq, limit: 4_000 }))));
    expect(pages.map((page) => [page.events[0]!.seq, page.events.length, page.complete])).toEqual([[500, 4_000, false], [4_500, 4_000, false]]);
    await api.close();
  });

  it('exports and continues an opened trajectory whole, even while it is still being built', async () => {
    const server = await startScriptedServer({ script: loadScript([{ message: { content: 'all done' } }]) });
    const { api, indexed, ended } = service();
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-long-'));
    const path = join(dir, 'long.json');
    const messages = countingTrajectory(3_000);
    writeFileSync(path, JSON.stringify(messages));
    const { fileId } = await api.handlers['file.open']({ path });
    await indexed(fileId);
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0 }));
    const written = await api.handlers['export.write']({ source: { runId }, format: 'openai-jsonl', path: join(dir, 'run.jsonl') });
    expect(written.trajectories).toBe(1);
    expect((JSON.parse(readFileSync(join(dir, 'run.jsonl'), 'utf8')) as { messages: unknown[] }).messages).toHaveLength(messages.length);
    const again = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0, maxContextTokens: 100_000 }));
    const settings = runSettingsSchema.parse({ endpoint: { baseURL: server.url, model: 'scripted' }, prompt: { user: 'unused' }, sampling: {}, limits: {}, tools: {} });
    const branch = await api.handlers['run.continue']({ runId: again.runId, turn: 3_000, settings });
    await ended(branch.runId);
    expect((server.requests[0] as { messages: unknown[] }).messages).toHaveLength(messages.length);
    await api.close();
    await server.close();
  });

  it('steps an opened trajectory from a paused start with the run controls', async () => {
    const { api, events, ended, indexed } = service();
    const { fileId } = await api.handlers['file.open']({ path: MINI });
    await indexed(fileId);
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0, startPaused: true }));
    await new Promise((r) => setTimeout(r, 30));
    expect(events.filter((e) => e.runId === runId).at(-1)).toMatchObject({ type: 'paused', turn: 1, at: 'before_model' });
    await api.handlers['run.control']({ runId, action: 'step' });
    await new Promise((r) => setTimeout(r, 30));
    expect(events.filter((e) => e.runId === runId).at(-1)).toMatchObject({ type: 'paused', turn: 2 });
    await api.handlers['run.control']({ runId, action: 'resume' });
    await ended(runId);
    expect(events.filter((e) => e.runId === runId && e.type === 'turn_started')).toHaveLength(10);
    // mini-swe-agent's observations are user messages between model calls: they are kept.
    expect(events.filter((e) => e.runId === runId && e.type === 'messages_appended').length).toBeGreaterThan(0);
    await api.close();
  });

  it('continues an opened trajectory live from turn N as a branch with the history up to N', async () => {
    const server = await startScriptedServer({ script: loadScript([{ message: { content: 'all done' } }]) });
    const { api, events, ended, indexed } = service();
    const { fileId } = await api.handlers['file.open']({ path: MINI });
    await indexed(fileId);
    const { runId } = await api.handlers['file.view'](parseApiParams('file.view', { fileId, index: 0 }));
    events.push(...(await api.handlers['run.events'](parseApiParams('run.events', { runId, fromSeq: 0 }))).events);
    const settings = runSettingsSchema.parse({ endpoint: { baseURL: server.url, model: 'scripted' }, prompt: { user: 'unused' }, sampling: {}, limits: {}, tools: {} });
    const branch = await api.handlers['run.continue']({ runId, turn: 3, settings });
    await ended(branch.runId);
    const parent = events.find((e) => e.runId === runId && e.type === 'run_started') as Extract<RunEvent, { type: 'run_started' }>;
    const started = events.find((e) => e.runId === branch.runId && e.type === 'run_started') as Extract<RunEvent, { type: 'run_started' }>;
    expect(started.source).toMatchObject({ parentRunId: runId, forkTurn: 3 });
    // System, task, then 3 turns each answered by an observation.
    expect(started.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(started.messages.slice(0, 2)).toEqual(parent.messages.slice(0, 2));
    expect((server.requests[0] as { messages: unknown[] }).messages).toHaveLength(8);
    expect((await api.handlers['run.list']({})).runs.find((r) => r.runId === branch.runId)?.parentRunId).toBe(runId);
    await expect(api.handlers['run.continue']({ runId, turn: 11, settings })).rejects.toThrow('has 10 turns; cannot continue from turn 11');
    await api.close();
    await server.close();
  });

  it('exports a trajectory, a whole file and a run, atomically', async () => {
    const { api, indexed, ended } = service();
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-export-'));
    const { fileId } = await api.handlers['file.open']({ path: HERMES });
    await indexed(fileId);
    const all = await api.handlers['export.write']({ source: { fileId }, format: 'openai-jsonl', path: join(dir, 'all.jsonl') });
    expect(all.trajectories).toBe(19);
    expect(readFileSync(join(dir, 'all.jsonl'), 'utf8').trim().split('\n')).toHaveLength(19);
    const one = await api.handlers['export.write']({ source: { fileId, index: 2 }, format: 'markdown', path: join(dir, 'two.md') });
    expect(one.trajectories).toBe(1);
    expect(readFileSync(join(dir, 'two.md'), 'utf8')).toMatch(/^# /);
    const { runId } = await api.handlers['run.demo']({ startPaused: false });
    await ended(runId);
    await api.handlers['export.write']({ source: { runId }, format: 'agent-result', path: join(dir, 'demo.json') });
    expect(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8'))).toMatchObject({ turns_used: 6, finished_naturally: true });
    await expect(api.handlers['export.write']({ source: { runId }, format: 'html', path: 'relative.html' })).rejects.toThrow(/absolute path/);
    await api.close();
  });

  it('names what is wrong with a bad path, and has no file dialog in serve mode', async () => {
    const { api, indexed } = service();
    await expect(api.handlers['file.open']({ path: 'data/x.jsonl' })).rejects.toThrow("The file must be an absolute path on the machine the engine runs on, got 'data/x.jsonl'");
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-bad-'));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const { fileId } = await api.handlers['file.open']({ path: join(dir, 'notes.txt') });
    const failed = await indexed(fileId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain(join(dir, 'notes.txt'));
    await expect(api.handlers['file.pick']({ purpose: 'open' })).rejects.toThrow(/no file dialog in the browser/);
    await api.close();
    const desktop = service(async () => '/chosen.jsonl');
    expect(await desktop.api.handlers['file.pick']({ purpose: 'open' })).toEqual({ path: '/chosen.jsonl' });
    await desktop.api.close();
  });
});

describe('startup notices', () => {
  it('reports through app.info the lines the stores warned with (a corrupt settings file set aside)', async () => {
    const notices: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-notices-'));
    writeFileSync(join(dir, 'settings.json'), '{"endpoint": ');
    const settings = fileSettingsStore(join(dir, 'settings.json'), { warn: (line) => notices.push(line), now: () => new Date(0) });
    expect(settings.load()).toBeNull();
    const api = createApiService({ mode: 'serve', version: 't', settings, secrets: memorySecretStore(), runsDir: join(dir, 'runs'), notices });
    const info = await api.handlers['app.info']({});
    expect(info.notices).toHaveLength(1);
    expect(info.notices[0]).toMatch(/the settings file .*settings\.json could not be read \(not JSON: .*\); moved it to .*settings\.corrupt-1970/);
    await api.close();
  });
});
