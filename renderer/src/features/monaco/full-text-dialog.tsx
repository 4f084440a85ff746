import { useEffect, useRef } from 'react';
import { useStore } from '../../store/store.js';
import { MonacoView } from './monaco-view.js';
import './full-text-dialog.css';

function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0];
  return start === '{' || start === '[';
}

/** A long text (a tool result, an argument) shown whole in a read-only editor. */
export function FullTextDialog() {
  const fullText = useStore((s) => s.fullText);
  const close = useStore((s) => s.closeFullText);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (fullText && !dialog.current?.open) dialog.current?.showModal();
  }, [fullText]);
  if (!fullText) return null;
  return (
    <dialog ref={dialog} className="full-text-dialog" aria-labelledby="full-text-title" onClose={close}>
      <header className="dialog-head">
        <h2 id="full-text-title">{fullText.title}</h2>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </header>
      <MonacoView value={fullText.text} language={looksLikeJson(fullText.text) ? 'json' : 'plaintext'} label={fullText.title} className="full-height" />
    </dialog>
  );
}
