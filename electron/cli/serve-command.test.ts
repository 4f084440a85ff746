import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';
import { serveCommand } from './serve-command.js';
import { UsageError } from './usage-error.js';

/** A package folder as `npm ci` leaves it before the renderer is built. */
function unbuiltPackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'trajdbg-serve-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'trajdbg', version: '0.0.0-test' }));
  mkdirSync(join(root, 'out', 'electron'), { recursive: true });
  return root;
}

describe('trajdbg serve', () => {
  it('stops with a usage error naming the fix when the web UI has not been built', async () => {
    const lines: string[] = [];
    const run = serveCommand(['--no-open'], (line) => lines.push(line), { packageRoot: unbuiltPackage(), env: {} });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/the web UI is not built \(.*out[/\\]renderer[/\\]index\.html is missing\): run npm run build first/);
    expect(lines).toEqual([]);
  });

  it('refuses a bad port before anything else (exit 2, one line)', async () => {
    const lines: string[] = [];
    expect(await main(['serve', '--port', 'http'], (line) => lines.push(line))).toBe(2);
    expect(lines).toEqual(["trajdbg serve: --port: expected a whole number, got 'http'"]);
    lines.length = 0;
    expect(await main(['serve', '--port', '70000'], (line) => lines.push(line))).toBe(2);
    expect(lines).toEqual(["trajdbg serve: --port: expected a port number up to 65535, got '70000'"]);
    lines.length = 0;
    expect(await main(['serve', '--bogus'], (line) => lines.push(line))).toBe(2);
    expect(lines).toHaveLength(1);
  });
});
