/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // Its reward, beside the scores the file records per reward function (correct_answer_reward_func, ...).
  await expect(app.metrics.getByRole('term').filter({ hasText: /^Reward$/ }).locator('xpath=following-sibling::dd')).toContainText(/^0/);
  await expect(app.metrics.getByRole('term').filter({ hasText: 'correct_answer_reward_func' })).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('rollout-groups.png') });
});

test('an ART trajectories file opens as groups of rollouts, the model\'s Choices as its turns and its metrics as scores', async ({ app }) => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-art-'));
  const path = join(folder, '0007.jsonl');
  const rollout = (reward: number, answer: string) => ({
    reward,
    metrics: { correct: reward },
    metadata: { scenario_id: 'acme' },
    messages_and_choices: [
      { role: 'user', content: 'Find the invoice from ACME.' },
      { finish_reason: 'tool_calls', index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search_emails', arguments: '{"query": "ACME invoice"}' } }] } },
      { role: 'tool', tool_call_id: 'call_1', content: '[{"id": "m1", "subject": "Invoice 42"}]' },
      { finish_reason: 'stop', index: 0, message: { role: 'assistant', content: answer, tool_calls: null } },
    ],
    tools: [{ type: 'function', function: { name: 'search_emails', parameters: { type: 'object', properties: { query: { type: 'string' } } } } }],
    additional_histories: [],
    logs: [],
  });
  const line = (...rollouts: unknown[]) => JSON.stringify({ trajectories: rollouts });
  writeFileSync(path, `${line(rollout(1, 'It is m1.'), rollout(0, 'Not found.'))}\n${line(rollout(1, 'm1.'), rollout(1, 'It is m1.'))}\n`);
  await app.openFile(path);

  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('status')).toHaveText('4 of 4 trajectories');
  await collection.getByRole('button', { name: 'Groups' }).click();
  const groups = collection.getByRole('region', { name: /^Rollout groups in 0007/ }).getByRole('group');
  await expect(groups).toHaveCount(2);
  await expect(groups.filter({ hasText: 'no signal' })).toHaveCount(1);
  await groups.first().getByRole('button', { name: /: reward 0, / }).click();
  // The Choice the model returned is its turn: the call, then the answer.
  await expect(app.trajectory.getByText('search_emails').first()).toBeVisible();
  await expect(app.trajectory.getByText('Not found.')).toBeVisible();
  await expect(app.metrics.getByRole('term').filter({ hasText: 'correct' }).locator('xpath=following-sibling::dd')).toContainText(/^0/);
  await app.page.screenshot({ path: test.info().outputPath('art-groups.png') });
});
