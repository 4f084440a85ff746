import { expect, test } from './fixtures.js';

test('paused before a model call: see the request, change temperature and a message, continue, and the server gets the changed call', async ({ app, scriptedServer }, testInfo) => {
  const server = await scriptedServer([{ message: { content: 'Answered the edited task.' } }]);
  await app.setBreakpoint('Break before model call', true);
  await app.startRun({ baseURL: server.url, user: 'Do the task.' });
  await expect(app.status).toHaveText('Paused before model call on turn 1');

  const card = app.trajectory.getByRole('group', { name: 'Model call of turn 1, paused before it' });
  await expect(card).toContainText('"temperature": 1');
  await expect(card).toContainText('"content": "Do the task."');
  await card.getByLabel('Temperature').fill('0.3');
  const messages = card.getByLabel('Messages (JSON)');
  await messages.fill((await messages.inputValue()).replace('Do the task.', 'Do the edited task.'));
  // The preview is the request as it will be sent, changes included.
  await expect(card).toContainText('"temperature": 0.3');
  await expect(card).toContainText('"content": "Do the edited task."');
  await app.page.screenshot({ path: testInfo.outputPath('paused-before-model-call.png') });
  await card.getByRole('button', { name: 'Continue' }).click();

  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  expect(server.requests[0]).toMatchObject({ temperature: 0.3, messages: [{ role: 'user', content: 'Do the edited task.' }] });
  const turn = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn.getByRole('note', { name: 'Model call edited: temperature 0.3, messages' })).toBeVisible();
  await expect(app.turn(1)).toContainText('call edited');
  // The turn's recorded request is the one sent.
  await turn.getByRole('button', { name: 'API call of turn 1' }).click();
  const api = turn.getByRole('group', { name: 'Request and response of turn 1' });
  await expect(api).toContainText('"temperature": 0.3');
  await expect(api).toContainText('Do the edited task.');
  await app.page.screenshot({ path: testInfo.outputPath('call-edited.png') });
});
