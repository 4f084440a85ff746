import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSchema } from '#shared/model/chat.js';
import { pyJsonDumps } from '#shared/python/json.js';
import type { PyValue } from '#shared/python/value.js';
import { splitCommandLine } from './command-line.js';
import { jsonToPy, pyToJson } from './py-to-json.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';

/**
 * Options of connectMcpServers. `env` is added to the SDK's minimal inherited environment
 * (HOME, PATH, SHELL, TERM, USER, LOGNAME); `timeoutMs` bounds start-up and each call (60 s).
 */
export interface McpConnectOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Default bound on an MCP server's start-up and on each tool call. */
export const DEFAULT_MCP_TIMEOUT_MS = 60_000;

/** How much of a server's stderr is kept to explain a failure. */
const STDERR_TAIL_CHARS = 2_000;

/** One connected stdio MCP server. */
interface McpServer {
  commandLine: string;
  client: Client;
  tools: Tool[];
  closed: boolean;
  stderrTail: string;
}

/**
 * Starts one stdio MCP client per command line, lists their tools and routes calls by name;
 * a tool name offered by two servers is an error. `close()` closes every client.
 */
export async function connectMcpServers(commandLines: string[], options: McpConnectOptions = {}): Promise<ToolProvider> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS;
  const servers = await connectAll(commandLines, options, timeoutMs);
  const closeAll = async (): Promise<void> => {
    await Promise.allSettled(servers.map((server) => server.client.close()));
  };
  let routes: Map<string, McpServer>;
  try {
    routes = routeByName(servers);
  } catch (error) {
    await closeAll();
    throw error;
  }
  return {
    name: `MCP servers (${commandLines.join('; ')})`,
    schemas: servers.flatMap((server) => server.tools.map(toolSchema)),
    call: (name, args, context) => callRoutedTool(routes, name, args, context, timeoutMs),
    close: closeAll,
  };
}

async function connectAll(commandLines: string[], options: McpConnectOptions, timeoutMs: number): Promise<McpServer[]> {
  const settled = await Promise.allSettled(commandLines.map((line) => connectServer(line, options, timeoutMs)));
  const servers = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failure = settled.find((outcome) => outcome.status === 'rejected');
  if (failure === undefined) return servers;
  await Promise.allSettled(servers.map((server) => server.client.close()));
  throw failure.reason;
}

/** Spawns, initializes and lists the tools of one server; failures name the command line. */
async function connectServer(commandLine: string, options: McpConnectOptions, timeoutMs: number): Promise<McpServer> {
  const argv = splitCommandLine(commandLine, { windows: process.platform === 'win32' });
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty MCP server command line');
  const transport = new StdioClientTransport({ command, args, cwd: options.cwd, env: options.env, stderr: 'pipe' });
  const client = new Client({ name: 'trajdbg', version: '0.1.0' }, { capabilities: {} });
  const server: McpServer = { commandLine, client, tools: [], closed: false, stderrTail: '' };
  transport.stderr?.on('data', (chunk: Buffer) => {
    server.stderrTail = (server.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  client.onclose = () => {
    server.closed = true;
  };
  try {
    await client.connect(transport, { timeout: timeoutMs });
    server.tools = await listAllTools(client, timeoutMs);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(`MCP server '${commandLine}' failed to start: ${errorText(error)}${stderrNote(server)}`, { cause: error });
  }
  return server;
}

async function listAllTools(client: Client, timeoutMs: number): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: timeoutMs });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

function routeByName(servers: McpServer[]): Map<string, McpServer> {
  const routes = new Map<string, McpServer>();
  for (const server of servers) {
    for (const tool of server.tools) {
      const other = routes.get(tool.name);
      if (other !== undefined) {
        throw new Error(`duplicate MCP tool name '${tool.name}': provided by both '${other.commandLine}' and '${server.commandLine}'`);
      }
      routes.set(tool.name, server);
    }
  }
  return routes;
}

/** An MCP tool as an OpenAI function tool schema. */
function toolSchema(tool: Tool): ToolSchema {
  const fn: ToolSchema['function'] = { name: tool.name };
  if (tool.description !== undefined) fn.description = tool.description;
  fn.parameters = tool.inputSchema as Record<string, unknown>;
  return { type: 'function', function: fn };
}

async function callRoutedTool(routes: Map<string, McpServer>, name: string, args: PyValue, context: ToolCallContext, timeoutMs: number): Promise<string> {
  const server = routes.get(name);
  if (server === undefined) throw new Error(`unknown tool '${name}'`);
  if (server.closed) throw new Error(`MCP server '${server.commandLine}' is not running (it exited before this call)${stderrNote(server)}`);
  context.signal.throwIfAborted();
  const link = linkedAbort(context.signal);
  try {
    const params = { name, arguments: toolArguments(args) };
    const result = (await server.client.callTool(params, undefined, { timeout: timeoutMs, signal: link.signal })) as CallToolResult;
    return formatToolResult(result);
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    throw callError(server, name, error, timeoutMs);
  } finally {
    link.dispose();
  }
}

function toolArguments(args: PyValue): Record<string, unknown> {
  if (!(args instanceof Map)) throw new Error('MCP tool arguments must be a JSON object');
  return pyToJson(args) as Record<string, unknown>;
}

/** Rewords an SDK failure so it names the server command and the tool. */
function callError(server: McpServer, name: string, error: unknown, timeoutMs: number): Error {
  const code = error instanceof McpError ? error.code : undefined;
  const where = `MCP server '${server.commandLine}'`;
  if (code === ErrorCode.RequestTimeout) return new Error(`${where} did not answer tool '${name}' within ${timeoutMs / 1000} s`, { cause: error });
  if (server.closed || code === ErrorCode.ConnectionClosed) {
    return new Error(`${where} exited during tool '${name}'${stderrNote(server)}`, { cause: error });
  }
  return new Error(`${where} failed tool '${name}': ${errorText(error)}`, { cause: error });
}

/**
 * The tool result string: text parts joined with "\n", other parts described in brackets;
 * an `isError` result becomes `{"error": text}` so the loop counts it as a tool error.
 */
export function formatToolResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map(describeContent);
  let text = parts.join('\n');
  if (parts.length === 0 && result.structuredContent !== undefined) {
    text = pyJsonDumps(jsonToPy(result.structuredContent), { ensureAscii: false });
  }
  if (result.isError === true) return pyJsonDumps(new Map([['error', text || 'the MCP tool reported an error without a message']]));
  return text;
}

function describeContent(part: CallToolResult['content'][number]): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'image':
    case 'audio':
      return `[${part.type}: ${part.mimeType}, ${Buffer.byteLength(part.data, 'base64')} bytes]`;
    case 'resource_link':
      return `[resource link: ${part.uri}${part.mimeType === undefined ? '' : `, ${part.mimeType}`}]`;
    case 'resource':
      return 'text' in part.resource && typeof part.resource.text === 'string'
        ? part.resource.text
        : `[resource: ${part.resource.uri}${part.resource.mimeType === undefined ? '' : `, ${part.resource.mimeType}`}, ${blobBytes(part.resource)} bytes]`;
    default:
      return `[${String((part as { type?: unknown }).type)} content]`;
  }
}

function blobBytes(resource: object): number {
  const blob = (resource as { blob?: unknown }).blob;
  return typeof blob === 'string' ? Buffer.byteLength(blob, 'base64') : 0;
}

/** A per-call AbortSignal following `parent`, so no listener is left on the run's long-lived signal. */
function linkedAbort(parent: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, dispose: () => parent.removeEventListener('abort', onAbort) };
}

function stderrNote(server: McpServer): string {
  const tail = server.stderrTail.trim();
  return tail === '' ? '' : ` (stderr: ${tail})`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
