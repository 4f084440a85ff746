import { useEffect, useRef, useState } from 'react';
import type { Monaco } from './load-monaco.js';
import { loadMonaco } from './load-monaco.js';
import './monaco-view.css';

type Editor = ReturnType<Monaco['editor']['create']>;

/**
 * A read-only Monaco editor showing `value`. The editor and its model live in this component
 * (never in the store) and are disposed with it.
 */
export function MonacoView({ value, language, label, className }: { value: string; language: 'json' | 'plaintext'; label: string; className?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const latest = useRef({ value, language });
  latest.current = { value, language };
  const [state, setState] = useState<'loading' | 'ready' | string>('loading');

  useEffect(() => {
    let disposed = false;
    loadMonaco().then(
      (monaco) => {
        if (disposed || !host.current) return;
        const model = monaco.editor.createModel(latest.current.value, latest.current.language);
        editor.current = monaco.editor.create(host.current, {
          model,
          readOnly: true,
          ariaLabel: label,
          automaticLayout: true,
          minimap: { enabled: false },
          wordWrap: 'on',
          scrollBeyondLastLine: false,
          fontSize: 13,
        });
        setState('ready');
      },
      (error: unknown) => !disposed && setState(`The editor could not load: ${error instanceof Error ? error.message : String(error)}`),
    );
    return () => {
      disposed = true;
      const model = editor.current?.getModel();
      editor.current?.dispose();
      model?.dispose();
      editor.current = null;
    };
  }, [label]);

  // A new value replaces the model's text rather than rebuilding the editor.
  useEffect(() => {
    const model = editor.current?.getModel();
    if (model && model.getValue() !== value) model.setValue(value);
  }, [value]);

  return (
    <div className={`monaco-view ${className ?? ''}`}>
      {state !== 'ready' && <p className="muted">{state === 'loading' ? 'Loading editor…' : state}</p>}
      <div ref={host} className="monaco-host" />
    </div>
  );
}
