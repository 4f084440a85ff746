import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';

// An opened file records no model: asking it once needs an endpoint.
const OPENED = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-ask-')), 'chat.json');
writeFileSync(OPENED, JSON.stringify([{ role: 'user', content: 'Say hi.' }, { role: 'assistant', content: 'Hi from the file.' }]));

test('ask the model once from a turn, see both replies, then continue the reply as a branch marked where it forked', async ({ app, scriptedServer }, testInfo) => {
  const server = await scriptedServer([
    { message: { content: 'The recorded answer.' } },
    { message: { content: 'An answer asked once.' } },
  ]);
  await app.startRun({ baseURL: server.url, user: 'Do the task.' });
  await expect(app.status).toHaveText('Finished naturally after 1 turn');

  const turn = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await turn.getByRole('button', { name: 'Ask the model once' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Ask the model once (turn 1)' });
  await dialog.getByLabel('Temperature').fill('0.2');
  // The run had no tools; this one call offers one, as a researcher trying a tool description would.
  const tools = dialog.getByLabel('Tools (JSON)');
  await expect(tools).toHaveValue('[]');
  const lookup = { type: 'function', function: { name: 'lookup', description: 'Look a word up', parameters: { type: 'object', properties: { word: { type: 'string' } } } } };
  await tools.fill('[{"name": "lookup"}]');
  await expect(dialog.getByRole('alert')).toContainText('Tools must be a list of tool schemas');
  await tools.fill(JSON.stringify([lookup]));
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Send to the model' }).click();
  await expect(dialog.getByRole('region', { name: 'Recorded reply' })).toContainText('The recorded answer.');
  await expect(dialog.getByRole('region', { name: 'Reply asked once' })).toContainText('An answer asked once.');
  expect(server.requests[1]).toMatchObject({ temperature: 0.2, messages: [{ role: 'user', content: 'Do the task.' }], tools: [lookup] });
  expect(server.requests[0]).not.toHaveProperty('tools');
  await app.page.screenshot({ path: testInfo.outputPath('asked-once.png') });
  // Asking touched nothing: the run still has its one turn and its recorded reply.
  await expect(app.turns.getByRole('listitem')).toHaveCount(1);
  await expect(turn).toContainText('The recorded answer.');

  await dialog.getByRole('button', { name: 'Continue as branch' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  const branchTurn = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(branchTurn).toContainText('An answer asked once.');
  await expect(branchTurn.getByRole('note', { name: /^Forked here: turn 1: asked once/ })).toBeVisible();
  await expect(app.page.getByRole('region', { name: 'Branches' }).getByRole('listitem')).toHaveCount(2);
  // The branch ran from the asked reply: no further model call was needed.
  expect(server.requests).toHaveLength(2);
  await app.page.screenshot({ path: testInfo.outputPath('continued-as-branch.png') });
});

test.describe('an opened file', () => {
  test.use({ openFiles: [{ path: OPENED }] });

  test('asks for an endpoint first, shows the reply beside the recorded one, and continues it as a branch', async ({ app, scriptedServer }, testInfo) => {
    const server = await scriptedServer([{ message: { content: 'Hi from the endpoint.' } }]);
    const turn = app.trajectory.getByRole('article', { name: 'Turn 1' });
    await turn.getByRole('button', { name: 'Ask the model once' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Ask the model once (turn 1)' });
    await expect(dialog.getByRole('button', { name: 'Send to the model' })).toBeDisabled();
    await dialog.getByLabel('Base URL').fill(server.url);
    await dialog.getByLabel('Model').fill('chosen-model');
    await dialog.getByRole('button', { name: 'Send to the model' }).click();
    await expect(dialog.getByRole('region', { name: 'Recorded reply' })).toContainText('Hi from the file.');
    await expect(dialog.getByRole('region', { name: 'Reply asked once' })).toContainText('Hi from the endpoint.');
    expect(server.requests[0]).toMatchObject({ model: 'chosen-model', messages: [{ role: 'user', content: 'Say hi.' }] });
    await app.page.screenshot({ path: testInfo.outputPath('asked-once-opened-file.png') });
    // Continuing needs tools and an endpoint for the branch: the Branch settings form asks for them, as for any branch.
    await dialog.getByRole('button', { name: 'Continue as branch' }).click();
    const settings = app.page.getByRole('dialog', { name: 'Branch settings' });
    await settings.getByLabel('Base URL').fill(server.url);
    await settings.getByLabel('Model').fill('chosen-model');
    await settings.getByRole('button', { name: 'Start branch' }).click();
    // The asked reply calls no tools: the branch ends there, with no further model call.
    await expect(app.status).toHaveText('Finished naturally after 1 turn');
    const branchTurn = app.trajectory.getByRole('article', { name: 'Turn 1' });
    await expect(branchTurn).toContainText('Hi from the endpoint.');
    await expect(branchTurn.getByRole('note', { name: 'Forked here: turn 1: asked once (model chosen-model changed)' })).toBeVisible();
    expect(server.requests).toHaveLength(1);
  });
});
