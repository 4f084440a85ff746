import { useEffect, useState, type FormEvent } from 'react';
import type { OpenedSet } from '#shared/api/contract.js';
import type { ExportFormat } from '#shared/formats/export.js';
import { ROLLOUT_COLUMN_NAMES, type RolloutColumn, type RolloutRow } from '#shared/formats/rollout-row.js';
import type { SetQuery } from '../../store/sets-slice.js';
import { useStore } from '../../store/store.js';
import { SetChartsView } from './set-charts.js';
import './set-panel.css';

const EXPORT_FORMATS: ReadonlyArray<readonly [ExportFormat, string]> = [
  ['openai-jsonl', 'OpenAI messages JSONL'],
  ['agent-result', 'AgentResult JSONL'],
  ['sharegpt', 'hermes ShareGPT JSONL'],
  ['html', 'HTML report (one rollout)'],
  ['markdown', 'Markdown report (one rollout)'],
];

const COLUMNS: Array<{ key: RolloutColumn; label: string; numeric?: boolean }> = [
  { key: 'id', label: 'Id' },
  { key: 'model', label: 'Model' },
  { key: 'turns', label: 'Turns', numeric: true },
  { key: 'tool_calls', label: 'Tool calls', numeric: true },
  { key: 'tool_errors', label: 'Tool errors', numeric: true },
  { key: 'finished', label: 'Finished' },
  { key: 'reward', label: 'Reward', numeric: true },
  { key: 'step', label: 'Step', numeric: true },
  { key: 'group_id', label: 'Group' },
  { key: 'first_user', label: 'First user message' },
  { key: 'source', label: 'Shard' },
];

function cell(row: RolloutRow, key: RolloutColumn): string {
  const value = row[key];
  if (value === null || value === undefined) return '—';
  if (key === 'finished') return value ? 'yes' : 'no';
  if (key === 'source') return `${String(value).split('/').pop()}:${row.line}`;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
  return String(value);
}

/** The open rollout set: its table with a SQL filter, sort and search, charts, live growth and export. */
export function SetPanel() {
  const client = useStore((s) => s.client);
  const opened = useStore((s) => (s.activeSetId ? s.sets[s.activeSetId] : undefined));

  useEffect(() => {
    if (client) void useStore.getState().loadSets();
  }, [client]);

  // Keyed by set: the filter being typed and the export form belong to the set on show.
  return opened ? <OpenSet key={opened.setId} opened={opened} /> : null;
}

const NO_ROWS: RolloutRow[] = [];

function OpenSet({ opened }: { opened: OpenedSet }) {
  const { setId, status } = opened;
  const client = useStore((s) => s.client);
  const view = useStore((s) => s.setViews[setId]);
  const [draft, setDraft] = useState(() => view?.query.where ?? '');
  const [search, setSearch] = useState(() => view?.query.search ?? '');
  const [exportFormat, setExportFormat] = useState<ExportFormat>('openai-jsonl');
  const [exportPath, setExportPath] = useState('');
  const [selected, setSelected] = useState<number | null>(null);

  // Rows, charts and the status poll live in the store while the set is on show.
  useEffect(() => (client ? useStore.getState().startWatching(setId) : undefined), [client, setId]);

  const rows = view?.rows ?? NO_ROWS;
  const total = view?.total ?? 0;
  // A filter, sort or growth being answered: the rows shown are the last answer's until then.
  const fetching = view !== undefined && view.requests.query !== view.answered;
  const order: Pick<SetQuery, 'orderBy' | 'descending'> = view?.query ?? { descending: false };
  const arrived = view?.seen != null ? status.rollouts - view.seen : 0;

  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    void useStore.getState().filterRollouts(setId, { where: draft.trim(), search: search.trim() });
  };
  const addFilter = (clause: string) => {
    const next = draft.trim() ? `(${draft.trim()}) AND ${clause}` : clause;
    setDraft(next);
    void useStore.getState().filterRollouts(setId, { where: next, search: search.trim() });
  };
  const open = (rid: number) => {
    setSelected(rid);
    void useStore.getState().viewRollout(setId, rid);
  };
  const doExport = (event: FormEvent) => {
    event.preventDefault();
    void useStore.getState().exportSet(setId, exportFormat, exportPath.trim());
  };

  return (
    <section aria-label="Rollout set" className="set-panel">
      <div className="panel-tools set-head">
        <h2 className="panel-title">
          {opened.name}: {status.rollouts.toLocaleString('en-US')} rollouts in {status.shards.length.toLocaleString('en-US')} {status.shards.length === 1 ? 'shard' : 'shards'}
        </h2>
        <span role="status" className="muted">
          {status.indexing ? 'Indexing…' : status.error ? 'Indexing stopped, tried again at the next look' : 'Indexed, watching for new rows'}
          {arrived > 0 ? ` · ${arrived.toLocaleString('en-US')} new rows arrived` : ''}
        </span>
        <button type="button" onClick={() => void useStore.getState().closeSet(setId)}>
          Close set
        </button>
      </div>
      {status.error && (
        <p role="alert" className="form-alert">
          Indexing stopped: {status.error}. The rollouts indexed so far stay.
        </p>
      )}
      {(status.unreadable.length > 0 || status.badLines > 0) && (
        <details className="set-problems">
          <summary>
            {status.unreadable.length} unreadable {status.unreadable.length === 1 ? 'shard' : 'shards'}, {status.badLines.toLocaleString('en-US')} bad {status.badLines === 1 ? 'line' : 'lines'}
          </summary>
          <ul aria-label="Shard problems">
            {status.unreadable.map((p) => (
              <li key={p} className="code">
                {p}
              </li>
            ))}
            {status.shards
              .filter((s) => s.badLines > 0)
              .map((s) => (
                <li key={s.path} className="code">
                  {s.path}: {s.badLines} bad {s.badLines === 1 ? 'line' : 'lines'}
                  {s.problems[0] ? ` (first: ${s.problems[0]})` : ''}
                </li>
              ))}
          </ul>
        </details>
      )}
      <form className="set-filter" onSubmit={apply}>
        <label htmlFor="set-filter-sql">SQL filter</label>
        <input id="set-filter-sql" className="code" type="text" list="set-columns" spellCheck={false} value={draft} placeholder="tool_errors > 0 AND reward < 0.5" onChange={(e) => setDraft(e.target.value)} />
        <datalist id="set-columns">
          {ROLLOUT_COLUMN_NAMES.map((name) => (
            <option key={name} value={`${draft ? `${draft} ` : ''}${name === 'record' ? "record->>'$.'" : name}`} />
          ))}
        </datalist>
        <label htmlFor="set-search">Search text</label>
        <input id="set-search" type="search" value={search} placeholder="id, model, first message" onChange={(e) => setSearch(e.target.value)} />
        <button type="submit" className="primary">
          Apply filter
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft('');
            setSearch('');
            void useStore.getState().filterRollouts(setId, { where: '', search: '' });
          }}
        >
          Clear
        </button>
        {view?.filterError && (
          <p role="alert" aria-label="Filter error" className="form-alert set-filter-error">
            {view.filterError}
          </p>
        )}
      </form>
      <p className="collection-count" aria-busy={fetching}>
        Showing {rows.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} matching rollouts
        {fetching && <span className="muted set-fetching"> · updating…</span>}
      </p>
      <div className="set-body">
        <div className="set-table-wrap">
          <table className="set-table" aria-label="Rollouts">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={order.orderBy === c.key ? (order.descending ? 'descending' : 'ascending') : 'none'} className={c.numeric ? 'num' : undefined}>
                    <button type="button" className="link-button" onClick={() => void useStore.getState().sortRollouts(setId, c.key)}>
                      {c.label}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.rid} aria-selected={selected === row.rid} className={selected === row.rid ? 'is-selected' : undefined} onClick={() => open(row.rid)}>
                  {COLUMNS.map((c) =>
                    c.key === 'id' ? (
                      <td key={c.key}>
                        <button type="button" className="link-button" aria-label={`Open rollout ${row.id}`} onClick={(e) => (e.stopPropagation(), open(row.rid))}>
                          {row.id}
                        </button>
                      </td>
                    ) : (
                      <td key={c.key} className={c.numeric ? 'num' : c.key === 'first_user' ? 'set-preview' : undefined} title={c.key === 'source' ? row.source : undefined}>
                        {cell(row, c.key)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length < total && (
            <button type="button" onClick={() => void useStore.getState().showMoreRollouts(setId)}>
              Show more rows
            </button>
          )}
        </div>
        {view?.charts && <SetChartsView charts={view.charts} onFilter={addFilter} />}
      </div>
      <form className="set-export" onSubmit={doExport}>
        <label htmlFor="set-export-format">Export format</label>
        <select id="set-export-format" value={exportFormat} onChange={(e) => setExportFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="set-export-path">Export path</label>
        <input id="set-export-path" className="code" type="text" value={exportPath} placeholder="/tmp/filtered.jsonl" onChange={(e) => setExportPath(e.target.value)} />
        <button type="submit" disabled={exportPath.trim() === ''}>
          Export filtered rollouts
        </button>
        {view?.exportMessage && (
          <span role="status" className="muted">
            {view.exportMessage}
          </span>
        )}
      </form>
    </section>
  );
}
