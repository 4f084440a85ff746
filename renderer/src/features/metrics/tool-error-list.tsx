import { useMemo } from 'react';
import { TOOL_ERRORS_NAME } from '#shared/loop/error-counts.js';
import type { ToolError } from '#shared/loop/tool-outcome.js';
import type { RunSnapshot } from '#shared/run/run-state.js';
import { useStore } from '../../store/store.js';

/** A failed tool call the reference counts in `tool_calls_exec_error` but leaves out of `tool_errors`. */
interface UnrecordedFailure {
  turn: number;
  toolName: string;
  error: string;
}

/** The `error` of a JSON tool result, for display. */
function errorText(result: string | null): string {
  try {
    const data = JSON.parse(result ?? '') as { error?: unknown };
    return typeof data.error === 'string' ? data.error : JSON.stringify(data.error);
  } catch {
    return result ?? '';
  }
}

/** Failed calls without a `tool_errors` entry: a JSON `error` result with no negative `exit_code`. */
function unrecordedFailures(snapshot: RunSnapshot): UnrecordedFailure[] {
  const out: UnrecordedFailure[] = [];
  for (const turn of snapshot.turns) {
    for (const call of turn.toolCalls) {
      if (call.status === 'error_result' && call.toolError === null) out.push({ turn: turn.turn, toolName: call.name, error: errorText(call.result) });
    }
  }
  return out;
}

function ErrorButton({ turn, text }: { turn: number; text: string }) {
  const selectTurn = useStore((s) => s.selectTurn);
  return (
    <button type="button" className="link-button" onClick={() => selectTurn(turn)}>
      {text}
    </button>
  );
}

/**
 * The run's tool errors (the reference's `tool_errors`), each jumping to its turn; then the failed
 * calls the reference counts as errors but does not list, so the oddity is visible.
 */
export function ToolErrorList({ snapshot, version }: { snapshot: RunSnapshot; version: number }) {
  const errors: readonly ToolError[] = snapshot.toolErrors;
  // The snapshot is mutated in place as events arrive; `version` says when it changed.
  const unrecorded = useMemo(() => unrecordedFailures(snapshot), [snapshot, version]);
  return (
    <div className="tool-errors">
      <h3 title="The reference's tool_errors list; failed calls are counted apart (Exec errors)">
        {TOOL_ERRORS_NAME} ({errors.length.toLocaleString('en-US')})
      </h3>
      {errors.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {errors.map((error, i) => (
            <li key={i}>
              <ErrorButton turn={error.turn} text={`Turn ${error.turn}: ${error.tool_name}: ${error.error}`} />
            </li>
          ))}
        </ul>
      )}
      {unrecorded.length > 0 && (
        <>
          <p className="muted" id="unrecorded-failures">
            Also failed, but not in tool_errors ({unrecorded.length.toLocaleString('en-US')}): the reference lists a JSON error result only when its exit_code is negative.
          </p>
          <ul aria-labelledby="unrecorded-failures">
            {unrecorded.map((failure, i) => (
              <li key={i}>
                <ErrorButton turn={failure.turn} text={`Turn ${failure.turn}: ${failure.toolName}: ${failure.error}`} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
