import { useEffect, useState } from 'react';
import type { ApiResult } from '../../../../shared/api/contract.js';
import { useStore } from '../../store/store.js';

type Interrupted = ApiResult<'run.interrupted'>['files'];

/**
 * After a crash or a kill: the runs of earlier sessions that never ended, offered for reopening
 * (their run files keep every completed turn). Shown once per start, until dismissed.
 */
export function InterruptedRuns() {
  const client = useStore((s) => s.client);
  const connected = useStore((s) => s.connection === 'open');
  const openFile = useStore((s) => s.openFile);
  const reportError = useStore((s) => s.reportError);
  const [files, setFiles] = useState<Interrupted>([]);
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    if (!client || !connected) return;
    let cancelled = false;
    client.call('run.interrupted', {}).then(
      (result) => !cancelled && setFiles(result.files),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [client, connected]);
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
            <button
              type="button"
              onClick={() => {
                openFile(file.path).then(
                  () => setFiles((all) => all.filter((f) => f.path !== file.path)),
                  (error: unknown) => reportError(`Could not reopen ${file.path}: ${error instanceof Error ? error.message : String(error)}`),
                );
              }}
            >
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
