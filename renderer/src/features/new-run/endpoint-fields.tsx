import { useStore } from '../../store/store.js';
import { TextField, type FieldGroupProps } from './form-fields.js';

/** The model endpoint: base URL, model, API key and streaming. */
export function EndpointFields(props: FieldGroupProps & { keyStorage: 'os-keychain' | 'memory' | null; hasApiKey: boolean }) {
  const { form, update, keyStorage, hasApiKey } = props;
  const placeholder = keyStorage === 'os-keychain' ? 'stored in the OS keychain' : 'kept in memory for this session';
  const retryPolicy = useStore((s) => s.appInfo?.retryPolicy ?? '');
  return (
    <fieldset>
      <legend>Model endpoint</legend>
      <TextField {...props} field="baseURL" label="Base URL" type="url" props={{ required: true, placeholder: 'http://127.0.0.1:8000/v1' }} />
      <TextField {...props} field="model" label="Model" props={{ required: true, placeholder: 'Qwen/Qwen3-8B' }} />
      <TextField
        {...props}
        field="apiKey"
        label="API key"
        type="password"
        props={{ placeholder, autoComplete: 'off' }}
        hint={hasApiKey ? 'A key is stored: leave empty to reuse it.' : 'Leave empty if the server needs no key.'}
      />
      <label className="toggle">
        <input type="checkbox" checked={form.stream} onChange={(e) => update('stream', e.target.checked)} />
        Stream replies
      </label>
      {retryPolicy && (
        <details className="hint">
          <summary>When a model call fails</summary>
          <p>{retryPolicy}</p>
        </details>
      )}
    </fieldset>
  );
}
