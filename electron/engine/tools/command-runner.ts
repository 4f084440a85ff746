import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { OutputCapture } from './output-capture.js';

/** How to run one shell command. */
export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputCapBytes: number;
  signal: AbortSignal;
}

/** The outcome of a command: combined output, exit code (negative for a signal) and why it stopped. */
export interface RunResult {
  output: string;
  exitCode: number;
  timedOut: boolean;
}

/** How long to keep reading after the shell exits while a background child holds the pipes. */
const PIPE_GRACE_MS = 250;

/** Variable names that hold secrets: `*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD*`, credentials and the like. */
const SECRET_NAME = /(?:^|_)(?:KEY|KEYS|KEY_ID|TOKEN|TOKENS|SECRETS?|APIKEY|PASS)$|PASSW(?:OR)?D|CREDENTIAL|SECRET|PRIVATE_KEY|AUTH_?TOKEN|SESSION_?TOKEN|COOKIE/i;
const SECRET_NAMES = new Set(['OPENAI_ORG_ID', 'OPENAI_ORGANIZATION', 'OPENAI_PROJECT_ID']);
/** A value that is a URL carrying a user name and password (`postgres://user:pw@host/db`). */
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]*@/i;

/** A copy of `env` without API keys, tokens, secrets, passwords and credential URLs (by name and by value). */
export function scrubEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET_NAME.test(name)) continue;
    if (SECRET_NAMES.has(name.toUpperCase()) || CREDENTIAL_URL.test(value)) continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * The shell that runs a command is started by this intermediate shell, so the command's `$PPID`
 * is a process whose initial environment is already scrubbed and whose command line holds only
 * the command: `/proc/$PPID/environ` and `cmdline` cannot show the caller's key. A status above
 * 128 is a signal: the wrapper re-raises it so the exit code stays negative (its own stderr is
 * silenced, and handed to the command inside, so its "Terminated" notice stays out of the output).
 */
const POSIX_WRAPPER = 'exec 3>&2 2>/dev/null; "$0" -c "exec 2>&3 3>&-\n$1"; s=$?; if [ "$s" -gt 128 ] && [ "$s" -lt 160 ]; then trap - "$((s - 128))"; kill -"$((s - 128))" $$; fi; exit "$s"';

/**
 * Runs `command` through `/bin/sh -c` (`cmd /d /s /c` on Windows) in its own process group; kills
 * the group at the timeout, and on abort (then rejects with the signal's reason).
 */
export async function runShellCommand(command: string, options: RunOptions): Promise<RunResult> {
  options.signal.throwIfAborted();
  const child = spawnShell(command, options);
  const capture = new OutputCapture(options.outputCapBytes);
  child.stdout?.on('data', (chunk: Buffer) => capture.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => capture.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, options.timeoutMs);
  const onAbort = (): void => killGroup(child);
  options.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const exitCode = await waitForExit(child);
    options.signal.throwIfAborted();
    return { output: capture.text(), exitCode: timedOut ? -1 : exitCode, timedOut };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
  }
}

function spawnShell(command: string, options: RunOptions): ChildProcess {
  const windows = process.platform === 'win32';
  const [file, args] = windows ? ['cmd.exe', ['/d', '/s', '/c', `"${command}"`]] : ['/bin/sh', ['-c', POSIX_WRAPPER, '/bin/sh', command]];
  return spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: !windows,
    windowsHide: true,
    windowsVerbatimArguments: windows,
  });
}

/** Resolves with the exit code (or minus the signal number) once output is drained. */
function waitForExit(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let grace: NodeJS.Timeout | undefined;
    child.once('error', (error) => {
      clearTimeout(grace);
      reject(error);
    });
    child.once('exit', () => {
      // A background job may keep the pipes open: stop waiting for it after a short grace.
      grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_GRACE_MS);
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(grace);
      resolve(code ?? -signalNumber(signal));
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const number = signal === null ? undefined : osConstants.signals[signal];
  return typeof number === 'number' ? number : 1;
}

/** SIGKILLs the child's whole process group (the whole tree on Windows). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(child.pid), '/t', '/f'], { stdio: 'ignore', windowsHide: true });
    } else {
      process.kill(-child.pid, 'SIGKILL');
    }
  } catch {
    child.kill('SIGKILL');
  }
}
