import { expect, test } from './fixtures.js';

test('step the demo loop turn by turn, see tool errors, and read what the model saw', async ({ app }) => {
  await expect(app.status).toHaveText('No run');
  await app.setBreakpoint('Break before model call', true);
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Paused before model call on turn 1');

  for (const next of [2, 3, 4]) {
    await app.button('Step').click();
    await expect(app.status).toHaveText(`Paused before model call on turn ${next}`);
  }
  await expect(app.turns.getByRole('listitem')).toHaveCount(4);
  // Turn 3 read a file that does not exist: the row says so and the call is shown as failed.
  await expect(app.turn(3)).toContainText('tool error');
  await app.turn(3).click();
  await expect(app.trajectory.getByText('file not found: draft.md').first()).toBeVisible();

  await app.setBreakpoint('Break before model call', false);
  await app.button('Run').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await expect(app.turn(4)).toContainText('unknown tool');
  await expect(app.turn(4)).toContainText('coerced arguments');
  await expect(app.turn(1)).toContainText('has reasoning');

  // Turn 5's prompt: turn 1 dropped, the long listing of turn 2 shortened.
  await app.turn(5).click();
  await expect(app.promptView.getByText('2 messages dropped')).toBeVisible();
  await expect(app.promptView.getByText(/shortened: [\d,]+ characters cut/)).toBeVisible();
  const meter = app.promptView.getByRole('meter');
  await expect(meter).toHaveAttribute('aria-valuemax', '600');
  // Switching turns updates the view: turn 1 saw the two initial messages, nothing cut.
  await app.turn(1).click();
  await expect(app.promptView.getByText(/messages dropped/)).toHaveCount(0);

  await expect(app.metrics.getByText(/Turns used\s*6/)).toBeVisible();
  await expect(app.metrics.getByText(/Attempted\s*6/)).toBeVisible();
  await expect(app.metrics.getByText(/Schema valid\s*5/)).toBeVisible();
  // The failed read of draft.md counts as an exec error but the reference leaves it out of tool_errors: shown apart.
  await expect(app.metrics.getByRole('list', { name: /not in tool_errors/ }).getByRole('button', { name: 'Turn 3: read_file: file not found: draft.md' })).toBeVisible();
  // The tool errors list jumps to the turn of an error.
  await app.metrics.getByRole('button', { name: /web_search/ }).click();
  await expect(app.turn(4)).toHaveAttribute('aria-current', 'true');
});

test('the keyboard moves between turns and the find box filters them', async ({ app, page }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(1).click();
  await page.keyboard.press('j');
  await expect(app.turn(2)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('G');
  await expect(app.turn(6)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('g');
  await page.keyboard.press('g');
  await expect(app.turn(1)).toHaveAttribute('aria-current', 'true');
  await page.getByRole('checkbox', { name: 'Errors only' }).check();
  await expect(app.turns.getByRole('listitem')).toHaveCount(2);
});

test('the raw request of a turn opens in the read-only editor, loaded offline under the CSP', async ({ app, page }) => {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(2).click();
  await app.promptView.getByRole('button', { name: 'Raw request' }).click();
  const editor = app.promptView.getByRole('textbox', { name: /Raw request of turn 2/ });
  await expect(editor).toBeAttached();
  await expect(app.promptView.locator('.view-lines')).toContainText('"role": "system"');
  expect(errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
});
