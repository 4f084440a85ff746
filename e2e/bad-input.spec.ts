import { createServer } from 'node:net';
import { expect, test } from './fixtures.js';

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const toolCall = { message: { content: 'Reading the file.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path": "a.txt"}' } }] } };

test('an unreachable endpoint stops the run with the reason; fixing it and retrying continues', async ({ app, scriptedServer }) => {
  const port = await closedPort();
  await app.startRun({ baseURL: `http://127.0.0.1:${port}/v1` });
  await expect(app.status).toContainText(`Failed: connection refused at http://127.0.0.1:${port}/v1`);
  await expect(app.turn(1)).toContainText('failed');

  const server = await scriptedServer([{ message: { content: 'Recovered.' } }]);
  await app.button('Retry turn').click();
  const dialog = app.page.getByRole('dialog', { name: 'New run' });
  await expect(dialog.getByLabel('User prompt')).toHaveValue('Do the task.');
  await dialog.getByLabel('Base URL').fill(server.url);
  await dialog.getByRole('button', { name: 'Start run' }).click();
  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  await expect(app.trajectory.getByText('Recovered.')).toBeVisible();
  // The failed run is still there to look at.
  await expect(app.page.getByRole('combobox', { name: 'Run' }).locator('option')).toHaveCount(2);
});

test('a wrong key (401) is shown on the turn', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([{ http_error: 401, body: '{"error": {"message": "Incorrect API key provided"}}' }]);
  await app.startRun({ baseURL: server.url, apiKey: 'sk-wrong' });
  await expect(app.status).toContainText('HTTP 401');
  await expect(app.status).toContainText('Incorrect API key provided');
  await expect(app.page.getByText('sk-wrong')).toHaveCount(0);
});

test('a server that dies mid-stream stops the run; what was shown stays', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([
    { message: { content: 'First turn answer with a tool call.', tool_calls: [{ id: 'c0', type: 'function', function: { name: 'nope', arguments: '{}' } }] } },
    { ...toolCall, cut_after_chunks: 2 },
  ]);
  await app.startRun({ baseURL: server.url });
  await expect(app.status).toContainText('stream ended mid-reply');
  await expect(app.turns.getByRole('listitem')).toHaveCount(2);
  await app.turn(1).click();
  await expect(app.trajectory.getByText('First turn answer with a tool call.')).toBeVisible();
});
