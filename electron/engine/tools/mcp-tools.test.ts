import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PyValue } from '#shared/python/value.js';
import { formatToolResult, connectMcpServers } from './mcp-tools.js';
import type { ToolCallContext, ToolProvider } from './tool-provider.js';

const require = createRequire(import.meta.url);
const filesystemServer = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
const context = (signal: AbortSignal = new AbortController().signal): ToolCallContext => ({ taskId: 'task-1', signal });
const dict = (entries: Record<string, PyValue>): PyValue => new Map(Object.entries(entries));

/** A CommonJS MCP server (absolute requires, so it runs from a temp dir) with misbehaving tools. */
const TINY_SERVER = `
const { McpServer } = require(${JSON.stringify(require.resolve('@modelcontextprotocol/sdk/server/mcp.js'))});
const { StdioServerTransport } = require(${JSON.stringify(require.resolve('@modelcontextprotocol/sdk/server/stdio.js'))});
const { z } = require(${JSON.stringify(require.resolve('zod'))});
const server = new McpServer({ name: 'tiny', version: '1.0.0' });
server.registerTool('crash', { description: 'exits mid-call' }, async () => {
  process.stderr.write('tiny server going down\\n');
  process.exit(1);
});
server.registerTool('hang', {}, () => new Promise(() => {}));
server.registerTool('fail', {}, async () => ({ content: [{ type: 'text', text: 'bad thing happened' }], isError: true }));
server.registerTool('mixed', {}, async () => ({
  content: [
    { type: 'text', text: 'first' },
    { type: 'image', data: Buffer.from('0123456789').toString('base64'), mimeType: 'image/png' },
    { type: 'text', text: 'last' },
  ],
}));
server.registerTool('echo', { inputSchema: { value: z.any() } }, async (args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }));
server.connect(new StdioServerTransport()).catch((error) => { console.error(error); process.exit(2); });
`;

let base: string;
let files: string;
let tinyCommand: string;
let filesystemCommand: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(tmpdir(), 'trajdbg-mcp-')));
  files = path.join(base, 'files');
  await mkdir(files);
  await writeFile(path.join(files, 'hello.txt'), 'hello from MCP\n');
  await writeFile(path.join(base, 'tiny-server.cjs'), TINY_SERVER);
  tinyCommand = `${quote(process.execPath)} ${quote(path.join(base, 'tiny-server.cjs'))}`;
  filesystemCommand = `${quote(process.execPath)} ${quote(filesystemServer)} ${quote(files)}`;
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function withServers<T>(commandLines: string[], body: (tools: ToolProvider) => Promise<T>, timeoutMs?: number): Promise<T> {
  const tools = await connectMcpServers(commandLines, timeoutMs === undefined ? {} : { timeoutMs });
  try {
    return await body(tools);
  } finally {
    await tools.close?.();
  }
}

describe('connectMcpServers with the filesystem server', () => {
  it('lists its tools as function schemas and reads a file', async () => {
    await withServers([filesystemCommand], async (tools) => {
      const readText = tools.schemas.find((schema) => schema.function.name === 'read_text_file');
      expect(readText?.type).toBe('function');
      expect(readText?.function.description).toMatch(/Read the complete contents/);
      expect(readText?.function.parameters).toMatchObject({ type: 'object', properties: { path: { type: 'string' } } });
      expect(await tools.call('read_text_file', dict({ path: path.join(files, 'hello.txt') }), context())).toBe('hello from MCP\n');
    });
  });

  it('turns an isError result into an {"error": ...} JSON', async () => {
    await withServers([filesystemCommand], async (tools) => {
      const result = await tools.call('read_text_file', dict({ path: path.join(base, 'tiny-server.cjs') }), context());
      const parsed = JSON.parse(result) as { error: string };
      expect(Object.keys(parsed)).toEqual(['error']);
      expect(parsed.error).toMatch(/Access denied|outside allowed/i);
    });
  });

  it('refuses a tool name offered by two servers, naming both', async () => {
    await expect(connectMcpServers([filesystemCommand, tinyCommand, filesystemCommand])).rejects.toThrow(
      `duplicate MCP tool name 'read_file': provided by both '${filesystemCommand}' and '${filesystemCommand}'`,
    );
  });
});

describe('connectMcpServers with a misbehaving server', () => {
  it('routes by name across servers and converts arguments', async () => {
    await withServers([filesystemCommand, tinyCommand], async (tools) => {
      const args = dict({ value: new Map<string, PyValue>([['b', 1n], ['a', [1.5, 'é', null]]]) });
      expect(await tools.call('echo', args, context())).toBe('{"value":{"b":1,"a":[1.5,"é",null]}}');
      expect(await tools.call('mixed', dict({}), context())).toBe('first\n[image: image/png, 10 bytes]\nlast');
      expect(await tools.call('fail', dict({}), context())).toBe('{"error": "bad thing happened"}');
      await expect(tools.call('nope', dict({}), context())).rejects.toThrow("unknown tool 'nope'");
    });
  });

  it('rejects naming the server when it exits mid-call, and on later calls', async () => {
    await withServers([tinyCommand], async (tools) => {
      const crash = tools.call('crash', dict({}), context());
      await expect(crash).rejects.toThrow(`MCP server '${tinyCommand}' exited during tool 'crash' (stderr: tiny server going down)`);
      await expect(tools.call('echo', dict({ value: 1n }), context())).rejects.toThrow(`MCP server '${tinyCommand}' is not running`);
    });
  });

  it('rejects a call past the timeout, naming the server', async () => {
    await withServers(
      [tinyCommand],
      async (tools) => {
        await expect(tools.call('hang', dict({}), context())).rejects.toThrow(`MCP server '${tinyCommand}' did not answer tool 'hang' within 1 s`);
        expect(await tools.call('echo', dict({ value: 'still alive' }), context())).toBe('{"value":"still alive"}');
      },
      1_000,
    );
  });

  it('is aborted by the signal', async () => {
    await withServers([tinyCommand], async (tools) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('stopped by user')), 100);
      await expect(tools.call('hang', dict({}), context(controller.signal))).rejects.toThrow('stopped by user');
    });
  });

  it('names a command that cannot start', async () => {
    await expect(connectMcpServers(['/nonexistent/mcp-server --flag'])).rejects.toThrow(
      /^MCP server '\/nonexistent\/mcp-server --flag' failed to start: .*ENOENT/,
    );
    await expect(connectMcpServers([`${quote(process.execPath)} -e 'process.exit(3)'`])).rejects.toThrow(/failed to start: .*Connection closed/);
    await expect(connectMcpServers(['  '])).rejects.toThrow('empty MCP server command line');
  });
});

describe('formatToolResult', () => {
  it('describes non-text parts and uses structured content when there is no content', () => {
    expect(
      formatToolResult({
        content: [
          { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
          { type: 'resource_link', uri: 'file:///x', name: 'x' },
          { type: 'resource', resource: { uri: 'file:///t', text: 'embedded text' } },
          { type: 'resource', resource: { uri: 'file:///b', blob: 'AAAA', mimeType: 'application/zip' } },
        ],
      }),
    ).toBe('[audio: audio/wav, 3 bytes]\n[resource link: file:///x]\nembedded text\n[resource: file:///b, application/zip, 3 bytes]');
    expect(formatToolResult({ content: [], structuredContent: { n: 1, x: 'é' } })).toBe('{"n": 1, "x": "é"}');
    expect(formatToolResult({ content: [], isError: true })).toBe('{"error": "the MCP tool reported an error without a message"}');
  });
});
