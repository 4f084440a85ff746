import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { API_METHOD_NAMES, type ApiHandlers, type OpenedFile } from '#shared/api/contract.js';
import { CALL_PATH, UPLOAD_NAME_HEADER, UPLOAD_PATH, WIRE_PATH } from '#shared/api/wire.js';
import { MAX_FRAME_BYTES } from '#shared/rpc/frames.js';
import type { RunEvent } from '#shared/run/events.js';
import type { ApiService } from '../engine/service/api-service.js';
import { generateTrajectory } from '../bench/generate.js';
import { CONTENT_SECURITY_POLICY, TOKEN_COOKIE } from './host-security.js';
import { startServeHost, type ServeHost } from './serve-host.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';
const SECRET = 'SECRET-OUTSIDE-THE-RENDERER';
const INDEX_HTML = '<!doctype html><title>Trajectory Debugger</title><script type="module" src="/assets/app.js"></script>';

/** A renderer build in a temp folder, with files beside it that must never be served. */
function rendererBuild(): string {
  const base = mkdtempSync(join(tmpdir(), 'trajdbg-host-'));
  const root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX_HTML);
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(base, 'secret'), SECRET);
  writeFileSync(join(base, 'package.json'), JSON.stringify({ name: SECRET }));
  symlinkSync(join(base, 'secret'), join(root, 'assets', 'link-out'));
  return root;
}

/** An ApiService-shaped fake: a few real-looking handlers, the rest reject; events pushed by hand. */
function fakeService() {
  const listeners = new Set<(event: RunEvent) => void>();
  const fileListeners = new Set<(file: OpenedFile) => void>();
  const calls: Array<{ method: string; params: unknown }> = [];
  const handlers = Object.fromEntries(
    API_METHOD_NAMES.map((method) => [
      method,
      async (params: unknown) => {
        calls.push({ method, params });
        throw new Error(`${method} is not in this fake`);
      },
    ]),
  ) as unknown as ApiHandlers;
  handlers['app.info'] = async (params) => {
    calls.push({ method: 'app.info', params });
    return { mode: 'serve', version: '9.9.9', keyStorage: 'memory', retryPolicy: '', notices: [] };
  };
  handlers['run.events'] = async (params) => {
    calls.push({ method: 'run.events', params });
    if (params.runId === 'gone') throw new Error('no run with id gone');
    return { events: [], complete: true };
  };
  const service: ApiService = {
    handlers,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onFile(listener) {
      fileListeners.add(listener);
      return () => fileListeners.delete(listener);
    },
    close: async () => {},
  };
  return { service, calls, listeners, emit: (event: RunEvent) => listeners.forEach((l) => l(event)), emitFile: (file: OpenedFile) => fileListeners.forEach((l) => l(file)) };
}

const hosts: ServeHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

async function start(options: { host?: string; log?: (line: string) => void; uploadsDir?: string } = {}) {
  const fake = fakeService();
  const lines: string[] = [];
  const host = await startServeHost({
    service: fake.service,
    rendererDir: rendererBuild(),
    token: TOKEN,
    log: options.log ?? ((line) => lines.push(line)),
    ...(options.host ? { host: options.host } : {}),
    ...(options.uploadsDir ? { uploadsDir: options.uploadsDir } : {}),
  });
  hosts.push(host);
  const port = Number(new URL(host.origin).port);
  return { ...fake, host, port, lines, cookie: `${TOKEN_COOKIE}=${TOKEN}` };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request to 127.0.0.1 (the path is sent exactly as given, never normalized). */
function request(port: number, path: string, options: { method?: string; headers?: Record<string, string>; setHost?: boolean; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, setHost: options.setHost ?? true }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function corsHeaders(reply: Reply): string[] {
  return Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'));
}

describe('serve host: dropped files', () => {
  it('stores a file the page posts in its uploads folder and names the copy; nothing else may post', async () => {
    const uploadsDir = mkdtempSync(join(tmpdir(), 'uploads-'));
    const { port, cookie } = await start({ uploadsDir });
    const origin = `http://127.0.0.1:${port}`;
    const body = '{"messages": []}\n';
    const headers = { Cookie: cookie, Origin: origin, [UPLOAD_NAME_HEADER]: encodeURIComponent('../../etc/ev il.jsonl') };
    const ok = await request(port, UPLOAD_PATH, { method: 'POST', headers, body });
    expect(ok.status).toBe(200);
    const { path } = JSON.parse(ok.body) as { path: string };
    expect(dirname(path)).toBe(uploadsDir);
    expect(basename(path)).toMatch(/^[0-9a-f]{12}-ev il\.jsonl$/);
    expect(readFileSync(path, 'utf8')).toBe(body);
    expect((await request(port, UPLOAD_PATH, { method: 'POST', headers: { ...headers, Cookie: '' }, body })).status).toBe(401);
    expect((await request(port, UPLOAD_PATH, { method: 'POST', headers: { ...headers, Origin: 'http://evil.example' }, body })).status).toBe(403);
    expect((await request(port, UPLOAD_PATH, { method: 'GET', headers })).status).toBe(405);
    expect(readdirSync(uploadsDir)).toHaveLength(1);
  });
});

describe('serve host: calls over HTTP', () => {
  it('answers a run.events request the page posts with the reply the WebSocket would carry', async () => {
    const { port, cookie, calls } = await start();
    const headers = { Cookie: cookie, Origin: `http://127.0.0.1:${port}`, 'Content-Type': 'application/json' };
    const ok = await request(port, CALL_PATH, { method: 'POST', headers, body: JSON.stringify({ id: 0, method: 'run.events', params: { runId: 'r1', fromSeq: 3 } }) });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(corsHeaders(ok)).toEqual([]);
    expect(JSON.parse(ok.body)).toEqual({ id: 0, result: { events: [], complete: true } });
    expect(calls).toEqual([{ method: 'run.events', params: { runId: 'r1', fromSeq: 3, limit: 5000 } }]);

    const failed = await request(port, CALL_PATH, { method: 'POST', headers, body: JSON.stringify({ id: 4, method: 'run.events', params: { runId: 'gone' } }) });
    expect(JSON.parse(failed.body)).toEqual({ id: 4, error: { code: 'internal', method: 'run.events', message: 'no run with id gone' } });
    const invalid = await request(port, CALL_PATH, { method: 'POST', headers, body: JSON.stringify({ id: 5, method: 'run.events', params: { fromSeq: -1 } }) });
    expect(JSON.parse(invalid.body)).toMatchObject({ id: 5, error: { code: 'invalid_params', method: 'run.events' } });
    const notJson = await request(port, CALL_PATH, { method: 'POST', headers, body: '{not json' });
    expect(JSON.parse(notJson.body)).toMatchObject({ error: { code: 'bad_message', message: expect.stringMatching(/^not JSON/) } });
    const cancel = await request(port, CALL_PATH, { method: 'POST', headers, body: JSON.stringify({ cancel: 1 }) });
    expect(JSON.parse(cancel.body)).toMatchObject({ error: { code: 'bad_message' } });
    expect(calls).toHaveLength(2);
  });

  it('answers no other method there, and only the page itself may post', async () => {
    const { port, cookie, calls } = await start();
    const origin = `http://127.0.0.1:${port}`;
    const body = JSON.stringify({ id: 1, method: 'app.info', params: {} });
    const other = await request(port, CALL_PATH, { method: 'POST', headers: { Cookie: cookie, Origin: origin }, body });
    expect(JSON.parse(other.body)).toEqual({ id: 1, error: { code: 'unknown_method', method: 'app.info', message: "'app.info' is not answered at /api/call: call it over the WebSocket at /api" } });
    const events = JSON.stringify({ id: 2, method: 'run.events', params: { runId: 'r1' } });
    expect((await request(port, CALL_PATH, { method: 'POST', headers: { Origin: origin }, body: events })).status).toBe(401);
    expect((await request(port, CALL_PATH, { method: 'POST', headers: { Cookie: cookie, Origin: 'http://evil.example' }, body: events })).status).toBe(403);
    expect((await request(port, CALL_PATH, { method: 'POST', headers: { Cookie: cookie }, body: events })).status).toBe(403);
    const crossSite = { Cookie: cookie, Origin: origin, 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'cors' };
    expect((await request(port, CALL_PATH, { method: 'POST', headers: crossSite, body: events })).status).toBe(403);
    expect((await request(port, CALL_PATH, { method: 'GET', headers: { Cookie: cookie, Origin: origin } })).status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('refuses a request body over MAX_FRAME_BYTES, declared or not', async () => {
    const { port, cookie, calls } = await start();
    const headers = { Cookie: cookie, Origin: `http://127.0.0.1:${port}` };
    const declared = await request(port, CALL_PATH, { method: 'POST', headers: { ...headers, 'Content-Length': String(MAX_FRAME_BYTES + 1) } });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/at most 16 MiB/);
    expect(declared.headers.connection).toBe('close');
    // Sent in pieces, with no length declared.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: CALL_PATH, method: 'POST', headers }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const piece = 'x'.repeat(1024 * 1024);
      for (let i = 0; i <= MAX_FRAME_BYTES / piece.length; i++) req.write(piece);
      req.end();
    });
    expect(chunked).toBe(413);
    expect(calls).toEqual([]);
  });
});

describe('serve host: HTTP', () => {
  it('refuses a request without the token with 401 and says where the URL is', async () => {
    const { port } = await start();
    const reply = await request(port, '/');
    expect(reply.status).toBe(401);
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.body).toContain('trajdbg serve');
    expect(reply.body).not.toContain(TOKEN);
    expect((await request(port, '/assets/app.js')).status).toBe(401);
  });

  it('refuses wrong tokens with 401, then every guess with 429 after 10 of them', async () => {
    const { port, cookie } = await start();
    for (let i = 0; i < 10; i++) {
      const reply = await request(port, `/?token=wrong-${i}`);
      expect(reply.status, `guess ${i + 1}`).toBe(401);
    }
    const blocked = await request(port, '/?token=wrong-again');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(port, '/')).status).toBe(429);
    // Any site can spend the guesses with top-level navigations: the right URL still opens...
    expect((await request(port, `/?token=${TOKEN}`)).status).toBe(303);
    // ...and a page that already holds the cookie keeps working.
    expect((await request(port, '/', { headers: { Cookie: cookie } })).status).toBe(200);
  });

  it('does not count a stale cookie (an earlier session) as a guess', async () => {
    const { port } = await start();
    for (let i = 0; i < 12; i++) expect((await request(port, '/', { headers: { Cookie: `${TOKEN_COOKIE}=stale-${i}` } })).status).toBe(401);
    expect((await request(port, `/?token=${TOKEN}`)).status).toBe(303);
  });

  it('trades ?token= for an HttpOnly SameSite=Strict cookie and a redirect that drops it from the address bar', async () => {
    const { port } = await start();
    const first = await request(port, `/?token=${TOKEN}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie'] ?? [];
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toBe(`${TOKEN_COOKIE}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
    expect(corsHeaders(first)).toEqual([]);

    const cookie = setCookie[0]!.split(';')[0]!;
    const page = await request(port, '/', { headers: { Cookie: `other=1; ${cookie}` } });
    expect(page.status).toBe(200);
    expect(page.body).toBe(INDEX_HTML);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(corsHeaders(page)).toEqual([]);

    const index = await request(port, '/index.html', { headers: { Cookie: cookie } });
    expect(index.body).toBe(INDEX_HTML);
    const script = await request(port, '/assets/app.js', { headers: { Cookie: cookie, Origin: 'http://evil.example' } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    expect(script.headers['content-security-policy']).toBeUndefined();
    expect(corsHeaders(script)).toEqual([]);
    expect((await request(port, '/assets/font.woff2', { headers: { Cookie: cookie } })).headers['content-type']).toBe('font/woff2');

    const head = await request(port, '/', { method: 'HEAD', headers: { Cookie: cookie } });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(INDEX_HTML.length));
    expect(head.body).toBe('');
  });

  it('keeps the other query parameters on the redirect and sets the cookie on a direct asset request', async () => {
    const { port } = await start();
    const redirect = await request(port, `/index.html?run=abc&token=${TOKEN}`);
    expect(redirect.status).toBe(303);
    expect(redirect.headers.location).toBe('/index.html?run=abc');
    const asset = await request(port, `/assets/app.js?token=${TOKEN}`);
    expect(asset.status).toBe(200);
    expect(asset.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('serves only GET and HEAD, and sends no CORS headers even to a preflight', async () => {
    const { port, cookie } = await start();
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await request(port, '/', { method, headers: { Cookie: cookie, Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
      expect(corsHeaders(reply)).toEqual([]);
    }
    const preflight = await request(port, '/', { method: 'OPTIONS', headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.status).toBe(401);
    expect(corsHeaders(preflight)).toEqual([]);
  });

  it('never serves a file outside the renderer folder, however the path is written', async () => {
    const { port, cookie } = await start();
    const attempts = [
      '/../package.json',
      '/../secret',
      '/%2e%2e/secret',
      '/%2E%2E/package.json',
      '/..%2fsecret',
      '/..%2Fpackage.json',
      '/%2e%2e%2fsecret',
      '/assets/../../secret',
      '/assets/..%2f..%2fsecret',
      '/assets/%2e%2e/%2e%2e/secret',
      '/..%5csecret',
      '/assets/..\\..\\secret',
      '/%252e%252e/secret',
      '/assets/link-out',
      '/assets/',
      '/assets',
      '//secret',
      '/%00',
      '/%',
      'secret',
    ];
    for (const path of attempts) {
      const reply = await request(port, path, { headers: { Cookie: cookie } });
      expect([400, 403, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain(SECRET);
    }
    expect((await request(port, '/missing.js', { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('refuses a request whose Host header is not this server (DNS rebinding)', async () => {
    const { port, cookie } = await start();
    for (const host of [`evil.example:${port}`, `127.0.0.1.evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`, `localhost:${port}@evil`]) {
      const reply = await request(port, '/', { headers: { Cookie: cookie, Host: host } });
      expect(reply.status, host).toBe(403);
      expect(reply.body).not.toContain('<title>');
    }
    expect((await request(port, `/?token=${TOKEN}`, { headers: { Host: `evil.example:${port}` } })).status).toBe(403);
    expect([400, 403]).toContain((await request(port, '/', { headers: { Cookie: cookie }, setHost: false })).status); // Node itself answers 400
    expect((await request(port, '/', { headers: { Cookie: cookie, Host: `localhost:${port}` } })).status).toBe(200);
    expect((await request(port, '/', { headers: { Cookie: cookie, Host: `LOCALHOST:${port}` } })).status).toBe(200);
  });

  it('refuses what another site makes the browser send before looking at the token, so it cannot lock the user out', async () => {
    const { port, cookie } = await start();
    const crossSite = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'no-cors', 'Sec-Fetch-Dest': 'image' };
    for (let i = 0; i < 12; i++) expect((await request(port, `/?token=guess-${i}`, { headers: crossSite })).status).toBe(403);
    expect((await request(port, '/assets/app.js', { headers: { ...crossSite, Cookie: cookie } })).status).toBe(403);
    // Opening the printed URL from another page (a top-level navigation) is still allowed.
    const navigate = { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' };
    expect((await request(port, `/?token=${TOKEN}`, { headers: navigate })).status).toBe(303);
    expect((await request(port, '/assets/app.js', { headers: { 'Sec-Fetch-Site': 'same-origin', Cookie: cookie } })).status).toBe(200);
  });
});

/** Opens a WebSocket to the host; resolves with the socket, or with the HTTP status it was refused with. */
function openSocket(port: number, options: { origin?: string; cookie?: string; query?: string; path?: string; host?: string } = {}): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie) headers.Cookie = options.cookie;
    if (options.host) headers.Host = options.host;
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? WIRE_PATH}${options.query ?? ''}`, { headers, ...(options.origin ? { origin: options.origin } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Collects a socket's messages; `next()` waits for the next unread one. */
function inbox(ws: WebSocket) {
  const queue: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as unknown;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  return {
    next: (): Promise<Record<string, unknown>> => new Promise((resolve) => (queue.length ? resolve(queue.shift() as Record<string, unknown>) : waiting.push(resolve as (m: unknown) => void))),
  };
}

async function connected(port: number, cookie: string) {
  const ws = await openSocket(port, { origin: `http://127.0.0.1:${port}`, cookie });
  if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
  return { ws, ...inbox(ws) };
}

describe('serve host: WebSocket', () => {
  it('refuses an upgrade without the token, from a foreign or missing Origin, or to a foreign Host', async () => {
    const { port, cookie } = await start();
    const own = `http://127.0.0.1:${port}`;
    expect(await openSocket(port, { origin: own })).toBe(401);
    expect(await openSocket(port, { origin: own, query: '?token=wrong' })).toBe(401);
    expect(await openSocket(port, { origin: own, cookie: `${TOKEN_COOKIE}=wrong` })).toBe(401);
    expect(await openSocket(port, { origin: 'http://evil.example', cookie })).toBe(403);
    expect(await openSocket(port, { origin: `http://localhost:${port}`, cookie })).toBe(403); // not the origin it connects to
    expect(await openSocket(port, { origin: `https://127.0.0.1:${port}`, cookie })).toBe(403);
    expect(await openSocket(port, { origin: 'null', cookie })).toBe(403);
    expect(await openSocket(port, { cookie })).toBe(403);
    expect(await openSocket(port, { origin: `http://evil.example:${port}`, cookie, host: `evil.example:${port}` })).toBe(403);
    expect(await openSocket(port, { origin: own, cookie, path: '/other' })).toBe(404);
    const viaLocalhost = await openSocket(port, { origin: `http://localhost:${port}`, cookie, host: `localhost:${port}` });
    expect(viaLocalhost).toBeInstanceOf(WebSocket);
    (viaLocalhost as WebSocket).close();
    const viaQuery = await openSocket(port, { origin: own, query: `?token=${TOKEN}` });
    expect(viaQuery).toBeInstanceOf(WebSocket);
    (viaQuery as WebSocket).close();
  });

  it('locks out an address that guesses tokens on the upgrade too', async () => {
    const { port } = await start();
    const own = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 10; i++) expect(await openSocket(port, { origin: own, query: `?token=guess-${i}` })).toBe(401);
    expect(await openSocket(port, { origin: own, query: '?token=guess-again' })).toBe(429);
    const right = await openSocket(port, { origin: own, query: `?token=${TOKEN}` });
    expect(typeof right).toBe('object');
    if (typeof right === 'object') right.close();
  });

  it('round-trips a method call, with the parameters validated and defaults applied', async () => {
    const { port, cookie, calls } = await start();
    const { ws, next } = await connected(port, cookie);
    ws.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    expect(await next()).toEqual({ id: 1, result: { mode: 'serve', version: '9.9.9', keyStorage: 'memory', retryPolicy: '', notices: [] } });
    ws.send(JSON.stringify({ id: 2, method: 'run.events', params: { runId: 'r1' } }));
    expect(await next()).toEqual({ id: 2, result: { events: [], complete: true } });
    expect(calls.at(-1)).toEqual({ method: 'run.events', params: { runId: 'r1', fromSeq: 0, limit: 5000 } });
    ws.close();
  });

  it('answers invalid params, unknown methods and bad frames with errors, and the socket stays usable', async () => {
    const { port, cookie, calls } = await start();
    const { ws, next } = await connected(port, cookie);

    ws.send(JSON.stringify({ id: 3, method: 'run.events', params: { fromSeq: -1 } }));
    const invalid = await next();
    expect(invalid).toMatchObject({ id: 3, error: { code: 'invalid_params', method: 'run.events' } });
    expect((invalid.error as { message: string }).message).toMatch(/^run\.events: runId: /);
    expect(calls).toEqual([]);

    ws.send(JSON.stringify({ id: 4, method: 'fs.readFile', params: {} }));
    expect(await next()).toEqual({ id: 4, error: { code: 'unknown_method', method: 'fs.readFile', message: "unknown API method 'fs.readFile'" } });
    ws.send(JSON.stringify({ id: 5, method: 'toString', params: {} }));
    expect(await next()).toMatchObject({ id: 5, error: { code: 'unknown_method', message: "unknown API method 'toString'" } });

    ws.send('{not json');
    const notJson = await next();
    expect(notJson).not.toHaveProperty('id');
    expect((notJson.error as { message: string }).message).toMatch(/^not JSON/);
    expect(notJson).toMatchObject({ error: { code: 'bad_message' } });
    ws.send(JSON.stringify({ method: 'app.info', params: {} }));
    expect(await next()).toEqual({ error: { code: 'bad_message', method: 'app.info', message: 'id: expected a non-negative integer' } });
    ws.send(JSON.stringify([1, 2]));
    expect(await next()).toHaveProperty('error');
    ws.send(Buffer.from('{"id":6,"method":"app.info"}'), { binary: true });
    expect(await next()).toMatchObject({ error: { message: expect.stringMatching(/binary/) } });

    ws.send(JSON.stringify({ id: 7, method: 'run.events', params: { runId: 'gone' } }));
    const failed = await next();
    expect(failed).toEqual({ id: 7, error: { code: 'internal', method: 'run.events', message: 'no run with id gone' } });

    ws.send(JSON.stringify({ id: 8, method: 'app.info' }));
    expect(await next()).toMatchObject({ id: 8, result: { version: '9.9.9' } });
    ws.close();
  });

  it('pushes every run event to every connected socket, in order, batched per tick', async () => {
    const { port, cookie, emit, host } = await start();
    const a = await connected(port, cookie);
    const b = await connected(port, cookie);
    const events = [1, 2, 3].map((seq) => ({ runId: 'r1', seq, time: seq, type: 'turn_started', turn: seq }) as RunEvent);
    for (const event of events) emit(event);
    for (const socket of [a, b]) {
      expect(await socket.next()).toEqual({ seq: 1, events });
    }
    const closed = [a, b].map((s) => new Promise<number>((resolve) => s.ws.once('close', (code) => resolve(code))));
    await host.close();
    expect(await Promise.all(closed)).toEqual([1001, 1001]);
  });

  it('pushes opened files’ progress to every connected socket', async () => {
    const { port, cookie, emitFile } = await start();
    const a = await connected(port, cookie);
    const file = { fileId: 'f1', state: 'indexing', trajectories: 12 } as unknown as OpenedFile;
    emitFile(file);
    expect(await a.next()).toEqual({ files: [file] });
    a.ws.close();
  });

  it('refuses a frame over MAX_FRAME_BYTES with 1009 (Message Too Big) from its header alone, and keeps serving', async () => {
    const { port, cookie, calls } = await start();
    let raw: net.Socket | undefined;
    const ws = new WebSocket(`ws://127.0.0.1:${port}${WIRE_PATH}`, {
      origin: `http://127.0.0.1:${port}`,
      headers: { Cookie: cookie },
      createConnection: () => (raw = net.connect({ host: '127.0.0.1', port })),
    });
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    // A masked text frame that declares 1 TiB and sends 16 bytes of it: were the host to buffer
    // the frame before judging it, it would wait for the rest and never answer.
    const header = Buffer.alloc(14);
    header[0] = 0x81;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(2n ** 40n, 2);
    raw!.write(Buffer.concat([header, Buffer.alloc(16, 0x20)]));
    expect(await closed).toBe(1009);
    expect(calls).toEqual([]);

    // A real frame one byte over the cap is refused the same way; one at the cap is answered.
    const over = await connected(port, cookie);
    const overClosed = new Promise<number>((resolve) => over.ws.once('close', (code) => resolve(code)));
    const overFrame = `{"id":1,"method":"app.info","params":"${'x'.repeat(MAX_FRAME_BYTES - 39)}"}`;
    expect(Buffer.byteLength(overFrame)).toBe(MAX_FRAME_BYTES + 1);
    over.ws.send(overFrame);
    expect(await overClosed).toBe(1009);
    const atCap = await connected(port, cookie);
    const frame = `{"id":2,"method":"app.info","params":{"pad":"${'x'.repeat(MAX_FRAME_BYTES - 48)}"}}`;
    expect(Buffer.byteLength(frame)).toBe(MAX_FRAME_BYTES);
    atCap.ws.send(frame);
    expect(await atCap.next()).toMatchObject({ id: 2 });
    atCap.ws.close();
  });

  it('takes a 5,000-turn trajectory in one run.replay request', async () => {
    const { port, cookie, service, calls } = await start();
    service.handlers['run.replay'] = async (params) => {
      calls.push({ method: 'run.replay', params });
      return { runId: 'replayed' };
    };
    const messages = generateTrajectory(5_000);
    const frame = JSON.stringify({ id: 1, method: 'run.replay', params: { title: '5,000 turns', messages } });
    expect(Buffer.byteLength(frame)).toBeGreaterThan(12 * 1024 * 1024);
    const page = await connected(port, cookie);
    page.ws.send(frame);
    expect(await page.next()).toEqual({ id: 1, result: { runId: 'replayed' } });
    expect((calls[0]!.params as { messages: unknown[] }).messages).toHaveLength(messages.length);
    page.ws.close();
  });

  it('closes a socket that falls more than 32 MiB behind with 1013 and keeps serving the others', async () => {
    const { port, cookie, emit, lines } = await start();
    let raw: net.Socket | undefined;
    const slow = new WebSocket(`ws://127.0.0.1:${port}${WIRE_PATH}`, {
      origin: `http://127.0.0.1:${port}`,
      headers: { Cookie: cookie },
      createConnection: () => (raw = net.connect({ host: '127.0.0.1', port })),
    });
    await new Promise((resolve) => slow.once('open', resolve));
    const closedWith = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)));
    raw!.pause(); // a page that stopped reading
    const big = 'x'.repeat(1024 * 1024);
    for (let seq = 0; seq < 48; seq++) {
      emit({ runId: 'r1', seq, time: 0, type: 'model_delta', turn: 1, delta: { kind: 'content', text: big } } as unknown as RunEvent);
      await new Promise((resolve) => setImmediate(resolve)); // one pushed frame per tick
    }
    expect(lines.some((line) => line.includes('fell more than 32 MiB behind'))).toBe(true);
    raw!.resume();
    expect(await closedWith).toBe(1013);
    const healthy = await connected(port, cookie);
    healthy.ws.send(JSON.stringify({ id: 1, method: 'app.info', params: {} }));
    expect(await healthy.next()).toMatchObject({ id: 1 });
    healthy.ws.close();
  });
});

describe('serve host: binding', () => {
  it('prints a URL with the token on 127.0.0.1 and warns about nothing there', async () => {
    const { host, lines } = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=test-token-/);
    expect(host.origin).toBe(host.url.split('/?')[0]);
    expect(lines).toEqual([]);
  });

  it('makes a fresh 256-bit token when none is given', async () => {
    const fake = fakeService();
    const host = await startServeHost({ service: fake.service, rendererDir: rendererBuild(), log: () => {} });
    hosts.push(host);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.url.endsWith(`?token=${host.token}`)).toBe(true);
  });

  it('warns in one line when bound to a non-loopback address (0.0.0.0)', async () => {
    // Bound to every interface, but the test only ever talks to 127.0.0.1.
    const { lines, host, port, cookie } = await start({ host: '0.0.0.0' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: .*not a loopback address.*reachable from the network.*guarded only by the token$/);
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect((await request(port, '/', { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await request(port, '/', { headers: { Cookie: cookie, Host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('refuses a token that cannot travel in a URL and a cookie unescaped', async () => {
    const fake = fakeService();
    await expect(startServeHost({ service: fake.service, rendererDir: rendererBuild(), token: 'short' })).rejects.toThrow(/token/);
    await expect(startServeHost({ service: fake.service, rendererDir: rendererBuild(), token: 'a;b=c d0123456789abcdef' })).rejects.toThrow(/token/);
  });
});
