import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as OpenAIClient from '../electron/engine/model/openai-client.js';
import { expect, test } from './fixtures.js';

/**
 * The faults a user meets most, as the UI shows them: a rate limit, a server error, a stream cut
 * in the middle of a tool call, a tool that hangs. (An unreachable endpoint, a 401 and a stream
 * cut inside the reply's text are in bad-input.spec.ts.) The app builds its model client with the
 * default retry policy: up to 2 retries.
 */

const root = resolve(import.meta.dirname, '..');
const { describeRetryPolicy } = (await import(join(root, 'out/electron/engine/model/openai-client.js'))) as typeof OpenAIClient;

test('a 429 with a short Retry-After is waited for and retried: the turn shows the reply', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([{ http_error: 429, retry_after: 1, body: 'slow down' }, { message: { content: 'Answered after the wait.' } }]);
  await app.startRun({ baseURL: server.url });
  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  await expect(app.trajectory.getByText('Answered after the wait.')).toBeVisible();
  await expect(app.trajectory.getByRole('group', { name: 'Model failure' })).toHaveCount(0);
  expect(server.requests).toHaveLength(2);
});

test('a 429 asking for a long wait is not retried, and the turn says why', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([{ http_error: 429, retry_after: 3600, body: 'quota exceeded' }, { message: { content: 'never asked' } }]);
  await app.startRun({ baseURL: server.url });
  const error = `HTTP 429 from ${server.url}: quota exceeded [not retried: the server asked to wait 3600 s, more than 60 s]`;
  await expect(app.status).toHaveText(`Failed: ${error} on turn 1`);
  await expect(app.trajectory.getByRole('group', { name: 'Model failure' })).toContainText(`Model call failed: ${error}`);
  expect(server.requests).toHaveLength(1);
});

test('a 500 is retried twice, then the turn shows the attempts and the body', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([1, 2, 3].map((n) => ({ http_error: 500, body: `upstream overloaded (attempt ${n})` })));
  await app.startRun({ baseURL: server.url });
  const error = `HTTP 500 from ${server.url} (3 attempts): upstream overloaded (attempt 3)`;
  await expect(app.status).toHaveText(`Failed: ${error} on turn 1`);
  await expect(app.trajectory.getByRole('group', { name: 'Model failure' })).toContainText(`Model call failed: ${error}`);
  await expect(app.button('Retry turn')).toBeVisible();
  expect(server.requests).toHaveLength(3);
});

test('a stream cut in the middle of a tool call fails the turn; no tool runs, and the turn before stays', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([
    { message: { content: 'First turn.', tool_calls: [{ id: 'c0', type: 'function', function: { name: 'nope', arguments: '{}' } }] } },
    // Chunk 1 opens the reply, 2 names the tool, 3 brings the first piece of its arguments.
    { message: { content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path": "a.txt"}' } }] }, cut_after_chunks: 3 },
  ]);
  await app.startRun({ baseURL: server.url });
  await expect(app.status).toHaveText(/^Failed: stream ended mid-reply \(after 3 chunks, inside tool call 0\): .* on turn 2$/);
  await expect(app.turns.getByRole('listitem')).toHaveCount(2);
  await expect(app.trajectory.getByRole('group', { name: 'Tool call read_file' })).toHaveCount(0);
  await expect(app.trajectory.getByText('First turn.')).toBeVisible();
  expect(server.requests).toHaveLength(2);
});

test('a tool that hangs is stopped at its timeout, and the tool call says so', async ({ app, scriptedServer }) => {
  // The built-in terminal's timeout (60 s) is not a setting: this test waits for it.
  test.setTimeout(180_000);
  const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-ws-'));
  const server = await scriptedServer([
    { message: { content: 'Waiting for it.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'terminal', arguments: '{"command": "sleep 600"}' } }] } },
    { message: { content: 'The command timed out.' } },
  ]);
  await app.button('New run').click();
  const dialog = app.page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Base URL').fill(server.url);
  await dialog.getByLabel('Model').fill('scripted');
  await dialog.getByLabel('User prompt').fill('Run it.');
  await dialog.getByRole('checkbox', { name: 'terminal', exact: true }).check();
  // The command runs without waiting for approval: this test is about its timeout.
  await dialog.getByRole('checkbox', { name: 'Ask before each terminal command' }).uncheck();
  await dialog.getByLabel('Workspace folder').fill(workspace);
  await dialog.getByRole('button', { name: 'Start run' }).click();
  const call = app.trajectory.getByRole('group', { name: 'Tool call terminal' });
  await expect(call).toContainText('running…');
  await expect(call.getByText('command timed out after 60 s', { exact: true })).toBeVisible({ timeout: 120_000 });
  await expect(call.locator('.tool-result pre')).toContainText('exit_code: -1');
  await expect(app.status).toHaveText('Finished naturally after 2 turns');
  await expect(app.trajectory.getByText('The command timed out.')).toBeVisible();
});

test('the New run form states the retry policy the engine follows, next to the endpoint', async ({ app }) => {
  await app.button('New run').click();
  const dialog = app.page.getByRole('dialog', { name: 'New run' });
  await dialog.getByText('When a model call fails').click();
  await expect(dialog.getByText(describeRetryPolicy({}))).toBeVisible();
});
