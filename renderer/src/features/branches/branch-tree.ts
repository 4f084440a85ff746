import type { RunSummary } from '#shared/api/contract.js';
import { failedCallsText } from '#shared/loop/error-counts.js';
import type { RunSnapshot } from '#shared/run/run-state.js';

/** A run of a family (a run and every branch made from it), with its depth in the tree. */
export interface BranchNode {
  run: RunSummary;
  depth: number;
}

/**
 * The family tree of `runId`: its root (following parent links among `runs`) and every run that
 * descends from it, depth first, children in the order they were started.
 */
export function branchFamily(runs: readonly RunSummary[], runId: string | null): BranchNode[] {
  if (!runId) return [];
  const byId = new Map(runs.map((r) => [r.runId, r]));
  let root = byId.get(runId);
  const seen = new Set<string>();
  while (root?.parentRunId && byId.has(root.parentRunId) && !seen.has(root.runId)) {
    seen.add(root.runId);
    root = byId.get(root.parentRunId);
  }
  if (!root) return [];
  const children = new Map<string, RunSummary[]>();
  for (const run of runs) {
    if (!run.parentRunId) continue;
    const list = children.get(run.parentRunId) ?? [];
    list.push(run);
    children.set(run.parentRunId, list);
  }
  const out: BranchNode[] = [];
  const visit = (run: RunSummary, depth: number): void => {
    if (out.some((n) => n.run.runId === run.runId)) return;
    out.push({ run, depth });
    for (const child of [...(children.get(run.runId) ?? [])].sort((a, b) => a.startedAt - b.startedAt)) visit(child, depth + 1);
  };
  visit(root, 0);
  return out;
}

/** How a run ended, in words, for the tree. */
export function outcomeText(run: RunSummary): string {
  if (run.state === 'running') return 'running';
  if (run.state === 'paused') return 'paused';
  const o = run.outcome;
  if (!o) return 'ended';
  const turns = `${o.turnsUsed} ${o.turnsUsed === 1 ? 'turn' : 'turns'}`;
  const errors = failedCallsText(o.toolErrors);
  const end = o.finishedNaturally ? 'finished naturally' : o.endReason === 'recording_ended' ? 'end of recording' : (o.endReason?.replace(/_/g, ' ') ?? 'ended');
  return `${end}, ${turns}, ${errors}`;
}

function sameTurn(a: RunSnapshot, b: RunSnapshot, i: number): boolean {
  const x = a.turns[i]!;
  const y = b.turns[i]!;
  if (!x.finished || !y.finished) return false;
  const slice = (s: RunSnapshot, t: typeof x) => JSON.stringify(s.messages.slice(t.messageRange[0], t.messageRange[1]));
  return slice(a, x) === slice(b, y);
}

/** How many leading turns two runs share exactly (same reply, same tool calls and results). */
export function sharedTurns(a: RunSnapshot, b: RunSnapshot): number {
  const initialA = JSON.stringify(a.messages.slice(0, a.turns[0]?.messageRange[0] ?? a.messages.length));
  const initialB = JSON.stringify(b.messages.slice(0, b.turns[0]?.messageRange[0] ?? b.messages.length));
  if (initialA !== initialB) return 0;
  let n = 0;
  while (n < a.turns.length && n < b.turns.length && sameTurn(a, b, n)) n++;
  return n;
}
