import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serveCommand } from './serve-command.js';
import { parseOpenSpec } from './open-spec.js';
import { packageRoot } from './package-root.js';
import { UsageError } from './usage-error.js';

export const START_USAGE = `Usage: trajdbg start [serve options]

Opens the desktop app. Where Electron cannot start (no Electron binary, no display), says why in
one line and serves the same UI for a browser instead (options as for 'trajdbg serve').`;

/**
 * Why the desktop app cannot start here, or the Electron executable to run. Looks for the binary
 * the electron package would use without requiring the package, whose entry point tries to
 * download a missing binary (which hangs on a machine without internet).
 */
export function desktopAvailability(env: NodeJS.ProcessEnv = process.env, platform = process.platform): { executable: string } | { why: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron') : relative ? join(packageDir, 'dist', relative) : '';
  if (!executable || !existsSync(executable)) return { why: 'no Electron binary (its download is not installed in node_modules/electron)' };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { why: 'no display (DISPLAY and WAYLAND_DISPLAY are not set)' };
  return { executable };
}

export const OPEN_USAGE = `Usage: trajdbg open FILE[#N] | DIR | GLOB [serve options]

Opens a trajectory file in the app (the desktop app, or the browser UI where it cannot run), at
trajectory N (from 0) when given. FILE is any format 'trajdbg convert --list' reads. A folder or a
glob (quoted) of .jsonl, .jsonl.gz, .jsonl.zst and .parquet shards opens as one rollout set.`;

/** `trajdbg open FILE[#N]`: the app, with a file open at trajectory N. */
export async function openCommand(args: string[], stderr: (line: string) => void): Promise<number> {
  const [spec, ...rest] = args;
  if (!spec || spec.startsWith('-')) throw new UsageError('open: give the file to open, FILE or FILE#N');
  const { path, index } = parseOpenSpec(spec);
  return startCommand([...rest, '--open', index === undefined ? path : `${path}#${index}`], stderr);
}

/** `trajdbg start` (npm start): the desktop app, or serve mode where it cannot run. */
export async function startCommand(args: string[], stderr: (line: string) => void): Promise<number> {
  const desktop = desktopAvailability();
  if ('why' in desktop) {
    stderr(`Desktop app unavailable: ${desktop.why}; serving the same UI for a browser instead.`);
    return serveCommand(args, stderr);
  }
  const appRoot = packageRoot();
  // The desktop app takes only --open; serve options have no meaning there.
  const at = args.indexOf('--open');
  const open = at >= 0 && args[at + 1] ? [`--open=${args[at + 1]}`] : [];
  const child = spawn(desktop.executable, [appRoot, ...open], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      stderr(`Desktop app failed to start: ${error.message}; run 'npm run serve' for the browser UI.`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 0));
  });
}
