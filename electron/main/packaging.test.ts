import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Packs the built app with electron-builder.yml, offline: `--linux dir` with `electronDist`
 * pointing at a stand-in Electron (no real binary can be had here). The stand-in carries
 * Electron's fuse wire, so the fuses electron-builder flips can be read back.
 */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = ['out/electron/main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'];

// @electron/fuses finds the wire after this sentinel: version 1, then one byte per fuse.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['runAsNode', 'enableCookieEncryption', 'enableNodeOptionsEnvironmentVariable', 'enableNodeCliInspectArguments', 'enableEmbeddedAsarIntegrityValidation', 'onlyLoadAppFromAsar', 'loadBrowserProcessSpecificV8Snapshot', 'grantFileProtocolExtraPrivileges'];
// Electron's own defaults, so anything electron-builder leaves alone shows as it ships.
const DEFAULT_WIRE = '10110001';

/** A stand-in Electron binary: a shell script holding the fuse wire. */
function fakeElectronDist(dir: string): string {
  const dist = join(dir, 'electron-dist');
  mkdirSync(dist);
  const script = `#!/bin/sh\necho "stand-in Electron for packaging tests" >&2\nexit 1\n# ${FUSE_SENTINEL}\u0001${String.fromCharCode(FUSES.length)}${DEFAULT_WIRE}\n`;
  writeFileSync(join(dist, 'electron'), Buffer.from(script, 'latin1'), { mode: 0o755 });
  return dist;
}

function readFuses(binary: string): Record<string, boolean> {
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  const length = bytes[at + 1]!;
  return Object.fromEntries(FUSES.slice(0, length).map((name, i) => [name, bytes[at + 2 + i] === 0x31]));
}

/** The file list of an asar archive, from its JSON header (Chromium pickle: sizes, then JSON). */
function asarFiles(archive: string): Set<string> {
  const bytes = readFileSync(archive);
  const header = JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32LE(12)).toString('utf8')) as AsarNode;
  const files = new Set<string>();
  (function walk(node: AsarNode, prefix: string) {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`);
      else files.add(`${prefix}${name}`);
    }
  })(header, '');
  return files;
}
interface AsarNode {
  files?: Record<string, AsarNode>;
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: repo, timeout: 110_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, CI: 'true' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}\n${stderr}` });
    });
  });
}

/** Skips with the reason printed too: not every reporter shows a skip note. */
function skipBecause(skip: (note: string) => never, reason: string): never {
  console.warn(`skipped: ${reason}`);
  return skip(reason);
}

let work: string | undefined;
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder.yml', () => {
  it('packs the built app into resources/app.asar with the fuses flipped (--linux dir, offline)', async ({ skip }) => {
    const missing = BUILT.filter((file) => !existsSync(join(repo, file)));
    if (missing.length > 0) skipBecause(skip, `out/ is not built (missing ${missing.join(', ')}): run \`npm run build\` and the renderer build first`);

    work = mkdtempSync(join(tmpdir(), 'trajdbg-pack-'));
    const output = join(work, 'dist');
    const started = Date.now();
    const { code, output: log } = await run('npx', ['electron-builder', '--linux', 'dir', '--publish', 'never', `-c.electronDist=${fakeElectronDist(work)}`, `-c.directories.output=${output}`]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(log)) {
      skipBecause(skip, `electron-builder needed a download it cannot make offline:\n${log.slice(-2000)}`);
    }
    expect(code, log).toBe(0);

    const unpacked = join(output, 'linux-unpacked');
    const archive = join(unpacked, 'resources', 'app.asar');
    expect(existsSync(archive), log).toBe(true);
    console.info(`electron-builder --linux dir: ${seconds} s, app.asar ${(statSync(archive).size / 1e6).toFixed(1)} MB`);

    const files = asarFiles(archive);
    const main = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { main: string }).main;
    for (const file of ['package.json', main, ...BUILT, 'node_modules/zod/package.json', 'node_modules/openai/package.json']) {
      expect(files.has(file), file).toBe(true);
    }
    // Renderer packages are bundled by Vite; Electron and the build tools are not the app's.
    for (const folder of ['react', 'react-dom', 'monaco-editor', 'zustand', 'electron', 'vite', 'electron-builder', 'typescript']) {
      expect([...files].some((file) => file.startsWith(`node_modules/${folder}/`)), folder).toBe(false);
    }
    const sources = [...files].filter((file) => !file.startsWith('node_modules/') && (file.endsWith('.ts') || file.endsWith('.tsx')));
    expect(sources).toEqual([]);

    expect(existsSync(join(unpacked, 'trajdbg'))).toBe(true);
    expect(readFuses(join(unpacked, 'trajdbg'))).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  }, 120_000);
});
