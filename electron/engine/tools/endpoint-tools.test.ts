import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ToolSchema } from '#shared/model/chat.js';
import type { PyValue } from '#shared/python/value.js';
import { createEndpointTools, endpointBody } from './endpoint-tools.js';
import type { ToolCallContext } from './tool-provider.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

let server: Server;
let url: string;
let received: Received[];
let reply: (response: ServerResponse) => void;

const schemas: ToolSchema[] = [{ type: 'function', function: { name: 'terminal', parameters: { type: 'object' } } }];
const context = (signal: AbortSignal = new AbortController().signal): ToolCallContext => ({ taskId: 'task-7', signal });

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body });
      reply(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tool`;
});

beforeEach(() => {
  received = [];
  reply = (response) => response.end('ok');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createEndpointTools', () => {
  it('posts the call exactly, keeping key order and int/float forms', async () => {
    const tools = createEndpointTools({ url, schemas });
    const args: PyValue = new Map<string, PyValue>([
      ['z', 1n],
      ['a', 1.0],
      ['m', [1.5, 'é', null, true, new Map([['k', -0.0]])]],
    ]);
    reply = (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('  {"output": "hé", "exit_code": 0}\n');
    expect(await tools.call('terminal', args, context())).toBe('  {"output": "hé", "exit_code": 0}\n');
    expect(received).toEqual([
      {
        method: 'POST',
        url: '/tool',
        contentType: 'application/json',
        body: '{"tool_name":"terminal","arguments":{"z":1,"a":1.0,"m":[1.5,"é",null,true,{"k":-0.0}]},"task_id":"task-7"}',
      },
    ]);
    expect(tools.schemas).toEqual(schemas);
  });

  it('returns any 2xx body as is', async () => {
    const tools = createEndpointTools({ url, schemas });
    reply = (response) => response.writeHead(201).end('not json at all');
    expect(await tools.call('terminal', new Map(), context())).toBe('not json at all');
    reply = (response) => response.writeHead(204).end();
    expect(await tools.call('terminal', new Map(), context())).toBe('');
  });

  it('keeps a leading BOM of the reply, as the reference reads it', async () => {
    const tools = createEndpointTools({ url, schemas });
    reply = (response) => response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('\ufeff{"error": "x"}');
    expect(await tools.call('terminal', new Map(), context())).toBe('\ufeff{"error": "x"}');
  });

  it('sends a lone surrogate escaped, as json.dumps writes it, and a pair as it is', async () => {
    const tools = createEndpointTools({ url, schemas });
    const args: PyValue = new Map<string, PyValue>([['s', 'a\ud800b\udfff😀'], ['\udc00', 'é']]);
    await tools.call('terminal', args, context());
    expect(received[0]!.body).toBe('{"tool_name":"terminal","arguments":{"s":"a\\ud800b\\udfff😀","\\udc00":"é"},"task_id":"task-7"}');
  });

  it('rejects other statuses with the status and the start of the body', async () => {
    const tools = createEndpointTools({ url, schemas });
    reply = (response) => response.writeHead(500).end('boom');
    await expect(tools.call('terminal', new Map(), context())).rejects.toThrow(`HTTP 500 from ${url}: boom`);
    reply = (response) => response.writeHead(404).end('😀'.repeat(600));
    await expect(tools.call('terminal', new Map(), context())).rejects.toThrow(`HTTP 404 from ${url}: ${'😀'.repeat(500)}`);
  });

  it('names the URL when the endpoint is unreachable or too slow', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/tool`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(createEndpointTools({ url: deadUrl, schemas }).call('terminal', new Map(), context())).rejects.toThrow(
      new RegExp(`^tool endpoint ${deadUrl} unreachable: fetch failed: .*ECONNREFUSED`),
    );
    reply = () => undefined;
    const slow = createEndpointTools({ url, schemas, timeoutMs: 200 });
    await expect(slow.call('terminal', new Map(), context())).rejects.toThrow(`tool endpoint ${url} did not answer within 0.2 s`);
  });

  it('is aborted by the signal', async () => {
    reply = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stopped by user')), 100);
    await expect(createEndpointTools({ url, schemas }).call('terminal', new Map(), context(controller.signal))).rejects.toThrow('stopped by user');
  });

  it('uses the injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(`${String(input)} ${String(init?.body)}`);
      return new Response('fake', { status: 200 });
    }) as typeof fetch;
    const tools = createEndpointTools({ url: 'http://sandbox.invalid/x', schemas, fetch: fakeFetch });
    expect(await tools.call('t', new Map([['n', 2n]]), context())).toBe('fake');
    expect(calls).toEqual([`http://sandbox.invalid/x ${endpointBody('t', new Map([['n', 2n]]), 'task-7')}`]);
  });
});
