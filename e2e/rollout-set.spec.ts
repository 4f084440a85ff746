/// <reference lib="dom" />
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as GenerateSet from '../electron/engine/rollout-set/generate-set.js';
import { expect, test } from './fixtures.js';

const root = resolve(import.meta.dirname, '..');
const { writeJsonlShard, writeGzipShard } = (await import(join(root, 'out/electron/engine/rollout-set/generate-set.js'))) as typeof GenerateSet;

// A small generated set: two plain shards, a gzip shard, a shard of no known format and a bad line.
const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-set-'));
const shards = join(folder, 'rollouts');
mkdirSync(shards);
await writeJsonlShard(join(shards, 'step-000.jsonl'), 0, 120);
await writeJsonlShard(join(shards, 'step-010.jsonl'), 1, 80);
await writeGzipShard(join(shards, 'step-020.jsonl.gz'), 2, 60);
writeFileSync(join(shards, 'notes.jsonl'), '{"hello": "not a rollout"}\n');
appendFileSync(join(shards, 'step-010.jsonl'), '{"messages": [\n');

test.use({ openFiles: [{ path: shards }] });

test('a rollout set: filter with SQL, sort, chart, open a rollout, watch it grow, export the filtered subset', async ({ app }) => {
  const panel = app.page.getByRole('region', { name: 'Rollout set' });
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('rollouts: 260 rollouts in 4 shards', { timeout: 30_000 });
  await expect(panel.getByText('Showing 200 of 260 matching rollouts')).toBeVisible();
  // The shard that cannot be read and the bad line are listed; the rest opened.
  await panel.getByText('1 unreadable shard, 1 bad line').click();
  await expect(panel.getByRole('list', { name: 'Shard problems' })).toContainText('notes.jsonl: not a known trajectory format');
  await expect(panel.getByRole('list', { name: 'Shard problems' })).toContainText('step-010.jsonl: 1 bad line');

  // A SQL filter; then a bad one shows DuckDB's message and keeps the last good rows.
  const filter = panel.getByLabel('SQL filter');
  await filter.fill('tool_errors > 0 AND reward < 0.5');
  await panel.getByRole('button', { name: 'Apply filter' }).click();
  await expect(panel.getByText(/^Showing (\d+) of \1 matching rollouts$/)).toBeVisible();
  const kept = await panel.getByText(/matching rollouts$/).textContent();
  await filter.fill('rewrd < 0.5');
  await panel.getByRole('button', { name: 'Apply filter' }).click();
  await expect(panel.getByRole('alert', { name: 'Filter error' })).toContainText('rewrd');
  await expect(panel.getByText(/matching rollouts$/)).toHaveText(kept!);

  // Sort by reward, highest first.
  await filter.fill('tool_errors > 0 AND reward < 0.5');
  await panel.getByRole('button', { name: 'Apply filter' }).click();
  await expect(panel.getByRole('alert', { name: 'Filter error' })).toBeHidden();
  await panel.getByRole('columnheader', { name: 'Reward' }).getByRole('button').click();
  await expect(panel.getByRole('columnheader', { name: 'Reward' })).toHaveAttribute('aria-sort', 'descending');
  // The header turns at the click; the rows are the last answer's until the sorted query is
  // answered, which the count says (on a busy machine that takes a moment).
  await expect(panel.getByText(/matching rollouts$/)).toHaveAttribute('aria-busy', 'false');
  const table = panel.getByRole('table', { name: 'Rollouts' });
  const rewards = (await table.getByRole('row').locator('td:nth-child(7)').allTextContents()).map(Number);
  expect(rewards.length).toBeGreaterThan(3);
  expect(rewards).toEqual([...rewards].sort((a, b) => b - a));
  expect(rewards.every((r) => r < 0.5)).toBe(true);

  // Clicking a bar of a chart narrows the filter to it.
  const charts = panel.getByRole('region', { name: 'Charts of the filtered set' });
  await expect(charts.getByRole('figure', { name: 'Tool-error rate per tool' })).toBeVisible();
  await expect(charts.getByRole('figure', { name: 'Mean reward over training step' })).toBeVisible();
  await charts.getByRole('button', { name: /^Turns: 3: / }).click();
  await expect(filter).toHaveValue('(tool_errors > 0 AND reward < 0.5) AND turns = 3');
  await expect(table.getByRole('row').nth(1).locator('td:nth-child(3)')).toHaveText('3');

  // Open one rollout in every view: read from its line alone.
  const first = table.getByRole('row').nth(1).getByRole('button');
  const id = (await first.textContent())!;
  await first.click();
  const [, shard, index] = /^s(\d+)-r(\d+)$/.exec(id)!;
  await expect(app.trajectory).toContainText(`Task ${shard}-${index}: fix the failing test`);
  await expect(app.metrics).toContainText('Turns used');

  // Live: lines appended to a shard and a new shard show up without a reload.
  await writeJsonlShard(join(shards, 'step-000.jsonl'), 0, 30, { from: 120, append: true });
  await writeJsonlShard(join(shards, 'step-030.jsonl'), 3, 20);
  await expect(panel.getByText('50 new rows arrived')).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText('rollouts: 310 rollouts in 5 shards');

  // Export the filtered subset.
  await panel.getByRole('button', { name: 'Clear' }).click();
  await filter.fill('tool_errors > 0 AND reward < 0.5');
  await panel.getByRole('button', { name: 'Apply filter' }).click();
  // The count says the rows are being updated until the filter is answered.
  const count = panel.getByText(/^Showing [\d,]+ of [\d,]+ matching rollouts/);
  await expect(count).toHaveAttribute('aria-busy', 'false');
  const matching = Number(/of (\d+) matching/.exec((await count.textContent())!)![1]);
  const out = join(folder, 'filtered.jsonl');
  await panel.getByLabel('Export format').selectOption({ label: 'OpenAI messages JSONL' });
  await panel.getByLabel('Export path').fill(out);
  await panel.getByRole('button', { name: 'Export filtered rollouts' }).click();
  await expect(panel.getByText(new RegExp(`^Wrote ${matching} rollouts`))).toBeVisible();
  expect(existsSync(out)).toBe(true);
  expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(matching);
  await app.page.screenshot({ path: test.info().outputPath('rollout-set.png') });
});
