import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ApiParams } from '#shared/api/contract.js';
import { useShownTrajectory } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import './file-dialogs.css';

type Format = ApiParams<'export.write'>['format'];
type Scope = 'run' | 'trajectory' | 'file';

const FORMATS: Array<{ id: Format; label: string; suffix: string; collection: boolean }> = [
  { id: 'agent-result', label: 'AgentResult JSON (one per line for several)', suffix: '.agent-result.json', collection: true },
  { id: 'openai-jsonl', label: 'OpenAI messages JSONL', suffix: '.openai.jsonl', collection: true },
  { id: 'sharegpt', label: 'ShareGPT JSONL (hermes-agent)', suffix: '.sharegpt.jsonl', collection: true },
  { id: 'html', label: 'HTML report (one trajectory)', suffix: '.html', collection: false },
  { id: 'markdown', label: 'Markdown report (one trajectory)', suffix: '.md', collection: false },
];

/** `/data/rollouts.jsonl` + `#3` + `.md` -> `/data/rollouts-3.md`. */
function defaultPath(sourcePath: string | null, index: number | null, suffix: string): string {
  if (!sourcePath) return '';
  const stem = sourcePath.replace(/(\.traj)?\.(jsonl?|eval|traj)$/i, '');
  return `${stem}${index === null ? '' : `-${index}`}${suffix}`;
}

function DialogBody() {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useStore((s) => s.showExport);
  const runId = useStore((s) => s.selectedRunId);
  const shown = useShownTrajectory();
  const file = useStore((s) => (shown ? s.files[shown.fileId]?.status : undefined));
  const desktop = useStore((s) => s.appInfo?.mode === 'desktop');
  const fromFile = shown !== null && shown.runId === runId && file !== undefined;
  const [format, setFormat] = useState<Format>('agent-result');
  const [scope, setScope] = useState<Scope>(fromFile ? 'trajectory' : 'run');
  const formatInfo = FORMATS.find((f) => f.id === format)!;
  const suggested = useMemo(() => (fromFile ? defaultPath(file.path, scope === 'file' ? null : shown.index, formatInfo.suffix.replace('.agent-result.json', scope === 'file' ? '.agent-result.jsonl' : '.agent-result.json')) : ''), [fromFile, file, shown, scope, formatInfo]);
  const [path, setPath] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  const target = path ?? suggested;
  const collectionBlocked = scope === 'file' && !formatInfo.collection;

  async function browse(): Promise<void> {
    try {
      const chosen = await useStore.getState().pickFile('save', target);
      if (chosen) setPath(chosen);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setError(null);
    setDone(null);
    if (target.trim() === '') return setError('Give the absolute path of the file to write');
    if (!runId && scope === 'run') return setError('Select a run first');
    const source = scope === 'run' || !fromFile ? { runId: runId! } : scope === 'file' ? { fileId: shown.fileId } : { fileId: shown.fileId, index: shown.index };
    setBusy(true);
    try {
      setDone(await useStore.getState().exportTo({ source, format, path: target.trim() }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="export-dialog" aria-labelledby="export-title" onClose={() => close(false)}>
      <header className="dialog-head">
        <h2 id="export-title">Export</h2>
      </header>
      <form className="open-file-form" noValidate onSubmit={(e) => void onSubmit(e)}>
        <fieldset>
          <legend>What</legend>
          {fromFile ? (
            <>
              <label className="toggle">
                <input type="radio" name="scope" checked={scope === 'trajectory'} onChange={() => setScope('trajectory')} />
                This trajectory (#{shown.index} of {file.name})
              </label>
              <label className="toggle">
                <input type="radio" name="scope" checked={scope === 'file'} onChange={() => setScope('file')} />
                Every trajectory in {file.name}
              </label>
              <label className="toggle">
                <input type="radio" name="scope" checked={scope === 'run'} onChange={() => setScope('run')} />
                This run as shown (recomputed metrics)
              </label>
            </>
          ) : (
            <p className="muted">The selected run.</p>
          )}
        </fieldset>
        <div className="field">
          <label htmlFor="export-format">Format</label>
          <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-path">Save to</label>
          <div className="field-row">
            <input id="export-path" type="text" spellCheck={false} value={target} placeholder="/data/export.jsonl" onChange={(e) => setPath(e.target.value)} />
            {desktop && (
              <button type="button" onClick={() => void browse()}>
                Browse…
              </button>
            )}
          </div>
          {!desktop && <p className="hint">Written on the machine the server runs on.</p>}
        </div>
        {collectionBlocked && <p className="field-error">An {format === 'html' ? 'HTML' : 'Markdown'} report holds one trajectory: export this trajectory, or pick a JSONL format.</p>}
        {error && (
          <p role="alert" className="form-alert">
            {error}
          </p>
        )}
        {done && (
          <p role="status" className="hint">
            {done}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy || collectionBlocked}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** The Export dialog: the selected run, or the opened trajectory or its whole file, in any export format. */
export function ExportDialog() {
  const open = useStore((s) => s.exportOpen);
  return open ? <DialogBody /> : null;
}
