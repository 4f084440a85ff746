import { act, render, type RenderResult } from '@testing-library/react';
import type { RunEvent } from '#shared/run/events.js';
import { FakeClient } from '../api/fake-client.js';
import { App } from '../app.js';
import { useStore } from '../store/store.js';

/** Renders the whole app connected to a fake engine holding `runs` (each a list of events). */
export async function renderApp(runs: RunEvent[][] = [], client = new FakeClient()): Promise<{ client: FakeClient; view: RenderResult }> {
  for (const events of runs) client.addRun(events);
  const view = render(<App />);
  await act(() => useStore.getState().connect(client));
  return { client, view };
}

/** Pushes events as the engine would, lets the next frame publish them, and settles the calls they cause. */
export async function push(client: FakeClient, events: RunEvent[]): Promise<void> {
  await act(async () => {
    for (const event of events) client.emit(event);
    useStore.getState().flushUpdates();
  });
}
