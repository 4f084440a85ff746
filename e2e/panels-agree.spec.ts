/// <reference lib="dom" />
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { countingTrajectory } from '../electron/testing/counting-trajectory.js';
import { corpusFile, expect, test } from './fixtures.js';

const HERMES = corpusFile('hermes-agent_session_export.jsonl');
const MINI = corpusFile('mini-swe-agent_github_issue.traj.json');

/** What the top bar showed at one moment: its status, whether Pause and Stop were enabled, and the load's progressbar and Cancel. */
interface Shown {
  text: string;
  pause: boolean;
  stop: boolean;
  progress: boolean;
  cancel: boolean;
}

/**
 * Records every state of the top bar as the page changes it, so a test can check what was shown
 * while a file loaded however quickly the load ends.
 */
async function watchStatus(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Shown[] = [];
    (window as unknown as { seen: typeof seen }).seen = seen;
    const record = () => {
      const status = document.querySelector('.run-status');
      const button = (name: string) => [...document.querySelectorAll('button')].find((b) => b.textContent === name) as HTMLButtonElement | undefined;
      const entry = {
        text: status?.textContent ?? '',
        pause: button('Pause')?.disabled === false,
        stop: button('Stop')?.disabled === false,
        progress: [...document.querySelectorAll('progress')].some((bar) => bar.getAttribute('aria-label') === status?.textContent),
        cancel: button('Cancel') !== undefined,
      };
      const last = seen.at(-1);
      if (!last || (Object.keys(entry) as Array<keyof Shown>).some((key) => last[key] !== entry[key])) seen.push(entry);
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    record();
  });
}

/** The states {@link watchStatus} recorded. */
function seenOn(page: Page): Promise<Shown[]> {
  return page.evaluate(() => (window as unknown as { seen: Shown[] }).seen);
}

test('a 2,000-turn file is loading, never running: "Loading FILE" with a progressbar and Cancel, no run controls', async ({ app }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-long-run-'));
  const path = join(dir, 'long-run.json');
  writeFileSync(path, JSON.stringify([...countingTrajectory(2_000), { role: 'assistant', content: 'done' }]));

  await watchStatus(app.page);
  await app.openFile(path);
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording) after 2,001 turns$/, { timeout: 60_000 });
  await app.page.screenshot({ path: testInfo.outputPath('loaded.png') });
  // However quickly the load went, while it went the page said so, with its progressbar and Cancel.
  const seen = await seenOn(app.page);
  expect(seen).toContainEqual({ text: 'Loading long-run.json', pause: false, stop: false, progress: true, cancel: true });
  expect(seen.filter((s) => /Running|Starting/.test(s.text))).toEqual([]);
  expect(seen.filter((s) => s.pause || s.stop)).toEqual([]);
  await expect(app.button('Cancel')).toHaveCount(0);
});

test('Cancel while a file loads stops the load where it got to, and opening the trajectory again loads the rest', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-cancel-run-'));
  const path = join(dir, 'cancel-me.json');
  writeFileSync(path, JSON.stringify(countingTrajectory(10_000)));
  // The page loads 10,000 turns in a few seconds: a CPU six times slower keeps the load going long
  // enough to be cancelled by hand, on any machine. (Twenty times slower left the page so busy
  // between its slices of work that a click, several round trips to the page, sometimes came
  // after the load.)
  const cdp = await app.page.context().newCDPSession(app.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  await app.openFile(path);
  await expect(app.status).toHaveText('Loading cancel-me.json');
  // The status's Cancel, not the Open dialog's, which may still be closing.
  await app.page.getByRole('banner').getByRole('button', { name: 'Cancel', exact: true }).click();
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  // Cancelled while the file was read (nothing to show), or while its turns were fetched (what came stays).
  await expect(app.status).toHaveText(/^(No run|Loading cancelled after [\d,]+ turns?: open the run again to load the rest)$/);
  await expect(app.button('Cancel')).toHaveCount(0);
  await expect(app.button('Stop')).toBeDisabled();
  if ((await app.status.textContent())!.startsWith('No run')) return;
  const shown = await app.page.getByRole('region', { name: 'Turns' }).getByRole('listitem').count();
  expect(shown).toBeGreaterThan(0);
  const grid = app.page.getByRole('region', { name: 'Collection' }).getByRole('grid');
  await grid.getByRole('row', { name: /cancel-me/ }).click();
  await expect(app.status).toHaveText('End of the recording after 10,000 turns');
});

test('the collection search matches id and model as well as message text', async ({ app }, testInfo) => {
  await app.openFile(HERMES);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('status')).toHaveText('19 of 19 trajectories');
  const search = collection.getByRole('searchbox', { name: 'Search' });
  // Wait for the engine's full-text answer (no message mentions the session id), then look again.
  const cdp = await app.page.context().newCDPSession(app.page);
  await cdp.send('Network.enable');
  const answered = new Promise<void>((resolve) => cdp.on('Network.webSocketFrameReceived', (e) => e.response.payloadData.includes('"indices"') && resolve()));
  await search.fill('20260219_201205_876b30');
  await answered;
  await expect(collection.getByRole('status')).toHaveText('1 of 19 trajectories');
  await search.fill('anthropic/claude-opus-4.6');
  await expect(collection.getByRole('status')).toHaveText(/^[1-9]\d* of 19 trajectories$/);
  await app.page.screenshot({ path: testInfo.outputPath('search.png') });
});

test('one selection drives the Run selector, the collection, Replay and the status', async ({ app }, testInfo) => {
  await app.openFile(HERMES);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /hermes-agent_session_export\.jsonl/ })).toBeVisible();
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording)/);
  await app.openFile(MINI);
  await expect(collection.getByRole('heading', { name: /mini-swe-agent_github_issue\.traj\.json/ })).toBeVisible();
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording)/);
  const picker = app.page.getByRole('combobox', { name: 'Run' });
  await expect(picker.locator('option:checked')).toHaveText(/^mini-swe-agent_github_issue\.traj\.json #0/);

  // A run of the first file, picked while the second is open: the collection and Replay follow.
  const hermesRun = await picker.locator('option', { hasText: /^hermes-agent_session_export\.jsonl #0/ }).getAttribute('value');
  await picker.selectOption(hermesRun!);
  await expect(collection.getByRole('heading', { name: /hermes-agent_session_export\.jsonl/ })).toBeVisible();
  await expect(collection.getByRole('grid', { name: /Trajectories in hermes/ }).getByRole('row', { selected: true })).toContainText('0');
  await expect(app.button('Replay from start')).toBeVisible();
  await app.page.screenshot({ path: testInfo.outputPath('run-of-other-file.png') });

  // A file picked in the collection panel: the Run selector and the status follow.
  await collection.getByRole('combobox', { name: 'File' }).selectOption({ label: 'mini-swe-agent_github_issue.traj.json' });
  await expect(picker.locator('option:checked')).toHaveText(/^mini-swe-agent_github_issue\.traj\.json #0/);
  await expect(collection.getByRole('heading', { name: /mini-swe-agent_github_issue\.traj\.json/ })).toBeVisible();
  await expect(app.button('Replay from start')).toBeVisible();
});

test('after Stop during a model call the turn no longer says it waits for the model', async ({ app, scriptedServer }, testInfo) => {
  const server = await scriptedServer([{ message: { content: 'never sent' }, hang: true }]);
  await app.startRun({ baseURL: server.url });
  await expect(app.turn(1)).toContainText('waiting for the model');
  await app.button('Stop').click();
  await expect(app.status).toHaveText(/^Stopped by user after/);
  await expect(app.turn(1)).toContainText('stopped before the reply');
  await expect(app.turn(1)).not.toContainText('waiting for the model');
  await app.page.screenshot({ path: testInfo.outputPath('stopped.png') });
});

test('an OpenHands finish call in a closed recording is not badged running', async ({ app }, testInfo) => {
  await app.openFile(corpusFile('openhands_basic.json'));
  // The loop would have run the finish call and gone on; OpenHands ends there, and the file says so.
  await expect(app.status).toHaveText(/^End of the recording after \d+ turns?; the file records it finished$/);
  const finish = app.turns.getByRole('listitem').filter({ hasText: 'finish' }).last();
  await finish.click();
  const card = app.trajectory.getByRole('group', { name: 'Tool call finish' });
  await expect(card).toBeVisible();
  await expect(card.getByText('running', { exact: true })).toHaveCount(0);
  await expect(card.getByText('no result', { exact: true })).toBeVisible();
  await app.page.screenshot({ path: testInfo.outputPath('openhands-finish.png') });
});

test('"schema_valid" is labelled as the reference means it, and the tool schema check is its own status', async ({ app }, testInfo) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(3).click();
  const card = app.trajectory.getByRole('group', { name: 'Tool call read_file' }).first();
  await expect(card.getByText('schema_valid: decoded to an object')).toBeVisible();
  await expect(card.getByText(/^(matches tool schema|does not match tool schema)$/)).toBeVisible();
  await expect(card.getByText('schema valid', { exact: true })).toHaveCount(0);
  await app.page.screenshot({ path: testInfo.outputPath('schema-status.png') });
});

test('a typed Context budget belongs to the run it was typed for', async ({ app }, testInfo) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(5).click();
  const budget = app.promptView.getByRole('textbox', { name: 'Context budget' });
  await budget.fill('8000');
  await expect(app.promptView.getByText('Recomputed for this run only')).toBeVisible();
  const picker = app.page.getByRole('combobox', { name: 'Run' });
  const demo = await picker.inputValue();
  await app.openFile(MINI);
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording)/);
  await expect(budget).toHaveValue('');
  await expect(app.promptView.getByText(/budget of 8,000/)).toHaveCount(0);
  await app.page.screenshot({ path: testInfo.outputPath('budget-other-run.png') });
  await picker.selectOption(demo);
  await expect(budget).toHaveValue('8000');
});

test('each tool-error count is named for what it counts in Metrics and the Collection', async ({ app }, testInfo) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  // The reference's tool_errors list, and the failed calls (tool_calls_exec_error), apart.
  await expect(app.metrics.getByRole('heading', { name: 'tool_errors (1)' })).toBeVisible();
  await expect(app.metrics.getByRole('term').filter({ hasText: 'Exec errors (failed calls)' }).locator('xpath=following-sibling::dd')).toHaveText('2');
  await app.openFile(HERMES);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('columnheader', { name: 'Failed calls' })).toBeVisible();
  await expect(collection.getByRole('columnheader', { name: 'Tool errors' })).toHaveCount(0);
  await app.page.screenshot({ path: testInfo.outputPath('error-counts.png') });
});

test('while replaying, Metrics show the values as of the replayed turn and the recorded final ones apart', async ({ app }, testInfo) => {
  await app.openFile(HERMES);
  const table = app.page.getByRole('grid', { name: /Trajectories in/ });
  await expect(table.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '2');
  await app.page.locator('body').press('L');
  await expect(table.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording)/);
  await app.button('Replay from start').click();
  await expect(app.status).toHaveText('Paused before model call on turn 1');
  await app.button('Step').click();
  await expect(app.status).toHaveText('Paused before model call on turn 2');
  const value = (label: string) => app.metrics.getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd');
  await expect(value('Turns used')).toContainText(/^2derived/);
  await expect(value('Finished naturally')).toContainText(/^not yet/);
  // The recorded final values, where the file records them, are badged "recorded at end" (unit-tested in metrics-panel.test.tsx).
  await app.page.screenshot({ path: testInfo.outputPath('replay-metrics.png') });
});

test('branch settings for an opened file are not prefilled from the last New run', async ({ app, scriptedServer }, testInfo) => {
  const server = await scriptedServer([{ message: { content: 'done' } }]);
  await app.startRun({ baseURL: server.url, maxContextTokens: 8000, user: 'the last New run' });
  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  await app.openFile(MINI);
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording)/);
  await app.turn(1).click();
  await app.trajectory.getByRole('button', { name: 'Re-sample turn' }).first().click();
  // The edit dialog starts the branch; the file has no model of its own, so the settings are asked for.
  await app.page.getByRole('dialog', { name: /Re-sample/ }).getByRole('button', { name: 'Re-sample turn' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Branch settings' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Max context tokens')).toHaveValue('');
  await expect(dialog.getByLabel('User prompt')).not.toHaveValue('the last New run');
  await app.page.screenshot({ path: testInfo.outputPath('branch-settings.png') });
});

test('scrolling the trajectory moves the selection; clicking the selected turn again scrolls back to it', async ({ app }, testInfo) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(2).click();
  await expect(app.turn(2)).toHaveAttribute('aria-current', 'true');
  const scroller = app.trajectory.locator('[data-virtual-scroller]');
  const box = (await scroller.boundingBox())!;
  await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.page.mouse.wheel(0, 2_500);
  // The turn at the top of the view is now the selected one.
  const selected = app.turns.getByRole('listitem').and(app.page.locator('[aria-current="true"]'));
  await expect(selected).not.toContainText(/^\s*Turn 2\b/);
  const turnText = (await selected.textContent())!.match(/Turn (\d+)/)![1]!;
  const card = app.trajectory.getByRole('heading', { name: `Turn ${turnText}` }).or(app.trajectory.getByText(`Turn ${turnText}`, { exact: true })).first();
  // Clicking it again brings its card back to the top of the view.
  await app.turn(Number(turnText)).click();
  await expect.poll(async () => Math.abs((await card.boundingBox())!.y - box.y)).toBeLessThan(40);
  await expect(app.turn(Number(turnText))).toHaveAttribute('aria-current', 'true');
  await app.page.screenshot({ path: testInfo.outputPath('scroll-follow.png') });
});

test('scrolling a trajectory that follows its latest turn stays where the wheel put it', async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  // No turn picked: the view follows the latest turn, and the turn list marks it.
  await expect(app.turn(6)).toHaveAttribute('aria-current', 'true');
  const scroller = app.trajectory.locator('[data-virtual-scroller]');
  const scrollTop = () => scroller.evaluate((element) => element.scrollTop);
  await expect.poll(scrollTop).toBeGreaterThan(400);
  const before = await scrollTop();
  const box = (await scroller.boundingBox())!;
  await app.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await app.page.mouse.wheel(0, -250);
  // The turn at the top of the view becomes the selected one...
  await expect(app.turn(6)).not.toHaveAttribute('aria-current', 'true');
  // ...and the view stays where the wheel left it, frames later, instead of jumping to that turn's top.
  const settled = await scroller.evaluate(async (element) => {
    const tops: number[] = [];
    for (let frame = 0; frame < 10; frame++) {
      tops.push(Math.round(element.scrollTop));
      await new Promise(requestAnimationFrame);
    }
    return tops;
  });
  expect(settled, `scrollTop over 10 frames after a 250 px wheel up from ${before}`).toEqual(Array(10).fill(Math.round(before - 250)));
});

test('j past the bottom of the turn list scrolls it only as far as it must, and the trajectory and prompt follow each press', async ({ app }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-keys-'));
  const path = join(dir, 'keys.json');
  writeFileSync(path, JSON.stringify([...countingTrajectory(200), { role: 'assistant', content: 'done' }]));
  await app.openFile(path);
  await expect(app.status).toHaveText(/after 201 turns$/, { timeout: 60_000 });
  await app.page.keyboard.press('g');
  await app.page.keyboard.press('g');
  await expect(app.turn(1)).toHaveAttribute('aria-current', 'true');
  for (let n = 2; n <= 30; n++) await app.page.keyboard.press('j');
  await expect(app.turn(30)).toHaveAttribute('aria-current', 'true');
  // Turn 30 sits at the list's bottom edge, with the turns just above it still in view.
  const list = (await app.turns.locator('[data-virtual-scroller]').boundingBox())!;
  const row = (await app.turn(30).boundingBox())!;
  expect(Math.abs(row.y + row.height - (list.y + list.height))).toBeLessThan(4);
  await expect(app.turn(27)).toBeInViewport();
  // The trajectory brought turn 30 to its top; the prompt view is turn 30's.
  const trajectory = (await app.trajectory.locator('[data-virtual-scroller]').boundingBox())!;
  const card = (await app.trajectory.locator('article[aria-current="true"]').boundingBox())!;
  await expect(app.trajectory.locator('article[aria-current="true"]')).toContainText('Turn 30');
  expect(Math.abs(card.y - trajectory.y)).toBeLessThan(12);
  await expect(app.promptView.getByText('Turn 30 prompt')).toBeVisible();
  await app.page.screenshot({ path: testInfo.outputPath('j-to-30.png') });
  await app.page.keyboard.press('G');
  await expect(app.turn(201)).toHaveAttribute('aria-current', 'true');
  await expect(app.turn(201)).toBeInViewport();
  await expect(app.promptView.getByText('Turn 201 prompt')).toBeVisible();
  await app.page.keyboard.press('k');
  await expect(app.turn(200)).toHaveAttribute('aria-current', 'true');
  await expect(app.turn(201)).toBeInViewport();
});
