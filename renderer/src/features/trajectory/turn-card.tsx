import { useState } from 'react';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { jsonTruthy } from '#shared/loop/json-semantics.js';
import type { LiveReply } from '../../store/run-feed.js';
import { useStore } from '../../store/store.js';
import { contentText } from '../../ui/content-text.js';
import { FoldedText } from '../../ui/folded-text.js';
import { CommandApprovalCard } from './command-approval-card.js';
import { LiveReplyCard } from './live-reply-card.js';
import { MessageCard } from './message-card.js';
import { ReasoningBlock } from './reasoning-block.js';
import { ContinueButton, RetryTurnButton } from './retry-turn-button.js';
import { ToolCallCard } from './tool-call-card.js';
import { PendingToolCalls, playsRecording, toolParameters } from './pending-tool-calls.js';
import { TurnApi } from './turn-api.js';
import { TurnUsage } from './turn-usage.js';
import { hasOwnModel, ModelCallPauseCard } from '../intervene/model-call-pause-card.js';
import { RecordedCallPauseCard } from '../intervene/ask-once-dialog.js';
import { TurnMarks } from '../intervene/turn-marks.js';
import './turn-api.css';

function canRetry(s: RunSnapshot, turn: TurnRecord): boolean {
  return turn.failure !== null && s.end !== null && (s.end.reason === 'model_error' || s.end.reason === 'empty_response');
}

/**
 * Messages the file has between this turn and the next that the loop did not append itself (an
 * agent's observations sent as user messages, tool results no call claimed).
 */
function FollowingMessages({ snapshot, turn }: { snapshot: RunSnapshot; turn: TurnRecord }) {
  const end = snapshot.turns[turn.turn]?.messageRange[0] ?? snapshot.messages.length;
  const start = turn.messageRange[1];
  if (!turn.finished || end <= start) return null;
  return (
    <>
      {snapshot.messages.slice(start, end).map((message, i) => (
        <MessageCard key={start + i} message={message} index={start + i} />
      ))}
    </>
  );
}

/** One turn of the trajectory: the assistant's reply with its reasoning and tool calls, or its failure. */
export function TurnCard({ snapshot, turn, live, current, match }: { snapshot: RunSnapshot; turn: TurnRecord; live: LiveReply | null; current: boolean; match: boolean }) {
  const reply = turn.reply ? snapshot.messages[turn.messageRange[0]] : undefined;
  const text = reply ? contentText(reply.content) : '';
  const classes = ['turn-card', current && 'is-current', match && 'is-match', turn.failure && 'is-error'].filter(Boolean).join(' ');
  const openEdit = useStore((s) => s.openEdit);
  const [showApi, setShowApi] = useState(false);
  // A turn whose reply and tools are recorded can be forked, in a running run too.
  const editable = turn.finished && turn.reply !== null;
  // The tool call this turn waits on, not started until the user decides.
  const paused = snapshot.end === null ? snapshot.pausedAt : null;
  const waiting = paused?.at === 'approval' && paused.turn === turn.turn ? (paused.approval ?? null) : null;
  // A run with a model of its own edits the call it makes; a replay (which makes none) sends it in a branch.
  const recording = playsRecording(snapshot);
  const beforeModel = paused?.at === 'before_model' && paused.turn === turn.turn && (hasOwnModel(snapshot) || recording);
  return (
    <article className={classes} aria-labelledby={`turn-${turn.turn}-title`} aria-current={current ? 'true' : undefined}>
      <header className="turn-card-head">
        <h3 id={`turn-${turn.turn}-title`}>Turn {turn.turn}</h3>
        {turn.finishReason && <span className="muted">finish: {turn.finishReason}</span>}
        <span className="card-actions">
          {turn.request !== null && (
            <button type="button" className="small-button" aria-expanded={showApi} aria-controls={`turn-${turn.turn}-api`} onClick={() => setShowApi(!showApi)} aria-label={`API call of turn ${turn.turn}`}>
              API
            </button>
          )}
          {turn.request !== null && (
            <button type="button" className="small-button" onClick={() => openEdit({ kind: 'resample', runId: snapshot.runId, turn: turn.turn })} aria-label="Re-sample turn">
              Re-sample turn
            </button>
          )}
          {turn.promptView !== null && turn.request !== null && (
            <button type="button" className="small-button" onClick={() => openEdit({ kind: 'ask_once', runId: snapshot.runId, turn: turn.turn })}>
              Ask the model once
            </button>
          )}
          {editable && (
            <button type="button" className="small-button" onClick={() => openEdit({ kind: 'assistant_message', runId: snapshot.runId, turn: turn.turn })} aria-label={`Edit reply of turn ${turn.turn}`}>
              Edit reply
            </button>
          )}
          {snapshot.end !== null && turn.finished && <ContinueButton runId={snapshot.runId} turn={turn.turn} />}
        </span>
      </header>
      <TurnMarks snapshot={snapshot} turn={turn} />
      <TurnUsage snapshot={snapshot} turn={turn} />
      {beforeModel && (recording ? <RecordedCallPauseCard snapshot={snapshot} turn={turn.turn} /> : <ModelCallPauseCard snapshot={snapshot} turn={turn.turn} />)}
      {showApi && (
        <div id={`turn-${turn.turn}-api`}>
          <TurnApi snapshot={snapshot} turn={turn} />
        </div>
      )}
      {live && !turn.reply && <LiveReplyCard live={live} />}
      {turn.failure && (
        <div className="turn-failure" role="group" aria-label="Model failure">
          <span className="badge tone-bad">failed</span>
          <p className="tool-error-text">
            {turn.failure.kind === 'empty' ? 'Empty response' : 'Model call failed'}
            {turn.failure.status !== undefined && !turn.failure.error.includes(`HTTP ${turn.failure.status}`) ? ` (HTTP ${turn.failure.status})` : ''}: {turn.failure.error}
          </p>
          {canRetry(snapshot, turn) && <RetryTurnButton runId={snapshot.runId} turn={turn.turn} />}
        </div>
      )}
      {reply && (
        <div className="message-card role-assistant">
          <div className="message-head">
            <span className="role">assistant</span>
          </div>
          {jsonTruthy(turn.reasoning) && <ReasoningBlock reasoning={turn.reasoning} title={`Turn ${turn.turn}: reasoning`} />}
          {text ? <FoldedText text={text} title={`Turn ${turn.turn}: assistant text`} className="message-text" /> : !turn.reply?.tool_calls?.length && <p className="muted">(no content)</p>}
        </div>
      )}
      {turn.toolCalls.map((call) => (
        <ToolCallCard key={call.index} call={call} turn={turn.turn} runId={snapshot.runId} editable={editable} runEnded={snapshot.end !== null} parameters={toolParameters(snapshot, call.name)} />
      ))}
      <PendingToolCalls snapshot={snapshot} turn={turn} />
      {waiting && <CommandApprovalCard key={`approval-${waiting.index}`} runId={snapshot.runId} turn={turn.turn} pending={waiting} />}
      <FollowingMessages snapshot={snapshot} turn={turn} />
    </article>
  );
}
