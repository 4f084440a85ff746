import { useMemo, useState } from 'react';
import { FoldedText } from '../../ui/folded-text.js';
import { readableJson } from '../../ui/readable-json.js';
import './tool-result.css';

/** Results longer than this (characters) are shown raw: decoding them on every mount would stall scrolling. */
const DECODE_AT_MOST = 1_000_000;

/**
 * A tool's result: JSON decoded into readable lines (real line breaks, no escapes), with the raw
 * text one toggle away; any other text as it is.
 */
export function ToolResult({ text, title, label }: { text: string; title: string; label?: string }) {
  const readable = useMemo(() => (text.length <= DECODE_AT_MOST ? readableJson(text) : null), [text]);
  const [raw, setRaw] = useState(false);
  const decoded = readable !== null && readable !== text;
  return (
    <div className="tool-result">
      {(label !== undefined || decoded) && (
        <div className="tool-result-head">
          {label !== undefined && <h5 className="field-label">{label}</h5>}
          {decoded && !raw && <span className="muted">decoded JSON</span>}
          {decoded && (
            <button type="button" className="small-button" aria-pressed={raw} onClick={() => setRaw(!raw)}>
              Raw JSON
            </button>
          )}
        </div>
      )}
      <FoldedText text={decoded && !raw ? readable : text} title={decoded && raw ? `${title} (raw)` : title} className="code" />
    </div>
  );
}
