import type { RunSnapshot, TurnRecord } from '#shared/run/run-state.js';
import { turnBadges, turnSummary, type TurnBadge } from './turn-badges.js';
import { MarkedText } from '../../ui/marked-text.js';
import { unestimatedText } from '../prompt-view/token-meter.js';

const BADGE_TONE: Record<TurnBadge, string> = {
  failed: 'bad',
  'pending tool calls': 'info',
  'edited at breakpoint': 'warn',
  'skipped at breakpoint': 'warn',
  'tool error': 'bad',
  'unknown tool': 'bad',
  'coerced arguments': 'warn',
  'has reasoning': 'info',
  'call edited': 'warn',
  'truncated prompt': 'info',
  'over budget': 'warn',
};

/** One turn in the turn list: its number, tool names, badges and estimated prompt tokens. */
export function TurnRow({ turn, selected, onSelect, runEnd = null }: { turn: TurnRecord; selected: boolean; onSelect(turn: number): void; runEnd?: NonNullable<RunSnapshot['end']>['reason'] | null }) {
  const tokens = turn.promptView?.estimatedTokens;
  const unestimated = turn.promptView?.unestimated;
  return (
    <button type="button" className="turn-row" aria-current={selected ? 'true' : undefined} onClick={() => onSelect(turn.turn)}>
      {/* The spaces keep the row's text readable as one line ("Turn 3 812 est. tokens read_file …"). */}
      <span className="turn-row-head">
        <span className="turn-number">Turn {turn.turn}</span>{' '}
        {tokens !== undefined && (
          <span className="turn-tokens" title={unestimated !== undefined ? unestimatedText(unestimated) : undefined}>
            {tokens.toLocaleString('en-US')}
            {unestimated !== undefined ? '+' : ''} est. tokens
          </span>
        )}
      </span>{' '}
      <span className="turn-tools">
        <MarkedText text={turnSummary(turn, runEnd)} />
      </span>{' '}
      <span className="badges">
        {turnBadges(turn, runEnd !== null).map((badge) => (
          <span key={badge} className={`badge tone-${BADGE_TONE[badge]}`}>
            {badge}{' '}
          </span>
        ))}
      </span>
    </button>
  );
}
