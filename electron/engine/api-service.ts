import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers, OpenedFile, RunSettings, RunSummary } from '../../shared/api/contract.js';
import type { ChatMessage } from '../../shared/model/chat.js';
import type { RunEvent } from '../../shared/run/events.js';
import { agentResultOf } from '../../shared/run/run-state.js';
import { openDemoResources } from './demo/demo-run.js';
import { DEMO_CONFIG, DEMO_MESSAGES } from './demo/demo-script.js';
import { createEngine, type Breakpoints, type EngineDeps, type RunHandle, type RunRequest } from './engine.js';
import { createOpenAIModelClient } from './model/openai-client.js';
import { planReplay } from './replay.js';
import { createRunFile, type RunFileWriter } from './run-file.js';
import { withoutApiKey, type SecretStore, type SettingsStore } from './settings.js';
import { openToolSources, ToolSourceError } from './tools/open-tools.js';
import { createFileHandlers, type PickFile } from './file-handlers.js';
import { TrajectoryLibrary } from './library/trajectory-library.js';
import { memoryRecentFiles, type RecentFiles } from './recent-files.js';

/** What the API service is built from; the desktop app and serve mode differ only here. */
export interface ApiServiceDeps {
  mode: 'desktop' | 'serve';
  version: string;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Where each run's file is written (created if missing). */
  runsDir: string;
  /** Files opened before; default: kept in memory only. */
  recentFiles?: RecentFiles;
  /** The desktop app's native file dialog (none in serve mode). */
  pickFile?: PickFile;
  /** The file index (tests may give one that indexes in-process). */
  library?: TrajectoryLibrary;
}

/** The engine behind the API contract, shared by the IPC registration and the WebSocket host. */
export interface ApiService {
  handlers: ApiHandlers;
  /** Every event of every run, live. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Progress and state of every opened file, live (throttled). */
  onFile(listener: (file: OpenedFile) => void): () => void;
  /** Stops every run and releases its model server, tools and files. */
  close(): Promise<void>;
}

interface ManagedRun {
  handle: RunHandle;
  title: string;
  startedAt: number;
  parentRunId: string | null;
  /** Persisted events, kept for clients that connect late (`run.events`). */
  events: RunEvent[];
  finished: Promise<void>;
}

/** Index of the first event with a sequence number of at least `seq` (events are in order). */
function firstAtOrAfter(events: readonly RunEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The system and user prompt of the New run form as initial messages. */
function promptMessages(prompt: RunSettings['prompt']): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system.trim() !== '') messages.push({ role: 'system', content: prompt.system });
  messages.push({ role: 'user', content: prompt.user });
  return messages;
}

const TOOL_SOURCE_NAMES = { endpoint: 'Tool endpoint', mcp: 'MCP server', builtin: 'Built-in tools' } as const;

/** Builds the API service: runs started from the UI, their events, and the remembered settings. */
export function createApiService(deps: ApiServiceDeps): ApiService {
  const runs = new Map<string, ManagedRun>();
  const listeners = new Set<(event: RunEvent) => void>();

  const library = deps.library ?? new TrajectoryLibrary();
  const recent = deps.recentFiles ?? memoryRecentFiles();

  function launch(engineDeps: Pick<EngineDeps, 'model' | 'tools'>, request: RunRequest, title: string, parentRunId: string | null, release: () => Promise<void>): string {
    mkdirSync(deps.runsDir, { recursive: true });
    let runFile: RunFileWriter | undefined;
    const engine = createEngine({
      ...engineDeps,
      sink: {
        append(event) {
          runFile ??= createRunFile(join(deps.runsDir, `${new Date(event.time).toISOString().replace(/[:.]/g, '-')}-${event.runId}.jsonl`));
          runFile.append(event);
        },
      },
    });
    return manage(engine.start(request), title, parentRunId, async () => {
      runFile?.close();
      await release();
    });
  }

  /** Lists a run, keeps its persisted events for late clients, and forwards its events. */
  function manage(handle: RunHandle, title: string, parentRunId: string | null, release: () => Promise<void>): string {
    const managed: ManagedRun = {
      handle,
      title,
      startedAt: Date.now(),
      parentRunId,
      events: [],
      finished: handle.done.then(release),
    };
    handle.subscribe((event) => {
      if (event.type !== 'model_delta') managed.events.push(event);
      for (const listener of listeners) listener(event);
    });
    runs.set(handle.runId, managed);
    return handle.runId;
  }

  function find(runId: string): ManagedRun {
    const run = runs.get(runId);
    if (!run) throw new Error(`no run with id ${runId}`);
    return run;
  }

  /** A run against the endpoint and tools of the settings, from the given messages. */
  async function startFromSettings(settings: RunSettings, messages: ChatMessage[], options: { startPaused?: boolean; title: string; parentRunId: string | null; forkTurn?: number }): Promise<string> {
    if (settings.endpoint.apiKey) deps.secrets.setApiKey(settings.endpoint.apiKey);
    let model;
    try {
      model = createOpenAIModelClient({ baseURL: settings.endpoint.baseURL, apiKey: deps.secrets.getApiKey() ?? undefined, model: settings.endpoint.model, stream: settings.endpoint.stream });
    } catch (error) {
      throw new Error(`Base URL ${settings.endpoint.baseURL}: ${(error as Error).message}`);
    }
    let tools;
    try {
      ({ registry: tools } = await openToolSources(settings.tools));
    } catch (error) {
      if (error instanceof ToolSourceError) throw new Error(`${TOOL_SOURCE_NAMES[error.source]}: ${error.message}`);
      throw error;
    }
    deps.settings.save(withoutApiKey(settings));
    const source = { model: settings.endpoint.model, baseURL: settings.endpoint.baseURL, stream: settings.endpoint.stream };
    const request: RunRequest = {
      messages,
      config: { maxTurns: settings.limits.maxTurns, temperature: settings.sampling.temperature, maxTokens: settings.sampling.maxTokens, maxContextTokens: settings.limits.maxContextTokens },
      source: options.parentRunId ? { ...source, parentRunId: options.parentRunId, ...(options.forkTurn !== undefined ? { forkTurn: options.forkTurn } : {}) } : source,
      breakpoints: settings.breakpoints,
      startPaused: options.startPaused ?? false,
    };
    return launch({ model, tools }, request, options.title, options.parentRunId, async () => tools.close?.());
  }

  const files = createFileHandlers({
    library,
    recent,
    ...(deps.pickFile ? { pickFile: deps.pickFile } : {}),
    adoptRun: (handle, title) => manage(handle, title, null, async () => {}),
    runTrajectory(runId) {
      const run = find(runId);
      const s = run.handle.state.current;
      const { messages: _messages, ...recorded } = agentResultOf(s);
      return { id: run.title, model: typeof s.source.model === 'string' ? s.source.model : null, messages: s.messages, reward: null, recorded, source: { format: 'agent-result', index: 0 }, tools: s.tools };
    },
  });

  const handlers: ApiHandlers = {
    ...files.handlers,
    async 'app.info'() {
      return { mode: deps.mode, version: deps.version, keyStorage: deps.secrets.kind };
    },
    async 'settings.load'() {
      return { settings: deps.settings.load(), hasApiKey: deps.secrets.getApiKey() !== null };
    },
    async 'run.start'({ settings, startPaused }) {
      const runId = await startFromSettings(settings, promptMessages(settings.prompt), { startPaused, title: `${settings.endpoint.model}: ${settings.prompt.user.slice(0, 60)}`, parentRunId: null });
      return { runId };
    },
    async 'run.demo'({ breakpoints, startPaused }) {
      const demo = await openDemoResources();
      const request: RunRequest = {
        messages: DEMO_MESSAGES,
        config: DEMO_CONFIG,
        source: { model: 'scripted', baseURL: demo.baseURL, stream: true, toolSources: [`builtin terminal,read_file,write_file in ${demo.workspace}`] },
        ...(breakpoints ? { breakpoints: breakpoints as Breakpoints } : {}),
        startPaused,
      };
      return { runId: launch({ model: demo.model, tools: demo.tools }, request, 'Demo', null, () => demo.close()) };
    },
    async 'run.replay'({ title, messages, tools, maxContextTokens, breakpoints, startPaused }) {
      const plan = planReplay({ messages: messages as ChatMessage[] }, tools as never);
      const request: RunRequest = {
        messages: plan.initialMessages,
        config: { maxTurns: plan.maxTurns, maxContextTokens },
        source: { replayOf: title },
        ...(breakpoints ? { breakpoints } : {}),
        startPaused,
      };
      return { runId: launch({ model: plan.model, tools: plan.tools }, request, title, null, async () => {}) };
    },
    async 'run.retry'({ runId, settings }) {
      const parent = find(runId);
      const messages = agentResultOf(parent.handle.state.current).messages;
      return { runId: await startFromSettings(settings, structuredClone(messages), { title: `retry of ${parent.title}`, parentRunId: runId }) };
    },
    async 'run.continue'({ runId, turn, settings }) {
      const parent = find(runId);
      const state = parent.handle.state.current;
      if (turn > state.turns.length) throw new Error(`run ${runId} has ${state.turns.length} turns; cannot continue from turn ${turn}`);
      // Everything before the next turn's reply: the tool results and any user turns that followed.
      const end = turn < state.turns.length ? state.turns[turn]!.messageRange[0] : state.messages.length;
      const messages = structuredClone(state.messages.slice(0, end));
      return { runId: await startFromSettings(settings, messages, { title: `${parent.title}, continued from turn ${turn}`, parentRunId: runId, forkTurn: turn }) };
    },
    async 'run.control'({ runId, action }) {
      const { handle } = find(runId);
      handle[action]();
      return {};
    },
    async 'run.breakpoints'({ runId, breakpoints }) {
      find(runId).handle.setBreakpoints(breakpoints);
      return {};
    },
    async 'run.events'({ runId, fromSeq, limit }) {
      const { events } = find(runId);
      const start = firstAtOrAfter(events, fromSeq);
      return { events: events.slice(start, start + limit), complete: start + limit >= events.length };
    },
    async 'run.list'() {
      const summaries: RunSummary[] = [...runs.entries()].map(([runId, run]) => {
        const state = run.handle.state.started ? run.handle.state.current : null;
        return {
          runId,
          title: run.title,
          startedAt: run.startedAt,
          state: state?.end ? 'ended' : state?.pausedAt ? 'paused' : 'running',
          parentRunId: run.parentRunId,
        };
      });
      return { runs: summaries };
    },
  };

  return {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onFile(listener) {
      return library.onChange((status) => listener(files.statusOf(status)));
    },
    async close() {
      for (const run of runs.values()) run.handle.stop();
      await Promise.allSettled([...runs.values()].map((run) => run.finished));
      await library.dispose();
      listeners.clear();
    },
  };
}
