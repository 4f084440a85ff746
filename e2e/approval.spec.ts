import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

const terminal = (id: string, command: string) => ({ id, type: 'function', function: { name: 'terminal', arguments: JSON.stringify({ command }) } });

test('each terminal command waits for the user: an edited command runs, a rejected one is a tool error', async ({ app, scriptedServer }) => {
  const server = await scriptedServer([
    { message: { content: 'First command.', tool_calls: [terminal('c1', 'echo one')] } },
    { message: { content: 'Second command.', tool_calls: [terminal('c2', 'echo two')] } },
    { message: { content: 'Done.' } },
  ]);
  const workspace = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-workspace-'));

  await app.button('New run').click();
  const dialog = app.page.getByRole('dialog', { name: 'New run' });
  await dialog.getByLabel('Base URL').fill(server.url);
  await dialog.getByLabel('Model').fill('scripted');
  await dialog.getByLabel('User prompt').fill('Run two commands.');
  await dialog.getByRole('checkbox', { name: 'terminal', exact: true }).check();
  await expect(dialog.getByRole('checkbox', { name: 'Ask before each terminal command' })).toBeChecked();
  await dialog.getByLabel('Workspace folder').fill(workspace);
  await dialog.getByRole('button', { name: 'Start run' }).click();

  // Turn 1: edit the command, then run the edited one.
  await expect(app.status).toHaveText('Waiting for approval of a terminal command on turn 1');
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  const waiting1 = turn1.getByRole('group', { name: 'Tool call terminal waiting for approval' });
  await expect(waiting1).toContainText('echo one');
  await waiting1.getByRole('button', { name: 'Edit', exact: true }).click();
  const field = waiting1.getByRole('textbox', { name: 'Command to run' });
  await expect(field).toHaveValue('echo one');
  await field.fill('echo edited');
  await waiting1.getByRole('button', { name: 'Run edited command' }).click();

  // Turn 2: reject the command.
  await expect(app.status).toHaveText('Waiting for approval of a terminal command on turn 2');
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  const waiting2 = turn2.getByRole('group', { name: 'Tool call terminal waiting for approval' });
  await expect(waiting2).toContainText('echo two');
  await waiting2.getByRole('button', { name: 'Reject' }).click();

  await expect(app.status).toHaveText('Finished naturally after 3 turns');

  await app.turn(1).click();
  const edited = app.trajectory.getByRole('article', { name: 'Turn 1' }).getByRole('group', { name: 'Tool call terminal', exact: true });
  await expect(edited.getByText('command edited by user')).toBeVisible();
  await expect(edited.locator('.tool-result pre')).toHaveText(/^output:\n {2}edited\n/);
  await expect(edited.getByText('ok', { exact: true })).toBeVisible();

  await app.turn(2).click();
  const rejected = app.trajectory.getByRole('article', { name: 'Turn 2' }).getByRole('group', { name: 'Tool call terminal', exact: true });
  await expect(rejected.getByText('rejected by user')).toBeVisible();
  await expect(rejected.getByText('PermissionError: the user rejected the command', { exact: true })).toBeVisible();
  await expect(app.turn(2)).toContainText('tool error');
  await expect(app.metrics.getByRole('button', { name: /terminal: PermissionError: the user rejected the command/ })).toBeVisible();
});
