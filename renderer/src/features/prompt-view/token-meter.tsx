import type { PromptView } from '#shared/loop/truncate.js';

const n = (value: number): string => value.toLocaleString('en-US');

const PHASE_TEXT: Record<PromptView['phase'], string> = {
  none: 'Sent whole',
  shortened: 'Long tool results shortened',
  dropped: 'Old messages dropped',
};

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
    </div>
  );
}
