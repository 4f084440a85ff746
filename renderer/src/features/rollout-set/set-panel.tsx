import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { SetCharts } from '#shared/api/rollout-set.js';
import type { RolloutColumn, RolloutRow } from '#shared/formats/rollout-row.js';
import { useStore } from '../../store/store.js';
import { SetChartsView } from './set-charts.js';
import './set-panel.css';

const PAGE = 200;
/** How often the set is asked how far it got (ms): new lines and shards show without a reload. */
const POLL_MS = 1_000;
const EXPORT_FORMATS = [
  ['openai-jsonl', 'OpenAI messages JSONL'],
  ['agent-result', 'AgentResult JSONL'],
  ['sharegpt', 'hermes ShareGPT JSONL'],
  ['html', 'HTML report (one rollout)'],
  ['markdown', 'Markdown report (one rollout)'],
] as const;

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

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
  const sets = useStore((s) => s.sets);
  const activeSetId = useStore((s) => s.activeSetId);
  const opened = activeSetId ? sets[activeSetId] : undefined;
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState({ where: '', search: '' });
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<{ orderBy?: RolloutColumn; descending: boolean }>({ descending: false });
  const [rows, setRows] = useState<RolloutRow[]>([]);
  const [total, setTotal] = useState(0);
  const [filterError, setFilterError] = useState<string | null>(null);
  const [charts, setCharts] = useState<SetCharts | null>(null);
  const [seen, setSeen] = useState<number | null>(null);
  const [exportFormat, setExportFormat] = useState<string>('openai-jsonl');
  const [exportPath, setExportPath] = useState('');
  const [exportMessage, setExportMessage] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const shown = useRef(PAGE);

  useEffect(() => {
    if (client) void useStore.getState().loadSets();
  }, [client]);

  const rollouts = opened?.status.rollouts ?? 0;
  const setId = opened?.setId;

  // The query: run again when the filter, the order or the set's size changes; a bad filter keeps the last good rows.
  const runQuery = useCallback(async () => {
    if (!client || !setId) return;
    try {
      const result = await client.call('set.query', { setId, ...filter, ...order, limit: shown.current });
      setRows(result.rows);
      setTotal(result.total);
      setFilterError(null);
    } catch (error) {
      setFilterError(messageOf(error));
    }
  }, [client, setId, filter, order]);

  useEffect(() => {
    void runQuery();
  }, [runQuery, rollouts]);

  useEffect(() => {
    if (!client || !setId) return;
    let stale = false;
    void client
      .call('set.charts', { setId, ...filter })
      .then((c) => !stale && setCharts(c))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [client, setId, filter, rollouts]);

  // Live: the set's status, polled; rows that arrive are counted from when the set was first shown.
  useEffect(() => {
    if (!client || !setId) return;
    const timer = setInterval(() => {
      void client
        .call('set.status', { setId })
        .then((s) => useStore.getState().receiveSet(s))
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [client, setId]);

  useEffect(() => {
    if (opened && !opened.status.indexing && seen === null) setSeen(opened.status.rollouts);
  }, [opened, seen]);

  if (!opened || !setId) return null;
  const status = opened.status;
  const arrived = seen !== null ? status.rollouts - seen : 0;

  const apply = (event?: FormEvent) => {
    event?.preventDefault();
    shown.current = PAGE;
    setFilter({ where: draft.trim(), search: search.trim() });
  };
  const addFilter = (clause: string) => {
    const next = draft.trim() ? `(${draft.trim()}) AND ${clause}` : clause;
    setDraft(next);
    shown.current = PAGE;
    setFilter({ where: next, search: search.trim() });
  };
  const sortBy = (key: RolloutColumn) => setOrder((o) => (o.orderBy === key ? { orderBy: key, descending: !o.descending } : { orderBy: key, descending: key === 'reward' || key === 'tool_errors' }));
  const open = (rid: number) => {
    setSelected(rid);
    void useStore.getState().viewRollout(setId, rid);
  };
  const doExport = async (event: FormEvent) => {
    event.preventDefault();
    setExportMessage('Exporting…');
    try {
      const written = await client!.call('set.export', { setId, ...filter, ...order, format: exportFormat as 'openai-jsonl', path: exportPath.trim() });
      setExportMessage(`Wrote ${written.trajectories.toLocaleString('en-US')} rollouts (${written.bytes.toLocaleString('en-US')} bytes) to ${written.path}`);
    } catch (error) {
      setExportMessage(`Export failed: ${messageOf(error)}`);
    }
  };

  return (
    <section aria-label="Rollout set" className="set-panel">
      <div className="panel-tools set-head">
        <h2 className="panel-title">
          {opened.name}: {status.rollouts.toLocaleString('en-US')} rollouts in {status.shards.length.toLocaleString('en-US')} {status.shards.length === 1 ? 'shard' : 'shards'}
        </h2>
        <span role="status" className="muted">
          {status.indexing ? 'Indexing…' : 'Indexed, watching for new rows'}
          {arrived > 0 ? ` · ${arrived.toLocaleString('en-US')} new rows arrived` : ''}
        </span>
        <button type="button" onClick={() => void useStore.getState().closeSet(setId)}>
          Close set
        </button>
      </div>
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
          {COLUMNS.map((c) => (
            <option key={c.key} value={`${draft ? `${draft} ` : ''}${c.key}`} />
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
            setFilter({ where: '', search: '' });
          }}
        >
          Clear
        </button>
        {filterError && (
          <p role="alert" aria-label="Filter error" className="form-alert set-filter-error">
            {filterError}
          </p>
        )}
      </form>
      <p className="collection-count">
        Showing {rows.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} matching rollouts
      </p>
      <div className="set-body">
        <div className="set-table-wrap">
          <table className="set-table" aria-label="Rollouts">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key} aria-sort={order.orderBy === c.key ? (order.descending ? 'descending' : 'ascending') : 'none'} className={c.numeric ? 'num' : undefined}>
                    <button type="button" className="link-button" onClick={() => sortBy(c.key)}>
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
            <button
              type="button"
              onClick={() => {
                shown.current = Math.min(5_000, shown.current + PAGE);
                void runQuery();
              }}
            >
              Show more rows
            </button>
          )}
        </div>
        {charts && <SetChartsView charts={charts} onFilter={addFilter} />}
      </div>
      <form className="set-export" onSubmit={(e) => void doExport(e)}>
        <label htmlFor="set-export-format">Export format</label>
        <select id="set-export-format" value={exportFormat} onChange={(e) => setExportFormat(e.target.value)}>
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
        {exportMessage && (
          <span role="status" className="muted">
            {exportMessage}
          </span>
        )}
      </form>
    </section>
  );
}
