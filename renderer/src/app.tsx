import type { CSSProperties, ReactNode } from 'react';
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
import { SetPanel } from './features/rollout-set/set-panel.js';
import { TopBar } from './features/top-bar/top-bar.js';
import { TrajectoryPanel } from './features/trajectory/trajectory-panel.js';
import { TurnsPanel } from './features/turns/turns-panel.js';
import type { Layout } from './store/layout-slice.js';
import { useStore } from './store/store.js';
import { PanelBoundary } from './ui/panel-boundary.js';
import { Splitter } from './ui/splitter.js';

/** The sizes a person dragged, as the CSS variables the panels read (unset: the stylesheet's default). */
function layoutVariables(sizes: Layout['sizes']): CSSProperties {
  const vars: Record<string, string> = {};
  if (sizes.collection) vars['--collection-height'] = `${sizes.collection}px`;
  if (sizes.metrics) vars['--metrics-height'] = `${sizes.metrics}px`;
  // Columns give way in a narrower window rather than squeeze the trajectory out.
  if (sizes.turns) vars['--turns-width'] = `min(${sizes.turns}px, 35vw)`;
  if (sizes.prompt) vars['--prompt-width'] = `min(${sizes.prompt}px, 45vw)`;
  return vars as CSSProperties;
}

/** The dialogs, each kept to itself if it throws while drawing (see PanelBoundary). */
const DIALOGS: ReadonlyArray<[name: string, dialog: () => ReactNode]> = [
  ['New run', NewRunDialog],
  ['Open file', OpenFileDialog],
  ['Export', ExportDialog],
  ['Edit', EditDialog],
  ['Compare', CompareDialog],
  ['Full text', FullTextDialog],
];

/** The whole window: top bar, the opened file's collection, turns | trajectory | prompt view, metrics below. */
export function App() {
  const sizes = useStore((s) => s.layout.sizes);
  return (
    <div className="app" style={layoutVariables(sizes)}>
      <PanelBoundary name="Top bar" className="top-bar">
        <TopBar />
      </PanelBoundary>
      <InterruptedRuns />
      <LoadProgress />
      <PanelBoundary name="Rollout set" className="set-panel">
        <SetPanel />
      </PanelBoundary>
      <PanelBoundary name="Collection" className="collection-panel">
        <CollectionPanel />
      </PanelBoundary>
      <main className="workspace">
        <div className="left-column">
          <PanelBoundary name="Branches" className="panel branches-panel">
            <BranchesPanel />
          </PanelBoundary>
          <PanelBoundary name="Turns" className="panel turns-panel">
            <TurnsPanel />
          </PanelBoundary>
          <Splitter panel="turns" label="Resize the turns column" orientation="vertical" grow={1} min={160} max={() => window.innerWidth * 0.35} />
        </div>
        <PanelBoundary name="Trajectory" className="panel trajectory-panel">
          <TrajectoryPanel />
        </PanelBoundary>
        <PanelBoundary name="Prompt view" className="panel prompt-panel">
          <PromptViewPanel />
        </PanelBoundary>
      </main>
      <PanelBoundary name="Metrics" className="metrics-panel">
        <MetricsPanel />
      </PanelBoundary>
      {DIALOGS.map(([name, Dialog]) => (
        <PanelBoundary key={name} name={name} className="dialog-failed">
          <Dialog />
        </PanelBoundary>
      ))}
      <DropZone />
    </div>
  );
}
