import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Global setup of Vitest run directly (`npm run test:unit`, `npx vitest`): the temporary folder of
 * the test processes (and of the hosts and browsers they start) is one folder made here and removed
 * at the end, as `npm test` does for the whole suite (electron/scripts/run-tests.js). The folders
 * tests make for runs, settings and workspaces, and those of a test that failed before its
 * clean-up, do not pile up in the system's temporary folder. Under `npm test` the folder is already
 * one of its own, and is left to it.
 */
export function setup(): () => void {
  if (process.env.TRAJDBG_TEST_SCRATCH === process.env.TMPDIR && process.env.TMPDIR) return () => undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'trajdbg-vitest-'));
  // Open to every user as /tmp is (a test runs code as an unprivileged user in a folder of its own).
  chmodSync(scratch, 0o1777);
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = process.env.TRAJDBG_TEST_SCRATCH = scratch;
  return () => rmSync(scratch, { recursive: true, force: true });
}
