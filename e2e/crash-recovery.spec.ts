import { expect, test } from './fixtures.js';

/** A run file as the engine writes it, cut off after its second turn (the app was killed). */
function killedRunFile(): string {
  const base = { runId: 'killed-run', time: 0 };
  const call = (id: string, command: string) => ({ id, type: 'function', function: { name: 'terminal', arguments: JSON.stringify({ command }) } });
  const events: object[] = [
    { type: 'run_started', format: 'trajdbg-run/1', config: { maxTurns: 30, temperature: 1, maxTokens: null, maxContextTokens: null, taskId: 't' }, source: { model: 'm' }, tools: [{ type: 'function', function: { name: 'terminal' } }], validToolNames: ['terminal'], messages: [{ role: 'user', content: 'Count the files.' }] },
  ];
  for (const [turn, command] of [[1, 'ls'], [2, 'ls | wc -l']] as const) {
    events.push(
      { type: 'turn_started', turn },
      { type: 'prompt_view', turn, view: { messageCount: 1 + (turn - 1) * 2, budget: null, phase: 'none', fullTokens: 20, estimatedTokens: 20, dropped: [], shortened: [] }, request: { n: 1, temperature: 1, tools: true } },
      { type: 'model_reply', turn, message: { role: 'assistant', content: '', tool_calls: [call(`c${turn}`, command)] }, latencyMs: 5 },
      { type: 'tool_started', turn, index: 0, id: `c${turn}`, name: 'terminal', arguments: JSON.stringify({ command }), known: true, normalizedArguments: JSON.stringify({ command }), schemaValid: true },
      { type: 'tool_finished', turn, index: 0, status: 'ok', result: `{"output": "${turn}", "exit_code": 0}`, toolError: null, durationMs: 3 },
      { type: 'turn_finished', turn },
    );
  }
  events.push({ type: 'turn_started', turn: 3 });
  return `${events.map((e, seq) => JSON.stringify({ ...base, seq, ...e })).join('\n')}\n{"runId": "killed-run", "seq": 99, "type": "mod`;
}

test.describe('after the app was killed mid-run', () => {
  test.use({ earlierRunFiles: { 'killed.jsonl': killedRunFile() } });

  test('offers to reopen the interrupted run, which opens with every completed turn', async ({ app }) => {
    const offer = app.page.getByRole('region', { name: 'Interrupted runs' });
    await expect(offer).toContainText('A run was interrupted when the app last stopped; 2 completed turns are kept.');
    await offer.getByRole('button', { name: 'Reopen' }).click();
    await expect(offer).toHaveCount(0);
    await expect(app.status).toHaveText('End of the recording after 2 turns');
    await expect(app.turn(2)).toBeVisible();
    await expect(app.turns.getByRole('listitem')).toHaveCount(2);
  });
});
