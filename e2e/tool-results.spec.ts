import { corpusFile, expect, test } from './fixtures.js';

// Session 3 of the hermes export: its first tool result is a JSON object whose output spans lines.
test.use({ openFiles: [{ path: corpusFile('hermes-agent_session_export.jsonl'), index: 3 }] });

test('a JSON tool result reads decoded, with its raw text one toggle away', async ({ app }, testInfo) => {
  await app.turn(1).click();
  const call = app.trajectory.getByRole('group', { name: /^Tool call / }).first();
  const result = call.locator('.tool-result pre');
  await expect(call.getByText('decoded JSON')).toBeVisible();
  // Real line breaks, no escapes or quotes.
  await expect(result).toHaveText(/^output:\n {2}File size: 240966 bytes \(235\.3 KB\)\n {2}Total lines: 2001\nexit_code: 0\nerror: null$/);
  await call.scrollIntoViewIfNeeded();
  await app.page.screenshot({ path: testInfo.outputPath('tool-result-decoded.png') });

  const raw = call.getByRole('button', { name: 'Raw JSON' });
  await expect(raw).toHaveAttribute('aria-pressed', 'false');
  await raw.click();
  await expect(raw).toHaveAttribute('aria-pressed', 'true');
  await expect(result).toHaveText('{"output": "File size: 240966 bytes (235.3 KB)\\nTotal lines: 2001", "exit_code": 0, "error": null}');
  await raw.click();
  await expect(result).toContainText('Total lines: 2001');
});
