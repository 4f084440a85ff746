import { stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ApiHandlers, OpenedSet } from '#shared/api/contract.js';
import { isSingleTrajectoryFormat } from '#shared/formats/export.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { eachTrajectoryRunEvent } from '#shared/formats/trajectory-events.js';
import type { RunHandle } from '../loop/run-handle.js';
import { playRecordedRun } from '../loop/recorded-run.js';
import { exportTrajectories } from '../persistence/export-file.js';
import type { OpenSetOptions, RolloutSet } from './rollout-set.js';
import { shardKindOf } from './shards.js';

type SetMethods = 'set.open' | 'set.list' | 'set.status' | 'set.query' | 'set.charts' | 'set.view' | 'set.export' | 'set.close';

/** What the set methods are built from. */
export interface SetHandlerDeps {
  /** Registers a run made elsewhere (a rollout played as a run) with the service. */
  adoptRun(handle: RunHandle, title: string): string;
  /** How often an open set looks for new lines and shards (ms); 0: never. Default 2000. */
  pollMs?: number;
  setOptions?: OpenSetOptions;
}

/** True when a single source is a set rather than one trajectory file: a folder, a glob, or a compressed or Parquet shard. */
async function isSetSource(source: string): Promise<boolean> {
  if (/[*?[]/.test(source)) return true;
  const kind = shardKindOf(source);
  if (kind !== null && kind !== 'jsonl') return true;
  try {
    return (await stat(source)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The API methods on rollout sets: open (index in the background, then look for growth every
 * `pollMs`), query and chart with SQL filters, show one rollout as a run, export a filtered subset.
 */
export function createSetHandlers(deps: SetHandlerDeps): { handlers: Pick<ApiHandlers, SetMethods>; close(): Promise<void> } {
  const sets = new Map<string, { set: RolloutSet; name: string; timer: NodeJS.Timeout | null }>();
  let next = 1;
  const pollMs = deps.pollMs ?? 2_000;

  function entry(setId: string) {
    const found = sets.get(setId);
    if (!found) throw new Error(`no open rollout set '${setId}'`);
    return found;
  }
  const info = (setId: string): OpenedSet => {
    const { set, name } = entry(setId);
    return { setId, name, status: set.status() };
  };
  function absolute(path: string, what: string): string {
    if (!isAbsolute(path)) throw new Error(`${what} must be an absolute path on the machine the engine runs on, got '${path}'`);
    return resolve(path);
  }

  const handlers: Pick<ApiHandlers, SetMethods> = {
    async 'set.open'({ sources, onlyIfSet }) {
      const paths = sources.map((s) => (/[*?[]/.test(s) && isAbsolute(s) ? s : absolute(s, 'A rollout set source')));
      if (onlyIfSet && paths.length === 1 && !(await isSetSource(paths[0]!))) return { set: null };
      for (const [setId, open] of sets) if (JSON.stringify(open.set.sources) === JSON.stringify(paths)) return { set: info(setId) };
      // DuckDB is loaded with the first set opened.
      const { RolloutSet } = await import('./rollout-set.js');
      const set = await RolloutSet.open(paths, deps.setOptions);
      const setId = `set-${next++}`;
      const name = paths.length === 1 ? basename(paths[0]!) || paths[0]! : `${basename(paths[0]!)} and ${paths.length - 1} more`;
      const open = { set, name, timer: null as NodeJS.Timeout | null };
      sets.set(setId, open);
      // Indexing goes on in the background; then the set is looked at again for growth.
      const watch = (): void => {
        if (!sets.has(setId) || pollMs <= 0) return;
        open.timer = setTimeout(() => void set.refresh().catch(() => undefined).then(watch), pollMs);
        open.timer.unref();
      };
      void set.refresh().catch(() => undefined).then(watch);
      return { set: info(setId) };
    },
    async 'set.list'() {
      return { sets: [...sets.keys()].map(info) };
    },
    async 'set.status'({ setId }) {
      return info(setId);
    },
    async 'set.query'({ setId, where, search, orderBy, descending, offset, limit }) {
      const { rows, total } = await entry(setId).set.query({ where, search, ...(orderBy ? { orderBy } : {}), descending, offset, limit });
      return { rows: rows as Awaited<ReturnType<ApiHandlers['set.query']>>['rows'], total };
    },
    async 'set.charts'({ setId, where, search }) {
      return entry(setId).set.charts({ where, search });
    },
    async 'set.view'({ setId, rid, startPaused, maxContextTokens, breakpoints }) {
      const { set, name } = entry(setId);
      const { row, trajectory } = await set.rollout(rid);
      const bodies = eachTrajectoryRunEvent(trajectory, { origin: { fileId: setId, path: row.source }, maxContextTokens });
      const handle = playRecordedRun(bodies, { startPaused, ...(breakpoints ? { breakpoints } : {}) });
      return { runId: deps.adoptRun(handle, `${name} · ${basename(row.source)}:${row.line}: ${trajectory.id}`) };
    },
    async 'set.export'({ setId, where, search, orderBy, descending, format, path }) {
      const out = absolute(path, 'The export path');
      const { set } = entry(setId);
      const query = { where, search, ...(orderBy ? { orderBy } : {}), descending };
      const { total } = await set.query({ ...query, limit: 0 });
      if (isSingleTrajectoryFormat(format) && total !== 1) throw new Error(`${format} exports one trajectory, and the filter keeps ${total}: narrow it to one, or pick a JSONL format`);
      async function* trajectories(): AsyncGenerator<Trajectory> {
        // Each compressed shard is decompressed once, not once per row.
        for await (const { trajectory } of set.rollouts(query)) yield trajectory;
      }
      const written = await exportTrajectories({ trajectories: trajectories() }, format, out);
      return { path: out, ...written };
    },
    async 'set.close'({ setId }) {
      const open = sets.get(setId);
      if (!open) return {};
      sets.delete(setId);
      if (open.timer) clearTimeout(open.timer);
      await open.set.close();
      return {};
    },
  };
  return {
    handlers,
    async close() {
      for (const setId of [...sets.keys()]) await handlers['set.close']({ setId });
    },
  };
}
