import { useState } from 'react';
import type { ToolSchema } from '#shared/model/chat.js';
import { parseToolSchemas } from './tool-schemas.js';

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

/** "Tool schemas (JSON)": a file read in the page and checked before the run starts. */
export function ToolSchemasInput({ schemas, onChange, fieldError }: { schemas: ToolSchema[]; onChange(schemas: ToolSchema[]): void; fieldError?: string }) {
  const [error, setError] = useState<string | null>(null);
  const shownError = error ?? fieldError ?? null;
  async function onFile(file: File | undefined): Promise<void> {
    if (!file) return;
    let text: string;
    try {
      text = await readText(file);
    } catch (readError) {
      setError(`${file.name} could not be read: ${(readError as Error).message}`);
      return;
    }
    const result = parseToolSchemas(text, file.name);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setError(null);
    onChange(result.schemas);
  }
  return (
    <div className="field">
      <label htmlFor="tool-schemas">Tool schemas (JSON)</label>
      <input
        id="tool-schemas"
        type="file"
        accept=".json,application/json"
        aria-invalid={shownError ? true : undefined}
        aria-describedby={shownError ? 'tool-schemas-status tool-schemas-error' : 'tool-schemas-status'}
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      <p id="tool-schemas-status" className="hint">
        {schemas.length > 0 ? `${schemas.length} tool schemas: ${schemas.map((s) => s.function.name).join(', ')}` : 'No tool schemas (built-in and MCP tools bring their own).'}
        {schemas.length > 0 && (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear
          </button>
        )}
      </p>
      {shownError && (
        <p id="tool-schemas-error" className="field-error" role="alert">
          {shownError}
        </p>
      )}
    </div>
  );
}
