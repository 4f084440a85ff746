import { useMemo, useState } from 'react';
import type { ApiResult } from '#shared/api/contract.js';
import { recordedChatRequest } from '#shared/loop/chat-request.js';
import { materializePromptView } from '#shared/loop/truncate.js';
import type { AssistantReply } from '#shared/model/chat.js';
import { hasErrorCode } from '#shared/rpc/errors.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';
import { EditForm } from '../../ui/edit-form.js';
import { contentText } from '../../ui/content-text.js';
import { CallFields, draftOf, editOf, type CallDraft } from './call-fields.js';
import { hasOwnModel, PausedModelCall, runModel } from './model-call-pause-card.js';
import './intervene.css';
import { messageOf } from '#shared/rpc/errors.js';

/** A reply as text: its content, then each tool call as `name(arguments)`. */
function replyText(reply: AssistantReply | null): string {
  if (!reply) return '(no reply recorded)';
  const text = contentText(reply.content ?? '');
  const calls = (reply.tool_calls ?? []).map((c) => `${c.function.name ?? 'None'}(${c.function.arguments})`);
  return [text, ...calls].filter((part) => part !== '').join('\n') || '(no content)';
}

/**
 * Ask the model once from a turn: its prompt (messages, model, temperature, max tokens, tools)
 * to change, the reply shown beside the recorded one, the run untouched; Continue as branch
 * turns the reply into a branch that goes on with the loop. `atPause`: a replay waits before
 * this turn's model call, which it cannot make; Continue as branch asks and branches at once.
 */
export function AskOnceForm({ snapshot, turn, onCancel, atPause = false }: { snapshot: RunSnapshot; turn: number; onCancel(): void; atPause?: boolean }) {
  const record = snapshot.turns[turn - 1]!;
  const model = runModel(snapshot);
  const base = useMemo(
    () => (record.promptView && record.request ? recordedChatRequest(materializePromptView(snapshot.messages, record.promptView), record.request, snapshot.tools) : null),
    [snapshot, record.promptView, record.request],
  );
  // A run that does not say which endpoint it called (an opened file, a replay) needs one.
  const [needsEndpoint, setNeedsEndpoint] = useState(!hasOwnModel(snapshot));
  const [baseURL, setBaseURL] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [draft, setDraft] = useState<CallDraft | null>(() => (base ? draftOf(base, model) : null));
  const [asked, setAsked] = useState<ApiResult<'run.askOnce'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const askOnce = useStore((s) => s.askOnce);
  const branchRun = useStore((s) => s.branchRun);
  const close = useStore((s) => s.openEdit);
  if (!base || !draft) return <p className="empty">Turn {turn} has no prompt to send.</p>;
  const id = atPause ? `pause-${turn}` : 'ask';
  const result = editOf(draft, base, model);
  const problems = 'problems' in result ? result.problems : {};
  const endpointMissing = needsEndpoint && (baseURL.trim() === '' || draft.model.trim() === '');

  async function ask(): Promise<void> {
    if (!('edit' in result) || endpointMissing) return;
    setBusy(true);
    setError(null);
    try {
      const endpoint = needsEndpoint ? { baseURL: baseURL.trim(), model: draft!.model.trim(), ...(apiKey ? { apiKey } : {}) } : undefined;
      const reply = await askOnce({ runId: snapshot.runId, turn, edit: result.edit, ...(endpoint ? { endpoint } : {}) });
      setAsked(reply);
      if (atPause) await continueAsBranch(reply);
    } catch (e) {
      if (hasErrorCode(e, 'needs_endpoint')) setNeedsEndpoint(true);
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  async function continueAsBranch(reply: ApiResult<'run.askOnce'> | null): Promise<void> {
    if (!reply || !('edit' in result)) return;
    setBusy(true);
    setError(null);
    try {
      await branchRun(snapshot.runId, { kind: 'asked_once', turn, reply: reply.reply, edit: result.edit, latencyMs: reply.latencyMs, usage: reply.usage, ...(reply.model ? { model: reply.model } : {}) });
      close(null);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <EditForm onSubmit={() => void ask()}>
      <p className="hint">
        {atPause
          ? `A recording cannot call a model: this continues as a branch from turn ${turn}, sending the call below (with your changes) to the model you choose. This replay stays as it is.`
          : `Sends turn ${turn}'s prompt to the model once. The run stays as it is and the loop does not go on, unless you continue the reply as a branch.`}
      </p>
      {needsEndpoint && (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-base-url`}>Base URL</label>
            <input id={`${id}-base-url`} value={baseURL} placeholder="http://127.0.0.1:8000/v1" onChange={(e) => setBaseURL(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-api-key`}>API key</label>
            <input id={`${id}-api-key`} type="password" value={apiKey} placeholder="optional" onChange={(e) => setApiKey(e.target.value)} />
          </div>
        </div>
      )}
      {needsEndpoint && <p className="muted">This run has no model of its own: choose the endpoint and model to ask.</p>}
      <CallFields id={id} draft={draft} problems={problems} update={setDraft} />
      {error && (
        <p role="alert" className="form-alert">
          {error}
        </p>
      )}
      {asked && !atPause && (
        <div className="ask-once-replies">
          <section aria-label="Recorded reply">
            <h3 className="field-label">Recorded reply (turn {turn})</h3>
            <pre className="code">{replyText(record.reply)}</pre>
          </section>
          <section aria-label="Reply asked once">
            <h3 className="field-label">
              Reply asked once{asked.model ? ` (${asked.model})` : ''}, {Math.round(asked.latencyMs)} ms
            </h3>
            <pre className="code">{replyText(asked.reply)}</pre>
          </section>
        </div>
      )}
      {atPause ? (
        <div className="button-group">
          <button type="submit" className="primary" disabled={busy || !('edit' in result) || endpointMissing}>
            {busy ? 'Asking…' : 'Continue as branch'}
          </button>
          <button type="button" onClick={onCancel} disabled={busy}>
            Continue
          </button>
          <span className="muted">plays the recorded reply in this replay</span>
        </div>
      ) : (
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Close
          </button>
          {asked && (
            <button type="button" onClick={() => void continueAsBranch(asked)} disabled={busy}>
              Continue as branch
            </button>
          )}
          <button type="submit" className="primary" disabled={busy || !('edit' in result) || endpointMissing}>
            {busy ? 'Asking…' : asked ? 'Ask again' : 'Send to the model'}
          </button>
        </div>
      )}
    </EditForm>
  );
}

/**
 * The model call a replay is paused before: a recording calls no model, so the recorded call,
 * changed or not, goes to a model of the user's choosing as a branch from the turn (Continue
 * plays the recording on).
 */
export function RecordedCallPauseCard({ snapshot, turn }: { snapshot: RunSnapshot; turn: number }) {
  const control = useStore((s) => s.control);
  return (
    <PausedModelCall turn={turn}>
      <AskOnceForm snapshot={snapshot} turn={turn} atPause onCancel={() => void control('resume')} />
    </PausedModelCall>
  );
}
