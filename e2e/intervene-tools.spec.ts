import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures.js';
import { TOOL_SCHEMAS, toolEndpoint } from './tool-endpoint.js';

const readFile = (id: string, path: string) => ({ id, type: 'function', function: { name: 'read_file', arguments: JSON.stringify({ path }) } });

/** The events of the one run file the app wrote. */
function runFileEvents(runsDir: string): Array<Record<string, unknown>> {
  const files = readdirSync(runsDir).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return readFileSync(join(runsDir, files[0]!), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('paused before tools: edit a pending call’s arguments, skip another, continue in the same run', async ({ app, scriptedServer, runsDir }, testInfo) => {
  const server = await scriptedServer([
    { message: { content: 'Reading two files.', tool_calls: [readFile('c1', 'draft.md'), readFile('c2', 'secret.txt')] } },
    { message: { content: 'Done.' } },
  ]);
  const tools = await toolEndpoint();
  try {
    await app.setBreakpoint('Break before tools', true);
    await app.button('New run').click();
    const form = app.page.getByRole('dialog', { name: 'New run' });
    await form.getByLabel('Base URL').fill(server.url);
    await form.getByLabel('Model').fill('scripted');
    await form.getByLabel('User prompt').fill('Read the notes.');
    await form.getByLabel('Tool schemas (JSON)').setInputFiles({ name: 'tools.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(TOOL_SCHEMAS)) });
    await form.getByLabel('Tool endpoint URL').fill(tools.url);
    await form.getByRole('button', { name: 'Start run' }).click();

    // The run waits before its tools: the row and the card say which calls are about to run.
    await expect(app.status).toHaveText('Paused before tools on turn 1');
    await expect(app.turn(1)).toContainText('read_file, read_file');
    await expect(app.turn(1)).toContainText('pending tool calls');
    await expect(app.turn(1)).not.toContainText('answer');
    const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
    const pending = turn1.getByRole('group', { name: 'Pending tool call read_file' });
    await expect(pending).toHaveCount(2);
    const first = pending.nth(0);
    await expect(first).toContainText('draft.md');
    // The same two checks as a call that ran: the reference's schema_valid, and the tool's JSON Schema.
    await expect(first.getByText('schema_valid: decoded to an object')).toBeVisible();
    await expect(first.getByText('matches tool schema')).toBeVisible();
    await first.getByText('Parameter schema').click();
    await expect(first.getByText('"required"')).toBeVisible();
    expect(tools.requests).toEqual([]);

    // Edit the first call's arguments in the schema-checked editor.
    await first.getByRole('button', { name: 'Edit arguments' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Edit arguments: read_file (turn 1, before it runs)' });
    const editor = dialog.locator('.monaco-editor .view-lines');
    await expect(editor).toBeVisible();
    const replace = (text: string) => app.replaceEditorText(dialog, text);
    await replace('{"path": 5}');
    await expect(dialog.getByRole('status')).toContainText("do not match read_file's parameter schema");
    await replace('{"path": "notes.md"}');
    await expect(dialog.getByRole('status')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Use these arguments' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(first).toContainText('notes.md');
    await expect(first.getByText('edited at breakpoint')).toBeVisible();
    await expect(app.turn(1)).toContainText('edited at breakpoint');

    // Skip the second call.
    const second = pending.nth(1);
    // From the keyboard: the turn card above has just grown (the edit's marks), and the list
    // re-measures it, so a pointer aimed a moment earlier can land beside the button.
    await second.getByRole('button', { name: 'Skip call' }).press('Enter');
    await expect(second.getByText('skipped at breakpoint')).toBeVisible();
    await app.page.screenshot({ path: testInfo.outputPath('paused-before-tools.png'), fullPage: true });

    await turn1.getByRole('button', { name: 'Continue' }).click();
    await expect(app.status).toHaveText('Finished naturally after 2 turns');

    // The tool got the user's arguments, and only for the call that was not skipped.
    expect(tools.requests.map((r) => [r.tool_name, r.arguments])).toEqual([['read_file', { path: 'notes.md' }]]);

    // The card of the call that ran carries the mark and both arguments; the skipped one its error.
    await app.turn(1).click();
    const ran = turn1.getByRole('group', { name: 'Tool call read_file', exact: true });
    await expect(ran).toHaveCount(2);
    await expect(ran.nth(0).getByText('edited at breakpoint')).toBeVisible();
    await expect(ran.nth(0)).toContainText('contents of notes.md');
    await expect(ran.nth(0).getByText('Arguments the model sent')).toBeVisible();
    await expect(ran.nth(1).getByText('skipped at breakpoint')).toBeVisible();
    await expect(ran.nth(1).getByText('PermissionError: the user skipped the call', { exact: true })).toBeVisible();
    await expect(app.turn(1)).toContainText('edited at breakpoint');
    await expect(app.turn(1)).toContainText('skipped at breakpoint');
    await app.page.screenshot({ path: testInfo.outputPath('after-continue.png'), fullPage: true });

    // The run file holds the model's arguments and the user's.
    const events = runFileEvents(runsDir);
    const reply = events.find((e) => e.type === 'model_reply' && e.turn === 1) as { message: { tool_calls: Array<{ function: { arguments: string } }> } };
    expect(reply.message.tool_calls.map((c) => c.function.arguments)).toEqual(['{"path":"draft.md"}', '{"path":"secret.txt"}']);
    const interventions = events.filter((e) => e.type === 'tool_call_intervened');
    expect(interventions).toMatchObject([
      { turn: 1, index: 0, intervention: { action: 'edit', modelArguments: '{"path":"draft.md"}', arguments: '{"path": "notes.md"}' } },
      { turn: 1, index: 1, intervention: { action: 'skip', modelArguments: '{"path":"secret.txt"}' } },
    ]);
    const started = events.filter((e) => e.type === 'tool_started');
    expect(started.map((e) => e.arguments)).toEqual(['{"path": "notes.md"}', '{"path":"secret.txt"}']);
    expect(events.filter((e) => e.type === 'tool_finished').map((e) => e.status)).toEqual(['ok', 'exception']);
  } finally {
    tools.server.close();
  }
});
