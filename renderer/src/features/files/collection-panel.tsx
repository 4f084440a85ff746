import { useCallback } from 'react';
import { useActiveFileId, useShownTrajectory } from '../../store/selectors.js';
import { useStore } from '../../store/store.js';
import { Splitter } from '../../ui/splitter.js';
import { CollectionTable } from '../collection/collection-table.js';
import './collection-panel.css';

/** The open files and, for the active one, its collection table (one row per trajectory). */
export function CollectionPanel() {
  const files = useStore((s) => s.files);
  const activeFileId = useActiveFileId();
  const shown = useShownTrajectory();
  const setActive = useStore((s) => s.setActiveFile);
  const closeFile = useStore((s) => s.closeFile);
  const view = useStore((s) => s.viewTrajectory);
  const search = useStore((s) => s.searchFile);
  const active = activeFileId ? files[activeFileId] : undefined;
  const onOpen = useCallback((index: number) => activeFileId && void view(activeFileId, index), [activeFileId, view]);
  const onTextSearch = useCallback((text: string) => activeFileId && void search(activeFileId, text), [activeFileId, search]);
  const expanded = !useStore((s) => s.layout.collapsed.collection);
  const setCollapsed = useStore((s) => s.setCollapsed);
  const ids = Object.keys(files);
  if (!active || ids.length === 0) return null;
  const status = active.status;
  return (
    <section aria-label="Collection" className={`collection-panel${expanded ? ' is-expanded' : ''}`}>
      <div className="panel-tools collection-panel-head">
        <button type="button" className="disclosure" aria-expanded={expanded} aria-controls="collection-body" onClick={() => setCollapsed('collection', expanded)}>
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          <span className="visually-hidden">Trajectory table</span>
        </button>
        <h2 className="panel-title">
          {status.name}: {status.trajectories.toLocaleString('en-US')} {status.trajectories === 1 ? 'trajectory' : 'trajectories'}
          {status.format ? <span className="muted"> ({status.format})</span> : null}
        </h2>
          {ids.length > 1 && (
            <label>
              File{' '}
              <select value={activeFileId ?? ''} onChange={(e) => setActive(e.target.value)}>
                {ids.map((id) => (
                  <option key={id} value={id}>
                    {files[id]!.status.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span className="muted code" title={status.path}>
            {status.path}
          </span>
        <button type="button" onClick={() => void closeFile(status.fileId)}>
          Close file
        </button>
      </div>
      <div id="collection-body" className="collection-body-wrap" hidden={!expanded}>
        {active.rows.length > 0 && (
          <CollectionTable
            key={status.fileId}
            fileName={status.name}
            rows={active.rows}
            selectedIndex={shown?.fileId === status.fileId ? shown.index : null}
            onOpen={onOpen}
            textMatches={active.textMatches}
            onTextSearch={onTextSearch}
          />
        )}
      </div>
      {expanded && <Splitter panel="collection" label="Resize the trajectory table" orientation="horizontal" grow={1} min={80} max={() => window.innerHeight * 0.7} />}
    </section>
  );
}
