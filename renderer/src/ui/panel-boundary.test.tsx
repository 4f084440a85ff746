import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useStore } from '../store/store.js';
import { PanelBoundary } from './panel-boundary.js';

let broken = true;

function Fragile() {
  if (broken) throw new Error('turn 3 has no reply');
  return <p>drawn</p>;
}

function panels() {
  return render(
    <>
      <PanelBoundary name="Trajectory" className="panel trajectory-panel">
        <Fragile />
      </PanelBoundary>
      <PanelBoundary name="Turns" className="panel turns-panel">
        <p>the turns</p>
      </PanelBoundary>
    </>,
  );
}

describe('a panel that throws while drawing', () => {
  beforeEach(() => {
    broken = true;
    // React reports the caught error on the console too; the boundary logs it once more.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('says so in its own place, and the other panels stay', () => {
    panels();
    const failed = screen.getByRole('region', { name: 'Trajectory' });
    expect(failed.className).toBe('panel trajectory-panel panel-failed');
    expect(screen.getByRole('alert').textContent).toMatch(/^This panel could not be drawn: turn 3 has no reply\./);
    expect(screen.getByText('the turns')).toBeTruthy();
    expect(console.error).toHaveBeenCalledWith('The Trajectory panel could not be drawn:', expect.any(Error), expect.any(String));
  });

  it('draws again when asked to', async () => {
    panels();
    broken = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Draw it again' }));
    expect(screen.getByText('drawn')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('draws again when another turn is selected, and fails again if the fault is still there', () => {
    panels();
    act(() => useStore.getState().selectTurn(2));
    expect(screen.getByRole('alert')).toBeTruthy();
    broken = false;
    act(() => useStore.getState().selectTurn(4));
    expect(screen.getByText('drawn')).toBeTruthy();
  });
});
