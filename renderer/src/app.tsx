import { BranchesPanel } from './features/branches/branches-panel.js';
import { CompareDialog } from './features/branches/compare-dialog.js';
import { EditDialog } from './features/branches/edit-dialog.js';
import { CollectionPanel } from './features/files/collection-panel.js';
import { DropZone } from './features/files/drop-zone.js';
import { ExportDialog } from './features/files/export-dialog.js';
import { InterruptedRuns } from './features/files/interrupted-runs.js';
import { LoadProgress } from './features/files/load-progress.js';
import { OpenFileDialog } from './features/files/open-file-dialog.js';
import { MetricsPanel } from './features/metrics/metrics-panel.js';
import { FullTextDialog } from './features/monaco/full-text-dialog.js';
import { NewRunDialog } from './features/new-run/new-run-dialog.js';
import { PromptViewPanel } from './features/prompt-view/prompt-view-panel.js';
import { TopBar } from './features/top-bar/top-bar.js';
import { TrajectoryPanel } from './features/trajectory/trajectory-panel.js';
import { TurnsPanel } from './features/turns/turns-panel.js';

/** The whole window: top bar, the opened file's collection, turns | trajectory | prompt view, metrics below. */
export function App() {
  return (
    <div className="app">
      <TopBar />
      <InterruptedRuns />
      <LoadProgress />
      <CollectionPanel />
      <main className="workspace">
        <div className="left-column">
          <BranchesPanel />
          <TurnsPanel />
        </div>
        <TrajectoryPanel />
        <PromptViewPanel />
      </main>
      <MetricsPanel />
      <NewRunDialog />
      <OpenFileDialog />
      <ExportDialog />
      <EditDialog />
      <CompareDialog />
      <FullTextDialog />
      <DropZone />
    </div>
  );
}
