import { useStore } from '../../store/store.js';
import { BreakpointToggles } from './breakpoint-toggles.js';
import { ReplayButton } from './replay-button.js';
import { RunControls } from './run-controls.js';
import { RunPicker } from './run-picker.js';
import { LoadProgress, RunStatus } from './run-status.js';
import { StartupNotices } from './startup-notices.js';
import './top-bar.css';

function ActionError() {
  const error = useStore((s) => s.actionError);
  const dismiss = useStore((s) => s.reportError);
  if (!error) return null;
  return (
    <div role="alert" className="action-error">
      {error}
      <button type="button" onClick={() => dismiss(null)} aria-label="Dismiss error">
        ×
      </button>
    </div>
  );
}

/** The top bar: starting runs, the debugger controls, breakpoints, the run picker and the status. */
export function TopBar() {
  const openNewRun = useStore((s) => s.openNewRun);
  const startDemo = useStore((s) => s.startDemo);
  const showOpenFile = useStore((s) => s.showOpenFile);
  const showExport = useStore((s) => s.showExport);
  const hasRun = useStore((s) => s.selectedRunId !== null);
  const connected = useStore((s) => s.connection === 'open');
  return (
    <header className="top-bar">
      <div className="top-row">
        <h1 className="app-title">Trajectory Debugger</h1>
        <div className="button-group">
          <button type="button" onClick={() => openNewRun()} disabled={!connected}>
            New run
          </button>
          <button type="button" onClick={() => void startDemo()} disabled={!connected}>
            Demo
          </button>
          <button type="button" onClick={() => showOpenFile(true)} disabled={!connected}>
            Open file…
          </button>
          <button type="button" onClick={() => showExport(true)} disabled={!connected || !hasRun}>
            Export…
          </button>
        </div>
        <RunPicker />
        <RunStatus />
      </div>
      <div className="top-row">
        <RunControls />
        <ReplayButton />
        <BreakpointToggles />
        <LoadProgress />
      </div>
      <StartupNotices />
      <ActionError />
    </header>
  );
}
