import { expect, test } from './fixtures.js';

test('edit a failing tool call’s arguments, re-run the turn, see the branch succeed and compare the two', async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(3).click();
  const failing = app.trajectory.getByRole('article', { name: 'Turn 3' }).getByRole('group', { name: 'Tool call read_file' });
  await expect(failing).toContainText('error');
  await expect(failing).toContainText('draft.md');
  await failing.getByRole('button', { name: 'Edit arguments' }).click();

  const dialog = app.page.getByRole('dialog', { name: 'Edit arguments: read_file (turn 3)' });
  const editor = dialog.locator('.monaco-editor .view-lines');
  await expect(editor).toBeVisible();
  const replace = (text: string) => app.replaceEditorText(dialog, text);
  // Invalid JSON: no re-run, and the parse error says why.
  await replace('{"path": ');
  await expect(dialog.getByRole('alert')).toContainText('Not valid JSON');
  await expect(dialog.getByRole('button', { name: 'Re-run turn' })).toBeDisabled();
  // Valid JSON that breaks the tool's schema: a visible warning, and it may still be sent.
  await replace('{"path": 5}');
  await expect(dialog.getByRole('status')).toContainText("do not match read_file's parameter schema");
  await expect(dialog.getByRole('button', { name: 'Re-run turn' })).toBeEnabled();
  await replace('{"path": "notes.md"}');
  await expect(dialog.getByRole('status')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Re-run turn' }).click();

  // The branch is selected: its turn 3 really read the file, and the loop went on to the end.
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(3).click();
  const fixed = app.trajectory.getByRole('article', { name: 'Turn 3' }).getByRole('group', { name: 'Tool call read_file' });
  await expect(fixed).toContainText('notes.md');
  await expect(fixed.getByText('ok', { exact: true })).toBeVisible();

  const branches = app.page.getByRole('region', { name: 'Branches' });
  await expect(branches.getByRole('listitem')).toHaveCount(2);
  await expect(branches.getByRole('listitem').nth(1)).toContainText(/turn 3/);

  await branches.getByRole('button', { name: 'Compare' }).click();
  const compare = app.page.getByRole('region', { name: 'Compare' });
  await expect(compare).toBeVisible();
  const turn3 = compare.getByRole('article', { name: 'Turn 3' });
  await expect(turn3.locator('del').filter({ hasText: 'draft' }).first()).toBeVisible();
  await expect(turn3.locator('ins').filter({ hasText: 'notes' }).first()).toBeVisible();
});

test('re-sample a turn: the model is called again from that turn’s prompt, as a new branch', async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(5).click();
  await app.trajectory.getByRole('article', { name: 'Turn 5' }).getByRole('button', { name: 'Re-sample turn' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Re-sample turn 5' });
  await dialog.getByLabel('Temperature').fill('0.2');
  await dialog.getByRole('checkbox', { name: /Pause at the fork/ }).check();
  await dialog.getByRole('button', { name: 'Re-sample turn' }).click();
  // The branch waits at the fork: step one turn, then run to the end, as with any run.
  await expect(app.status).toHaveText('Paused before model call on turn 5');
  await app.button('Step').click();
  await expect(app.status).toHaveText('Paused before model call on turn 6');
  await app.button('Run').click();
  await expect(app.status).toHaveText(/^Finished naturally after 6 turns$/);
  await expect(app.page.getByRole('region', { name: 'Branches' }).getByRole('listitem')).toHaveCount(2);
});

test('edit a tool result and continue: the branch carries the edited result and goes on from the next turn', async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(3).click();
  const failing = app.trajectory.getByRole('article', { name: 'Turn 3' }).getByRole('group', { name: 'Tool call read_file' });
  await failing.getByRole('button', { name: 'Edit result of read_file' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Edit result: read_file (turn 3)' });
  const editor = dialog.locator('.monaco-editor .view-lines');
  await expect(editor).toBeVisible();
  await editor.click();
  await app.page.keyboard.press('ControlOrMeta+A');
  await app.page.keyboard.press('Delete');
  await app.page.keyboard.type('draft.md: an older draft of the note');
  await dialog.getByRole('button', { name: 'Edit and continue' }).click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(3).click();
  const edited = app.trajectory.getByRole('article', { name: 'Turn 3' }).getByRole('group', { name: 'Tool call read_file' });
  await expect(edited).toContainText('draft.md: an older draft of the note');
  await expect(edited.getByText('ok', { exact: true })).toBeVisible();
  await expect(app.page.getByRole('region', { name: 'Branches' }).getByRole('listitem').nth(1)).toContainText(/turn 3/);
});

test('edit the prompt and continue: the loop runs again from turn 1 as a new branch', async ({ app }) => {
  await app.button('Demo').click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  // The prompt is the first message of the trajectory, just above turn 1.
  await app.turn(1).click();
  await app.trajectory.getByRole('button', { name: 'Edit prompt (user)' }).click();
  const dialog = app.page.getByRole('dialog', { name: 'Edit prompt' });
  await dialog.getByLabel('User prompt').fill('Write the project note, then check it.');
  await dialog.getByRole('button', { name: 'Edit and continue' }).click();
  await expect(app.status).toHaveText('Finished naturally after 6 turns');
  await app.turn(1).click();
  await expect(app.trajectory.getByText('Write the project note, then check it.')).toBeVisible();
  const branches = app.page.getByRole('region', { name: 'Branches' });
  await expect(branches.getByRole('listitem')).toHaveCount(2);
  await expect(branches.getByRole('listitem').nth(1)).toContainText(/prompt/);
});
