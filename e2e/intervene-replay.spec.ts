import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { TOOL_SCHEMAS, toolEndpoint } from './tool-endpoint.js';
import type { AppPage } from './pages/app-page.js';

// A recorded trajectory: one read_file call, its result, then the answer.
const OPENED = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-replay-')), 'chat.json');
writeFileSync(
  OPENED,
  JSON.stringify([
    { role: 'user', content: 'Read the draft.' },
    { role: 'assistant', content: 'Reading.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path": "draft.md"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'the recorded draft' },
    { role: 'assistant', content: 'Read it.' },
  ]),
);

/** Replays the opened file from the start with Break before tools, up to turn 1's pending call. */
async function replayToPendingCall(app: AppPage): Promise<Locator> {
  await expect(app.status).toHaveText('Finished naturally after 2 turns');
  await app.setBreakpoint('Break before tools', true);
  await app.button('Replay from start').click();
  await expect(app.status).toHaveText('Paused before model call on turn 1');
  await app.button('Run').click();
  await expect(app.status).toHaveText('Paused before tools on turn 1');
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByText('A recording cannot run tools: Edit arguments or Skip call continues as a branch from turn 1')).toBeVisible();
  return turn1.getByRole('group', { name: 'Pending tool call read_file' });
}

/** Fills the Branch settings form the branch asks for (the replay has no model or tools) and starts it. */
async function startBranch(app: AppPage, modelURL: string, toolURL: string): Promise<void> {
  const settings = app.page.getByRole('dialog', { name: 'Branch settings' });
  await expect(settings.getByText('choose the endpoint and tools the branch runs against from turn 1')).toBeVisible();
  await settings.getByLabel('Base URL').fill(modelURL);
  await settings.getByLabel('Model').fill('scripted');
  await settings.getByLabel('Tool schemas (JSON)').setInputFiles({ name: 'tools.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TOOL_SCHEMAS)) });
  await settings.getByLabel('Tool endpoint URL').fill(toolURL);
  await settings.getByRole('button', { name: 'Start branch' }).click();
}

test.describe('a replay paused at a breakpoint', () => {
  test.use({ openFiles: [{ path: OPENED }] });

  test('edits a pending call: the edit continues as a branch from the turn, whose tool gets the edited arguments', async ({ app, scriptedServer }, testInfo) => {
    const server = await scriptedServer([{ message: { content: 'Read the notes.' } }]);
    const tools = await toolEndpoint();
    try {
      const pending = await replayToPendingCall(app);
      await expect(pending).toContainText('draft.md');
      await pending.getByRole('button', { name: 'Edit arguments' }).click();
      const dialog = app.page.getByRole('dialog', { name: 'Edit arguments: read_file (turn 1, before it runs)' });
      await expect(dialog.getByText('A recording cannot run tools: this continues as a branch from turn 1')).toBeVisible();
      await expect(dialog.locator('.monaco-editor .view-lines')).toBeVisible();
      await app.replaceEditorText(dialog, '{"path": "notes.md"}');
      await app.page.screenshot({ path: testInfo.outputPath('replay-edit-dialog.png') });
      await dialog.getByRole('button', { name: 'Continue as branch' }).click();
      await startBranch(app, server.url, tools.url);

      // The branch is a live run with the breakpoints set: it waits before its tools, the edited call pending.
      await expect(app.status).toHaveText('Paused before tools on turn 1');
      const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
      await expect(turn1.getByRole('note', { name: 'Forked here: turn 1: read_file arguments edited' })).toBeVisible();
      await expect(turn1.getByRole('group', { name: 'Pending tool call read_file' })).toContainText('notes.md');
      expect(tools.requests).toEqual([]);
      await app.page.screenshot({ path: testInfo.outputPath('replay-edit-branch-paused.png'), fullPage: true });
      await turn1.getByRole('button', { name: 'Continue', exact: true }).click();
      await expect(app.status).toHaveText('Finished naturally after 2 turns');
      const ran = turn1.getByRole('group', { name: 'Tool call read_file', exact: true });
      await expect(ran).toContainText('notes.md');
      await expect(ran).toContainText('contents of notes.md');
      await expect(app.trajectory.getByRole('article', { name: 'Turn 2' })).toContainText('Read the notes.');
      expect(tools.requests.map((r) => [r.tool_name, r.arguments])).toEqual([['read_file', { path: 'notes.md' }]]);
      // The branch's model was asked for turn 2 only, with the edited call's result.
      expect(server.requests).toHaveLength(1);
      const branches = app.page.getByRole('region', { name: 'Branches' });
      await expect(branches.getByRole('listitem')).toHaveCount(2);
      await app.page.screenshot({ path: testInfo.outputPath('replay-edit-branch.png'), fullPage: true });

      // The replay is as it was: paused before the same tools, which play the recorded call on Continue.
      await branches.getByRole('button', { name: 'chat.json #0: chat' }).click();
      await expect(app.status).toHaveText('Paused before tools on turn 1');
      const replayed = app.trajectory.getByRole('article', { name: 'Turn 1' });
      await expect(replayed.getByRole('group', { name: 'Pending tool call read_file' })).toContainText('draft.md');
      await replayed.getByRole('button', { name: 'Continue', exact: true }).click();
      await expect(app.status).toHaveText('Finished naturally after 2 turns');
      await expect(replayed.getByRole('group', { name: 'Tool call read_file', exact: true })).toContainText('the recorded draft');
      expect(tools.requests).toHaveLength(1);
    } finally {
      tools.server.close();
    }
  });

  test('skips a pending call: the branch’s turn records the skip as a tool error', async ({ app, scriptedServer }, testInfo) => {
    const server = await scriptedServer([{ message: { content: 'Skipped, then.' } }]);
    const tools = await toolEndpoint();
    try {
      const pending = await replayToPendingCall(app);
      await pending.getByRole('button', { name: 'Skip call' }).click();
      await startBranch(app, server.url, tools.url);

      await expect(app.status).toHaveText('Paused before tools on turn 1');
      const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
      await expect(turn1.getByRole('note', { name: 'Forked here: turn 1: read_file call skipped' })).toBeVisible();
      await expect(turn1.getByRole('group', { name: 'Pending tool call read_file' }).getByText('skipped at breakpoint')).toBeVisible();
      await turn1.getByRole('button', { name: 'Continue', exact: true }).click();
      await expect(app.status).toHaveText('Finished naturally after 2 turns');
      const skipped = turn1.getByRole('group', { name: 'Tool call read_file', exact: true });
      await expect(skipped.getByText('skipped at breakpoint')).toBeVisible();
      await expect(skipped.getByText('PermissionError: the user skipped the call', { exact: true })).toBeVisible();
      expect(tools.requests).toEqual([]);
      const toolMessage = (server.requests[0] as { messages: Array<{ role: string; content: string }> }).messages.at(-1);
      expect(toolMessage).toEqual({ role: 'tool', tool_call_id: 'c1', content: '{"error": "Tool execution failed: PermissionError: the user skipped the call"}' });
      await app.page.screenshot({ path: testInfo.outputPath('replay-skip-branch.png'), fullPage: true });
    } finally {
      tools.server.close();
    }
  });

  test('paused before a model call: the edited call continues as a branch', async ({ app, scriptedServer }, testInfo) => {
    const server = await scriptedServer([{ message: { content: 'Hi from the endpoint.' } }]);
    const tools = await toolEndpoint();
    try {
      await expect(app.status).toHaveText('Finished naturally after 2 turns');
      await app.button('Replay from start').click();
      await expect(app.status).toHaveText('Paused before model call on turn 1');
      const card = app.trajectory.getByRole('group', { name: 'Model call of turn 1, paused before it' });
      await expect(card.getByText('A recording cannot call a model: this continues as a branch from turn 1')).toBeVisible();
      await card.getByLabel('Base URL').fill(server.url);
      await card.getByLabel('Model').fill('chosen-model');
      await card.getByLabel('Temperature').fill('0.2');
      await app.page.screenshot({ path: testInfo.outputPath('replay-before-model.png') });
      await card.getByRole('button', { name: 'Continue as branch' }).click();
      await startBranch(app, server.url, tools.url);

      // The reply calls no tools: the branch ends at turn 1, with no further model call.
      await expect(app.status).toHaveText('Finished naturally after 1 turn');
      const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
      await expect(turn1).toContainText('Hi from the endpoint.');
      await expect(turn1.getByRole('note', { name: /^Forked here: turn 1: asked once/ })).toBeVisible();
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]).toMatchObject({ model: 'chosen-model', temperature: 0.2, messages: [{ role: 'user', content: 'Read the draft.' }] });
    } finally {
      tools.server.close();
    }
  });
});
