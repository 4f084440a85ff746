import { useState } from 'react';
import type { ApprovalDecision, PendingApproval } from '#shared/run/events.js';
import { useStore } from '../../store/store.js';
import { FoldedText } from '../../ui/folded-text.js';

/**
 * The tool call a run waits on before it runs: its command, and Approve, Edit (a field prefilled
 * with the command, then "Run edited command") and Reject. Only these decide; Run and Step do not.
 */
export function CommandApprovalCard({ runId, turn, pending }: { runId: string; turn: number; pending: PendingApproval }) {
  const decideCommand = useStore((s) => s.decideCommand);
  const connected = useStore((s) => s.connection === 'open');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(pending.command);
  // One decision at a time: the card goes away once the engine takes it.
  const [sending, setSending] = useState(false);
  const idle = connected && !sending;
  const title = `Turn ${turn}, ${pending.tool}`;

  async function decide(decision: ApprovalDecision, command?: string): Promise<void> {
    setSending(true);
    try {
      await decideCommand(runId, decision, command);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className="tool-call" role="group" aria-label={`Tool call ${pending.tool} waiting for approval`}>
      <div className="tool-call-head">
        <span className="role">tool call</span>
        <code className="tool-name">{pending.tool}</code>
        <span className="badge tone-warn">waiting for approval</span>
      </div>
      <h5 className="field-label">Command</h5>
      <FoldedText text={pending.command} title={`${title}: command`} className="code" />
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim() !== '') void decide('edit', draft);
          }}
        >
          <div className="field">
            <label htmlFor={`edited-command-${turn}-${pending.index}`}>Command to run</label>
            <textarea id={`edited-command-${turn}-${pending.index}`} rows={Math.min(8, draft.split('\n').length + 1)} value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus />
          </div>
          <div className="button-group">
            <button type="submit" disabled={!idle || draft.trim() === ''}>
              Run edited command
            </button>
            <button type="button" onClick={() => setEditing(false)} disabled={sending}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="button-group">
          <button type="button" onClick={() => void decide('approve')} disabled={!idle}>
            Approve
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft(pending.command);
              setEditing(true);
            }}
            disabled={!idle}
          >
            Edit
          </button>
          <button type="button" className="danger" onClick={() => void decide('reject')} disabled={!idle}>
            Reject
          </button>
        </div>
      )}
    </div>
  );
}
