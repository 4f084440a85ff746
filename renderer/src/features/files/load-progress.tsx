import type { OpenedFile } from '#shared/api/contract.js';
import { activeFileOf } from '../../store/shown.js';
import { useStore } from '../../store/store.js';
import './load-progress.css';

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function Problems({ file }: { file: OpenedFile }) {
  if (file.problemCount === 0) return null;
  return (
    <details className="load-problems">
      <summary>
        {count(file.problemCount, 'line', 'lines')} of {file.name} could not be read and {file.problemCount === 1 ? 'was' : 'were'} skipped
      </summary>
      <ul>
        {file.problems.map((problem) => (
          <li key={problem} className="code">
            {problem}
          </li>
        ))}
        {file.problemCount > file.problems.length && <li className="muted">and {(file.problemCount - file.problems.length).toLocaleString('en-US')} more</li>}
      </ul>
    </details>
  );
}

/**
 * What became of the active file's load: cancelled, what was skipped, or why the file could not
 * be opened (its progress and Cancel are in the top bar's status while it loads).
 */
export function LoadProgress() {
  const file = useStore((s) => {
    const fileId = activeFileOf(s);
    return fileId ? s.files[fileId]?.status : undefined;
  });
  const close = useStore((s) => s.closeFile);
  if (!file) return null;
  return (
    <div className="file-status" role="status" aria-label="File status">
      {file.state === 'cancelled' && (
        <p className="muted">
          Loading {file.name} was cancelled after {count(file.trajectories, 'trajectory', 'trajectories')}.
        </p>
      )}
      {file.state === 'failed' && (
        <div role="alert" className="action-error">
          {file.error ?? `${file.name} could not be opened`}
          <button type="button" aria-label="Dismiss error" onClick={() => void close(file.fileId)}>
            ×
          </button>
        </div>
      )}
      <Problems file={file} />
    </div>
  );
}
