#!/usr/bin/env node
// `npm test`: lint, type-check, unit tests (Vitest) and browser tests (Playwright, when specs
// exist), then one closing line `N passed, N failed, N skipped` that CI reads.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const totals = { passed: 0, failed: 0, skipped: 0 };
const reports = mkdtempSync(join(tmpdir(), 'trajdbg-tests-'));
// The temporary folder of every test process (and of the hosts and browsers they start): the
// folders tests make for runs, settings and workspaces are removed with it at the end, also those
// of a test that failed before its clean-up or of a host that was killed. Without it a run of the
// suite left thousands of folders in /tmp.
const scratch = join(reports, 'tmp');
// Open to every user as /tmp is (a test runs code as an unprivileged user in a folder of its own).
chmodSync(reports, 0o755);
mkdirSync(scratch);
chmodSync(scratch, 0o1777);
// TRAJDBG_TEST_SCRATCH tells Vitest's own setup (electron/testing/scratch-tmp-setup.ts) the folder is one already.
const testEnv = { ...process.env, TMPDIR: scratch, TMP: scratch, TEMP: scratch, TRAJDBG_TEST_SCRATCH: scratch };

function run(title, command, args) {
  process.stdout.write(`\n== ${title}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32', env: testEnv });
  return result.status ?? 1;
}

// Lint and type errors count as one failed check each, so the closing line never hides them.
// `npm run typecheck` checks every tsconfig (Node side with tests and e2e, renderer).
for (const [title, command, args] of [
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['type-check', 'npm', ['run', 'typecheck']],
]) {
  if (run(title, command, args) === 0) totals.passed += 1;
  else totals.failed += 1;
}

const vitestReport = join(reports, 'vitest.json');
const vitestStatus = run('unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (vitestStatus !== 0 && report.numFailedTests === 0) totals.failed += 1; // a suite failed to load
} else {
  totals.failed += 1;
}

const hasSpecs = existsSync('e2e') && readdirSync('e2e', { recursive: true }).some((f) => String(f).endsWith('.spec.ts'));
if (hasSpecs) {
  process.stdout.write('\n== browser tests\n');
  const e2eReport = join(reports, 'playwright.json');
  const status = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
    stdio: 'inherit',
    env: { ...testEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
  }).status;
  if (existsSync(e2eReport)) {
    const stats = JSON.parse(readFileSync(e2eReport, 'utf8')).stats;
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    if (status !== 0 && stats.unexpected === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
  }
}

try {
  rmSync(reports, { recursive: true, force: true });
} catch (error) {
  // e.g. a test's disk still mounted under it: the counts stand, the folder is named for removal.
  process.stdout.write(`\ncould not remove the tests' temporary folder ${reports}: ${error.message}\n`);
}
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
