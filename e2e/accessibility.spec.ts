import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { corpusFile, expect, test } from './fixtures.js';

/**
 * The app checked with axe-core against WCAG 2.1 A and AA in the states a person meets first: the
 * empty window, a trajectory open with a turn selected, and the dialogs. Each violation is listed
 * with the elements it was found on, so a failure says what to fix.
 */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the empty window', async ({ app }) => {
  await expect(app.page.getByRole('button', { name: 'Demo' })).toBeVisible();
  expect(await violations(app.page)).toEqual([]);
});

test.describe('a trajectory open', () => {
  test.use({ openFiles: [{ path: corpusFile('hermes-agent_session_export.jsonl'), index: 2 }] });

  test('with a turn selected, its API call open', async ({ app }) => {
    await expect(app.status).not.toHaveText('No run');
    await app.turn(2).click();
    await app.trajectory.getByRole('button', { name: 'API call of turn 2' }).click();
    expect(await violations(app.page)).toEqual([]);
  });
});

test('the New run and Open file dialogs', async ({ app }) => {
  await app.page.getByRole('button', { name: 'New run' }).click();
  await expect(app.page.getByRole('dialog')).toBeVisible();
  expect(await violations(app.page)).toEqual([]);
  await app.page.keyboard.press('Escape');
  await app.page.getByRole('button', { name: 'Open file…', exact: true }).click();
  await expect(app.page.getByRole('dialog', { name: 'Open trajectory file' })).toBeVisible();
  expect(await violations(app.page)).toEqual([]);
});
