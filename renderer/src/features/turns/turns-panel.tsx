import { useMemo, useRef } from 'react';
import { currentTurnOf, snapshotOf, useSelectedRunLoading, useSelectedRunView } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { FindBox } from './find-box.js';
import { visibleTurnNumbers } from './turn-filter.js';
import { TurnList } from './turn-list.js';
import { useTurnKeys } from './use-turn-keys.js';
import './turns.css';

function ErrorsOnlyToggle() {
  const errorsOnly = useStore((s) => s.errorsOnly);
  const setErrorsOnly = useStore((s) => s.setErrorsOnly);
  return (
    <label className="toggle">
      <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
      Errors only
    </label>
  );
}

/** The left column: find, the "Errors only" filter and the turn list, with keyboard navigation. */
export function TurnsPanel() {
  const view = useSelectedRunView();
  const snapshot = snapshotOf(view);
  const version = view?.version ?? 0;
  const errorsOnly = useStore((s) => s.errorsOnly);
  const findText = useStore((s) => s.findText);
  const selectedTurn = useStore((s) => s.selectedTurn);
  const findBox = useRef<HTMLInputElement>(null);
  // `version` stands for the run's changes: the snapshot itself is updated in place.
  const visible = useMemo(() => (snapshot ? visibleTurnNumbers(snapshot, errorsOnly, findText) : []), [snapshot, version, errorsOnly, findText]);
  const latestTurn = snapshot && snapshot.turns.length > 0 ? snapshot.turns.length : null;
  // The latest turn is followed once the run has loaded, not page by page while it loads.
  const loading = useSelectedRunLoading();
  useTurnKeys(visible, currentTurnOf(snapshot, null, loading), findBox);
  const currentTurn = currentTurnOf(snapshot, selectedTurn, loading);
  const revealTurn = selectedTurn ?? (loading ? null : latestTurn);
  return (
    <section aria-label="Turns" className="panel turns-panel">
      <h2 className="panel-title">Turns</h2>
      <div className="panel-tools">
        <FindBox inputRef={findBox} matches={visible} latestTurn={latestTurn} />
        <ErrorsOnlyToggle />
      </div>
      {snapshot && snapshot.turns.length > 0 ? (
        <TurnList snapshot={snapshot} turns={visible} currentTurn={currentTurn} revealTurn={revealTurn} />
      ) : (
        <p className="empty">{snapshot ? 'No turns yet.' : 'Start a run or the demo to see its turns.'}</p>
      )}
      {snapshot && snapshot.turns.length > 0 && visible.length === 0 && <p className="empty">No turn matches the filters.</p>}
    </section>
  );
}
