import { useVirtualizer } from '@tanstack/react-virtual';
import { failedCallsText } from '#shared/loop/error-counts.js';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import type { TrajectorySummary } from '#shared/formats/summary.js';
import { advantageOf, formatScore, type RolloutGroup } from './rollout-groups.js';
import './group-view.css';

/** Every group has this height (a header line and one line of rollout cards, scrolled sideways). */
export const GROUP_HEIGHT = 104;

function rolloutLabel(row: TrajectorySummary, group: RolloutGroup, advantage: number | null): string {
  const parts = [`reward ${formatScore(row.reward)}`];
  if (advantage !== null) parts.push(`advantage ${formatScore(advantage, true)}`);
  parts.push(`${row.turns} ${row.turns === 1 ? 'turn' : 'turns'}`);
  if (row.toolErrors > 0) parts.push(failedCallsText(row.toolErrors));
  if (!row.finishedNaturally) parts.push('unfinished');
  return `${row.id} (${group.id}): ${parts.join(', ')}`;
}

/** A reward as a hue from red (the group's worst) to green (its best). */
function toneOf(row: TrajectorySummary, group: RolloutGroup): string | undefined {
  if (row.reward === null || group.min === null || group.max === null) return undefined;
  if (group.max === group.min) return 'is-flat';
  return row.reward === group.max ? 'is-best' : row.reward === group.min ? 'is-worst' : undefined;
}

const GroupRow = memo(function GroupRow({ group, top, selectedIndex }: { group: RolloutGroup; top: number; selectedIndex: number | null }) {
  const flat = group.spread === 0 && group.rows.length > 1;
  const summary = `${group.rows.length} ${group.rows.length === 1 ? 'rollout' : 'rollouts'}, mean reward ${formatScore(group.mean)}, spread ${formatScore(group.spread)}, ${group.finished} finished`;
  return (
    <section role="group" aria-label={`Group ${group.id}: ${summary}`} className="rollout-group" style={{ height: GROUP_HEIGHT, transform: `translateY(${top}px)` }}>
      <header className="rollout-group-head">
        <span className="rollout-group-id">{group.id}</span>
        <span className="muted">{summary}</span>
        {flat && (
          <span className="badge is-warn" title="Every rollout has the same reward: group-relative advantages are all 0, so this group teaches nothing">
            no signal
          </span>
        )}
        <span className="muted rollout-group-preview">{group.rows[0]?.preview}</span>
      </header>
      <ul className="rollout-cards">
        {group.rows.map((row) => {
          const advantage = advantageOf(row, group);
          const tone = toneOf(row, group);
          return (
            <li key={row.index}>
              <button type="button" className={`rollout-card${tone ? ` ${tone}` : ''}`} data-trajectory={row.index} aria-current={row.index === selectedIndex ? 'true' : undefined} aria-label={rolloutLabel(row, group, advantage)}>
                <span className="rollout-card-reward">{formatScore(row.reward)}</span>
                <span className="muted">{advantage === null ? '' : `adv ${formatScore(advantage, true)}`}</span>
                <span className="muted">
                  {row.turns}t{row.toolErrors > 0 ? <span className="is-bad"> · {row.toolErrors} err</span> : null}
                  {row.finishedNaturally ? null : <span className="is-warn"> · cut</span>}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
});

/**
 * Rollouts of one prompt side by side with their rewards, one group per line (GRPO-style groups):
 * each card gives the reward, the group-relative advantage, the turns and the failed calls, and
 * opens its rollout. Virtualized like the table, so thousands of groups scroll smoothly.
 */
export function GroupView({ label, groups, selectedIndex, onOpen }: { label: string; groups: readonly RolloutGroup[]; selectedIndex: number | null; onOpen(index: number): void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const groupKey = useCallback((position: number) => groups[position]!.id, [groups]);
  const virtualizer = useVirtualizer({
    useFlushSync: false,
    count: groups.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => GROUP_HEIGHT,
    overscan: 4,
    getItemKey: groupKey,
  });
  const groupOf = useMemo(() => new Map(groups.flatMap((g, position) => g.rows.map((row) => [row.index, position] as const))), [groups]);

  // Bring the open rollout's group into view when it changes (H/L, a click in the table).
  const selectedGroup = selectedIndex === null ? undefined : groupOf.get(selectedIndex);
  useEffect(() => {
    if (selectedGroup !== undefined) virtualizer.scrollToIndex(selectedGroup, { align: 'auto' });
  }, [selectedGroup, virtualizer]);

  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label={label}
      className="scroller rollout-groups"
      data-virtual-scroller=""
      onClick={(event) => {
        const card = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-trajectory]') : null;
        if (card) onOpen(Number(card.dataset.trajectory));
      }}
    >
      <div className="virtual-body" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => (
          <GroupRow key={item.key} group={groups[item.index]!} top={item.start} selectedIndex={selectedIndex} />
        ))}
      </div>
    </div>
  );
}
