import type { ToolError } from '../../../../shared/loop/tool-outcome.js';
import { useStore } from '../../store/store.js';

/** The run's tool errors (the reference's `tool_errors`); each jumps to its turn. */
export function ToolErrorList({ errors }: { errors: readonly ToolError[] }) {
  const selectTurn = useStore((s) => s.selectTurn);
  return (
    <div className="tool-errors">
      <h3>Tool errors ({errors.length.toLocaleString('en-US')})</h3>
      {errors.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul>
          {errors.map((error, i) => (
            <li key={i}>
              <button type="button" className="link-button" onClick={() => selectTurn(error.turn)}>
                Turn {error.turn}: {error.tool_name}: {error.error}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
