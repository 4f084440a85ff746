import { contentText } from '../../ui/content-text.js';
import { FoldedText } from '../../ui/folded-text.js';

/** The model's reasoning for a turn, in its own collapsible block. */
export function ReasoningBlock({ reasoning, title }: { reasoning: unknown; title: string }) {
  return (
    <details className="reasoning" open>
      <summary>Reasoning</summary>
      <FoldedText text={contentText(reasoning)} title={title} className="reasoning-text" />
    </details>
  );
}
