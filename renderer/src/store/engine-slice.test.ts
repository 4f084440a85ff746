import { describe, expect, it } from 'vitest';
import { FakeClient } from '../api/fake-client.js';
import { ApiError } from '#shared/rpc/errors.js';
import { useStore } from './store.js';

async function connectedWith(branchError: Error): Promise<FakeClient> {
  const client = new FakeClient();
  client.replies['run.branch'] = () => {
    throw branchError;
  };
  await useStore.getState().connect(client);
  return client;
}

describe('engine slice: branching', () => {
  it('opens the New run form when the engine answers needs_endpoint, whatever its message says', async () => {
    await connectedWith(new ApiError('needs_endpoint', 'the run has nothing to branch with', 'run.branch'));
    await expect(useStore.getState().branchRun('r1', { kind: 'resample', turn: 2 })).resolves.toBeNull();
    expect(useStore.getState().newRunOpen).toBe(true);
    expect(useStore.getState().retryOf).toMatchObject({ runId: 'r1', turn: 2, mode: 'branch' });
  });

  it('passes any other error on, even one whose text mentions a model endpoint', async () => {
    const error = new ApiError('internal', 'choose a model endpoint: the server said so', 'run.branch');
    await connectedWith(error);
    await expect(useStore.getState().branchRun('r1', { kind: 'resample', turn: 2 })).rejects.toBe(error);
    expect(useStore.getState().newRunOpen).toBe(false);
  });

  it('passes needs_endpoint on when the branch already brings its own settings', async () => {
    const error = new ApiError('needs_endpoint', 'still no endpoint', 'run.branch');
    await connectedWith(error);
    const settings = { endpoint: { baseURL: 'http://127.0.0.1:1/v1', model: 'm' } } as never;
    await expect(useStore.getState().branchRun('r1', { kind: 'resample', turn: 2 }, { settings })).rejects.toBe(error);
    expect(useStore.getState().newRunOpen).toBe(false);
  });
});
