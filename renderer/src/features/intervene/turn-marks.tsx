import { describeModelCallEdit } from '#shared/loop/chat-request.js';
import { forkMarkOf, type RunSnapshot, type TurnRecord } from '#shared/run/run-state.js';
import './intervene.css';

/**
 * A turn's marks of what the user changed: "forked here" on a branch's first turn, naming what
 * changed at the fork, and "call edited" when its model call was changed before it was sent.
 */
export function TurnMarks({ snapshot, turn }: { snapshot: RunSnapshot; turn: TurnRecord }) {
  const fork = forkMarkOf(snapshot, turn.turn);
  const edit = turn.callEdit ? describeModelCallEdit(turn.callEdit) : null;
  if (fork === null && edit === null) return null;
  return (
    <p className="turn-marks">
      {fork !== null && (
        <span className="badge tone-info" role="note" aria-label={`Forked here: ${fork}`}>
          forked here: {fork}
        </span>
      )}
      {edit !== null && (
        <span className="badge tone-warn" role="note" aria-label={`Model call edited: ${edit}`}>
          call edited: {edit}
        </span>
      )}
    </p>
  );
}
