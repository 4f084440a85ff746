/// <reference lib="dom" />
import { corpusFile, expect, test } from './fixtures.js';

const VERIFIERS = corpusFile('verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl');

test('rollouts of one prompt side by side: rewards, advantages, groups without signal, and one opened from its card', async ({ app }) => {
  await app.openFile(VERIFIERS);

  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('status')).toHaveText('15 of 15 trajectories');
  // The table names each rollout's group.
  const table = collection.getByRole('grid', { name: /^Trajectories in verifiers/ });
  await expect(table.getByRole('columnheader', { name: 'Group' })).toBeVisible();

  await collection.getByRole('button', { name: 'Groups' }).click();
  await expect(collection.getByRole('status')).toHaveText('15 of 15 trajectories in 5 groups');
  const groups = collection.getByRole('region', { name: /^Rollout groups in verifiers/ }).getByRole('group');
  await expect(groups).toHaveCount(5);
  // Four prompts were solved by every rollout: equal rewards, no learning signal.
  await expect(collection.getByText('no signal')).toHaveCount(4);

  await collection.getByRole('combobox', { name: 'Order groups by' }).selectOption({ label: 'reward spread' });
  const first = groups.first();
  await expect(first).toHaveAccessibleName('Group example 1: 3 rollouts, mean reward 0.667, spread 0.471, 3 finished');
  const failed = first.getByRole('button', { name: /: reward 0, advantage -1\.414, / });
  await failed.click();
  await expect(failed).toHaveAttribute('aria-current', 'true');
  await expect(app.metrics.getByRole('term').filter({ hasText: 'Reward' }).locator('xpath=following-sibling::dd')).toContainText(/^0/);
  await app.page.screenshot({ path: test.info().outputPath('rollout-groups.png') });
});
