import { useMemo } from 'react';
import { checkArguments } from '#shared/loop/argument-check.js';
import type { ToolCallRecord } from '#shared/run/run-state.js';
import { interventionText } from '#shared/run/intervention.js';
import { FoldedText } from '../../ui/folded-text.js';
import { MarkedText } from '../../ui/marked-text.js';
import { useStore } from '../../store/store.js';
import { callStatusText } from '../turns/turn-badges.js';
import { resultError } from '../../ui/content-text.js';
import { ToolCallArgs } from './tool-call-args.js';
import { ToolResult } from './tool-result.js';

/** What the user decided on a call that waited for approval, as its badge says it. */
const DECISION_TEXT: Record<NonNullable<ToolCallRecord['approval']>['decision'], string> = {
  approve: 'approved by user',
  edit: 'command edited by user',
  reject: 'rejected by user',
};

/** Whether a tool call failed: an error result, an exception or an unknown tool. */
export function isFailedCall(call: ToolCallRecord): boolean {
  return call.status !== 'ok' && call.status !== 'running';
}

/** The problems of a call's arguments (normalized when known) against its tool's JSON Schema, or null with no schema to check. */
export function schemaProblems(args: string, parameters: unknown): string[] | null {
  if (parameters === undefined || parameters === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    return ['arguments are not JSON'];
  }
  return checkArguments(value, parameters);
}

/**
 * The two checks of a call's arguments, each named for what it is: the reference's `schema_valid`
 * (decoded straight to an object), and the check against the tool's JSON Schema.
 */
export function ArgumentBadges({ schemaValid, problems }: { schemaValid: boolean | null; problems: string[] | null }) {
  return (
    <>
      {schemaValid === true && (
        <span className="badge tone-ok" title="schema_valid, as the reference counts it: the arguments decoded straight to a JSON object">
          schema_valid: decoded to an object
        </span>
      )}
      {schemaValid === false && (
        <span className="badge tone-warn" title="schema_valid is false: the arguments did not decode straight to a JSON object and were coerced">
          coerced
        </span>
      )}
      {problems !== null && (
        <span className={`badge tone-${problems.length === 0 ? 'ok' : 'warn'}`} title="The arguments checked against the tool's JSON Schema">
          {problems.length === 0 ? 'matches tool schema' : 'does not match tool schema'}
        </span>
      )}
    </>
  );
}

/** One tool call: name, status, arguments, and its result (red with its error when it failed). */
export function ToolCallCard({ call, turn, runId, editable = false, runEnded = false, parameters }: { call: ToolCallRecord; turn: number; runId?: string; editable?: boolean; runEnded?: boolean; parameters?: unknown }) {
  const openEdit = useStore((s) => s.openEdit);
  const failed = isFailedCall(call);
  const error = failed ? (call.toolError?.error ?? resultError(call.result) ?? 'the tool call failed') : null;
  const title = `Turn ${turn}, ${call.name}`;
  const args = call.normalizedArguments ?? call.arguments;
  // A card re-renders on every event of its run: check the arguments only when they change.
  const problems = useMemo(() => schemaProblems(args, parameters), [args, parameters]);
  return (
    <div className={`tool-call${failed ? ' is-error' : ''}`} role="group" aria-label={`Tool call ${call.name}`}>
      <div className="tool-call-head">
        <span className="role">tool call</span>
        <code className="tool-name">
          <MarkedText text={call.name} />
        </code>
        <span className={`badge tone-${failed ? 'bad' : call.status === 'running' ? 'info' : 'ok'}`}>{callStatusText(call, runEnded)}</span>
        {call.status === 'unknown_tool' && <span className="badge tone-bad">unknown tool</span>}
        {call.approval && <span className={`badge tone-${call.approval.decision === 'approve' ? 'info' : 'warn'}`}>{DECISION_TEXT[call.approval.decision]}</span>}
        {call.intervention && <span className="badge tone-warn">{interventionText(call.intervention)}</span>}
        <ArgumentBadges schemaValid={call.schemaValid} problems={problems} />
        {call.durationMs !== null && <span className="muted">{call.durationMs.toLocaleString('en-US')} ms</span>}
        {editable && runId && (
          <span className="card-actions">
            <button type="button" className="small-button" onClick={() => openEdit({ kind: 'tool_arguments', runId, turn, index: call.index })} aria-label="Edit arguments">
              Edit arguments
            </button>
            {call.result !== null && (
              <button type="button" className="small-button" onClick={() => openEdit({ kind: 'tool_result', runId, turn, index: call.index })} aria-label={`Edit result of ${call.name}`}>
                Edit result
              </button>
            )}
          </span>
        )}
      </div>
      {error !== null && <p className="tool-error-text">{error}</p>}
      {problems !== null && problems.length > 0 && <p className="muted">Tool schema: {problems.join('; ')}</p>}
      <ToolCallArgs raw={call.arguments} normalized={call.normalizedArguments} title={title} />
      {call.intervention?.action === 'edit' && (
        <>
          <h5 className="field-label">Arguments the model sent</h5>
          <FoldedText text={call.intervention.modelArguments || '(empty)'} title={`${title}: arguments the model sent`} className="code" />
        </>
      )}
      {call.result === null ? (
        <>
          <h5 className="field-label">Result</h5>
          <p className="muted">{runEnded ? 'no result recorded' : 'running…'}</p>
        </>
      ) : (
        <ToolResult text={call.result} title={`${title}: result`} label="Result" />
      )}
    </div>
  );
}
