/// <reference lib="dom" />
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusFile, expect, test } from './fixtures.js';
import type { Locator } from '@playwright/test';

const HERMES = corpusFile('hermes-agent_session_export.jsonl');
const MINI = corpusFile('mini-swe-agent_github_issue.traj.json');
const INSPECT = corpusFile('inspect-ai_security-guide.json');
const EVAL = corpusFile('inspect-ai_log_streaming.eval');

/** The value a definition list shows for a term (a metric, a count of a turn's usage). */
const termValue = (scope: Locator, term: string): Locator => scope.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd');

test('opens a file by path, lists its trajectories, and shows each as a run with derived values marked', async ({ app }) => {
  await app.openFile(HERMES);

  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /hermes-agent_session_export\.jsonl: 19 trajectories/ })).toBeVisible();
  const table = collection.getByRole('grid', { name: 'Trajectories in hermes-agent_session_export.jsonl' });
  await expect(collection.getByRole('status')).toHaveText('19 of 19 trajectories');
  // The first trajectory is on screen without asking.
  await expect(table.getByRole('row', { selected: true })).toContainText('0');
  await expect(app.metrics.getByText('derived').first()).toBeVisible();

  await collection.getByRole('checkbox', { name: 'Errors only' }).check();
  const errorRows = await collection.getByRole('status').textContent();
  expect(errorRows).toMatch(/^\d+ of 19 trajectories$/);
  expect(Number(errorRows!.split(' ')[0])).toBeLessThan(19);
  await table.getByRole('row').nth(1).click();
  await app.turns.getByRole('checkbox', { name: 'Errors only' }).check();
  await app.turns.getByRole('listitem').first().click();
  await expect(app.trajectory.getByText('error', { exact: true }).first()).toBeVisible();
  const exec = termValue(app.metrics, 'Exec errors');
  await expect(exec).toContainText(/^[1-9]\d*derived$/);
});

test('opens an Inspect .eval log sample by sample: lists them, opens any one, and finds one by what it says', async ({ app }) => {
  await app.openFile(EVAL);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /inspect-ai_log_streaming\.eval: 4 trajectories/ })).toBeVisible();
  await expect(collection.getByRole('status')).toHaveText('4 of 4 trajectories');
  const table = collection.getByRole('grid', { name: 'Trajectories in inspect-ai_log_streaming.eval' });
  // Samples in id and epoch order; the third is sample 2, epoch 1, whose answer is "No.".
  await table.getByRole('row').filter({ hasText: '2#1' }).click();
  await expect(table.getByRole('row', { selected: true })).toContainText('2#1');
  await expect(app.trajectory.getByText('No.', { exact: true })).toBeVisible();
  await expect(app.trajectory.getByText(/I want /).first()).toBeVisible();
  // Only one sample answered "Yes.": the search reads each sample's messages.
  await collection.getByRole('searchbox', { name: 'Search' }).fill('Yes.');
  await expect(collection.getByRole('status')).toHaveText('1 of 4 trajectories');
  await expect(table.getByRole('row').filter({ hasText: '1#2' })).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('eval-search.png') });
});

test('H and L open the previous and next trajectory; Replay from start steps through one turn by turn', async ({ app }) => {
  await app.openFile(HERMES);
  const table = app.page.getByRole('grid', { name: /Trajectories in/ });
  await expect(table.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '2');
  await app.page.locator('body').press('L');
  await expect(table.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');
  await app.page.locator('body').press('L');
  await app.page.locator('body').press('H');
  await expect(table.getByRole('row', { selected: true })).toHaveAttribute('aria-rowindex', '3');

  await app.button('Replay from start').click();
  await expect(app.status).toHaveText('Paused before model call on turn 1');
  await app.button('Step').click();
  await expect(app.status).toHaveText('Paused before model call on turn 2');
  await expect(app.turn(1)).toBeVisible();
  await app.button('Run').click();
  await expect(app.status).toHaveText(/^(Finished naturally|End of the recording) after \d+ turns?$/);
});

test.describe('opened at start like trajdbg open FILE#N', () => {
  test.use({ openFiles: [{ path: MINI, index: 0 }] });

  test('shows the trajectory, keeps observations between model calls, and recomputes the prompt under a budget', async ({ app }) => {
    await expect(app.status).toHaveText('Finished naturally after 10 turns');
    await app.turn(9).click();
    await expect(app.promptView.getByText('Recomputed, no budget')).toBeVisible();
    const before = await app.promptView.locator('.prompt-message').count();
    await app.promptView.getByLabel('Context budget').fill('300');
    await expect(app.promptView.getByText('Recomputed with a budget of 300 tokens')).toBeVisible();
    await expect(app.promptView.getByText(/dropped/i).first()).toBeVisible();
    expect(before).toBeGreaterThan(0);
    await app.promptView.getByRole('button', { name: 'Use the run’s own' }).click();
    await expect(app.promptView.getByText('Recomputed, no budget')).toBeVisible();
  });

  test('continues the trajectory live from a turn as a new run', async ({ app, scriptedServer }) => {
    const server = await scriptedServer([{ message: { content: 'Picked up from turn 3 and finished.' } }]);
    await expect(app.status).toHaveText('Finished naturally after 10 turns');
    await app.turn(3).click();
    await app.page.getByRole('button', { name: 'Continue live from turn 3' }).click();
    const dialog = app.page.getByRole('dialog', { name: 'Continue live' });
    await dialog.getByLabel('Base URL').fill(server.url);
    await dialog.getByLabel('Model').fill('scripted');
    await dialog.getByRole('button', { name: 'Continue live' }).click();
    await expect(app.status).toHaveText('Finished naturally after 1 turn');
    await expect(app.trajectory.getByText('Picked up from turn 3 and finished.')).toBeVisible();
    const sent = (server.requests[0] as { messages: Array<{ role: string }> }).messages;
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user']);
  });
});

test.describe('a file that records the prompt of each model call', () => {
  test.use({ openFiles: [{ path: INSPECT }] });

  test('shows the recorded prompt and the reward', async ({ app }) => {
    await expect(app.page.getByRole('grid', { name: /Trajectories in inspect-ai_security-guide\.json/ })).toBeVisible();
    await expect(app.promptView.getByText('Recorded in the file')).toBeVisible();
    await expect(app.metrics.getByRole('term').filter({ hasText: 'Reward' })).toBeVisible();
  });
});

test('a budget typed over a message Python cannot measure says the truncation raises, and the other panels go on', async ({ app }) => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-odd-'));
  const path = join(folder, 'odd.json');
  writeFileSync(path, JSON.stringify([{ role: 'user', content: 3.5 }, { role: 'assistant', content: 'A number is no question.' }]));
  await app.openFile(path);
  await expect(app.status).toHaveText('Finished naturally after 1 turn');
  await app.turn(1).click();
  // Without a budget it counts 0 tokens, which the prompt view and the turn list say.
  await expect(app.promptView.getByText('1 message could not be estimated (content that is not text, counted as 0 tokens)')).toBeVisible();
  await expect(app.turn(1)).toContainText('0+ est. tokens');
  await app.promptView.getByLabel('Context budget').fill('100');
  await expect(app.promptView.getByRole('alert')).toContainText("as the reference loop would: TypeError: object of type 'float' has no len()");
  await expect(app.trajectory.getByText('A number is no question.')).toBeVisible();
  await app.promptView.getByRole('button', { name: 'Use the run’s own' }).click();
  await expect(app.promptView.getByText('Recomputed, no budget')).toBeVisible();
  await expect(app.promptView.getByRole('alert')).toHaveCount(0);
});

test('a file rewritten by another program since it was opened is named as such, not shown as another trajectory', async ({ app }) => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-rewritten-'));
  const path = join(folder, 'log.jsonl');
  const chat = (question: string) => JSON.stringify({ messages: [{ role: 'user', content: question }, { role: 'assistant', content: 'An answer.' }] });
  writeFileSync(path, `${chat('First question?')}\n${chat('Second question?')}\n`);
  await app.openFile(path);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('status')).toHaveText('2 of 2 trajectories');
  writeFileSync(path, `${chat('Another question, written over the first?')}\n${chat('And over the second?')}\n`);
  await collection.getByRole('grid').getByRole('row').nth(2).click();
  await expect(app.page.getByRole('alert').filter({ hasText: `${path}: the file was written to since it was opened` })).toContainText('close it and open it again');
  await expect(app.trajectory.getByText('And over the second?')).toHaveCount(0);
});

test('exports the opened trajectory as a Markdown report and the whole file as ShareGPT', async ({ app }) => {
  const out = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-export-'));
  await app.openFile(HERMES);
  await expect(app.page.getByRole('grid', { name: /Trajectories in/ }).getByRole('row', { selected: true })).toBeVisible();

  await app.button('Export…').click();
  const dialog = app.page.getByRole('dialog', { name: 'Export' });
  await dialog.getByLabel('Format').selectOption({ label: 'Markdown report (one trajectory)' });
  await dialog.getByLabel('Save to').fill(join(out, 'one.md'));
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(dialog.getByRole('status')).toContainText(`Wrote 1 trajectory`);
  expect(readFileSync(join(out, 'one.md'), 'utf8')).toMatch(/^# /);

  await dialog.getByRole('radio', { name: /Every trajectory in/ }).check();
  await dialog.getByLabel('Format').selectOption({ label: 'ShareGPT JSONL (hermes-agent)' });
  await dialog.getByLabel('Save to').fill(join(out, 'all.sharegpt.jsonl'));
  await dialog.getByRole('button', { name: 'Export' }).click();
  await expect(dialog.getByRole('status')).toContainText('Wrote 19 trajectories');
  expect(readFileSync(join(out, 'all.sharegpt.jsonl'), 'utf8').trim().split('\n')).toHaveLength(19);
});

test('a file dropped on the page is uploaded and opened; a broken one is named with what is wrong', async ({ app }) => {
  const good = readFileSync(MINI, 'utf8');
  const drop = async (name: string, text: string) => {
    const transfer = await app.page.evaluateHandle(([fileName, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], fileName, { type: 'application/json' }));
      return data;
    }, [name, text] as const);
    await app.page.dispatchEvent('main', 'dragenter', { dataTransfer: transfer });
    await app.page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  };
  await drop('mini.traj.json', good);
  await expect(app.status).toHaveText('Finished naturally after 10 turns');

  await drop('broken.jsonl', '{"messages": [\n');
  await expect(app.page.getByRole('alert')).toContainText('broken.jsonl');
  await expect(app.page.getByRole('alert')).toContainText(/broken\.jsonl: not valid JSON at line 2, column 1/);
});

test('a large file shows its progress with a Cancel button', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-big-'));
  const path = join(dir, 'big.jsonl');
  // Many tool calls per line: each costs the indexer far more than its bytes, so the load
  // lasts long enough to cancel on any machine, while the file stays small to write.
  const calls = Array.from({ length: 100 }, (_, k) => ({ id: `c${k}`, type: 'function', function: { name: 'terminal', arguments: `{"command": "echo ${k}"}` } }));
  const results = calls.map((c) => ({ role: 'tool', tool_call_id: c.id, content: '{"output": "ok", "exit_code": 0}' }));
  const line = `${JSON.stringify({ messages: [{ role: 'user', content: 'run them' }, { role: 'assistant', content: '', tool_calls: calls }, ...results, { role: 'assistant', content: 'done' }] })}\n`;
  writeFileSync(path, line.repeat(6_000));
  await app.openFile(path);
  const progress = app.page.getByRole('progressbar', { name: 'Loading big.jsonl' });
  await expect(progress).toBeVisible();
  // The numbers beside the bar grow as the file is read; Cancel stays where the pointer is.
  const cancelAt = await app.page.evaluate(async () => {
    const xs: string[] = [];
    for (let frame = 0; frame < 20; frame++) {
      const cancel = [...document.querySelectorAll('.run-loading button')].find((b) => b.textContent === 'Cancel');
      if (!cancel) break;
      const { x, y } = cancel.getBoundingClientRect();
      xs.push(`${Math.round(x)},${Math.round(y)}`);
      await new Promise(requestAnimationFrame);
    }
    return xs;
  });
  expect(new Set(cancelAt).size, `Cancel's place in successive frames: ${cancelAt.join(' ')}`).toBe(1);
  await app.button('Cancel').click();
  await expect(app.page.getByText(/Loading big\.jsonl was cancelled after [\d,]+ trajectories/)).toBeVisible();
});

test('a JSONL file with a broken line opens its good lines and lists the bad one with its line number', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-lines-'));
  const path = join(dir, 'rollouts.jsonl');
  const good = (n: number) => JSON.stringify({ id: `r${n}`, messages: [{ role: 'user', content: `task ${n}` }, { role: 'assistant', content: 'done' }] });
  writeFileSync(path, `${good(1)}\n{"messages": [oops\n${good(3)}\n`);
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('status')).toHaveText('2 of 2 trajectories');
  const skipped = app.page.getByText('1 line of rollouts.jsonl could not be read and was skipped');
  await skipped.click();
  await expect(app.page.getByText(`${path}:2: not valid JSON at column 15`)).toBeVisible();
});

test('a 10 MB tool result is folded with its size and opens whole in a read-only editor', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-long-'));
  const path = join(dir, 'long.json');
  const huge = `${'0123456789abcdef'.repeat(655_360)}`;
  const messages = [
    { role: 'user', content: 'read the log' },
    { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path": "big.log"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: huge },
    { role: 'assistant', content: 'It is long.' },
  ];
  writeFileSync(path, JSON.stringify(messages));
  await app.openFile(path);
  // Reading, parsing and sending 10 MB to the page is the work under test: on a busy machine it
  // takes longer than the default wait for a UI change.
  await expect(app.status).toHaveText('Finished naturally after 2 turns', { timeout: 45_000 });
  await app.turn(1).click();
  const showAll = app.trajectory.getByRole('button', { name: 'Show all (10,240 KB)' });
  await expect(showAll).toBeVisible();
  expect(await app.page.evaluate(() => document.body.innerText.length)).toBeLessThan(200_000);
  await showAll.click();
  const viewer = app.page.getByRole('dialog', { name: 'Turn 1, read_file: result' });
  await expect(viewer.locator('.monaco-editor')).toBeVisible();
});

test('opens an ATIF trajectory and a rewound agent session, each branch listed with its parent', async ({ app }) => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-branches-'));
  const atif = join(folder, 'trajectory.json');
  writeFileSync(
    atif,
    JSON.stringify({
      schema_version: 'ATIF-v1.7',
      session_id: 'tb-hello',
      agent: { name: 'terminus-2', version: '2.0.0', model_name: 'gpt-5' },
      steps: [
        { step_id: 1, source: 'system', message: 'You are an agent in a terminal.' },
        { step_id: 2, source: 'user', message: 'Create hello.txt in /root.' },
        {
          step_id: 3,
          source: 'agent',
          message: 'I will write the file.',
          tool_calls: [{ tool_call_id: 'call_1', function_name: 'bash', arguments: { keystrokes: 'echo hi > /root/hello.txt' } }],
          observation: { results: [{ source_call_id: 'call_1', content: 'bash: /root/hello.txt: Permission denied', extra: { is_error: true } }] },
        },
        { step_id: 4, source: 'agent', message: 'I could not write it: permission denied.' },
      ],
      subagent_trajectories: [{ schema_version: 'ATIF-v1.7', trajectory_id: 'summarizer', agent: { name: 'terminus-2', version: '2.0.0' }, steps: [{ step_id: 1, source: 'user', message: 'Summarize the run.' }, { step_id: 2, source: 'agent', message: 'The write failed.' }] }],
    }),
  );
  await app.openFile(atif);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /trajectory\.json: 2 trajectories/ })).toBeVisible();
  const table = collection.getByRole('grid', { name: 'Trajectories in trajectory.json' });
  // The embedded subagent opens apart, linked to the run it belongs to.
  await expect(table.getByRole('row').filter({ hasText: 'tb-hello/summarizer' })).toContainText('tb-hello @ turn');
  // The result flagged as an error is a tool error of the opened trajectory.
  await expect(app.trajectory.getByText('Permission denied', { exact: false }).first()).toBeVisible();
  await expect(app.trajectory.getByText('error', { exact: true }).first()).toBeVisible();

  // An agent session rewound after its first answer: the conversation that went on, and the
  // abandoned one as its branch.
  const session = join(folder, 'session.jsonl');
  const line = (uuid: string, parentUuid: string | null, type: 'user' | 'assistant', text: string) =>
    JSON.stringify({ type, uuid, parentUuid, sessionId: 's-sort', timestamp: '2026-12-01T10:00:00Z', message: type === 'user' ? { role: 'user', content: text } : { id: `msg_${uuid}`, role: 'assistant', model: 'claude-sonnet-4', content: [{ type: 'text', text }] } });
  writeFileSync(
    session,
    [line('u1', null, 'user', 'Write a sort.'), line('a1', 'u1', 'assistant', 'Which algorithm?'), line('u2', 'a1', 'user', 'QuickSort.'), line('a2', 'u2', 'assistant', 'Here is QuickSort.'), line('u3', 'a1', 'user', 'MergeSort, please.'), line('a3', 'u3', 'assistant', 'Here is MergeSort.')].join('\n') + '\n',
  );
  await app.openFile(session);
  await expect(collection.getByRole('heading', { name: /session\.jsonl: 2 trajectories/ })).toBeVisible();
  const sessions = collection.getByRole('grid', { name: 'Trajectories in session.jsonl' });
  await expect(app.trajectory.getByText('Here is MergeSort.')).toBeVisible();
  await expect(app.trajectory.getByText('Here is QuickSort.')).toHaveCount(0);
  const branch = sessions.getByRole('row').filter({ hasText: 's-sort @ turn 1' });
  await branch.click();
  await expect(app.trajectory.getByText('Here is QuickSort.')).toBeVisible();
  await expect(app.trajectory.getByText('Here is MergeSort.')).toHaveCount(0);
  await app.page.screenshot({ path: test.info().outputPath('session-branch.png') });
});

test('opens SFT sets that write their calls in the text: a JSON list of ToolACE records and glaive rows', async ({ app }) => {
  const folder = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-sft-'));
  const toolace = join(folder, 'toolace.json');
  const record = (city: string, temp: number) => ({
    system: 'You are an expert in composing functions.',
    conversations: [
      { from: 'user', value: `Weather in ${city}?` },
      { from: 'assistant', value: `[Get Weather(city="${city}")]` },
      { from: 'tool', value: JSON.stringify([{ name: 'Get Weather', results: { temp } }]) },
      { from: 'assistant', value: `It is ${temp} degrees in ${city}.` },
    ],
  });
  writeFileSync(toolace, JSON.stringify([record('Oslo', 3), record('Lima', 19)], null, 2));
  await app.openFile(toolace);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /toolace\.json: 2 trajectories/ })).toBeVisible();
  // The call written as a Python list is a tool call with its arguments, answered by its result.
  await expect(app.trajectory.getByText('Get Weather').first()).toBeVisible();
  await expect(app.trajectory.getByText('"city": "Oslo"', { exact: false }).first()).toBeVisible();
  // The result is decoded JSON, shown as its fields.
  await expect(app.trajectory.getByText('temp: 3', { exact: false }).first()).toBeVisible();
  await collection.getByRole('grid', { name: 'Trajectories in toolace.json' }).getByRole('row').filter({ hasText: 'Lima' }).first().click();
  await expect(app.trajectory.getByText('It is 19 degrees in Lima.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('toolace.png') });

  const glaive = join(folder, 'glaive.jsonl');
  const chat = 'USER: The factorial of 5?\n\n\nASSISTANT: <functioncall> {"name": "calculate_factorial", "arguments": \'{"number": 5}\'} <|endoftext|>\n\n\nFUNCTION RESPONSE: {"result": 120}\n\n\nASSISTANT: The factorial of 5 is 120. <|endoftext|>\n';
  const system = 'SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -\n{"name": "calculate_factorial", "parameters": {"type": "object", "properties": {"number": {"type": "integer"}}}}';
  writeFileSync(glaive, `${JSON.stringify({ system, chat })}\n`);
  await app.openFile(glaive);
  await expect(collection.getByRole('heading', { name: /glaive\.jsonl: 1 trajectory/ })).toBeVisible();
  await expect(app.trajectory.getByText('calculate_factorial').first()).toBeVisible();
  await expect(app.trajectory.getByText('result: 120', { exact: false }).first()).toBeVisible();
  await expect(app.trajectory.getByText('The factorial of 5 is 120.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('glaive.png') });
});

test('opens a LangGraph thread state: LangChain messages with their tool calls, named by thread', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-langgraph-')), 'thread.json');
  const aiFields = { additional_kwargs: {}, response_metadata: { model_name: 'gpt-4o-mini' }, name: null, example: false, invalid_tool_calls: [] };
  const state = {
    thread_id: 'support-42',
    status: 'idle',
    values: {
      messages: [
        { type: 'human', content: 'What is the weather in Oslo?', id: 'h1' },
        { type: 'ai', content: '', id: 'a1', tool_calls: [{ name: 'get_weather', args: { city: 'Oslo' }, id: 'call_1', type: 'tool_call' }], ...aiFields },
        { type: 'tool', content: '{"temp": 3}', id: 't1', name: 'get_weather', tool_call_id: 'call_1', status: 'success' },
        { type: 'ai', content: 'It is 3 degrees in Oslo.', id: 'a2', tool_calls: [], ...aiFields, usage_metadata: { input_tokens: 96, output_tokens: 11, total_tokens: 107, input_token_details: { cache_read: 64 } } },
      ],
    },
  };
  writeFileSync(path, JSON.stringify(state));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /thread\.json: 1 trajectory/ })).toBeVisible();
  await expect(app.trajectory.getByText('get_weather').first()).toBeVisible();
  await expect(app.trajectory.getByText('"city": "Oslo"', { exact: false }).first()).toBeVisible();
  await expect(app.trajectory.getByText('temp: 3', { exact: false }).first()).toBeVisible();
  await expect(app.trajectory.getByText('It is 3 degrees in Oslo.')).toBeVisible();
  await expect(app.page.getByRole('combobox', { name: 'Run' })).toContainText('support-42');
  // The usage LangChain records on the reply is its turn's.
  const usage = app.trajectory.getByRole('article', { name: 'Turn 2' }).getByLabel('Tokens and latency of turn 2');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('96');
  await expect(termValue(usage, 'Cached')).toHaveText('64');
  await app.page.screenshot({ path: test.info().outputPath('langgraph.png') });
});

test('opens a BFCL multi-turn result: each step a model call, results paired with calls, a failed call flagged', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-bfcl-')), 'BFCL_v4_multi_turn_base_result.json');
  const decoded = { role: 'handler_log', content: 'Successfully decoded model response.' };
  const entry = {
    id: 'multi_turn_base_7',
    result: [[[{ cd: '{"folder": "temp"}' }, { grep: '{"file_name": "report.pdf", "pattern": "budget"}' }], []]],
    input_token_count: [[312, 340]],
    output_token_count: [[41, 12]],
    latency: [[1.2, 0.4]],
    inference_log: [
      [{ role: 'state_info', class_name: 'GorillaFileSystem', content: { root: '<Directory: workspace>' } }],
      {
        begin_of_turn_query: [{ role: 'user', content: 'Find budget lines in report.pdf inside temp.' }],
        step_0: [
          { role: 'assistant', content: [{ cd: '{"folder": "temp"}' }, { grep: '{"file_name": "report.pdf", "pattern": "budget"}' }] },
          decoded,
          { role: 'tool', content: '{"current_working_directory": "temp"}' },
          { role: 'tool', content: '{"error": "grep: report.pdf: No such file or directory"}' },
        ],
        step_1: [{ role: 'assistant', content: [] }, decoded],
      },
    ],
  };
  writeFileSync(path, `${JSON.stringify(entry)}\n`);
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /BFCL_v4_multi_turn_base_result\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call cd' })).toBeVisible();
  await expect(turn1.getByRole('group', { name: 'Tool call grep' }).getByText('No such file or directory', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  // The tokens and latency the file records for each model call are shown on its turn.
  const usage = turn1.getByLabel('Tokens and latency of turn 1');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('312');
  await expect(termValue(usage, 'Latency')).toHaveText('1,200 ms');
  await app.page.screenshot({ path: test.info().outputPath('bfcl.png') });
});

test('opens saved smolagents memory steps: the task, the plan, each step\'s call and its observation or error', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-smolagents-')), 'memory.json');
  const timing = { start_time: 1, end_time: 2, duration: 1 };
  const action = (n: number, id: string, name: string, args: unknown, outcome: Record<string, unknown>) => ({ step_number: n, timing, model_input_messages: null, tool_calls: [{ id, type: 'function', function: { name, arguments: args } }], error: null, model_output: '', observations: null, is_final_answer: false, ...outcome });
  const steps = [
    { task: 'How many moons does Mars have?', task_images: null },
    action(1, 'call_1', 'visit_webpage', { url: 'https://example.org/mars' }, { error: { type: 'AgentToolExecutionError', message: 'Error when executing tool visit_webpage: 404 Not Found' } }),
    action(2, 'call_2', 'web_search', { query: 'Mars moons' }, { observations: 'Mars has two moons, Phobos and Deimos.' }),
  ];
  writeFileSync(path, JSON.stringify(steps, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /memory\.json: 1 trajectory/ })).toBeVisible();
  await expect(app.trajectory.getByText('How many moons does Mars have?', { exact: false }).first()).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call visit_webpage' }).getByText('404 Not Found', { exact: false }).first()).toBeVisible();
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  await expect(turn2.getByRole('group', { name: 'Tool call web_search' }).getByText('Phobos and Deimos', { exact: false }).first()).toBeVisible();
  // The step's error is its call's: a failed call, counted as the reference counts one.
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await app.page.screenshot({ path: test.info().outputPath('smolagents.png') });
});

test('opens OpenTelemetry traces (OTLP JSON): a trajectory per trace, model calls and tool executions in order', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-otlp-')), 'traces.json');
  const attr = (key: string, value: unknown) => ({ key, value: { stringValue: typeof value === 'string' ? value : JSON.stringify(value) } });
  const span = (spanId: string, start: number, attributes: unknown[], status: { code: number; message?: string } = { code: 1 }) => ({ traceId: 'trace-42', spanId, name: spanId, startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(start)), attributes, status });
  const user = { role: 'user', parts: [{ type: 'text', content: 'Weather in Oslo?' }] };
  const call = { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Oslo' } };
  const spans = [
    span('chat-1', 1, [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o'), attr('gen_ai.input.messages', [user]), attr('gen_ai.output.messages', [{ role: 'assistant', parts: [call] }])]),
    span('tool-1', 2, [attr('gen_ai.operation.name', 'execute_tool'), attr('gen_ai.tool.name', 'get_weather'), attr('gen_ai.tool.call.id', 'call_1'), attr('gen_ai.tool.call.result', 'timeout')], { code: 2, message: 'weather service timed out' }),
    span('chat-2', 3, [attr('gen_ai.operation.name', 'chat'), attr('gen_ai.request.model', 'gpt-4o'), attr('gen_ai.input.messages', [user, { role: 'assistant', parts: [call] }]), attr('gen_ai.output.messages', [{ role: 'assistant', parts: [{ type: 'text', content: 'The weather service is down.' }] }])]),
  ];
  writeFileSync(path, JSON.stringify({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'app' }, spans }] }] }, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /traces\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('weather service timed out', { exact: false }).first()).toBeVisible();
  await expect(app.trajectory.getByText('The weather service is down.')).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await app.page.screenshot({ path: test.info().outputPath('otlp.png') });
});

test('opens an AutoGen team run: the agent\'s calls, their results and its reply, named by the agent', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-autogen-')), 'task_result.json');
  const message = (type: string, source: string, content: unknown) => ({ source, models_usage: null, metadata: {}, content, type });
  const result = {
    messages: [
      message('TextMessage', 'user', 'What is the weather in Paris?'),
      message('ToolCallRequestEvent', 'weather_agent', [{ id: 'call_1', arguments: '{"city": "Paris"}', name: 'get_weather' }]),
      message('ToolCallExecutionEvent', 'weather_agent', [{ content: 'Paris: 18 C', name: 'get_weather', call_id: 'call_1', is_error: false }]),
      message('TextMessage', 'weather_agent', 'It is 18 C in Paris.'),
    ],
    stop_reason: null,
  };
  writeFileSync(path, JSON.stringify(result, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /task_result\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('Paris: 18 C').first()).toBeVisible();
  await expect(app.trajectory.getByText('It is 18 C in Paris.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('autogen.png') });
});

test('opens an OpenCode session export: one turn per step, a failed read as a tool error, each step\'s tokens', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-opencode-')), 'ses_export.json');
  const sessionID = 'ses_5f1c2a9e7ffeDq0Pz1n8yB3kLm';
  const part = (type: string, rest: Record<string, unknown>) => ({ id: `prt_${type}_${Math.random().toString(36).slice(2)}`, sessionID, messageID: 'msg_2', type, ...rest });
  const tokens = (input: number, output: number, read: number, write: number) => ({ input, output, reasoning: 0, cache: { read, write } });
  const session = {
    info: { id: sessionID, version: '1.0.150', projectID: 'p1', directory: '/w', title: 'List the files', time: { created: 1760000000000, updated: 1760000009000 } },
    messages: [
      { info: { id: 'msg_1', sessionID, role: 'user', time: { created: 1760000000000 }, agent: 'build', model: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' } }, parts: [part('text', { text: 'List the files, then read c.txt' })] },
      {
        info: { id: 'msg_2', sessionID, role: 'assistant', time: { created: 1760000001000, completed: 1760000009000 }, parentID: 'msg_1', modelID: 'claude-sonnet-4-5', providerID: 'anthropic', mode: 'build', agent: 'build', path: { cwd: '/w', root: '/w' }, cost: 0.02, tokens: tokens(18, 58, 24060, 12100), finish: 'stop' },
        parts: [
          part('step-start', {}),
          part('tool', { callID: 'toolu_01', tool: 'bash', state: { status: 'completed', input: { command: 'ls' }, output: 'a.txt\nb.txt', title: 'ls', metadata: {}, time: { start: 1, end: 2 } } }),
          part('step-finish', { reason: 'tool-calls', cost: 0.01, tokens: tokens(10, 30, 0, 12000) }),
          part('step-start', {}),
          part('tool', { callID: 'toolu_02', tool: 'read', state: { status: 'error', input: { filePath: '/w/c.txt' }, error: 'File not found: /w/c.txt', time: { start: 3, end: 4 } } }),
          part('step-finish', { reason: 'tool-calls', cost: 0.005, tokens: tokens(5, 20, 12000, 60) }),
          part('step-start', {}),
          part('text', { text: 'There are two files; c.txt does not exist.' }),
          part('step-finish', { reason: 'stop', cost: 0.005, tokens: tokens(3, 8, 12060, 40) }),
        ],
      },
    ],
    todos: [],
  };
  writeFileSync(path, JSON.stringify(session, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /ses_export\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call bash' }).getByText('b.txt', { exact: false }).first()).toBeVisible();
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  await expect(turn2.getByRole('group', { name: 'Tool call read' }).getByText('File not found: /w/c.txt', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('There are two files; c.txt does not exist.')).toBeVisible();
  // The uncached input, the cache reads and writes of the step make its prompt; the reads are shown apart.
  const usage = turn2.getByLabel('Tokens and latency of turn 2');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('12,065');
  await expect(termValue(usage, 'Cached')).toHaveText('12,000');
  await app.page.screenshot({ path: test.info().outputPath('opencode.png') });
});

test('opens an OpenAI Agents SDK run state: the handoff and the call waiting for approval, why it stopped, each call\'s tokens', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-agents-')), 'run-state.json');
  // What `result.state.toString()` saved for a triage agent that handed off to a files agent whose
  // delete_file call waits for approval (@openai/agents 0.20, against a scripted model), cut to the keys read.
  const call = (id: string, callId: string, name: string, args: string) => ({ id, type: 'function_call', callId, name, status: 'completed', arguments: args, providerData: { type: 'function', function: { name, arguments: args } } });
  const handoff = call('chatcmpl-1', 'call_h1', 'transfer_to_Files_agent', '{}');
  const del = call('chatcmpl-2', 'call_d1', 'delete_file', '{"path":"/tmp/old.log"}');
  const reply = { id: 'chatcmpl-2', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'I will remove it.', providerData: { role: 'assistant' } }] };
  const usage = (input: number, output: number) => ({ requests: 1, inputTokens: input, outputTokens: output, totalTokens: input + output, inputTokensDetails: [{ cached_tokens: 0 }], outputTokensDetails: [{ reasoning_tokens: 0 }] });
  const state = {
    $schemaVersion: '1.22',
    currentTurn: 2,
    currentAgent: { name: 'Files agent' },
    originalInput: [{ role: 'user', content: 'Delete /tmp/old.log' }],
    modelResponses: [
      { usage: usage(52, 12), output: [handoff], responseId: 'chatcmpl-1', providerData: { id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4.1' } },
      { usage: usage(118, 21), output: [reply, del], responseId: 'chatcmpl-2', providerData: { id: 'chatcmpl-2', object: 'chat.completion', model: 'gpt-4.1' } },
    ],
    maxTurns: 10,
    currentStep: { type: 'next_step_interruption', data: { interruptions: [{ type: 'tool_approval_item', rawItem: del, agent: { name: 'Files agent' }, toolName: 'delete_file' }] } },
    generatedItems: [
      { type: 'handoff_call_item', rawItem: handoff, agent: { name: 'Triage' } },
      { type: 'handoff_output_item', rawItem: { type: 'function_call_result', name: 'transfer_to_Files_agent', callId: 'call_h1', status: 'completed', output: { type: 'text', text: '{"assistant":"Files agent"}' } }, sourceAgent: { name: 'Triage' }, targetAgent: { name: 'Files agent' } },
      { type: 'message_output_item', rawItem: reply, agent: { name: 'Files agent' } },
      { type: 'tool_call_item', rawItem: del, agent: { name: 'Files agent' } },
      { type: 'tool_approval_item', rawItem: del, agent: { name: 'Files agent' }, toolName: 'delete_file' },
    ],
    trace: { object: 'trace', id: 'trace_4c1e0b7f2a9d4e3f8b6a5c7d9e1f2a3b', workflow_name: 'Agent workflow', group_id: null, metadata: {} },
  };
  writeFileSync(path, JSON.stringify(state));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /run-state\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call transfer_to_Files_agent' }).getByText('Files agent', { exact: false }).first()).toBeVisible();
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  await expect(turn2.getByText('I will remove it.')).toBeVisible();
  await expect(turn2.getByRole('group', { name: 'Tool call delete_file' })).toBeVisible();
  await expect(termValue(app.metrics, 'Stop reason')).toContainText('waiting for approval of delete_file');
  await expect(termValue(turn2.getByLabel('Tokens and latency of turn 2'), 'Reported prompt')).toHaveText('118');
  await app.page.screenshot({ path: test.info().outputPath('openai-agents-state.png') });
});

test('opens a Google ADK session: the events as turns, a tool that threw as a failed call, each response\'s tokens', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-adk-')), 'weather.session.json');
  // As `adk run --save_session` writes it (by_alias, camel case), for a weather agent whose second call's tool threw.
  const actions = { stateDelta: {}, artifactDelta: {}, requestedAuthConfigs: {}, requestedToolConfirmations: {} };
  const event = (id: string, author: string, content: unknown, extra: Record<string, unknown> = {}) => ({ invocationId: 'e-1', author, id, actions, longRunningToolIds: [], timestamp: 1796671628490, content, ...extra });
  const session = {
    id: 'e974f0aa-b8fd-4c3b-aea9-f9432e815f00',
    appName: 'weather_app',
    userId: 'test_user',
    state: {},
    events: [
      event('u1', 'user', { role: 'user', parts: [{ text: 'Weather in Tokyo and Atlantis?' }] }),
      event('m1', 'weather_agent', { role: 'model', parts: [{ text: 'Look both up.', thought: true }, { functionCall: { id: 'adk-c1', name: 'get_weather', args: { city: 'Tokyo' } } }, { functionCall: { id: 'adk-c2', name: 'get_weather', args: { city: 'Atlantis' } } }] }, { usageMetadata: { promptTokenCount: 120, candidatesTokenCount: 30, thoughtsTokenCount: 12, totalTokenCount: 162, cachedContentTokenCount: 64 }, finishReason: 'STOP', modelVersion: 'gemini-2.5-flash' }),
      event('r1', 'weather_agent', { role: 'user', parts: [{ functionResponse: { id: 'adk-c1', name: 'get_weather', response: { status: 'success', report: 'Sunny, 22C in Tokyo' } } }, { functionResponse: { id: 'adk-c2', name: 'get_weather', response: { error: "Error in tool 'get_weather': unknown city: Atlantis" } } }] }),
      event('m2', 'weather_agent', { role: 'model', parts: [{ text: 'Tokyo is sunny, 22C. Atlantis is not a city I know.' }] }, { usageMetadata: { promptTokenCount: 210, candidatesTokenCount: 18, totalTokenCount: 228 }, finishReason: 'STOP', modelVersion: 'gemini-2.5-flash' }),
    ],
    lastUpdateTime: 1796671628500,
  };
  writeFileSync(path, JSON.stringify(session, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /weather\.session\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('Sunny, 22C in Tokyo', { exact: false }).first()).toBeVisible();
  await expect(turn1.getByText('unknown city: Atlantis', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('Tokyo is sunny, 22C. Atlantis is not a city I know.')).toBeVisible();
  const usage = turn1.getByLabel('Tokens and latency of turn 1');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('120');
  await expect(termValue(usage, 'Cached')).toHaveText('64');
  await expect(termValue(usage, 'Reasoning')).toHaveText('12');
  await app.page.screenshot({ path: test.info().outputPath('adk-session.png') });
});

test('opens a JSONL file saved as UTF-16 (as Windows PowerShell 5 writes it) like its UTF-8', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-utf16-')), 'rollouts.jsonl');
  const lines = ['Where is Zürich?', 'Und Köln?'].map((q) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: `An answer to: ${q}` }] }));
  writeFileSync(path, Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf16le'));
  await app.openFile(path);
  const collection = app.page.getByRole('region', { name: 'Collection' });
  await expect(collection.getByRole('heading', { name: /rollouts\.jsonl: 2 trajectories/ })).toBeVisible();
  await expect(collection.getByRole('row').filter({ hasText: 'Und Köln?' })).toBeVisible();
  await expect(app.trajectory.getByText('An answer to: Where is Zürich?')).toBeVisible();
});

test('opens AI SDK model messages (response.messages): the calls and their results, a tool that threw as a failed call', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-ai-model-')), 'history.json');
  // What generateText returned as response.messages for two steps, after the prompt a caller keeps.
  const messages = [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Tokyo and Atlantis?' }] },
    { role: 'assistant', content: [{ type: 'reasoning', text: 'Look both up.' }, { type: 'tool-call', toolCallId: 'call_1', toolName: 'getWeather', input: { city: 'Tokyo' } }, { type: 'tool-call', toolCallId: 'call_2', toolName: 'getWeather', input: { city: 'Atlantis' } }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_1', toolName: 'getWeather', output: { type: 'json', value: { temperature: 22, sky: 'sunny' } } }, { type: 'tool-result', toolCallId: 'call_2', toolName: 'getWeather', output: { type: 'error-text', value: 'unknown city: Atlantis' } }] },
    { role: 'assistant', content: [{ type: 'text', text: 'Tokyo is sunny, 22C. Atlantis is unknown.' }] },
  ];
  writeFileSync(path, JSON.stringify(messages, null, 2));
  await app.openFile(path);
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call getWeather' }).getByText('sunny', { exact: false }).first()).toBeVisible();
  await expect(turn1.getByText('unknown city: Atlantis', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('Tokyo is sunny, 22C. Atlantis is unknown.')).toBeVisible();
});

test('opens a model call log: the calls of one conversation as its turns, each request as the prompt the model saw', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-calls-')), 'calls.jsonl');
  const system = { role: 'system', content: 'You are helpful.' };
  const ask = { role: 'user', content: 'Weather in Tokyo?' };
  const call = { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] };
  const completion = (message: Record<string, unknown>, prompt: number, output: number) => ({ id: 'chatcmpl-1', object: 'chat.completion', model: 'gpt-4o-2024-08-06', choices: [{ index: 0, message, finish_reason: 'stop' }], usage: { prompt_tokens: prompt, completion_tokens: output, total_tokens: prompt + output } });
  // The second request left the system prompt out: the prompt view shows what was sent, not the trajectory.
  const lines = [
    { request: { model: 'gpt-4o', messages: [system, ask] }, response: completion(call, 50, 10) },
    { request: { model: 'gpt-4o', messages: [ask, call, { role: 'tool', tool_call_id: 'call_1', content: 'Sunny, 22C' }] }, response: completion({ role: 'assistant', content: 'It is sunny in Tokyo.' }, 70, 5) },
  ];
  writeFileSync(path, lines.map((line) => JSON.stringify(line)).join('\n'));
  await app.openFile(path);
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('Sunny, 22C', { exact: false }).first()).toBeVisible();
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  await expect(turn2.getByText('It is sunny in Tokyo.')).toBeVisible();
  await expect(termValue(turn2.getByLabel('Tokens and latency of turn 2'), 'Reported prompt')).toHaveText('70');
  await app.page.getByRole('region', { name: 'Turns' }).getByText('Turn 2', { exact: true }).click();
  await expect(app.promptView.getByText('Recorded in the file')).toBeVisible();
  await expect(app.promptView.getByText('Sunny, 22C')).toBeVisible();
  await expect(app.promptView.getByText('You are helpful.')).toHaveCount(0);
  await app.page.screenshot({ path: test.info().outputPath('call-log.png') });
});

test('opens a Semantic Kernel chat history: the function calls and their results, each reply\'s tokens', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-sk-')), 'chat_history.json');
  const item = (content_type: string, rest: Record<string, unknown>) => ({ metadata: {}, content_type, ...rest });
  const history = {
    messages: [
      { metadata: {}, content_type: 'message', role: 'user', items: [item('text', { text: 'Weather in Tokyo?' })] },
      { ai_model_id: 'gpt-4o', metadata: { usage: { prompt_tokens: 80, completion_tokens: 20 } }, content_type: 'message', role: 'assistant', items: [item('function_call', { id: 'call_1', index: 0, name: 'Weather-get_weather', function_name: 'get_weather', plugin_name: 'Weather', arguments: '{"city":"Tokyo"}' })], finish_reason: 'tool_calls' },
      { metadata: {}, content_type: 'message', role: 'tool', items: [item('function_result', { id: 'call_1', result: 'Sunny, 22C', name: 'Weather-get_weather', function_name: 'get_weather', plugin_name: 'Weather' })] },
      { ai_model_id: 'gpt-4o', metadata: { usage: { prompt_tokens: 120, completion_tokens: 9 } }, content_type: 'message', role: 'assistant', items: [item('text', { text: 'It is sunny in Tokyo.' })], finish_reason: 'stop' },
    ],
  };
  writeFileSync(path, JSON.stringify(history, null, 2));
  await app.openFile(path);
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call Weather-get_weather' }).getByText('Sunny, 22C', { exact: false }).first()).toBeVisible();
  await expect(termValue(turn1.getByLabel('Tokens and latency of turn 1'), 'Reported prompt')).toHaveText('80');
  await expect(app.trajectory.getByText('It is sunny in Tokyo.')).toBeVisible();
});

test('opens a Continue session: the attached file before the question, a call that errored as a tool error', async ({ app }) => {
  const dir = mkdtempSync(join(tmpdir(), 'trajdbg-e2e-continue-'));
  const path = join(dir, '0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e.json');
  const call = { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"filepath":"notes.md"}' } };
  const session = {
    sessionId: '0b7c6d5e-4f3a-4b2c-9d1e-8f7a6b5c4d3e',
    title: 'Summarize the README',
    workspaceDirectory: 'file:///home/u/proj',
    history: [
      { message: { role: 'user', content: 'Summarize this, and notes.md.' }, contextItems: [{ content: 'README.md: A tool for tracing agents.', name: 'README.md', description: 'README.md', id: { providerTitle: 'file', itemId: 'r1' } }] },
      { message: { role: 'assistant', content: '', toolCalls: [call] }, contextItems: [], toolCallState: { toolCallId: 'call_1', toolCall: call, status: 'errored', parsedArgs: {} } },
      { message: { role: 'tool', content: 'File notes.md does not exist', toolCallId: 'call_1' }, contextItems: [] },
      { message: { role: 'assistant', content: 'It is a tool for tracing agents; notes.md does not exist.' }, contextItems: [] },
    ],
  };
  writeFileSync(path, JSON.stringify(session, null, 2));
  await app.openFile(path);
  await expect(app.trajectory.getByText('README.md: A tool for tracing agents.')).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call read_file' }).getByText('File notes.md does not exist', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('It is a tool for tracing agents; notes.md does not exist.')).toBeVisible();
});

test('opens LangSmith runs: the trace\'s model calls as turns, the tool run\'s result, each call\'s tokens and duration', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-langsmith-')), 'runs.json');
  const lc = (cls: string, kwargs: Record<string, unknown>) => ({ lc: 1, type: 'constructor', id: ['langchain', 'schema', 'messages', cls], kwargs });
  const human = lc('HumanMessage', { content: 'What is the weather in Oslo?', type: 'human' });
  const call = lc('AIMessage', { content: '', type: 'ai', tool_calls: [{ name: 'get_weather', args: { city: 'Oslo' }, id: 'call_1', type: 'tool_call' }], invalid_tool_calls: [] });
  const result = lc('ToolMessage', { content: '3 C and sunny', type: 'tool', name: 'get_weather', tool_call_id: 'call_1', status: 'success' });
  const answer = lc('AIMessage', { content: 'It is 3 C and sunny in Oslo.', type: 'ai', tool_calls: [], invalid_tool_calls: [] });
  const trace = 'b7d1c0de-0000-4000-8000-000000000001';
  const run = (id: string, runType: string, second: number, rest: Record<string, unknown>) => ({ id, name: runType, run_type: runType, trace_id: trace, parent_run_id: id === trace ? null : trace, start_time: `2025-03-01T10:00:0${second}.000000`, end_time: `2025-03-01T10:00:0${second + 1}.250000`, error: null, extra: { metadata: { ls_model_name: 'gpt-4o-mini' } }, ...rest });
  const generation = (message: unknown) => ({ generations: [[{ text: '', type: 'ChatGeneration', message }]], type: 'LLMResult' });
  const runs = [
    run(trace, 'chain', 0, { inputs: { messages: [] }, outputs: {} }),
    run('llm-1', 'llm', 1, { inputs: { messages: [[human]] }, outputs: generation(call), prompt_tokens: 80, completion_tokens: 15, total_tokens: 95 }),
    run('tool-1', 'tool', 3, { inputs: { input: "{'city': 'Oslo'}" }, outputs: { output: result } }),
    run('llm-2', 'llm', 5, { inputs: { messages: [[human, call, result]] }, outputs: generation(answer), prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 }),
  ];
  writeFileSync(path, JSON.stringify(runs, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /runs\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(app.trajectory.getByText('It is 3 C and sunny in Oslo.')).toBeVisible();
  const usage = turn1.getByLabel('Tokens and latency of turn 1');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('80');
  await expect(termValue(usage, 'Latency')).toHaveText('1,250 ms');
  await app.page.screenshot({ path: test.info().outputPath('langsmith.png') });
});

test('opens a chat saved from an AI SDK app: each step a turn, the tool part\'s output, a failed call as a tool error', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-aisdk-')), 'chat.json');
  const messages = [
    { id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Weather in Oslo and Bergen?' }] },
    {
      id: 'a1',
      role: 'assistant',
      parts: [
        { type: 'step-start' },
        { type: 'tool-getWeather', toolCallId: 'call_1', state: 'output-available', input: { city: 'Oslo' }, output: { temp: 3 } },
        { type: 'tool-getWeather', toolCallId: 'call_2', state: 'output-error', input: { city: 'Bergen' }, errorText: 'service down' },
        { type: 'step-start' },
        { type: 'text', text: 'Oslo is 3 C; Bergen could not be read.', state: 'done' },
      ],
    },
  ];
  writeFileSync(path, JSON.stringify({ id: 'chat-7', messages }, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /chat\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call getWeather' }).first().getByText('temp: 3', { exact: false }).first()).toBeVisible();
  await expect(turn1.getByText('service down', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('Oslo is 3 C; Bergen could not be read.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('ai-sdk.png') });
});

test('opens a headless agent run (stream-json): the calls and their results, a failed read as a tool error, each turn\'s usage', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-stream-')), 'run.jsonl');
  const session = '5f1c2a9e-0000-4000-8000-000000000001';
  const assistant = (id: string, content: unknown[], usage: unknown) => ({ type: 'assistant', message: { id, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: null, usage }, parent_tool_use_id: null, session_id: session });
  const lines = [
    { type: 'system', subtype: 'init', cwd: '/w', session_id: session, tools: ['Bash', 'Read'], model: 'claude-sonnet-4-5' },
    assistant('msg_01', [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } }, { type: 'tool_use', id: 'toolu_02', name: 'Read', input: { file_path: '/w/c.txt' } }], { input_tokens: 4, cache_creation_input_tokens: 1200, cache_read_input_tokens: 10000, output_tokens: 48 }),
    { type: 'user', message: { role: 'user', content: [{ tool_use_id: 'toolu_01', type: 'tool_result', content: 'a.txt\nb.txt' }, { tool_use_id: 'toolu_02', type: 'tool_result', content: 'File does not exist.', is_error: true }] }, parent_tool_use_id: null, session_id: session },
    assistant('msg_02', [{ type: 'text', text: 'There is a.txt and b.txt; c.txt does not exist.' }], { input_tokens: 4, cache_creation_input_tokens: 60, cache_read_input_tokens: 11200, output_tokens: 14 }),
    { type: 'result', subtype: 'success', is_error: false, num_turns: 2, session_id: session, result: 'There is a.txt and b.txt; c.txt does not exist.' },
  ];
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /run\.jsonl: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call Bash' }).getByText('b.txt', { exact: false }).first()).toBeVisible();
  await expect(turn1.getByRole('group', { name: 'Tool call Read' }).getByText('File does not exist.', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  const usage = turn1.getByLabel('Tokens and latency of turn 1');
  await expect(termValue(usage, 'Reported prompt')).toHaveText('11,204');
  await expect(app.trajectory.getByText('There is a.txt and b.txt; c.txt does not exist.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('claude-stream.png') });
});

test('opens a Gemini chat history: each call with its response, a failed call as a tool error', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-gemini-')), 'history.json');
  const history = [
    { role: 'user', parts: [{ text: 'Weather and time in Oslo?' }] },
    { role: 'model', parts: [{ functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Oslo' } } }, { functionCall: { id: 'fc-2', name: 'get_time', args: { city: 'Oslo' } } }] },
    { role: 'user', parts: [{ functionResponse: { id: 'fc-1', name: 'get_weather', response: { output: '3 C and sunny' } } }, { functionResponse: { id: 'fc-2', name: 'get_time', response: { error: 'time service down' } } }] },
    { role: 'model', parts: [{ text: 'It is 3 C and sunny; the time could not be read.' }] },
  ];
  writeFileSync(path, JSON.stringify(history, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /history\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(turn1.getByRole('group', { name: 'Tool call get_time' }).getByText('time service down', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(app.trajectory.getByText('It is 3 C and sunny; the time could not be read.')).toBeVisible();
  await app.page.screenshot({ path: test.info().outputPath('gemini-contents.png') });
});

test('opens a Bedrock Converse history: tool uses with their results, an error result as a tool error', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-converse-')), 'agent.json');
  const messages = [
    { role: 'user', content: [{ text: 'Weather and time in Oslo?' }] },
    { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Oslo' } } }, { toolUse: { toolUseId: 'tooluse_2', name: 'get_time', input: { city: 'Oslo' } } }] },
    { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_1', content: [{ text: '3 C and sunny' }], status: 'success' } }, { toolResult: { toolUseId: 'tooluse_2', content: [{ text: 'time service down' }], status: 'error' } }] },
    { role: 'assistant', content: [{ text: 'It is 3 C and sunny; the time could not be read.' }] },
  ];
  writeFileSync(path, JSON.stringify({ messages }, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /agent\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(turn1.getByRole('group', { name: 'Tool call get_time' }).getByText('time service down', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await app.page.screenshot({ path: test.info().outputPath('converse.png') });
});

test('opens Pydantic AI messages: a retried call as a tool error, the next call\'s result, each response\'s usage', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-pydantic-')), 'messages.json');
  const messages = [
    { kind: 'request', parts: [{ part_kind: 'user-prompt', content: 'Weather in Oslo?' }] },
    { kind: 'response', usage: { input_tokens: 50, output_tokens: 10 }, parts: [{ part_kind: 'tool-call', tool_name: 'get_weather', args: { town: 'Oslo' }, tool_call_id: 'call_1' }] },
    { kind: 'request', parts: [{ part_kind: 'retry-prompt', tool_name: 'get_weather', tool_call_id: 'call_1', content: 'city is required' }] },
    { kind: 'response', usage: { input_tokens: 90, output_tokens: 9 }, parts: [{ part_kind: 'tool-call', tool_name: 'get_weather', args: { city: 'Oslo' }, tool_call_id: 'call_2' }] },
    { kind: 'request', parts: [{ part_kind: 'tool-return', tool_name: 'get_weather', tool_call_id: 'call_2', content: '3 C and sunny' }] },
    { kind: 'response', usage: { input_tokens: 120, output_tokens: 8 }, parts: [{ part_kind: 'text', content: 'It is 3 C and sunny in Oslo.' }] },
  ];
  writeFileSync(path, JSON.stringify(messages, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /messages\.json: 1 trajectory/ })).toBeVisible();
  await expect(app.trajectory.getByRole('article', { name: 'Turn 1' }).getByText('city is required', { exact: false }).first()).toBeVisible();
  const turn2 = app.trajectory.getByRole('article', { name: 'Turn 2' });
  await expect(turn2.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(termValue(turn2.getByLabel('Tokens and latency of turn 2'), 'Reported prompt')).toHaveText('90');
  await app.page.screenshot({ path: test.info().outputPath('pydantic-ai.png') });
});

test('opens Haystack chat messages: each call with its result, a failed result as a tool error, the reply\'s usage', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-haystack-')), 'messages.json');
  const origin = (name: string, id: string) => ({ tool_name: name, arguments: { city: 'Oslo' }, id });
  const messages = [
    { role: 'user', meta: {}, name: null, content: [{ text: 'Weather and time in Oslo?' }] },
    { role: 'assistant', meta: { usage: { prompt_tokens: 80, completion_tokens: 20 } }, name: null, content: [{ tool_call: origin('get_weather', 'call_1') }, { tool_call: origin('get_time', 'call_2') }] },
    { role: 'tool', meta: {}, name: null, content: [{ tool_call_result: { result: '3 C and sunny', origin: origin('get_weather', 'call_1'), error: false } }] },
    { role: 'tool', meta: {}, name: null, content: [{ tool_call_result: { result: 'time service down', origin: origin('get_time', 'call_2'), error: true } }] },
    { role: 'assistant', meta: {}, name: null, content: [{ text: 'It is 3 C and sunny; the time could not be read.' }] },
  ];
  writeFileSync(path, JSON.stringify(messages, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /messages\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(turn1.getByRole('group', { name: 'Tool call get_time' }).getByText('time service down', { exact: false }).first()).toBeVisible();
  await expect(termValue(app.metrics, 'Exec errors')).toContainText(/^1/);
  await expect(termValue(turn1.getByLabel('Tokens and latency of turn 1'), 'Reported prompt')).toHaveText('80');
  await app.page.screenshot({ path: test.info().outputPath('haystack.png') });
});

test('opens LlamaIndex chat messages: the calls kept in additional_kwargs and their results', async ({ app }) => {
  const path = join(mkdtempSync(join(tmpdir(), 'trajdbg-e2e-llamaindex-')), 'chat.json');
  const text = (value: string) => [{ block_type: 'text', text: value }];
  const messages = [
    { role: 'user', additional_kwargs: {}, blocks: text('Weather in Oslo?') },
    { role: 'assistant', additional_kwargs: { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Oslo"}' } }] }, blocks: [] },
    { role: 'tool', additional_kwargs: { tool_call_id: 'call_1', name: 'get_weather' }, blocks: text('3 C and sunny') },
    { role: 'assistant', additional_kwargs: {}, blocks: text('It is 3 C and sunny in Oslo.') },
  ];
  writeFileSync(path, JSON.stringify(messages, null, 2));
  await app.openFile(path);
  await expect(app.page.getByRole('region', { name: 'Collection' }).getByRole('heading', { name: /chat\.json: 1 trajectory/ })).toBeVisible();
  const turn1 = app.trajectory.getByRole('article', { name: 'Turn 1' });
  await expect(turn1.getByRole('group', { name: 'Tool call get_weather' }).getByText('3 C and sunny').first()).toBeVisible();
  await expect(app.trajectory.getByText('It is 3 C and sunny in Oslo.')).toBeVisible();
  await expect(termValue(app.metrics, 'Executed OK')).toContainText(/^1/);
  await app.page.screenshot({ path: test.info().outputPath('llamaindex.png') });
});

