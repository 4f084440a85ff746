import { MetricsPanel } from './features/metrics/metrics-panel.js';
import { FullTextDialog } from './features/monaco/full-text-dialog.js';
import { NewRunDialog } from './features/new-run/new-run-dialog.js';
import { PromptViewPanel } from './features/prompt-view/prompt-view-panel.js';
import { TopBar } from './features/top-bar/top-bar.js';
import { TrajectoryPanel } from './features/trajectory/trajectory-panel.js';
import { TurnsPanel } from './features/turns/turns-panel.js';

/** The whole window: top bar, turns | trajectory | prompt view, metrics below. */
export function App() {
  return (
    <div className="app">
      <TopBar />
      <main className="workspace">
        <TurnsPanel />
        <TrajectoryPanel />
        <PromptViewPanel />
      </main>
      <MetricsPanel />
      <NewRunDialog />
      <FullTextDialog />
    </div>
  );
}
