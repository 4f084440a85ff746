import { constants as fsConstants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ToolSchema } from '#shared/model/chat.js';
import { pyJsonDumps } from '#shared/python/json.js';
import type { PyDict, PyValue } from '#shared/python/value.js';
import { runShellCommand, scrubEnv } from './command-runner.js';
import { utf8BoundaryBefore } from './output-capture.js';
import { argsDict, optionalCount, requireString, ToolInputError } from './tool-args.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';
import { openWorkspaceRoot, PathEscapeError, resolveInWorkspace, type WorkspaceRoot } from './workspace-path.js';

/** The names of the built-in tools. */
export type BuiltinToolName = 'terminal' | 'read_file' | 'write_file';

/** Options of createBuiltinTools; only the tools listed in `enabled` are offered. */
export interface BuiltinToolsOptions {
  enabled: BuiltinToolName[];
  workspace: string;
  /** Per terminal command; 60 s by default. */
  timeoutMs?: number;
  /** Cap on terminal output and read_file content, in UTF-8 bytes; 1 MB by default. */
  outputCapBytes?: number;
}

/**
 * The terminal's calls, as a run that asks before each command waits on them (the engine's
 * `RunRequest.approval`): the `command` argument is what the user approves, edits or rejects.
 */
export const TERMINAL_APPROVAL = { tool: 'terminal', argument: 'command' } as const;

/** Files larger than this are refused by read_file rather than loaded. */
const MAX_READ_BYTES = 256 * 1024 * 1024;

/** The OpenAI function schemas of the built-in tools, by name. */
export const BUILTIN_TOOL_SCHEMAS: Readonly<Record<BuiltinToolName, ToolSchema>> = {
  terminal: fnSchema('terminal', 'Run a shell command in the workspace and return its combined stdout and stderr and its exit code.', {
    command: { type: 'string', description: 'The shell command to run.' },
  }, ['command']),
  read_file: fnSchema('read_file', 'Read a text file of the workspace.', {
    path: { type: 'string', description: 'File path, relative to the workspace.' },
    offset: { type: 'integer', description: 'First line to return (1-based). Optional.' },
    limit: { type: 'integer', description: 'Maximum number of lines to return. Optional.' },
  }, ['path']),
  write_file: fnSchema('write_file', 'Write a text file in the workspace (replacing it; parent folders are created).', {
    path: { type: 'string', description: 'File path, relative to the workspace.' },
    content: { type: 'string', description: 'The full new content of the file.' },
  }, ['path', 'content']),
};

interface BuiltinContext {
  root: WorkspaceRoot;
  timeoutMs: number;
  outputCapBytes: number;
}

type Handler = (args: PyDict, builtin: BuiltinContext, call: ToolCallContext) => Promise<PyDict>;

const HANDLERS: Readonly<Record<BuiltinToolName, Handler>> = { terminal, read_file: readFileTool, write_file: writeFileTool };

/**
 * Opened without following a final symlink and without blocking (a FIFO or device never waits
 * for a peer); the handle itself is then checked, so nothing can be swapped in between.
 */
const READ_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
/** No O_TRUNC: the file is emptied only after the opened handle passes the checks. */
const WRITE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

/**
 * The built-in terminal/read_file/write_file tools, confined to `workspace` (which must exist).
 * Results are hermes-agent style JSON; bad arguments and file errors give `{"error": ...}`.
 */
export async function createBuiltinTools(options: BuiltinToolsOptions): Promise<ToolProvider> {
  const builtin: BuiltinContext = {
    root: await openWorkspaceRoot(options.workspace),
    timeoutMs: options.timeoutMs ?? 60_000,
    outputCapBytes: options.outputCapBytes ?? 1_000_000,
  };
  const enabled = new Set(options.enabled);
  const names = (Object.keys(HANDLERS) as BuiltinToolName[]).filter((name) => enabled.has(name));
  return {
    name: 'built-in tools',
    schemas: names.map((name) => BUILTIN_TOOL_SCHEMAS[name]),
    call: async (name, args, context) => {
      if (!(names as string[]).includes(name)) throw new Error(`unknown tool '${name}'`);
      return dumps(await runHandler(HANDLERS[name as BuiltinToolName], args, builtin, context));
    },
  };
}

async function runHandler(handler: Handler, args: PyValue, builtin: BuiltinContext, call: ToolCallContext): Promise<PyDict> {
  try {
    call.signal.throwIfAborted();
    return await handler(argsDict(args), builtin, call);
  } catch (error) {
    if (call.signal.aborted) throw error;
    const message = toolErrorMessage(error);
    if (message === undefined) throw error;
    return new Map([['error', message]]);
  }
}

/** The `{"error": ...}` text for expected failures (bad input, escapes, file errors); else undefined. */
function toolErrorMessage(error: unknown): string | undefined {
  if (error instanceof ToolInputError || error instanceof PathEscapeError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !(error instanceof Error)) return undefined;
  return error.message;
}

async function terminal(args: PyDict, builtin: BuiltinContext, call: ToolCallContext): Promise<PyDict> {
  const command = requireString(args, 'command');
  const result = await runShellCommand(command, {
    cwd: builtin.root.real,
    env: scrubEnv(process.env),
    timeoutMs: builtin.timeoutMs,
    outputCapBytes: builtin.outputCapBytes,
    signal: call.signal,
  });
  const out: PyDict = new Map<string, PyValue>([['output', result.output], ['exit_code', BigInt(result.exitCode)]]);
  if (result.timedOut) out.set('error', `command timed out after ${builtin.timeoutMs / 1000} s`);
  return out;
}

async function readFileTool(args: PyDict, builtin: BuiltinContext): Promise<PyDict> {
  const userPath = requireString(args, 'path');
  const offset = optionalCount(args, 'offset');
  const limit = optionalCount(args, 'limit');
  const file = await resolveInWorkspace(builtin.root, userPath);
  const text = await withTimeout(
    withCheckedFile(file, READ_FLAGS, userPath, async (handle, size) => {
      if (size > MAX_READ_BYTES) throw new ToolInputError(`file too large (${size} bytes): ${userPath}`);
      return (await handle.readFile()).toString('utf8');
    }),
    builtin.timeoutMs,
    `read_file timed out after ${builtin.timeoutMs / 1000} s: ${userPath}`,
  );
  return new Map([['content', capText(sliceLines(text, offset, limit), builtin.outputCapBytes)]]);
}

async function writeFileTool(args: PyDict, builtin: BuiltinContext): Promise<PyDict> {
  const userPath = requireString(args, 'path');
  const content = requireString(args, 'content');
  const file = await resolveInWorkspace(builtin.root, userPath);
  const bytes = Buffer.from(content, 'utf8');
  const write = async (): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => rethrowFsError(error, userPath));
    await withCheckedFile(file, WRITE_FLAGS, userPath, async (handle) => {
      await handle.truncate(0);
      await handle.writeFile(bytes);
    });
  };
  await withTimeout(write(), builtin.timeoutMs, `write_file timed out after ${builtin.timeoutMs / 1000} s: ${userPath}`);
  return new Map([['bytes_written', BigInt(bytes.length)]]);
}

/**
 * Opens `file` with `flags`, refuses anything but a regular file with a single link (a hard
 * link inside the workspace can share its content with a file outside), then runs `use`.
 */
async function withCheckedFile<T>(
  file: string,
  flags: number,
  userPath: string,
  use: (handle: FileHandle, size: number) => Promise<T>,
): Promise<T> {
  const handle = await open(file, flags, 0o666).catch((error: unknown) => rethrowFsError(error, userPath));
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ToolInputError(`is a directory: ${userPath}`);
    if (!info.isFile()) throw new ToolInputError(`not a regular file: ${userPath}`);
    if (info.nlink > 1) throw new ToolInputError(`refused: hard-linked file (it may be shared with a file outside the workspace): ${userPath}`);
    return await use(handle, info.size);
  } catch (error) {
    if (error instanceof ToolInputError) throw error;
    return rethrowFsError(error, userPath);
  } finally {
    await handle.close();
  }
}

/**
 * `work`, or a ToolInputError with `message` once `ms` have passed: a file on a stalled mount
 * must not hold the run until the model timeout.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ToolInputError(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lines `offset` (1-based; 0 reads as 1) to `offset + limit - 1`, line endings kept. */
export function sliceLines(text: string, offset: number | undefined, limit: number | undefined): string {
  if (offset === undefined && limit === undefined) return text;
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const start = Math.max(1, offset ?? 1) - 1;
  const end = limit === undefined ? lines.length : start + limit;
  return lines.slice(start, end).join('');
}

/** Cuts `text` to `capBytes` UTF-8 bytes, noting how many were left out. */
function capText(text: string, capBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= capBytes) return text;
  const end = utf8BoundaryBefore(bytes, Math.max(0, Math.floor(capBytes)));
  return `${bytes.subarray(0, end).toString('utf8')}\n[output truncated: ${bytes.length - end} bytes omitted; use offset/limit to read further]`;
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links',
  // O_NONBLOCK write-open of a FIFO with no reader, or of a device without its driver.
  ENXIO: 'not a regular file',
  ENOSPC: 'no space left on device',
};

/** Rethrows a file-system error as a ToolInputError worded for the model. */
function rethrowFsError(error: unknown, userPath: string): never {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : FS_ERRORS[code];
  if (known !== undefined) throw new ToolInputError(`${known}: ${userPath}`);
  throw error;
}

function dumps(value: PyDict): string {
  return pyJsonDumps(value, { ensureAscii: false });
}

function fnSchema(name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolSchema {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required } } };
}
