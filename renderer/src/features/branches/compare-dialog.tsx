import { useEffect, useMemo, useRef } from 'react';
import { useStore } from '../../store/store.js';
import { ComparePanel } from '../compare/compare-panel.js';
import { sharedTurns } from './branch-tree.js';
import './compare-dialog.css';

/** Two runs side by side in a full-window dialog, starting at the first turn where they differ. */
export function CompareDialog() {
  const comparing = useStore((s) => s.comparing);
  const left = useStore((s) => (s.comparing ? s.runs[s.comparing.left] : undefined));
  const right = useStore((s) => (s.comparing ? s.runs[s.comparing.right] : undefined));
  const runList = useStore((s) => s.runList);
  const close = useStore((s) => s.closeCompare);
  const dialog = useRef<HTMLDialogElement>(null);
  const leftSnapshot = left?.feed.snapshot ?? null;
  const rightSnapshot = right?.feed.snapshot ?? null;
  // The turns both share are folded away; the view opens on the first turn that differs.
  const forkTurn = useMemo(() => (leftSnapshot && rightSnapshot ? sharedTurns(leftSnapshot, rightSnapshot) + 1 : 1), [leftSnapshot, rightSnapshot, left?.version, right?.version]);
  useEffect(() => {
    if (comparing && !dialog.current?.open) dialog.current?.showModal();
  }, [comparing]);
  if (!comparing || !leftSnapshot || !rightSnapshot) return null;
  const label = (runId: string) => {
    const run = runList.find((r) => r.runId === runId);
    return run?.change ?? run?.title ?? runId;
  };
  return (
    <dialog ref={dialog} className="compare-dialog" aria-label="Compare branches" onClose={close}>
      <ComparePanel left={leftSnapshot} right={rightSnapshot} leftLabel={label(comparing.left)} rightLabel={label(comparing.right)} forkTurn={forkTurn} onClose={() => dialog.current?.close()} />
    </dialog>
  );
}
