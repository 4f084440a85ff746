import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { removeDemoWorkspaces } from '../engine/demo/demo-run.js';
import { memorySecretStore } from '../engine/persistence/settings.js';
import { serveApp, type ServeApp } from '../host/serve-app.js';
import { fileSettingsStore, settingsFilePath } from '../engine/persistence/settings-file.js';
import { fileRecentFiles } from '../engine/persistence/recent-files.js';
import { parseOpenSpec } from './open-spec.js';
import { packageRoot } from './package-root.js';
import { intOption } from './options.js';
import { UsageError } from './usage-error.js';

export const SERVE_USAGE = `Usage: trajdbg serve [--port N] [--host H] [--runs-dir DIR] [--open FILE[#N]] [--no-open]

Serves the Trajectory Debugger UI to a browser, with the engine behind it, until interrupted.
Prints the URL to open on stdout: it carries the access token, so keep it to yourself.
  --port N         port to listen on (default: any free port)
  --host H         address to listen on (default 127.0.0.1); any other address exposes the UI and
                   every run to the network, guarded only by the token
  --runs-dir DIR   where run files are written (default: $XDG_DATA_HOME/trajdbg/runs,
                   else ~/.local/share/trajdbg/runs)
  --open FILE[#N]  open a trajectory file at once (at trajectory N, from 0), or a rollout set:
                   a folder or glob of .jsonl, .jsonl.gz, .jsonl.zst and .parquet shards
  --no-open        do not open the URL in the default browser
The last run settings and the recent files are kept in $XDG_CONFIG_HOME/trajdbg/ (else
~/.config/trajdbg/); the API key only in memory.`;

export interface ServeCommandContext {
  /** The folder holding package.json and out/ (default: found from this file). */
  packageRoot?: string;
  env?: NodeJS.ProcessEnv;
  /** Opens the URL in a browser (default: the platform's opener). */
  openBrowser?: (url: string, stderr: (line: string) => void) => void;
}

/** `trajdbg serve`: the UI in a browser; runs until SIGINT or SIGTERM, then stops every run. */
export async function serveCommand(args: string[], stderr: (line: string) => void, context: ServeCommandContext = {}): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'runs-dir': { type: 'string' },
      'no-open': { type: 'boolean' },
      open: { type: 'string' },
    },
  });
  const openFile = values.open === undefined ? null : parseOpenSpec(values.open);
  const env = context.env ?? process.env;
  const port = intOption('port', values.port, { min: 0 }) ?? 0;
  if (port > 65535) throw new UsageError(`--port: expected a port number up to 65535, got '${values.port}'`);
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host: expected an address, e.g. 127.0.0.1');
  const root = context.packageRoot ?? packageRoot();
  const rendererDir = join(root, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new UsageError(`the web UI is not built (${join(rendererDir, 'index.html')} is missing): run npm run build first`);
  }
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

  // A corrupt settings or recent-files file is set aside and reported here and in the page.
  const notices: string[] = [];
  const warn = (line: string): void => {
    stderr(line);
    notices.push(line);
  };
  const settings = fileSettingsStore(settingsFilePath(env), { warn });
  settings.load();
  let app: ServeApp;
  try {
    app = await serveApp({
      version,
      rendererDir,
      runsDir: resolve(values['runs-dir'] ?? defaultRunsDir(env)),
      settings,
      recentFiles: fileRecentFiles(join(dirname(settingsFilePath(env)), 'recent-files.json'), { warn }),
      notices,
      ...(openFile ? { openFiles: [openFile] } : {}),
      secrets: memorySecretStore(),
      host,
      port,
      log: stderr,
    });
  } catch (error) {
    throw listenError(error, host, port);
  }
  process.stdout.write(`${app.url}\n`);
  stderr(`Trajectory Debugger serving on ${app.origin}/ (open the URL above; Ctrl+C to stop)`);
  if (!values['no-open']) (context.openBrowser ?? openInBrowser)(app.url, stderr);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stderr('stopping: closing every run');
  await app.close();
  removeDemoWorkspaces();
  return 0;
}

/** A listen failure as the option that caused it. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`--port ${port}: already in use on ${host}`);
  if (code === 'EACCES') return new UsageError(`--port ${port}: permission denied on ${host}`);
  if (code === 'EADDRNOTAVAIL') return new UsageError(`--host ${host}: not an address of this machine`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new UsageError(`--host ${host}: cannot resolve it`);
  return error;
}

/** `$XDG_DATA_HOME/trajdbg/runs`, else `~/.local/share/trajdbg/runs`. */
function defaultRunsDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share'), 'trajdbg', 'runs');
}

/** Best effort: a headless machine has no browser, and the URL is printed anyway. */
function openInBrowser(url: string, stderr: (line: string) => void): void {
  const [command, args]: [string, string[]] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['explorer.exe', [url]] : ['xdg-open', [url]];
  const failed = () => stderr('could not open a browser: open the URL above yourself');
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', failed);
    // explorer.exe exits with 1 even when it opened the page.
    if (process.platform !== 'win32') child.on('exit', (code) => code !== 0 && failed());
    child.unref();
  } catch {
    failed();
  }
}
