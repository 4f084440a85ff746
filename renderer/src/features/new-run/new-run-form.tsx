import { useState, type FormEvent } from 'react';
import type { RetryTarget } from '../../store/dialog-slice.js';
import { useStore } from '../../store/store.js';
import { EndpointFields } from './endpoint-fields.js';
import { settingsFromForm, type FieldErrors, type FormField, type NewRunForm as FormValues } from './form-values.js';
import { LoopFields, PromptFields } from './loop-fields.js';
import { ToolFields } from './tool-fields.js';

// Fields in the order the form shows them: the first one wrong gets the focus.
const FIELD_ORDER: FormField[] = ['baseURL', 'model', 'apiKey', 'temperature', 'maxTokens', 'maxTurns', 'maxContextTokens', 'system', 'user', 'schemas', 'toolEndpointURL', 'mcpCommands', 'workspace'];

/** The New run form: checks the settings, then starts (or retries) a run; engine errors stay inline. */
export function NewRunForm({ initial, hasApiKey, retryOf, onCancel }: { initial: FormValues; hasApiKey: boolean; retryOf: RetryTarget | null; onCancel(): void }) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [engineError, setEngineError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keyStorage = useStore((s) => s.appInfo?.keyStorage ?? null);
  const breakpoints = useStore((s) => s.breakpoints);
  const startRun = useStore((s) => s.startRun);
  const retryRun = useStore((s) => s.retryRun);
  const continueRun = useStore((s) => s.continueRun);
  const branchRun = useStore((s) => s.branchRun);

  function update<F extends FormField>(field: F, value: FormValues[F]): void {
    setForm((current) => ({ ...current, [field]: value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = settingsFromForm(form, breakpoints);
    if ('errors' in result) {
      setErrors(result.errors);
      const first = FIELD_ORDER.find((field) => result.errors[field]);
      if (first) document.getElementById(first === 'schemas' ? 'tool-schemas' : first)?.focus();
      return;
    }
    setErrors({});
    setEngineError(null);
    setBusy(true);
    try {
      if (retryOf?.mode === 'branch') await branchRun(retryOf.runId, retryOf.change, { settings: result.settings, reuseToolResults: retryOf.reuseToolResults });
      else if (retryOf?.mode === 'continue') await continueRun(retryOf.runId, retryOf.turn, result.settings);
      else if (retryOf) await retryRun(retryOf.runId, result.settings);
      else await startRun(result.settings, form.startPaused);
      // The store closes the form at the next frame, in one commit with the run it started.
    } catch (error) {
      setEngineError(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  const groupProps = { form, errors, update };
  return (
    <form className="new-run-form" noValidate onSubmit={(e) => void onSubmit(e)}>
      {retryOf?.mode === 'branch' && (
        <p className="hint">
          This trajectory has no model or tools of its own: choose the endpoint and tools the branch runs against from turn {retryOf.turn}. The original is not changed.
        </p>
      )}
      {retryOf?.mode === 'retry' && (
        <p className="hint">
          Retrying turn {retryOf.turn}: the new run continues the failed run's trajectory; the failed run stays in the run list.
        </p>
      )}
      {retryOf?.mode === 'continue' && (
        <p className="hint">
          Continuing live from turn {retryOf.turn}: the new run starts with this trajectory up to the end of turn {retryOf.turn} as its history and calls the model from there. It is a new branch;
          the original is not changed.
        </p>
      )}
      <EndpointFields {...groupProps} keyStorage={keyStorage} hasApiKey={hasApiKey} />
      <LoopFields {...groupProps} />
      <PromptFields {...groupProps} />
      <ToolFields {...groupProps} />
      {!retryOf && (
        <label className="toggle">
          <input type="checkbox" checked={form.startPaused} onChange={(e) => update('startPaused', e.target.checked)} />
          Start paused (step from the first turn)
        </label>
      )}
      {errors.form && <p className="field-error">{errors.form}</p>}
      {engineError && (
        <p role="alert" className="form-alert">
          The engine refused the run: {engineError}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Starting…' : retryOf?.mode === 'continue' ? 'Continue live' : retryOf?.mode === 'branch' ? 'Start branch' : 'Start run'}
        </button>
      </div>
    </form>
  );
}
