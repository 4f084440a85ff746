import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { corpusFile, expect, test } from './fixtures.js';

// A laptop-sized window with a file open: the trajectory and the prompt view get the room.
test.use({ viewport: { width: 1280, height: 720 }, openFiles: [{ path: corpusFile('hermes-agent_session_export.jsonl'), index: 2 }] });

async function heightOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not laid out');
  return box.height;
}

test('panels fold and resize to give the trajectory the window, and stay so after a reload', async ({ app }, testInfo) => {
  const page = app.page;
  const tableToggle = page.getByRole('button', { name: 'Trajectory table' });
  const metricsToggle = app.metrics.getByRole('button', { name: 'Metrics' });
  await expect(app.turn(1)).toBeVisible();
  // A short window starts with metrics folded; the table stays open.
  await expect(metricsToggle).toHaveAttribute('aria-expanded', 'false');
  await expect(tableToggle).toHaveAttribute('aria-expanded', 'true');
  expect(await heightOf(app.trajectory)).toBeGreaterThan(720 * 0.5);
  await page.screenshot({ path: testInfo.outputPath('layout-default.png') });

  await tableToggle.click();
  await expect(tableToggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('grid', { name: /Trajectories in/ })).toBeHidden();
  const folded = await heightOf(app.trajectory);
  expect(folded).toBeGreaterThan(720 * 0.7);
  expect(await heightOf(app.promptView)).toBe(folded);

  const turnsEdge = page.getByRole('separator', { name: 'Resize the turns column' });
  const before = Number(await turnsEdge.getAttribute('aria-valuenow'));
  await turnsEdge.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(turnsEdge).toHaveAttribute('aria-valuenow', String(before + 48));
  expect(Math.round((await app.turns.boundingBox())!.width)).toBeGreaterThanOrEqual(before + 47);

  await metricsToggle.click();
  await expect(metricsToggle).toHaveAttribute('aria-expanded', 'true');
  await expect(app.metrics.getByText('Turns used')).toBeVisible();
  const metricsEdge = page.getByRole('separator', { name: 'Resize the metrics' });
  await metricsEdge.focus();
  await page.keyboard.press('ArrowDown');
  const metricsHeight = Number(await metricsEdge.getAttribute('aria-valuenow'));

  await page.reload();
  await expect(app.turn(1)).toBeVisible();
  await expect(tableToggle).toHaveAttribute('aria-expanded', 'false');
  await expect(metricsToggle).toHaveAttribute('aria-expanded', 'true');
  await expect(turnsEdge).toHaveAttribute('aria-valuenow', String(before + 48));
  await expect(metricsEdge).toHaveAttribute('aria-valuenow', String(metricsHeight));
  await page.screenshot({ path: testInfo.outputPath('layout-after-reload.png') });
});

test.describe('a file of long names and unbroken text', () => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-wide-'));
  const path = join(folder, 'wide.json');
  const tool = `tool_${'x'.repeat(300)}`;
  writeFileSync(path, JSON.stringify([
    { role: 'user', content: `Check ${'A'.repeat(3000)}` },
    { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: tool, arguments: JSON.stringify({ path: `/${'d'.repeat(2000)}` }) } }] },
    { role: 'tool', tool_call_id: 'c1', content: JSON.stringify({ error: 'E'.repeat(3000) }) },
    { role: 'assistant', content: 'تم الفحص، الملف غير موجود.' },
  ]));
  test.use({ openFiles: [{ path }] });

  test('keeps every panel within the window, the prompt on its margin, Arabic text from the right', async ({ app }) => {
    await expect(app.status).toHaveText('Finished naturally after 2 turns');
    await app.turn(1).click();
    const toolFilter = app.page.getByRole('combobox', { name: 'Tool' });
    await expect(toolFilter).toBeVisible();
    const box = (await toolFilter.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    // Nothing scrolls the window sideways.
    expect(await app.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    // Where the prompt comes from sits on the panel's margin, with the heading above it.
    const origin = app.page.getByRole('region', { name: 'Prompt view' }).getByText('Recomputed, no budget');
    const heading = app.page.getByRole('region', { name: 'Prompt view' }).getByRole('heading', { name: 'Turn 1 prompt' });
    expect((await origin.boundingBox())!.x).toBeCloseTo((await heading.boundingBox())!.x, 0);
    // A reply in Arabic is laid out right to left, as its writer wrote it.
    await app.turn(2).click();
    const reply = app.trajectory.getByText('تم الفحص، الملف غير موجود.');
    await expect(reply).toBeVisible();
    expect(await reply.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });
});
