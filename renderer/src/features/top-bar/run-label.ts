import type { RunSummary } from '#shared/api/contract.js';

/**
 * What the Run selector calls a run: its title, start time and state, and for a run that comes
 * from another what it is (a branch and its change, a retry, a continuation), not one word for all.
 */
export function runLabel(r: RunSummary, time: (at: number) => string): string {
  const parts = [r.title, time(r.startedAt), r.state];
  if (r.parentRunId !== null) {
    if (r.change) parts.push(`branch: ${r.change}`);
    else if (r.title.startsWith('retry of ')) parts.push('retry');
    else parts.push(r.forkTurn !== null ? `continued from turn ${r.forkTurn}` : 'continued');
  }
  return parts.join(' · ');
}
