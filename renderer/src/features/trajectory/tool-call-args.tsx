import { useMemo } from 'react';
import { indentJson, prettyJson, sameJson } from '../../ui/pretty-json.js';
import { FoldedText } from '../../ui/folded-text.js';

/** A tool call's arguments as the model sent them, and as the loop normalized them where that differs. */
export function ToolCallArgs({ raw, normalized, title }: { raw: string; normalized: string | null; title: string }) {
  const shown = useMemo(() => {
    const differs = normalized !== null && !sameJson(raw, normalized);
    // The normalized text is Python's json.dumps output (it may hold NaN): indent it as it is.
    return { raw: prettyJson(raw), normalized: differs ? indentJson(normalized) : null };
  }, [raw, normalized]);
  return (
    <div className="tool-args">
      <h5 className="field-label">Arguments</h5>
      <FoldedText text={shown.raw || '(empty)'} title={`${title}: arguments`} className="code" />
      {shown.normalized !== null && (
        <>
          <h5 className="field-label">Normalized arguments</h5>
          <FoldedText text={shown.normalized} title={`${title}: normalized arguments`} className="code" />
        </>
      )}
    </div>
  );
}
