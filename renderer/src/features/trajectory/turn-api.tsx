import { useMemo } from 'react';
import { materializePromptView } from '#shared/loop/truncate.js';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { FoldedText } from '../../ui/folded-text.js';
import { applyModelCallEdit, recordedChatRequest } from '#shared/loop/chat-request.js';
import { isImported } from './turn-usage.js';

/** The chat completion the turn received, from what the run records of it (the reply, finish reason, usage). */
export function recordedResponse(turn: TurnRecord): Record<string, unknown> | null {
  if (turn.failure) return { error: turn.failure.error, ...(turn.failure.status !== undefined ? { status: turn.failure.status } : {}), ...(turn.failure.code !== undefined ? { code: turn.failure.code } : {}) };
  if (!turn.reply) return null;
  return { choices: [{ index: 0, message: turn.reply, finish_reason: turn.finishReason }], usage: turn.usage };
}

/**
 * A turn's model call as it went over the wire (Inspect's API tab): the request body the loop
 * sent and the response it read. An opened file records neither: both are rebuilt and said so.
 */
export function TurnApi({ snapshot, turn }: { snapshot: RunSnapshot; turn: TurnRecord }) {
  const imported = isImported(snapshot);
  const request = useMemo(() => {
    if (!turn.promptView || !turn.request) return null;
    const planned = recordedChatRequest(materializePromptView(snapshot.messages, turn.promptView), turn.request, snapshot.tools);
    // A call the user changed before it was sent went out with the change.
    return JSON.stringify(turn.callEdit ? applyModelCallEdit(planned, turn.callEdit) : planned, null, 2);
  }, [snapshot, turn.promptView, turn.request, turn.callEdit]);
  const response = useMemo(() => {
    const body = recordedResponse(turn);
    return body ? JSON.stringify(body, null, 2) : null;
  }, [turn]);
  const title = `Turn ${turn.turn}`;
  return (
    <div className="turn-api" role="group" aria-label={`Request and response of turn ${turn.turn}`}>
      {imported && <p className="muted">The file records the messages only: this request is recomputed and the response holds the recorded reply.</p>}
      <h5 className="field-label">Request</h5>
      {request ? <FoldedText text={request} title={`${title}: request`} className="code" /> : <p className="muted">Not sent yet.</p>}
      <h5 className="field-label">Response</h5>
      {response ? <FoldedText text={response} title={`${title}: response`} className="code" /> : <p className="muted">No response yet.</p>}
    </div>
  );
}
