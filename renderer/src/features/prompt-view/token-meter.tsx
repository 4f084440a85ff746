import type { PromptView } from '#shared/loop/truncate.js';

const n = (value: number): string => value.toLocaleString('en-US');

const PHASE_TEXT: Record<PromptView['phase'], string> = {
  none: 'Sent whole',
  shortened: 'Long tool results shortened',
  dropped: 'Old messages dropped',
};

/**
 * What an estimate leaves out: messages whose content the reference's estimate cannot measure
 * (with a budget, its truncation would raise on them), counted as 0.
 */
export function unestimatedText(count: number): string {
  return `${n(count)} ${count === 1 ? 'message' : 'messages'} could not be estimated (content that is not text, counted as 0 tokens)`;
}

/** The prompt's estimated tokens against the context budget, as a meter bar. */
export function TokenMeter({ view }: { view: PromptView }) {
  const { estimatedTokens: used, budget } = view;
  const over = budget !== null && used > budget;
  const text = budget === null ? `${n(used)} est. tokens (no budget)` : `${n(used)} / ${n(budget)} est. tokens`;
  return (
    <div className={`token-meter${over ? ' is-over' : ''}`}>
      {budget !== null && (
        <div role="meter" aria-label="Estimated prompt tokens" aria-valuemin={0} aria-valuemax={budget} aria-valuenow={used} aria-valuetext={text} className="meter">
          <div className="meter-fill" style={{ width: `${Math.min(100, (used / budget) * 100)}%` }} />
        </div>
      )}
      <p className="meter-text">
        {text}
        {over && <strong className="over-text"> over budget</strong>}
      </p>
      <p className="muted">
        {PHASE_TEXT[view.phase]}; the full trajectory is {n(view.fullTokens)} est. tokens.
      </p>
      {view.unestimated !== undefined && <p className="meter-warning">{unestimatedText(view.unestimated)}</p>}
    </div>
  );
}
