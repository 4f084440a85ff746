/**
 * Every view against what the importers make of real files: the sample file of each format (the
 * corpus and one small file of each format it lacks), then the same files with a value of any
 * JSON type put anywhere in them. What a file's trajectory becomes crosses the wire as JSON and
 * is checked against the contract as the page checks it, then the whole app draws it, turn by
 * turn. A view that throws (a panel replaced by its "could not be drawn" notice), anything React
 * or a view writes to the console as an error, or an event the page would refuse, fails.
 *
 * Seeded and short by default; `FUZZ_RUNS=N` runs the property N times (`FUZZ_SEED` another seed).
 */
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { importBytes } from '#shared/formats/import.js';
import type { Trajectory } from '#shared/formats/trajectory.js';
import { eachTrajectoryRunEvent } from '#shared/formats/trajectory-events.js';
import { PyTypeError } from '#shared/python/value.js';
import { runEventSchema, type RunEvent, type RunEventBody } from '#shared/run/events.js';
import { resetStore, useStore } from '../store/store.js';
import { renderApp } from '../test/render-app.js';
import { editedSamples, importedOrRefused } from '#shared/testing/json-edits.js';

const SAMPLES = inject('formatSamples');
const FUZZ = inject('fuzz');
const RUNS = FUZZ.runs ?? 30;
const SEED = FUZZ.seed ?? 20261207;
/** Trajectories drawn per file, and turns selected per trajectory: enough to reach every kind of turn. */
const TRAJECTORIES = 2;
const TURNS = 12;

/**
 * A trajectory's events as the page receives them: JSON on the wire, checked against the contract.
 * An event the reference's rules cannot build (Python would raise: a budget over a message whose
 * content has no len()) ends the run there, as the engine ends it, failed with the reason: the
 * events before it are drawn.
 */
function eventsAsReceived(t: Trajectory, runId: string, budget: number | null): RunEvent[] {
  const bodies: RunEventBody[] = [];
  try {
    for (const body of eachTrajectoryRunEvent(t, { origin: { fileId: 'f', path: `/data/${runId}` }, maxContextTokens: budget })) bodies.push(body);
  } catch (error) {
    if (!(error instanceof PyTypeError)) throw error;
  }
  return bodies.map((body, seq) => {
    const wire: unknown = JSON.parse(JSON.stringify({ ...body, runId, seq, time: 0 }));
    const parsed = runEventSchema.safeParse(wire);
    if (!parsed.success) throw new Error(`event ${seq} (${body.type}) would be refused by the page: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  });
}

/** Draws each trajectory in the whole app and selects its turns one by one; throws what went wrong. */
async function drawEveryView(trajectories: readonly Trajectory[], what: string, budget: number | null = 2_000): Promise<void> {
  for (const [k, t] of trajectories.slice(0, TRAJECTORIES).entries()) {
    const runId = `${what} #${k}`;
    await renderApp([eventsAsReceived(t, runId, budget)]);
    const turns = useStore.getState().runs[runId]?.feed.snapshot?.turns.length ?? 0;
    for (let turn = 1; turn <= Math.min(turns, TURNS); turn++) act(() => useStore.getState().selectTurn(turn));
    // What a person does next: the model calls as sent, only the turns with errors, a search, another budget.
    for (const api of within(screen.getByRole('region', { name: 'Trajectory' })).queryAllByRole('button', { name: /^API call of turn / })) act(() => fireEvent.click(api));
    const turnsPanel = within(screen.getByRole('region', { name: 'Turns' }));
    act(() => fireEvent.click(turnsPanel.getByRole('checkbox', { name: 'Errors only' })));
    act(() => fireEvent.change(turnsPanel.getByLabelText('Find in trajectory'), { target: { value: 'e' } }));
    if (turns > 0) act(() => fireEvent.change(within(screen.getByRole('region', { name: 'Prompt view' })).getByLabelText(/Context budget/), { target: { value: '150' } }));
    const failed = document.querySelector('.panel-failed');
    if (failed) throw new Error(`${runId}: the ${failed.getAttribute('aria-label')} panel could not be drawn: ${screen.getByRole('alert').textContent}`);
    const errors = vi.mocked(console.error).mock.calls;
    if (errors.length > 0) throw new Error(`${runId}: console.error: ${errors.map((args) => args.map(String).join(' ')).join('\n')}`);
    cleanup();
    resetStore();
  }
}

describe('every view draws what the importers read', () => {
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it.each(SAMPLES.map((s) => [s.name, s.bytes] as const))('%s', async (name, bytes) => {
    const { trajectories } = importBytes(bytes, name);
    expect(trajectories.length).toBeGreaterThan(0);
    await drawEveryView(trajectories, name);
  }, 60_000);

  it('with any JSON value in any field of any of them', async () => {
    const edit = fc.record({ edited: editedSamples(SAMPLES.map((s) => [s.name, s.bytes] as const)), budget: fc.constantFrom(null, 300, 2_000) });
    await fc.assert(
      fc.asyncProperty(edit, async ({ edited, budget }) => {
        const trajectories = importedOrRefused(edited);
        if (!trajectories) return;
        vi.mocked(console.error).mockClear();
        await drawEveryView(trajectories, `${edited.what}, budget ${budget}`, budget);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
