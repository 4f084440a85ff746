import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers, ApiRequest, OpenedFile, RunSettings, RunSummary } from '../../../shared/api/contract.js';
import type { ChatMessage } from '../../../shared/model/chat.js';
import type { LoopConfig, RunEvent } from '../../../shared/run/events.js';
import { agentResultOf, branchChangeText } from '../../../shared/run/run-state.js';
import { planBranch } from '../loop/branch.js';
import { openDemoResources } from '../demo/demo-run.js';
import { DEMO_CONFIG, DEMO_MESSAGES } from '../demo/demo-script.js';
import { createEngine } from '../loop/engine.js';
import { type EngineDeps, type RunHandle, type RunRequest } from '../loop/run-handle.js';
import { createOpenAIModelClient, describeRetryPolicy } from '../model/openai-client.js';
import { planReplay } from '../loop/replay.js';
import { appendToRunFile, createRunFile, type RunFileWriter } from '../persistence/run-file.js';
import { withoutApiKey, type SecretStore, type SettingsStore } from '../persistence/settings.js';
import { TERMINAL_APPROVAL } from '../tools/builtin-tools.js';
import { openToolSources, ToolSourceError } from '../tools/open-tools.js';
import { createFileHandlers, type PickFile } from './file-handlers.js';
import { TrajectoryLibrary } from '../library/trajectory-library.js';
import { memoryRecentFiles, type RecentFiles } from '../persistence/recent-files.js';
import { findInterruptedRuns } from '../persistence/interrupted-runs.js';
import { ApiError } from '../../../shared/rpc/errors.js';

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
  /** Lines the user must see (a settings or recent-files file set aside as corrupt); read live. */
  notices?: readonly string[];
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

/** Where a run's model and tools came from, so a branch can get the same again. */
type RunOrigin = { kind: 'settings'; settings: RunSettings } | { kind: 'demo'; workspace: string };

interface ManagedRun {
  handle: RunHandle;
  title: string;
  /** The title of the run its branch tree starts from (its own title for a root run). */
  rootTitle: string;
  startedAt: number;
  parentRunId: string | null;
  /** What a branch changed, in words (run.branch only). */
  change: string | null;
  /** The run's settings (without the key) or demo workspace; null for an opened trajectory or a replay. */
  origin: RunOrigin | null;
  /** The run file its events go to (its root run's), once written; null for runs without one. */
  runFile: { path: string | null };
  /** Persisted events, kept for clients that connect late (`run.events`). */
  events: RunEvent[];
  finished: Promise<void>;
}

/** How a run is listed and where its events are written. */
interface RunMeta {
  title: string;
  rootTitle?: string;
  parentRunId: string | null;
  change?: string | null;
  origin: RunOrigin | null;
  /** Append to this run file (the root run's) instead of starting a new one. */
  appendTo?: string | null;
}

/** A model and tools opened for a run, with what its `run_started.source` says of them. */
interface RunResources {
  model: EngineDeps['model'];
  tools: EngineDeps['tools'];
  source: Record<string, unknown>;
  origin: RunOrigin;
  close(): Promise<void>;
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
  // Runs cut short belong to earlier sessions: look once, as the service starts, before this
  // session's own runs write files (a scan later would compete with a client's first catch-up).
  const interrupted = findInterruptedRuns(deps.runsDir).catch(() => []);
  const recent = deps.recentFiles ?? memoryRecentFiles();

  function launch(engineDeps: Pick<EngineDeps, 'model' | 'tools'>, request: RunRequest, meta: RunMeta, release: () => Promise<void>): string {
    mkdirSync(deps.runsDir, { recursive: true });
    const runFile = { path: meta.appendTo ?? null };
    let writer: RunFileWriter | undefined;
    const engine = createEngine({
      ...engineDeps,
      sink: {
        append(event) {
          if (!writer) {
            if (runFile.path !== null) {
              writer = appendToRunFile(runFile.path);
            } else {
              runFile.path = join(deps.runsDir, `${new Date(event.time).toISOString().replace(/[:.]/g, '-')}-${event.runId}.jsonl`);
              writer = createRunFile(runFile.path);
            }
          }
          writer.append(event);
        },
      },
    });
    return manage(engine.start(request), meta, runFile, async () => {
      writer?.close();
      await release();
    });
  }

  /** Lists a run, keeps its persisted events for late clients, and forwards its events. */
  function manage(handle: RunHandle, meta: RunMeta, runFile: { path: string | null }, release: () => Promise<void>): string {
    const managed: ManagedRun = {
      handle,
      title: meta.title,
      rootTitle: meta.rootTitle ?? meta.title,
      startedAt: Date.now(),
      parentRunId: meta.parentRunId,
      change: meta.change ?? null,
      origin: meta.origin,
      runFile,
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
    if (!run) throw new ApiError('not_found', `no run with id ${runId}`);
    return run;
  }

  /** The endpoint and tools of the settings; `remember` saves the settings (without the key) for next time. */
  async function openSettingsResources(settings: RunSettings, remember: boolean): Promise<RunResources> {
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
    const kept = withoutApiKey(settings);
    if (remember) deps.settings.save(kept);
    return {
      model,
      tools,
      source: { model: settings.endpoint.model, baseURL: settings.endpoint.baseURL, stream: settings.endpoint.stream },
      origin: { kind: 'settings', settings: kept },
      close: async () => tools.close?.(),
    };
  }

  /** The demo's scripted model (answering from `fromTurn`) and built-in tools in `workspace` (default: a new one). */
  async function openDemo(options: { workspace?: string; fromTurn?: number } = {}): Promise<RunResources> {
    const demo = await openDemoResources(options);
    return {
      model: demo.model,
      tools: demo.tools,
      source: { model: 'scripted', baseURL: demo.baseURL, stream: true, toolSources: [`builtin terminal,read_file,write_file in ${demo.workspace}`] },
      origin: { kind: 'demo', workspace: demo.workspace },
      close: () => demo.close(),
    };
  }

  /** Whether the settings' terminal asks before each command (the demo and the CLI never ask). */
  function approvalOf(settings: RunSettings): Pick<RunRequest, 'approval'> {
    return settings.tools.builtin.includes('terminal') && settings.tools.approveTerminal ? { approval: TERMINAL_APPROVAL } : {};
  }

  /** The loop settings of the New run form. */
  function loopConfigOf(settings: RunSettings): Partial<LoopConfig> {
    return { maxTurns: settings.limits.maxTurns, temperature: settings.sampling.temperature, maxTokens: settings.sampling.maxTokens, maxContextTokens: settings.limits.maxContextTokens };
  }

  /** A run against the endpoint and tools of the settings, from the given messages. */
  async function startFromSettings(settings: RunSettings, messages: ChatMessage[], options: { startPaused?: boolean; title: string; parent: ManagedRun | null; forkTurn?: number }): Promise<string> {
    const resources = await openSettingsResources(settings, true);
    const parentRunId = options.parent?.handle.runId ?? null;
    const request: RunRequest = {
      messages,
      config: loopConfigOf(settings),
      source: parentRunId ? { ...resources.source, parentRunId, ...(options.forkTurn !== undefined ? { forkTurn: options.forkTurn } : {}) } : resources.source,
      breakpoints: settings.breakpoints,
      startPaused: options.startPaused ?? false,
      ...approvalOf(settings),
    };
    const meta: RunMeta = { title: options.title, parentRunId, origin: resources.origin, ...(options.parent ? { rootTitle: options.parent.rootTitle, appendTo: options.parent.runFile.path } : {}) };
    return launch({ model: resources.model, tools: resources.tools }, request, meta, resources.close);
  }

  /** A branch of a run: the change applied at its fork, the loop re-executed from there (see `run.branch`). */
  async function startBranch(parent: ManagedRun, params: ApiRequest<'run.branch'>): Promise<string> {
    const { runId, change, settings, reuseToolResults, startPaused, breakpoints } = params;
    const plan = planBranch({ runId, events: parent.events }, change, { reuseToolResults });
    const parentState = parent.handle.state.current;
    let resources: RunResources;
    if (settings) resources = await openSettingsResources(settings, true);
    else if (parent.origin?.kind === 'settings') resources = await openSettingsResources(parent.origin.settings, false);
    else if (parent.origin?.kind === 'demo') resources = await openDemo({ workspace: parent.origin.workspace, fromTurn: plan.firstModelTurn });
    else throw new ApiError('needs_endpoint', `run "${parent.title}" (${runId}) has no model or tools of its own (an opened trajectory or a replay): choose a model endpoint for the branch`);
    const own = resources.origin.kind === 'settings' ? resources.origin.settings : null;
    const { taskId, ...parentConfig } = parentState.config;
    const request: RunRequest = {
      messages: plan.messages,
      // The same task (its id reaches the tools), with the branch's own settings if it has them.
      config: { ...(own ? loopConfigOf(own) : parentConfig), ...plan.config, taskId },
      source: { ...resources.source, parentRunId: runId, forkTurn: plan.forkTurn, change },
      ...(own ? { breakpoints: own.breakpoints, ...approvalOf(own) } : {}),
      ...(breakpoints ? { breakpoints } : {}),
      startPaused,
      prefix: plan.prefix,
      resume: plan.resume,
      ...(plan.recordedToolResult ? { recordedToolResult: plan.recordedToolResult } : {}),
    };
    const { turn, what } = plan.words;
    const title = turn === null ? `${parent.rootTitle}, branch: ${what}` : `${parent.rootTitle}, branch at turn ${turn}: ${what}`;
    const meta: RunMeta = { title, rootTitle: parent.rootTitle, parentRunId: runId, change: branchChangeText(plan.words), origin: resources.origin, appendTo: parent.runFile.path };
    return launch({ model: resources.model, tools: resources.tools }, request, meta, resources.close);
  }

  const files = createFileHandlers({
    library,
    recent,
    ...(deps.pickFile ? { pickFile: deps.pickFile } : {}),
    adoptRun: (handle, title) => manage(handle, { title, parentRunId: null, origin: null }, { path: null }, async () => {}),
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
      return { mode: deps.mode, version: deps.version, keyStorage: deps.secrets.kind, retryPolicy: describeRetryPolicy({}), notices: [...(deps.notices ?? [])] };
    },
    async 'settings.load'() {
      return { settings: deps.settings.load(), hasApiKey: deps.secrets.getApiKey() !== null };
    },
    async 'run.start'({ settings, startPaused }) {
      const runId = await startFromSettings(settings, promptMessages(settings.prompt), { startPaused, title: `${settings.endpoint.model}: ${settings.prompt.user.slice(0, 60)}`, parent: null });
      return { runId };
    },
    async 'run.demo'({ breakpoints, startPaused }) {
      const demo = await openDemo();
      const request: RunRequest = {
        messages: DEMO_MESSAGES,
        config: DEMO_CONFIG,
        source: demo.source,
        ...(breakpoints ? { breakpoints } : {}),
        startPaused,
      };
      return { runId: launch({ model: demo.model, tools: demo.tools }, request, { title: 'Demo', parentRunId: null, origin: demo.origin }, demo.close) };
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
      return { runId: launch({ model: plan.model, tools: plan.tools }, request, { title, parentRunId: null, origin: null }, async () => {}) };
    },
    async 'run.retry'({ runId, settings }) {
      const parent = find(runId);
      const state = parent.handle.state.current;
      const messages = agentResultOf(state).messages;
      // A retry keeps the whole trajectory: it forks after the parent's last turn.
      return { runId: await startFromSettings(settings, structuredClone(messages), { title: `retry of ${parent.title}`, parent, forkTurn: state.turns.length }) };
    },
    async 'run.continue'({ runId, turn, settings }) {
      const parent = find(runId);
      const state = parent.handle.state.current;
      if (turn > state.turns.length) throw new Error(`run ${runId} has ${state.turns.length} turns; cannot continue from turn ${turn}`);
      // Everything before the next turn's reply: the tool results and any user turns that followed.
      const end = turn < state.turns.length ? state.turns[turn]!.messageRange[0] : state.messages.length;
      const messages = structuredClone(state.messages.slice(0, end));
      return { runId: await startFromSettings(settings, messages, { title: `${parent.title}, continued from turn ${turn}`, parent, forkTurn: turn }) };
    },
    async 'run.branch'(params) {
      return { runId: await startBranch(find(params.runId), params) };
    },
    async 'run.control'({ runId, action }) {
      const { handle } = find(runId);
      handle[action]();
      return {};
    },
    async 'run.approve'({ runId, decision, command }) {
      const { handle, title } = find(runId);
      if (!handle.approve) throw new Error(`run "${title}" (${runId}) never waits for approval: it plays a recording`);
      handle.approve({ decision, ...(command !== undefined ? { command } : {}) });
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
    async 'run.interrupted'() {
      return { files: await interrupted };
    },
    async 'run.list'() {
      const summaries: RunSummary[] = [...runs.entries()].map(([runId, run]) => {
        const state = run.handle.state.started ? run.handle.state.current : null;
        const forkTurn = state?.source.forkTurn;
        return {
          runId,
          title: run.title,
          startedAt: run.startedAt,
          state: state?.end ? 'ended' : state?.pausedAt ? 'paused' : 'running',
          parentRunId: run.parentRunId,
          forkTurn: typeof forkTurn === 'number' ? forkTurn : null,
          change: run.change,
          outcome: state
            ? { turnsUsed: state.end?.turnsUsed ?? state.turns.length, toolErrors: state.counters.execError, finishedNaturally: state.end?.reason === 'finished_naturally', endReason: state.end?.reason ?? null }
            : null,
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
