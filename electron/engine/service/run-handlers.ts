import { ApiError } from '#shared/rpc/errors.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers, ApiRequest, RunSettings } from '#shared/api/contract.js';
import type { ChatMessage } from '#shared/model/chat.js';
import type { RunEvent } from '#shared/run/events.js';
import { agentResultOf, branchChangeText } from '#shared/run/run-state.js';
import { planBranch } from '../loop/branch.js';
import { DEMO_CONFIG, DEMO_MESSAGES } from '../demo/demo-script.js';
import { createEngine } from '../loop/engine.js';
import type { EngineDeps, RunRequest } from '../loop/run-handle.js';
import { planReplay } from '../loop/replay.js';
import { appendToRunFile, createRunFile, type RunFileWriter } from '../persistence/run-file.js';
import type { SecretStore, SettingsStore } from '../persistence/settings.js';
import { findInterruptedRuns } from '../persistence/interrupted-runs.js';
import { approvalOf, loopConfigOf, openDemo, openSettingsResources, type RunResources } from './run-resources.js';
import { playsRecording, type ManagedRun, type RunMeta, type RunRegistry } from './run-registry.js';

/** What the run methods are built from. */
export interface RunHandlerDeps {
  registry: RunRegistry;
  settings: SettingsStore;
  secrets: SecretStore;
  /** Where each run's file is written (created if missing). */
  runsDir: string;
}

type RunMethods =
  | 'run.start'
  | 'run.demo'
  | 'run.replay'
  | 'run.retry'
  | 'run.continue'
  | 'run.branch'
  | 'run.control'
  | 'run.approve'
  | 'run.intervene'
  | 'run.breakpoints'
  | 'run.events'
  | 'run.interrupted'
  | 'run.list';

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

/** The API methods on runs: start, demo, replay, retry, continue and branch them; control them; read their events. */
export function createRunHandlers(deps: RunHandlerDeps): Pick<ApiHandlers, RunMethods> {
  const { registry } = deps;
  // Runs cut short belong to earlier sessions: look once, as the service starts, before this
  // session's own runs write files (a scan later would compete with a client's first catch-up).
  const interrupted = findInterruptedRuns(deps.runsDir).catch(() => []);

  /** Starts a run whose events go to a run file (its root run's for a branch). */
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
    return registry.add(engine.start(request), meta, runFile, async () => {
      writer?.close();
      await release();
    });
  }

  /** A run against the endpoint and tools of the settings, from the given messages. */
  async function startFromSettings(settings: RunSettings, messages: ChatMessage[], options: { startPaused?: boolean; title: string; parent: ManagedRun | null; forkTurn?: number }): Promise<string> {
    // Only a New run's settings become the next New run's defaults, never those of a retry or a branch.
    const resources = await openSettingsResources(deps, settings, options.parent === null);
    const parentRunId = options.parent?.runId ?? null;
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
    const plan = planBranch({ runId, events: registry.eventsOf(parent) }, change, { reuseToolResults });
    const parentState = registry.stateOf(parent);
    let resources: RunResources;
    if (settings) resources = await openSettingsResources(deps, settings, false);
    else if (parent.origin?.kind === 'settings') resources = await openSettingsResources(deps, parent.origin.settings, false);
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

  return {
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
      const plan = planReplay({ messages }, tools);
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
      const parent = await registry.findBuilt(runId);
      const state = registry.stateOf(parent);
      const messages = agentResultOf(state).messages;
      // A retry keeps the whole trajectory: it forks after the parent's last turn.
      return { runId: await startFromSettings(settings, structuredClone(messages), { title: `retry of ${parent.title}`, parent, forkTurn: state.turns.length }) };
    },
    async 'run.continue'({ runId, turn, settings }) {
      const parent = await registry.findBuilt(runId);
      const state = registry.stateOf(parent);
      if (turn > state.turns.length) throw new Error(`run ${runId} has ${state.turns.length} turns; cannot continue from turn ${turn}`);
      // Everything before the next turn's reply: the tool results and any user turns that followed.
      const end = turn < state.turns.length ? state.turns[turn]!.messageRange[0] : state.messages.length;
      const messages = structuredClone(state.messages.slice(0, end));
      return { runId: await startFromSettings(settings, messages, { title: `${parent.title}, continued from turn ${turn}`, parent, forkTurn: turn }) };
    },
    async 'run.branch'(params) {
      return { runId: await startBranch(await registry.findBuilt(params.runId), params) };
    },
    async 'run.control'({ runId, action }) {
      // An ended run released to its file has nothing left to pause, step or stop.
      registry.find(runId).handle?.[action]();
      return {};
    },
    async 'run.approve'({ runId, decision, command }) {
      const run = registry.find(runId);
      const handle = registry.handleOf(run);
      if (!handle.approve) throw new Error(`run "${run.title}" (${runId}) never waits for approval: it plays a recording`);
      handle.approve({ decision, ...(command !== undefined ? { command } : {}) });
      return {};
    },
    async 'run.intervene'({ runId, turn, index, change }) {
      const run = registry.find(runId);
      const handle = registry.handleOf(run);
      // A replay answers from its recording (an engine replay too): an edited call would get the
      // recorded result. The change goes to a branch from the turn instead (`run.branch`).
      if (!handle.intervene || playsRecording(registry, run)) {
        throw new Error(`run "${run.title}" (${runId}) plays a recording: it runs no tools, so its tool calls cannot be changed in it (continue as a branch from turn ${turn})`);
      }
      handle.intervene(turn, index, change);
      return {};
    },
    async 'run.breakpoints'({ runId, breakpoints }) {
      registry.find(runId).handle?.setBreakpoints(breakpoints);
      return {};
    },
    async 'run.events'({ runId, fromSeq, limit }) {
      const run = registry.find(runId);
      // An opened trajectory is built a slice at a time and pushes nothing: a call waits until
      // its page is full or the run whole (fewer, fuller pages for the page to show), and the
      // run is complete only once whole.
      if (registry.building(run)) {
        // Its events are numbered one after another from its first, so the page's last event is
        // known before it is built, also for a page asked for ahead of what is built so far.
        const first = registry.eventsOf(run)[0]?.seq ?? 0;
        await registry.eventsPast(run, Math.max(0, fromSeq - first) + limit - 1);
      }
      const events = registry.eventsOf(run);
      const start = firstAtOrAfter(events, fromSeq);
      return { events: events.slice(start, start + limit), complete: !registry.building(run) && start + limit >= events.length };
    },
    async 'run.interrupted'() {
      return { files: await interrupted };
    },
    async 'run.list'() {
      return { runs: registry.list() };
    },
  };
}
