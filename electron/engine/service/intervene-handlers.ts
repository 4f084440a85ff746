import type { ApiHandlers, ApiRequest } from '#shared/api/contract.js';
import { applyModelCallEdit, recordedChatRequest } from '#shared/loop/chat-request.js';
import { materializePromptView } from '#shared/loop/truncate.js';
import { ApiError } from '#shared/rpc/errors.js';
import { openDemoResources } from '../demo/demo-run.js';
import type { ModelClient } from '../model/model-client.js';
import type { SecretStore } from '../persistence/settings.js';
import { playsRecording, type ManagedRun, type RunRegistry } from './run-registry.js';
import { openEndpointModel } from './run-resources.js';

/** What the intervention methods are built from. */
export interface InterveneHandlerDeps {
  registry: RunRegistry;
  secrets: SecretStore;
  now?: () => number;
}

type InterveneMethods = 'run.editModelCall' | 'run.askOnce';

/** A model to ask once: the endpoint given, else the run's own; `close` releases it. */
async function modelFor(run: ManagedRun, params: ApiRequest<'run.askOnce'>, secrets: SecretStore): Promise<{ model: ModelClient; close(): Promise<void> }> {
  const endpoint = params.endpoint ?? (run.origin?.kind === 'settings' ? run.origin.settings.endpoint : null);
  if (endpoint) return { model: openEndpointModel(secrets, endpoint), close: async () => {} };
  if (run.origin?.kind === 'demo') {
    // The demo's script answers turn N with its reply N, as it does for a branch from turn N.
    const demo = await openDemoResources({ workspace: run.origin.workspace, fromTurn: params.turn });
    return { model: demo.model, close: () => demo.close() };
  }
  throw new ApiError('needs_endpoint', `run "${run.title}" (${run.runId}) has no model of its own (an opened trajectory or a replay): choose a model endpoint to ask`, 'run.askOnce');
}

/** The API methods that intervene in a run: edit the model call it waits before, and ask the model once. */
export function createInterveneHandlers(deps: InterveneHandlerDeps): Pick<ApiHandlers, InterveneMethods> {
  const { registry } = deps;
  const now = deps.now ?? Date.now;
  return {
    async 'run.editModelCall'({ runId, edit }) {
      const run = registry.find(runId);
      const handle = registry.handleOf(run);
      if (!handle.editModelCall || playsRecording(registry, run)) {
        throw new Error(`run "${run.title}" (${runId}) plays a recording: it calls no model, so its call cannot be changed in it (continue as a branch from the turn)`);
      }
      handle.editModelCall(edit);
      return {};
    },
    async 'run.askOnce'(params) {
      const run = await registry.findBuilt(params.runId);
      const state = registry.stateOf(run);
      const turn = state.turns[params.turn - 1];
      if (!turn) throw new Error(`run "${run.title}" has ${state.turns.length} turns; there is no turn ${params.turn} to ask about`);
      if (!turn.promptView || !turn.request) throw new Error(`turn ${params.turn} of run "${run.title}" has no prompt yet`);
      const sent = materializePromptView(state.messages, turn.promptView);
      const request = applyModelCallEdit(recordedChatRequest(sent, turn.request, state.tools), params.edit);
      const { model, close } = await modelFor(run, params, deps.secrets);
      try {
        const started = now();
        const response = await model.chatCompletion(request);
        const choice = response?.choices?.[0];
        if (!choice) throw new Error('the model answered with no choices');
        return { request, reply: choice.message, latencyMs: now() - started, usage: response?.usage ?? null, model: response?.model ?? null };
      } finally {
        await close();
      }
    },
  };
}
