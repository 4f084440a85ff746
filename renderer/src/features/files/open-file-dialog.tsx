import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useStore } from '../../store/store.js';
import './file-dialogs.css';
import { messageOf } from '#shared/rpc/errors.js';

function DialogBody() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const recent = useStore((s) => s.recentFiles);
  const desktop = useStore((s) => s.appInfo?.mode === 'desktop');
  const close = useStore((s) => s.showOpenFile);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
    void useStore.getState().refreshRecent();
  }, []);

  async function open(target: string): Promise<void> {
    setError(null);
    setBusy(true);
    try {
      await useStore.getState().openPath(target.trim());
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  async function browse(): Promise<void> {
    try {
      const chosen = await useStore.getState().pickFile('open');
      if (chosen) await open(chosen);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (path.trim() === '') {
      setError('Type the absolute path of a trajectory file');
      return;
    }
    void open(path);
  }

  return (
    <dialog ref={dialog} className="open-file-dialog" aria-labelledby="open-file-title" onClose={() => close(false)}>
      <header className="dialog-head">
        <h2 id="open-file-title">Open trajectory file</h2>
      </header>
      <form className="open-file-form" noValidate onSubmit={onSubmit}>
        <p className="hint">
          {desktop
            ? 'Any trajectory file: AgentResult JSON, chat messages, RL JSONL, hermes-agent, SWE-agent, Inspect and OpenHands logs. You can also drop a file on the window.'
            : 'The file is opened on the machine the server runs on: give its absolute path. You can also drop a file on the page to upload it.'}{' '}
          A folder or glob of .jsonl, .jsonl.gz, .jsonl.zst and .parquet shards opens as one rollout set.
        </p>
        <div className="field">
          <label htmlFor="open-file-path">File path</label>
          <div className="field-row">
            <input id="open-file-path" type="text" value={path} spellCheck={false} placeholder="/data/rollouts.jsonl" onChange={(e) => setPath(e.target.value)} autoFocus />
            {desktop && (
              <button type="button" onClick={() => void browse()}>
                Browse…
              </button>
            )}
          </div>
        </div>
        {error && (
          <p role="alert" className="form-alert">
            {error}
          </p>
        )}
        {recent.length > 0 && (
          <section aria-label="Recent files" className="recent-files">
            <h3>Recent files</h3>
            <ul>
              {recent.map((file) => (
                <li key={file.path}>
                  <button type="button" className="link-button" title={`Opened ${new Date(file.openedAt).toLocaleString()}`} onClick={() => void open(file.path)}>
                    {file.path}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The Open file dialog: a path on the engine's machine, a native picker on the desktop, recent files. */
export function OpenFileDialog() {
  const open = useStore((s) => s.openFileOpen);
  return open ? <DialogBody /> : null;
}
