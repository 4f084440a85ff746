import { expect, test } from './fixtures.js';

const USAGE = { prompt_tokens: 1190, completion_tokens: 45, total_tokens: 1235 };

test('a turn shows the server’s token usage and latency beside the estimate, and its request and response', async ({ app, scriptedServer }, testInfo) => {
  const server = await scriptedServer([{ message: { content: 'All done.' }, usage: USAGE, delay_ms: 300 }]);
  await app.startRun({ baseURL: server.url, user: 'Say you are done.' });
  await expect(app.status).toHaveText('Finished naturally after 1 turn');

  const usage = app.trajectory.getByLabel('Tokens and latency of turn 1');
  const value = (term: string) => usage.getByRole('term').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd');
  await expect(value('Estimated prompt')).toHaveText(/^\d[\d,]*$/);
  await expect(value('Reported prompt')).toHaveText('1,190');
  await expect(value('Completion')).toHaveText('45');
  await expect(value('Total')).toHaveText('1,235');
  // The server waited 300 ms before answering: the latency is at least that.
  const latency = Number((await value('Latency').textContent())!.replace(/[^\d]/g, ''));
  expect(latency).toBeGreaterThanOrEqual(300);

  const toggle = app.trajectory.getByRole('button', { name: 'API call of turn 1' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const api = app.trajectory.getByRole('group', { name: 'Request and response of turn 1' });
  await expect(api).toContainText('"content": "Say you are done."');
  await expect(api).toContainText('"finish_reason": "stop"');
  await expect(api).toContainText('"completion_tokens": 45');
  await api.scrollIntoViewIfNeeded();
  await app.page.screenshot({ path: testInfo.outputPath('turn-usage.png') });
});
