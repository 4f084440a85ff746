import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import { openDemoResources, removeDemoWorkspaces } from './demo-run.js';

describe('demo workspaces', () => {
  it('removes the scratch workspaces it created, at the latest when the process exits, and never a given one', async () => {
    const given = mkdtempSync(join(tmpdir(), 'trajdbg-demo-given-'));
    try {
      const scratch = await openDemoResources();
      const branch = await openDemoResources({ workspace: given, fromTurn: 2 });
      await scratch.close();
      await branch.close();
      expect(existsSync(scratch.workspace)).toBe(true); // a branch of the run may still need it
      expect(process.listeners('exit')).toContain(removeDemoWorkspaces);
      removeDemoWorkspaces();
      expect(existsSync(scratch.workspace)).toBe(false);
      expect(existsSync(given)).toBe(true);
    } finally {
      rmSync(given, { recursive: true, force: true });
    }
  });

  it('leaves no workspace behind after `trajdbg demo`', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'trajdbg-demo-out-'));
    const lines: string[] = [];
    try {
      expect(await main(['demo', '--out-dir', outDir], (line) => lines.push(line))).toBe(0);
      const workspace = /tools in (\S+)/.exec(lines.join('\n'))?.[1];
      expect(workspace).toBeDefined();
      expect(existsSync(workspace!)).toBe(false);
      expect(existsSync(join(outDir, 'run.jsonl'))).toBe(true);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
