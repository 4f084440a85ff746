import { useId, type ReactNode } from 'react';
import type { ChatMessage } from '#shared/model/chat.js';
import type { TurnRecord } from '#shared/run/run-state.js';
import { messageText, sameTurn, turnFacts, type CallFacts, type PromptFacts } from './compare-model.js';
import { RowHead, TextRow, Value, type RowPlace } from './diff-cells.js';

const n = (value: number): string => value.toLocaleString('en-US');

const PHASE_TEXT: Record<PromptFacts['phase'], string> = {
  none: 'sent whole',
  shortened: 'results shortened',
  dropped: 'messages dropped',
};

/** The column headers every compare table carries for screen readers (the panel shows them once, visibly). */
function ColumnHeads({ leftLabel, rightLabel }: { leftLabel: string; rightLabel: string }) {
  return (
    <>
      <colgroup>
        <col className="compare-part-col" />
        <col />
        <col />
      </colgroup>
      <thead className="visually-hidden">
        <tr>
          <th scope="col">Part</th>
          <th scope="col">{leftLabel}</th>
          <th scope="col">{rightLabel}</th>
        </tr>
      </thead>
    </>
  );
}

function PromptCell({ facts, other }: { facts: PromptFacts | null | undefined; other: PromptFacts | null | undefined }) {
  if (facts === undefined) return <td className="compare-cell is-empty" />;
  if (facts === null) return <td className="compare-cell muted">(no prompt)</td>;
  // Only differences against a prompt the other side has are highlighted.
  const differs = (pick: (f: PromptFacts) => unknown): boolean => !!other && pick(facts) !== pick(other);
  return (
    <td className="compare-cell prompt-facts">
      <Value changed={differs((f) => f.tokens) || differs((f) => f.budget)}>
        {n(facts.tokens)}
        {facts.budget !== null ? ` / ${n(facts.budget)}` : ''} est. tokens
      </Value>
      {' · '}
      <Value changed={differs((f) => f.phase)}>{PHASE_TEXT[facts.phase]}</Value>
      {' · '}
      <Value changed={differs((f) => f.dropped)}>{n(facts.dropped)} dropped</Value>
      {' · '}
      <Value changed={differs((f) => f.shortened)}>{n(facts.shortened)} shortened</Value>
    </td>
  );
}

function PromptRow({ left, right, alone }: { left: PromptFacts | null | undefined; right: PromptFacts | null | undefined; alone: boolean }) {
  const same = (a: PromptFacts | null | undefined, b: PromptFacts | null | undefined): boolean =>
    a === b || (!!a && !!b && a.tokens === b.tokens && a.budget === b.budget && a.phase === b.phase && a.dropped === b.dropped && a.shortened === b.shortened);
  const changed = !alone && !same(left, right);
  return (
    <tr className={changed ? 'is-changed' : undefined}>
      <RowHead label="Prompt" changed={changed} />
      <PromptCell facts={left} other={right} />
      <PromptCell facts={right} other={left} />
    </tr>
  );
}

function CallHeadCell({ call, other }: { call: CallFacts | undefined; other: CallFacts | undefined }) {
  if (!call) return <td className="compare-cell is-empty" />;
  return (
    <td className="compare-cell">
      <code className="tool-name">
        <Value changed={!!other && other.name !== call.name}>{call.name}</Value>
      </code>{' '}
      <span className={`badge tone-${call.error !== null ? 'bad' : call.status === 'running' ? 'info' : 'ok'}`}>
        <Value changed={!!other && other.status !== call.status}>{call.status}</Value>
      </span>
    </td>
  );
}

/** A tool call of the turn on both sides (matched by position): name and status, arguments, result, error. */
function CallRows({ index, left, right, place, alone }: { index: number; left: CallFacts | undefined; right: CallFacts | undefined; place: RowPlace; alone: boolean }) {
  const prefix = `Call ${index + 1}`;
  const headChanged = !alone && (!left || !right || left.name !== right.name || left.status !== right.status);
  const text = (pick: (c: CallFacts) => string | null): { left: string | null; right: string | null } => ({ left: left ? pick(left) : null, right: right ? pick(right) : null });
  const errors = text((c) => c.error);
  return (
    <>
      <tr className={`call-head${headChanged ? ' is-changed' : ''}`}>
        <RowHead label={prefix} changed={headChanged} />
        <CallHeadCell call={left} other={right} />
        <CallHeadCell call={right} other={left} />
      </tr>
      <TextRow label="arguments" prefix={prefix} {...text((c) => c.arguments)} json className="code" place={place} alone={alone} />
      <TextRow label="result" prefix={prefix} {...text((c) => c.result ?? '(running…)')} className="code" place={place} alone={alone} />
      {(errors.left !== null || errors.right !== null) && <TextRow label="error" prefix={prefix} {...errors} className="message-text" place={place} alone={alone} />}
    </>
  );
}

function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge tone-${tone}`}>{children}</span>;
}

/**
 * One turn of both runs as an article headed "Turn N": a table with the prompt view's numbers,
 * the reply (or failure), the reasoning and each tool call, the two runs side by side with what
 * differs marked. A turn one run does not have stands against empty cells.
 */
export function TurnComparison({ turn, left, right, leftLabel, rightLabel, position, total }: { turn: number; left: TurnRecord | undefined; right: TurnRecord | undefined; leftLabel: string; rightLabel: string; position: number; total: number }) {
  const headingId = useId();
  const a = left ? turnFacts(left) : undefined;
  const b = right ? turnFacts(right) : undefined;
  const alone = !a || !b;
  const state = !a ? `only in ${rightLabel}` : !b ? `only in ${leftLabel}` : sameTurn(a, b) ? 'same' : 'changed';
  const place: RowPlace = { leftLabel, rightLabel, where: `turn ${turn}` };
  const replyOf = (f: typeof a): string | null => (f ? (f.failure ?? f.reply ?? '(no reply yet)') : null);
  const calls = Math.max(a?.calls.length ?? 0, b?.calls.length ?? 0);
  return (
    <article className={`compare-turn is-${state === 'same' ? 'same' : state === 'changed' ? 'changed' : 'alone'}`} aria-labelledby={headingId} aria-posinset={position} aria-setsize={total} tabIndex={0}>
      <header className="compare-turn-head">
        <h3 id={headingId}>Turn {turn}</h3>
        <Badge tone={state === 'same' ? 'ok' : state === 'changed' ? 'warn' : 'info'}>{state}</Badge>
      </header>
      <table className="compare-table">
        <ColumnHeads leftLabel={leftLabel} rightLabel={rightLabel} />
        <tbody>
          <PromptRow left={a ? a.prompt : undefined} right={b ? b.prompt : undefined} alone={alone} />
          <TextRow label="Reply" left={replyOf(a)} right={replyOf(b)} className="message-text" place={place} alone={alone} />
          {(a?.reasoning || b?.reasoning) && <TextRow label="Reasoning" left={a ? (a.reasoning ?? '') : null} right={b ? (b.reasoning ?? '') : null} className="message-text" place={place} alone={alone} />}
          {Array.from({ length: calls }, (_, i) => (
            <CallRows key={i} index={i} left={a?.calls[i]} right={b?.calls[i]} place={place} alone={alone} />
          ))}
        </tbody>
      </table>
    </article>
  );
}

/** The messages each run starts from, when they differ (a branch that edited the prompt). */
export function InitialComparison({ left, right, leftLabel, rightLabel, position, total }: { left: readonly ChatMessage[]; right: readonly ChatMessage[]; leftLabel: string; rightLabel: string; position: number; total: number }) {
  const headingId = useId();
  const place: RowPlace = { leftLabel, rightLabel, where: 'initial messages' };
  const count = Math.max(left.length, right.length);
  return (
    <article className="compare-turn is-changed" aria-labelledby={headingId} aria-posinset={position} aria-setsize={total} tabIndex={0}>
      <header className="compare-turn-head">
        <h3 id={headingId}>Initial messages</h3>
        <Badge tone="warn">changed</Badge>
      </header>
      <table className="compare-table">
        <ColumnHeads leftLabel={leftLabel} rightLabel={rightLabel} />
        <tbody>
          {Array.from({ length: count }, (_, i) => {
            const a = left[i];
            const b = right[i];
            return <TextRow key={i} label={`${i + 1} (${a?.role ?? b?.role ?? ''})`} prefix="Message" left={a ? messageText(a) : null} right={b ? messageText(b) : null} className="message-text" place={place} />;
          })}
        </tbody>
      </table>
    </article>
  );
}
