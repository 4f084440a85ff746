import { useEffect, useRef, useState } from 'react';
import { loadMonacoModule, type Monaco } from './load-monaco.js';
import './monaco-view.css';

type Editor = ReturnType<Monaco['editor']['create']>;

/** A problem Monaco found in the text (JSON syntax or the schema), as the editor underlines it. */
export interface EditorProblem {
  message: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
}

let nextModel = 1;

/**
 * An editable Monaco editor. JSON is validated (and completed) against `schema` when given; the
 * problems Monaco underlines are reported through `onProblems`. The editor and its model live in
 * this component and are disposed with it; the text goes out through `onChange`.
 */
export function MonacoEditor({
  initial,
  language,
  label,
  schema,
  onChange,
  onProblems,
  className,
}: {
  initial: string;
  language: 'json' | 'plaintext';
  label: string;
  schema?: unknown;
  onChange(text: string): void;
  onProblems?(problems: EditorProblem[]): void;
  className?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef({ initial, language, schema, onChange, onProblems, label });
  latest.current = { initial, language, schema, onChange, onProblems, label };
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');

  useEffect(() => {
    let disposed = false;
    let editor: Editor | null = null;
    const cleanups: Array<() => void> = [];
    loadMonacoModule().then(
      ({ monaco, validateJsonModel }) => {
        if (disposed || !host.current) return;
        const { initial: text, language: lang, schema: jsonSchema } = latest.current;
        const uri = monaco.Uri.parse(`inmemory://trajdbg/edit-${nextModel++}.${lang === 'json' ? 'json' : 'txt'}`);
        const model = monaco.editor.createModel(text, lang, uri);
        if (lang === 'json' && jsonSchema !== undefined) cleanups.push(validateJsonModel(uri.toString(), jsonSchema));
        editor = monaco.editor.create(host.current, {
          model,
          ariaLabel: latest.current.label,
          automaticLayout: true,
          minimap: { enabled: false },
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          fontSize: 13,
          fixedOverflowWidgets: true,
          // Raw text as the model would send it: nothing typed is completed behind the user's back.
          autoClosingBrackets: 'never',
          autoClosingQuotes: 'never',
          autoSurround: 'never',
        });
        const changes = model.onDidChangeContent(() => latest.current.onChange(model.getValue()));
        const markers = monaco.editor.onDidChangeMarkers((uris) => {
          if (!uris.some((u) => u.toString() === uri.toString())) return;
          const found = monaco.editor.getModelMarkers({ resource: uri }).map(
            (m): EditorProblem => ({ message: m.message, line: m.startLineNumber, column: m.startColumn, severity: m.severity >= monaco.MarkerSeverity.Error ? 'error' : 'warning' }),
          );
          latest.current.onProblems?.(found);
        });
        cleanups.push(() => changes.dispose(), () => markers.dispose(), () => model.dispose());
        setState('ready');
      },
      (error: unknown) => !disposed && setState(`The editor could not load: ${error instanceof Error ? error.message : String(error)}`),
    );
    return () => {
      disposed = true;
      editor?.dispose();
      for (const cleanup of cleanups.reverse()) cleanup();
    };
  }, []);

  return (
    <div className={`monaco-view ${className ?? ''}`}>
      {state !== 'ready' && <p className="muted">{state === 'loading' ? 'Loading editor…' : state}</p>}
      <div ref={host} className="monaco-host" />
    </div>
  );
}
