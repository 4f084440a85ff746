import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PyValue } from '#shared/python/value.js';
import { createBuiltinTools, sliceLines, withTimeout } from './builtin-tools.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';

const posix = process.platform !== 'win32';
let base: string;
let workspace: string;
let outside: string;
let tools: ToolProvider;

const context = (signal: AbortSignal = new AbortController().signal): ToolCallContext => ({ taskId: 'task-1', signal });
const dict = (entries: Record<string, PyValue>): PyValue => new Map(Object.entries(entries));
const call = async (name: string, args: Record<string, PyValue>, provider = tools) => provider.call(name, dict(args), context());
const parsed = async (name: string, args: Record<string, PyValue>, provider = tools) =>
  JSON.parse(await call(name, args, provider)) as Record<string, unknown>;

/** Polls until `pid` no longer exists (a zombie awaiting its reaper counts as gone). */
async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    try {
      process.kill(pid, 0);
      if (/^\d+ \(.*\) Z/.test(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''))) return true;
    } catch {
      return true;
    }
  }
  return false;
}

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'trajdbg-builtin-')));
  workspace = path.join(base, 'ws');
  outside = path.join(base, 'outside');
  await mkdir(workspace);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'top secret');
  tools = await createBuiltinTools({ enabled: ['terminal', 'read_file', 'write_file'], workspace, timeoutMs: 10_000 });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('createBuiltinTools', () => {
  it('offers only the enabled tools, with OpenAI function schemas', async () => {
    expect(tools.schemas.map((schema) => schema.function.name)).toEqual(['terminal', 'read_file', 'write_file']);
    const onlyRead = await createBuiltinTools({ enabled: ['read_file'], workspace });
    expect(onlyRead.schemas).toHaveLength(1);
    expect(onlyRead.schemas[0]?.function.parameters).toMatchObject({ type: 'object', required: ['path'] });
    await expect(onlyRead.call('terminal', dict({ command: 'echo hi' }), context())).rejects.toThrow("unknown tool 'terminal'");
  });

  it('rejects a workspace that does not exist', async () => {
    await expect(createBuiltinTools({ enabled: ['terminal'], workspace: path.join(base, 'missing') })).rejects.toThrow(/ENOENT/);
  });
});

describe.runIf(posix)('terminal', () => {
  afterEach(() => {
    delete process.env.OPENAI_API_KEY;
    delete process.env.TRAJDBG_TEST_TOKEN;
  });

  it('returns combined output and the exit code, exactly formatted', async () => {
    expect(await call('terminal', { command: 'echo out; echo err 1>&2; exit 3' })).toBe('{"output": "out\\nerr\\n", "exit_code": 3}');
    expect(await parsed('terminal', { command: 'pwd' })).toEqual({ output: `${await realpath(workspace)}\n`, exit_code: 0 });
    expect(await call('terminal', { command: "printf 'h\\303\\251'" })).toBe('{"output": "hé", "exit_code": 0}');
  });

  it('gives a negative exit code to a command killed by a signal', async () => {
    expect(await parsed('terminal', { command: 'kill -TERM $$' })).toEqual({ output: '', exit_code: -15 });
  });

  it('caps the output with a note', async () => {
    const capped = await createBuiltinTools({ enabled: ['terminal'], workspace, outputCapBytes: 100 });
    const result = await parsed('terminal', { command: "head -c 1000 /dev/zero | tr '\\0' a; echo END" }, capped);
    expect(result.exit_code).toBe(0);
    expect(result.output).toBe(`${'a'.repeat(50)}\n[output truncated: 904 bytes omitted]\n${'a'.repeat(46)}END\n`);
  });

  it('kills the whole process group at the timeout', async () => {
    const quick = await createBuiltinTools({ enabled: ['terminal'], workspace, timeoutMs: 500 });
    const started = Date.now();
    const result = await parsed('terminal', { command: 'sleep 30 & echo $! > bg.pid; echo started; sleep 30' }, quick);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({ output: 'started\n', exit_code: -1, error: 'command timed out after 0.5 s' });
    const pid = Number(await readFile(path.join(workspace, 'bg.pid'), 'utf8'));
    expect(await waitUntilGone(pid, 3_000)).toBe(true);
  });

  it('is aborted by the signal', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stopped by user')), 200);
    await expect(tools.call('terminal', dict({ command: 'sleep 30' }), context(controller.signal))).rejects.toThrow('stopped by user');
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(tools.call('terminal', dict({ command: 'echo never' }), context(controller.signal))).rejects.toThrow('stopped by user');
  });

  it('does not wait for a background job that keeps the pipes open', async () => {
    const started = Date.now();
    expect(await parsed('terminal', { command: 'sleep 30 & echo $! > bg2.pid; echo bg' })).toEqual({ output: 'bg\n', exit_code: 0 });
    expect(Date.now() - started).toBeLessThan(5_000);
    process.kill(Number(await readFile(path.join(workspace, 'bg2.pid'), 'utf8')), 'SIGKILL');
  });

  it('scrubs API keys and tokens from the environment', async () => {
    process.env.OPENAI_API_KEY = 'sk-planted';
    process.env.TRAJDBG_TEST_TOKEN = 'tok-planted';
    const result = await parsed('terminal', { command: 'echo "[$OPENAI_API_KEY][$TRAJDBG_TEST_TOKEN][${HOME:+home}]"; env' });
    expect(result.output).toMatch(/^\[\]\[\]\[home\]\n/);
    expect(result.output).not.toContain('planted');
  });

  it('scrubs secrets by name pattern and credential URLs by value', async () => {
    const planted = { MY_SERVICE_KEY: 'k', GH_TOKEN: 't', APP_SECRET: 's', DB_PASSWORD_FILE: 'p', AWS_ACCESS_KEY_ID: 'a', DATABASE_URL: 'postgres://u:pw@db/x' };
    Object.assign(process.env, planted);
    const result = await parsed('terminal', { command: 'env' });
    for (const name of Object.keys(planted)) expect(result.output).not.toContain(`${name}=`);
    expect(result.output).toContain('HOME=');
    expect(result.output).toContain('PWD=');
  });

  it.runIf(process.platform === 'linux')('runs the command under a parent that holds neither this environment nor its command line', async () => {
    const result = await parsed('terminal', { command: 'echo "$PPID"; tr "\\0" "\\n" < /proc/$PPID/environ; tr "\\0" " " < /proc/$PPID/cmdline' });
    const output = String(result.output);
    const ppid = Number(output.split('\n')[0]);
    expect(ppid).not.toBe(process.pid);
    const parentEnv = await readFile(`/proc/${process.pid}/environ`, 'utf8');
    const ownOnly = parentEnv.split('\0').filter((entry) => entry.includes('=') && !output.includes(entry));
    expect(ownOnly.length).toBeGreaterThan(0);
    for (const arg of process.argv.slice(1)) expect(output).not.toContain(arg);
    expect(result.exit_code).toBe(0);
  });

  it('reports missing and non-string commands as errors', async () => {
    expect(await call('terminal', {})).toBe('{"error": "missing required argument \'command\'"}');
    expect(await parsed('terminal', { command: 5n })).toEqual({ error: "argument 'command' must be a string" });
    expect(JSON.parse(await tools.call('terminal', 'ls', context()))).toEqual({ error: 'arguments must be a JSON object' });
  });
});

describe('read_file and write_file', () => {
  it('round-trips a file, creating parent folders', async () => {
    expect(await call('write_file', { path: 'sub/dir/note.txt', content: 'héllo\nwörld\n' })).toBe('{"bytes_written": 14}');
    expect(await readFile(path.join(workspace, 'sub/dir/note.txt'), 'utf8')).toBe('héllo\nwörld\n');
    expect(await call('read_file', { path: 'sub/dir/note.txt' })).toBe('{"content": "héllo\\nwörld\\n"}');
    expect(await parsed('read_file', { path: path.join(workspace, 'sub/dir/note.txt') })).toEqual({ content: 'héllo\nwörld\n' });
  });

  it('reads a range of lines', async () => {
    await call('write_file', { path: 'lines.txt', content: 'l1\nl2\nl3\nl4' });
    expect(await parsed('read_file', { path: 'lines.txt', offset: 2n, limit: 2n })).toEqual({ content: 'l2\nl3\n' });
    expect(await parsed('read_file', { path: 'lines.txt', offset: 3n })).toEqual({ content: 'l3\nl4' });
    expect(await parsed('read_file', { path: 'lines.txt', limit: 1.0 })).toEqual({ content: 'l1\n' });
    expect(await parsed('read_file', { path: 'lines.txt', offset: -1n })).toEqual({ error: "argument 'offset' must be a non-negative integer" });
  });

  it('caps a large file', async () => {
    const small = await createBuiltinTools({ enabled: ['read_file'], workspace, outputCapBytes: 10 });
    await call('write_file', { path: 'big.txt', content: 'x'.repeat(100) });
    const result = await parsed('read_file', { path: 'big.txt' }, small);
    expect(result.content).toBe(`${'x'.repeat(10)}\n[output truncated: 90 bytes omitted; use offset/limit to read further]`);
  });

  it('reports missing files, folders and arguments as errors', async () => {
    expect(await parsed('read_file', { path: 'nope.txt' })).toEqual({ error: 'file not found: nope.txt' });
    expect(await parsed('read_file', { path: 'sub' })).toEqual({ error: 'is a directory: sub' });
    expect(await parsed('read_file', {})).toEqual({ error: "missing required argument 'path'" });
    expect(await parsed('write_file', { path: 'x.txt' })).toEqual({ error: "missing required argument 'content'" });
    expect(await parsed('write_file', { path: 'x.txt', content: null })).toEqual({ error: "missing required argument 'content'" });
    expect(await parsed('write_file', { path: ['x.txt'], content: 'c' })).toEqual({ error: "argument 'path' must be a string" });
    expect(await parsed('write_file', { path: 'sub', content: 'c' })).toEqual({ error: 'is a directory: sub' });
  });

  it('rejects `..`, absolute and symlink escapes', async () => {
    await symlink(outside, path.join(workspace, 'out-link'));
    await symlink(path.join(outside, 'new.txt'), path.join(workspace, 'dangling-link'));
    const secret = path.join(outside, 'secret.txt');
    for (const userPath of ['../outside/secret.txt', 'sub/../../outside/secret.txt', secret, 'out-link/secret.txt']) {
      expect(await call('read_file', { path: userPath })).toBe(`{"error": "path escapes the workspace: ${userPath}"}`);
      expect(await parsed('write_file', { path: userPath, content: 'pwned' })).toEqual({ error: `path escapes the workspace: ${userPath}` });
    }
    expect(await parsed('write_file', { path: 'dangling-link', content: 'pwned' })).toEqual({ error: 'path escapes the workspace: dangling-link' });
    expect(await parsed('write_file', { path: 'out-link/new-dir/f.txt', content: 'pwned' })).toEqual({
      error: 'path escapes the workspace: out-link/new-dir/f.txt',
    });
    expect(await readFile(secret, 'utf8')).toBe('top secret');
    await expect(readFile(path.join(outside, 'new.txt'))).rejects.toThrow(/ENOENT/);
  });

  it.runIf(posix)('refuses a hard link to a file outside, reading and writing', async () => {
    await link(path.join(outside, 'secret.txt'), path.join(workspace, 'hard-link.txt'));
    const refused = { error: 'refused: hard-linked file (it may be shared with a file outside the workspace): hard-link.txt' };
    expect(await parsed('read_file', { path: 'hard-link.txt' })).toEqual(refused);
    expect(await parsed('write_file', { path: 'hard-link.txt', content: 'pwned' })).toEqual(refused);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it.runIf(posix)('refuses a FIFO at once instead of hanging, reading and writing', async () => {
    execFileSync('mkfifo', [path.join(workspace, 'pipe')]);
    const started = Date.now();
    expect(await parsed('write_file', { path: 'pipe', content: 'x' })).toEqual({ error: 'not a regular file: pipe' });
    expect(await parsed('read_file', { path: 'pipe' })).toEqual({ error: 'not a regular file: pipe' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

});

describe('withTimeout', () => {
  it('rejects with a tool error when the work does not finish in time', async () => {
    const started = Date.now();
    await expect(withTimeout(new Promise<never>(() => undefined), 100, 'read_file timed out')).rejects.toThrow('read_file timed out');
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(withTimeout(Promise.resolve(7), 100, 'late')).resolves.toBe(7);
  });
});

describe('sliceLines', () => {
  it('treats offset 0 as 1 and keeps line endings', () => {
    expect(sliceLines('a\r\nb\nc', 0, 2)).toBe('a\r\nb\n');
    expect(sliceLines('a\nb\n', 5, undefined)).toBe('');
    expect(sliceLines('', 1, 1)).toBe('');
  });
});
