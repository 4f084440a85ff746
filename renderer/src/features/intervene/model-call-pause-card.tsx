import { useMemo, useState, type ReactNode } from 'react';
import { applyModelCallEdit, buildChatRequest, type ChatRequest } from '#shared/loop/chat-request.js';
import { materializePromptView } from '#shared/loop/truncate.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';
import { FoldedText } from '../../ui/folded-text.js';
import { CallFields, draftOf, editOf, type CallDraft } from './call-fields.js';
import './intervene.css';

/** The model a run's calls go to, as its source names it ('' when it names none). */
export function runModel(snapshot: RunSnapshot): string {
  return typeof snapshot.source.model === 'string' ? snapshot.source.model : '';
}

/** Whether the run calls a model endpoint of its own (a replay or an opened file plays its recording instead). */
export function hasOwnModel(snapshot: RunSnapshot): boolean {
  return typeof snapshot.source.baseURL === 'string';
}

/** The request the run is about to send (the prompt view the loop will build), or null when it cannot be told. */
function useUpcomingRequest(snapshot: RunSnapshot): ChatRequest | null {
  const feed = useStore((s) => s.runs[snapshot.runId]?.feed);
  const count = snapshot.messages.length;
  return useMemo(() => {
    const view = feed?.upcomingPromptView();
    if (!view) return null;
    return buildChatRequest({ messages: materializePromptView(snapshot.messages, view), temperature: snapshot.config.temperature, maxTokens: snapshot.config.maxTokens, tools: snapshot.tools });
    // The snapshot is updated in place: the message count says when the upcoming prompt changes.
  }, [feed, snapshot, count]);
}

function PauseForm({ snapshot, turn, base }: { snapshot: RunSnapshot; turn: number; base: ChatRequest }) {
  const model = runModel(snapshot);
  const [draft, setDraft] = useState<CallDraft>(() => draftOf(base, model));
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const connected = useStore((s) => s.connection === 'open');
  const editModelCall = useStore((s) => s.editModelCall);
  // Parsing and checking every message: once per change of the draft, not on every render.
  const result = useMemo(() => editOf(draft, base, model), [draft, base, model]);
  const problems = 'problems' in result ? result.problems : {};
  const shown = useMemo(() => JSON.stringify('edit' in result ? applyModelCallEdit(base, result.edit) : base, null, 2), [result, base]);
  const changed = 'edit' in result && Object.keys(result.edit).length > 0;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!('edit' in result)) return;
        setSending(true);
        setError(null);
        editModelCall(snapshot.runId, result.edit).catch((err: unknown) => {
          setError(err instanceof Error ? err.message : String(err));
          setSending(false);
        });
      }}
    >
      <h5 className="field-label">Request about to be sent{changed ? ' (with your changes)' : ''}</h5>
      <FoldedText text={shown} title={`Turn ${turn}: request about to be sent`} className="code call-preview" />
      <CallFields id={`pause-${turn}`} draft={draft} problems={problems} update={setDraft} />
      {error && (
        <p role="alert" className="form-alert">
          The call could not go on: {error}
        </p>
      )}
      <div className="button-group">
        <button type="submit" className="primary" disabled={!connected || sending || !('edit' in result)}>
          Continue
        </button>
        {changed && <span className="muted">This call only; the change is recorded on turn {turn}.</span>}
      </div>
    </form>
  );
}

/**
 * The model call a run is paused before: the exact request it is about to send, and its model,
 * temperature, max tokens, tools and messages to change for this one call before Continue.
 */
export function ModelCallPauseCard({ snapshot, turn }: { snapshot: RunSnapshot; turn: number }) {
  const base = useUpcomingRequest(snapshot);
  return (
    <PausedModelCall turn={turn}>
      {base ? <PauseForm key={base.messages.length} snapshot={snapshot} turn={turn} base={base} /> : <p className="muted">The request about to be sent cannot be shown.</p>}
    </PausedModelCall>
  );
}

/** The card of a model call a run (live or replayed) waits before, around what can be done with it. */
export function PausedModelCall({ turn, children }: { turn: number; children: ReactNode }) {
  return (
    <div className="tool-call model-call-pause" role="group" aria-label={`Model call of turn ${turn}, paused before it`}>
      <div className="tool-call-head">
        <span className="role">model call</span>
        <span className="badge tone-warn">paused before the model call</span>
      </div>
      {children}
    </div>
  );
}
