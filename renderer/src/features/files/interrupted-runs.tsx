import { useEffect, useState } from 'react';
import { useStore } from '../../store/store.js';
import './interrupted-runs.css';

/**
 * After a crash or a kill: the runs of earlier sessions that never ended, offered for reopening
 * (their run files keep every completed turn). Shown once per start, until dismissed.
 */
export function InterruptedRuns() {
  const ready = useStore((s) => s.client !== null && s.connection === 'open');
  const files = useStore((s) => s.interrupted);
  const loadInterrupted = useStore((s) => s.loadInterrupted);
  const reopenInterrupted = useStore((s) => s.reopenInterrupted);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    if (ready) void loadInterrupted();
  }, [ready, loadInterrupted]);
  if (dismissed || files.length === 0) return null;
  const turns = files.reduce((n, f) => n + f.completedTurns, 0);
  return (
    <section aria-label="Interrupted runs" className="interrupted-runs">
      <p>
        {files.length === 1 ? 'A run was' : `${files.length} run files hold runs that were`} interrupted when the app last stopped; {turns.toLocaleString('en-US')} completed{' '}
        {turns === 1 ? 'turn is' : 'turns are'} kept.
      </p>
      <ul>
        {files.map((file) => (
          <li key={file.path}>
            <span className="code">{file.path}</span> <span className="muted">({new Date(file.modifiedAt).toLocaleString()})</span>{' '}
            <button type="button" onClick={() => void reopenInterrupted(file.path)}>
              Reopen
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => setDismissed(true)}>
        Dismiss
      </button>
    </section>
  );
}
