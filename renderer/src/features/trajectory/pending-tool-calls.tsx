import { useMemo, useState } from 'react';
import { normalizeToolArgs } from '#shared/loop/normalize-args.js';
import { isKnownTool } from '#shared/loop/tool-outcome.js';
import { pyJsonDumps } from '#shared/python/json.js';
import { interventionText } from '#shared/run/intervention.js';
import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';
import { FoldedText } from '../../ui/folded-text.js';
import { pendingToolCalls, type PendingToolCall } from './pending-calls.js';
import { ArgumentBadges, schemaProblems } from './tool-call-card.js';
import { ToolCallArgs } from './tool-call-args.js';

/** Whether the user can change the pending calls of `turn` now: the live run waits before them. */
export function canChangePendingCalls(snapshot: RunSnapshot, turn: number): boolean {
  const paused = snapshot.end === null ? snapshot.pausedAt : null;
  return paused !== null && paused.turn === turn && (paused.at === 'before_tools' || paused.at === 'tool_error');
}

/**
 * Whether the run plays a recording (a replay of an opened file, or of messages): it runs no
 * tools or model of its own, so a change at its breakpoints continues as a branch from the turn.
 */
export function playsRecording(snapshot: RunSnapshot): boolean {
  return snapshot.source.imported !== undefined || typeof snapshot.source.replayOf === 'string';
}

/** The parameter schema of a tool of the run, when the run knows it. */
export function toolParameters(snapshot: RunSnapshot, name: string): Record<string, unknown> | undefined {
  return snapshot.tools.find((t) => t.function.name === name)?.function.parameters;
}

/** The engine's normalization of a pending call's arguments, as the call will be recorded. */
function normalizedOf(validToolNames: readonly string[], name: string, raw: string): { known: boolean; normalized: string | null; schemaValid: boolean | null } {
  if (!isKnownTool(new Set(validToolNames), name)) return { known: false, normalized: null, schemaValid: null };
  const { args, schemaValid } = normalizeToolArgs(name, raw);
  return { known: true, normalized: pyJsonDumps(args, { ensureAscii: false }), schemaValid };
}

function PendingToolCallCard({ snapshot, turn, call, changeable }: { snapshot: RunSnapshot; turn: number; call: PendingToolCall; changeable: boolean }) {
  // Once the run has ended, a call that had not started never will.
  const state = snapshot.end === null ? 'pending' : 'not run';
  const openEdit = useStore((s) => s.openEdit);
  const intervene = useStore((s) => s.interveneToolCall);
  const branchRun = useStore((s) => s.branchRun);
  const connected = useStore((s) => s.connection === 'open');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { known, normalized, schemaValid } = useMemo(
    // Keyed on the call's name and arguments: the card re-renders on every event of its run.
    () => normalizedOf(snapshot.validToolNames, call.name, call.arguments),
    [snapshot.validToolNames, call.name, call.arguments],
  );
  const schema = toolParameters(snapshot, call.name);
  const problems = useMemo(() => (known ? schemaProblems(normalized ?? call.arguments, schema) : null), [known, normalized, call.arguments, schema]);
  const title = `Turn ${turn}, ${call.name} (${state})`;
  const skipped = call.intervention?.action === 'skip';

  async function skip(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      // A recording cannot run its calls: the skip continues as a branch (which asks for an
      // endpoint and tools when the replay has none).
      if (playsRecording(snapshot)) await branchRun(snapshot.runId, { kind: 'skipped_call', turn, index: call.index });
      else await intervene(snapshot.runId, turn, call.index, { action: 'skip' });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="tool-call is-pending" role="group" aria-label={state === 'pending' ? `Pending tool call ${call.name}` : `Tool call ${call.name}, not run`}>
      <div className="tool-call-head">
        <span className="role">tool call</span>
        <code className="tool-name">{call.name}</code>
        <span className="badge tone-info">{state}</span>
        {call.intervention && <span className="badge tone-warn">{interventionText(call.intervention)}</span>}
        {!known && <span className="badge tone-bad">unknown tool</span>}
        <ArgumentBadges schemaValid={schemaValid} problems={problems} />
        {changeable && (
          <span className="card-actions">
            <button
              type="button"
              className="small-button"
              disabled={!connected || busy}
              title={playsRecording(snapshot) ? `Continues as a branch from turn ${turn} with the arguments you give` : undefined}
              onClick={() => openEdit({ kind: 'pending_arguments', runId: snapshot.runId, turn, index: call.index })}
            >
              Edit arguments
            </button>
            {known && !skipped && (
              <button
                type="button"
                className="small-button danger"
                disabled={!connected || busy}
                title={playsRecording(snapshot) ? `Continues as a branch from turn ${turn} with this call skipped` : undefined}
                onClick={() => void skip()}
              >
                Skip call
              </button>
            )}
          </span>
        )}
      </div>
      {error !== null && (
        <p role="alert" className="tool-error-text">
          {playsRecording(snapshot) ? 'Could not branch with the call skipped' : 'Could not skip the call'}: {error}
        </p>
      )}
      {problems !== null && problems.length > 0 && <p className="muted">Tool schema: {problems.join('; ')}</p>}
      <ToolCallArgs raw={call.arguments} normalized={normalized} title={title} />
      {call.intervention?.action === 'edit' && (
        <>
          <h5 className="field-label">Arguments the model sent</h5>
          <FoldedText text={call.intervention.modelArguments || '(empty)'} title={`${title}: arguments the model sent`} className="code" />
        </>
      )}
      {schema ? (
        <details className="tool-schema">
          <summary className="field-label">Parameter schema</summary>
          <FoldedText text={JSON.stringify(schema, null, 2)} title={`${call.name}: parameter schema`} className="code" />
        </details>
      ) : (
        <p className="muted">Parameter schema: the run has none for this tool</p>
      )}
      {skipped && <p className="muted">The model will get a tool error saying the user skipped this call.</p>}
    </div>
  );
}

/**
 * The tool calls of a turn's reply that have not run yet, shown in full; while the run waits
 * before them, each can be edited or skipped, and Continue runs them. In a replay, an edit or a
 * skip continues as a branch from the turn, and Continue plays the recorded calls.
 */
export function PendingToolCalls({ snapshot, turn }: { snapshot: RunSnapshot; turn: TurnRecord }) {
  const control = useStore((s) => s.control);
  const connected = useStore((s) => s.connection === 'open');
  const pending = pendingToolCalls(turn);
  if (pending.length === 0) return null;
  const changeable = canChangePendingCalls(snapshot, turn.turn);
  const recording = playsRecording(snapshot);
  return (
    <section className="pending-tool-calls" aria-label={snapshot.end === null ? `Pending tool calls of turn ${turn.turn}` : `Tool calls of turn ${turn.turn} not run`}>
      {pending.map((call) => (
        <PendingToolCallCard key={call.index} snapshot={snapshot} turn={turn.turn} call={call} changeable={changeable} />
      ))}
      {changeable && (
        <div className="button-group">
          <button type="button" className="primary" disabled={!connected} onClick={() => void control('resume')}>
            Continue
          </button>
          <span className="muted">
            {recording
              ? `plays ${pending.length === 1 ? 'the recorded call' : `the ${pending.length} recorded calls`} in this replay`
              : `runs ${pending.length === 1 ? 'this call' : `these ${pending.length} calls`} in this run, as shown`}
          </span>
        </div>
      )}
      {changeable && recording && <p className="muted">A recording cannot run tools: Edit arguments or Skip call continues as a branch from turn {turn.turn}; this replay stays as it is.</p>}
    </section>
  );
}
