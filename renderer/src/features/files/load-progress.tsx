import { useEffect, useState } from 'react';
import type { OpenedFile } from '../../../../shared/api/contract.js';
import { activeFileOf } from '../../store/shown.js';
import { useStore } from '../../store/store.js';
import './load-progress.css';

/** How long a load runs before its progress bar shows. */
export const PROGRESS_AFTER_MS = 500;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** True once a file has been indexing for longer than {@link PROGRESS_AFTER_MS}. */
function useSlow(file: OpenedFile): boolean {
  const [slow, setSlow] = useState(file.elapsedMs >= PROGRESS_AFTER_MS);
  useEffect(() => {
    if (slow || file.state !== 'indexing') return;
    const timer = setTimeout(() => setSlow(true), Math.max(0, PROGRESS_AFTER_MS - file.elapsedMs));
    return () => clearTimeout(timer);
  }, [slow, file.state, file.elapsedMs]);
  return slow || file.elapsedMs >= PROGRESS_AFTER_MS;
}

function Indexing({ file }: { file: OpenedFile }) {
  const cancel = useStore((s) => s.cancelFile);
  const slow = useSlow(file);
  if (!slow) return null;
  const percent = file.size > 0 ? Math.min(100, Math.round((file.bytesRead / file.size) * 100)) : 0;
  return (
    <div className="load-progress">
      <progress aria-label={`Loading ${file.name}`} max={100} value={percent} />
      <span className="muted">
        {megabytes(file.bytesRead)} of {megabytes(file.size)}, {count(file.trajectories, 'trajectory', 'trajectories')}
      </span>
      <button type="button" onClick={() => void cancel(file.fileId)}>
        Cancel
      </button>
    </div>
  );
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
 * The active file's load: a progress bar with bytes and trajectories counted and a Cancel button
 * for a load over half a second, then what was skipped, or why the file could not be opened.
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
      {file.state === 'indexing' && <Indexing file={file} />}
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
