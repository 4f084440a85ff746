import { useEffect, useMemo, useRef } from 'react';
import { useStore } from '../../store/store.js';
import type { RetryTarget } from '../../store/dialog-slice.js';
import { formForRetry, formFromSettings, type NewRunForm as FormValues } from './form-values.js';
import { NewRunForm } from './new-run-form.js';
import './new-run.css';

/** The form's first values: the last settings (never the key, only whether one is stored), and for a retry what the failed run recorded. */
function useInitialForm(retryOf: RetryTarget | null): { initial: FormValues; hasApiKey: boolean; note: string | null } | null {
  const lastSettings = useStore((s) => s.lastSettings);
  const loadLastSettings = useStore((s) => s.loadLastSettings);
  useEffect(() => {
    void loadLastSettings();
  }, [loadLastSettings]);
  return useMemo(() => {
    if (!lastSettings) return null;
    const failedRun = retryOf ? useStore.getState().runs[retryOf.runId]?.feed.snapshot : null;
    const form = formFromSettings(lastSettings.loaded ? lastSettings.settings : null);
    const initial = failedRun ? formForRetry(form, failedRun) : form;
    return lastSettings.loaded ? { initial, hasApiKey: lastSettings.hasApiKey, note: null } : { initial, hasApiKey: false, note: lastSettings.note };
  }, [lastSettings, retryOf]);
}

function DialogBody() {
  const retryOf = useStore((s) => s.retryOf);
  const dialog = useRef<HTMLDialogElement>(null);
  const loaded = useInitialForm(retryOf);
  const close = useStore((s) => s.closeNewRun);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="new-run-dialog" aria-labelledby="new-run-title" onClose={close}>
      <header className="dialog-head">
        <h2 id="new-run-title">{retryOf?.mode === 'continue' ? 'Continue live' : retryOf?.mode === 'branch' ? 'Branch settings' : 'New run'}</h2>
      </header>
      {loaded === null ? (
        <p className="muted">Loading the last settings…</p>
      ) : (
        <>
          {loaded.note && <p className="field-error">{loaded.note}</p>}
          <NewRunForm initial={loaded.initial} hasApiKey={loaded.hasApiKey} retryOf={retryOf} onCancel={() => dialog.current?.close()} />
        </>
      )}
    </dialog>
  );
}

/** The New run dialog (also opened by "Retry turn"), prefilled from the last settings. */
export function NewRunDialog() {
  const open = useStore((s) => s.newRunOpen);
  return open ? <DialogBody /> : null;
}
