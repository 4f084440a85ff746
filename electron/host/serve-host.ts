import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { apiCall, type OpenedFile } from '#shared/api/contract.js';
import { CALL_PATH, FETCHED_METHODS, UPLOAD_NAME_HEADER, UPLOAD_PATH, WIRE_PATH } from '#shared/api/wire.js';
import { MAX_FRAME_BYTES } from '#shared/rpc/frames.js';
import { answerFrame, createEventBatcher, serveRpc, type RpcCall, type RpcServerMessage } from '#shared/rpc/protocol.js';
import type { RunEvent } from '#shared/run/events.js';
import type { ApiService } from '../engine/service/api-service.js';
import {
  CONTENT_SECURITY_POLICY,
  checkTokenShape,
  createFailureLimiter,
  hostChecker,
  isLoopbackHost,
  isSameOrigin,
  isWildcardHost,
  judgeQueryToken,
  newToken,
  tokenCookie,
  tokenCookies,
  tokenMatches,
  urlHostname,
} from './host-security.js';
import { contentTypeOf } from '#shared/web/content-types.js';
import { lookupStaticFile } from './static-files.js';
import { ApiError, messageOf } from '#shared/rpc/errors.js';

/**
 * Serve mode: the renderer's files and the API (over a WebSocket at {@link WIRE_PATH}, the calls
 * with large replies over HTTP at {@link CALL_PATH}) on one local origin, guarded by a random
 * token. The browser gets the token once in the printed URL and keeps it in an HttpOnly,
 * SameSite=Strict cookie; every request and the WebSocket upgrade need it.
 */

export interface ServeHostOptions {
  service: ApiService;
  /** The built renderer (index.html and its assets); nothing outside it is served. */
  rendererDir: string;
  /** Default 127.0.0.1. Anything but a loopback address exposes every run to the network. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
  /** One line per notable thing (warnings, sockets dropped for falling behind). Default: stderr. */
  log?: (line: string) => void;
  /** Where files dropped on the page are stored (a private folder; default: a new temp folder, removed on close). */
  uploadsDir?: string;
}

export interface ServeHost {
  /** The URL to open, with the token: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  token: string;
  /** Closes every socket and stops listening (the service is the caller's to close). */
  close(): Promise<void>;
}

/** A socket whose unsent data grows past this is closed with 1013; the client reconnects and catches up. */
const MAX_BUFFERED = 32 * 1024 * 1024;
/** The largest file a page may upload (a dropped trajectory file). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

const UNAUTHORIZED_TEXT = 'Unauthorized: this Trajectory Debugger server needs its access token.\nOpen the URL printed by `trajdbg serve` (the one ending in ?token=...).\n';

/** Starts the host; resolves once it listens. */
export async function startServeHost(options: ServeHostOptions): Promise<ServeHost> {
  const { service } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token === undefined ? newToken() : checkTokenShape(options.token);
  const tokenBytes = Buffer.from(token, 'utf8');
  let root: string;
  try {
    root = await realpath(options.rendererDir);
  } catch {
    throw new Error(`rendererDir ${options.rendererDir}: not found`);
  }
  const limiter = createFailureLimiter();
  // Set once listening; every request arrives after that.
  let allowedHost: (hostHeader: string | undefined) => boolean = () => false;

  /**
   * Who may proceed: a right cookie always; otherwise a right `?token=`, unless the address is
   * locked out for guessing. Only wrong `?token=`s count as guesses: a stale cookie from an earlier
   * session (an open tab, a reconnecting client) is not one, and no other site can set our cookie.
   */
  function authorize(req: http.IncomingMessage, queryToken: string | undefined): { ok: true; fromQuery: boolean } | { ok: false; status: 401 | 429; retryAfter?: number } {
    if (tokenCookies(req.headers.cookie).some((value) => tokenMatches(value, tokenBytes))) {
      return { ok: true, fromQuery: tokenMatches(queryToken, tokenBytes) };
    }
    const verdict = judgeQueryToken(limiter, req.socket.remoteAddress ?? '', queryToken, tokenBytes);
    return verdict.ok ? { ok: true, fromQuery: true } : verdict;
  }

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host)) return sendText(req, res, 403, 'Forbidden: unexpected Host header.\n');
    if (isCrossSiteSubrequest(req)) return sendText(req, res, 403, 'Forbidden: cross-site request.\n');
    const { rawPath, query } = splitTarget(req.url ?? '');
    const queryToken = query.get('token') ?? undefined;
    const auth = authorize(req, queryToken);
    if (!auth.ok) {
      if (auth.status === 429) return sendText(req, res, 429, 'Too many wrong tokens: try again in a minute.\n', { 'Retry-After': String(auth.retryAfter) });
      return sendText(req, res, 401, UNAUTHORIZED_TEXT);
    }
    const cookie: Record<string, string> = auth.fromQuery ? { 'Set-Cookie': tokenCookie(token) } : {};
    if (rawPath === UPLOAD_PATH) return receiveUpload(req, res);
    if (rawPath === CALL_PATH) return answerCall(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(req, res, 405, 'Method not allowed.\n', { ...cookie, Allow: 'GET, HEAD' });
    if (queryToken !== undefined && (rawPath === '/' || rawPath === '/index.html')) {
      // Keep the token out of the address bar and the history: the cookie carries it from here.
      query.delete('token');
      const rest = query.toString();
      res.writeHead(303, { ...SECURITY_HEADERS, ...cookie, Location: rest ? `${rawPath}?${rest}` : rawPath, 'Content-Length': '0' });
      res.end();
      return;
    }
    const found = await lookupStaticFile(root, rawPath);
    if (found.kind === 'refused') return sendText(req, res, 403, 'Forbidden.\n', cookie);
    if (found.kind === 'not-found') return sendText(req, res, 404, 'Not found.\n', cookie);
    const type = contentTypeOf(found.path);
    const isDocument = type.startsWith('text/html') || type.startsWith('image/svg+xml');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      ...cookie,
      ...(isDocument ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } : {}),
      'Content-Type': type,
      'Content-Length': String(found.stats.size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(found.path), res).catch(() => res.destroy());
  }

  // Made on the first upload; removed on close when this host made it.
  let uploadsDir: Promise<string> | null = options.uploadsDir === undefined ? null : Promise.resolve(options.uploadsDir);
  const ownsUploadsDir = options.uploadsDir === undefined;

  /**
   * Refuses a POST only the page itself may make, before its body is read: another method (405),
   * another Origin (403), a body declared over `limit` (413, and the connection closes, or the
   * unread rest would be read as the next request). True when it was refused.
   */
  function refusedPost(req: http.IncomingMessage, res: http.ServerResponse, limit: number, tooLarge: string): boolean {
    if (req.method !== 'POST') sendText(req, res, 405, 'Method not allowed.\n', { Allow: 'POST' });
    else if (!isSameOrigin(req.headers.origin, req.headers.host!)) sendText(req, res, 403, 'Forbidden: the Origin must be this server.\n');
    else if (Number(req.headers['content-length'] ?? NaN) > limit) sendText(req, res, 413, tooLarge, { Connection: 'close' });
    else return false;
    return true;
  }

  /**
   * A file dropped on the page: its bytes go to a private folder on this machine and the reply
   * names the copy, which the page then opens with `file.open`. Only the page itself may post
   * (same Origin, the token cookie, as for every request).
   */
  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (refusedPost(req, res, MAX_UPLOAD_BYTES, `Too large: files up to ${MAX_UPLOAD_BYTES / 1024 ** 3} GiB can be dropped; open larger ones by path.\n`)) return;
    let name: string;
    try {
      name = basename(decodeURIComponent(String(req.headers[UPLOAD_NAME_HEADER] ?? 'dropped-file')));
    } catch {
      name = 'dropped-file';
    }
    name = name.replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'dropped-file';
    uploadsDir ??= mkdtemp(join(tmpdir(), 'trajdbg-uploads-'));
    const path = join(await uploadsDir, `${randomBytes(6).toString('hex')}-${name}`);
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_UPLOAD_BYTES) req.destroy(new Error('upload too large'));
    });
    try {
      await pipeline(req, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      if (!res.headersSent && !res.destroyed) return sendText(req, res, received > MAX_UPLOAD_BYTES ? 413 : 400, `Upload failed: ${messageOf(error)}\n`);
      return;
    }
    const body = JSON.stringify({ path });
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  /**
   * A call whose reply can be megabytes ({@link FETCHED_METHODS}), over HTTP: the body is the
   * request frame (up to MAX_FRAME_BYTES), the reply what the WebSocket would carry. Only the page
   * itself may post (same Origin, the token cookie, as for every request).
   */
  async function answerCall(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const tooLargeText = `Too large: a request is at most ${MAX_FRAME_BYTES / 1024 ** 2} MiB.\n`;
    if (refusedPost(req, res, MAX_FRAME_BYTES, tooLargeText)) return;
    // A body longer than it declared: the rest is left unread and the connection closes.
    const tooLarge = (): void => sendText(req, res, 413, tooLargeText, { Connection: 'close' });
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > MAX_FRAME_BYTES) return tooLarge();
        chunks.push(chunk);
      }
    } catch {
      return; // The page went away mid-request.
    }
    const reply = await answerFrame(fetchedCall, Buffer.concat(chunks).toString('utf8'));
    if (res.destroyed) return;
    const body = JSON.stringify(reply);
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(body)) });
    res.end(body);
  }

  const server = http.createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => {
      log(`serve: request ${req.method} ${req.url?.split('?')[0]} failed: ${messageOf(error)}`);
      if (!res.headersSent) sendText(req, res, 500, 'Internal error.\n');
      else res.destroy();
    });
  });

  // ws reads a frame's declared length first and closes with 1009 (Message Too Big) when it is
  // over this, before buffering any of it.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const { rawPath, query } = splitTarget(req.url ?? '');
    if (rawPath !== WIRE_PATH) return refuseUpgrade(socket, 404, 'Not found.\n');
    if (!allowedHost(req.headers.host)) return refuseUpgrade(socket, 403, 'Forbidden: unexpected Host header.\n');
    // A page of any other origin (or a client that hides its origin) may not drive the engine.
    if (!isSameOrigin(req.headers.origin, req.headers.host!)) return refuseUpgrade(socket, 403, 'Forbidden: the Origin must be this server.\n');
    const auth = authorize(req, query.get('token') ?? undefined);
    if (!auth.ok) {
      return auth.status === 429 ? refuseUpgrade(socket, 429, 'Too many wrong tokens: try again in a minute.\n', { 'Retry-After': String(auth.retryAfter) }) : refuseUpgrade(socket, 401, UNAUTHORIZED_TEXT);
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const call = apiCall(service.handlers);
  const fetchedCall: RpcCall = (method, params) => {
    if (FETCHED_METHODS.has(method)) return call(method, params);
    return Promise.reject(new ApiError('unknown_method', `'${method.slice(0, 200)}' is not answered at ${CALL_PATH}: call it over the WebSocket at ${WIRE_PATH}`, method.slice(0, 200)));
  };

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => log(`serve: WebSocket error: ${error.message}`));
    const connection = serveRpc(call, (message) => send(ws, JSON.stringify(message)));
    ws.on('close', (code) => {
      connection.close();
      // A page that went away says 1001; anything else is worth a line when a page keeps reconnecting.
      if (code !== 1001) log(`serve: a page's WebSocket closed with ${code}`);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return connection.refuse('expected a JSON text frame, got a binary one');
      connection.receiveFrame(rawText(data));
    });
  });

  function send(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(text);
    if (ws.bufferedAmount > MAX_BUFFERED) {
      log('serve: closing a WebSocket that fell more than 32 MiB behind (the page reconnects and catches up)');
      ws.close(1013, 'falling behind: reconnect and catch up with run.events');
    }
  }

  function broadcast(message: RpcServerMessage): void {
    try {
      const text = JSON.stringify(message);
      for (const ws of wss.clients) send(ws, text);
    } catch (error) {
      // Never let a transport problem reach the engine that emitted the event.
      log(`serve: could not push to the page: ${messageOf(error)}`);
    }
  }

  // Events go out once per tick, numbered: a fast run (a replay) emits thousands per second.
  const batcher = createEventBatcher<RunEvent>(broadcast, setImmediate);
  function pushEvent(event: RunEvent): void {
    if (wss.clients.size > 0) batcher.push(event);
  }

  function pushFile(file: OpenedFile): void {
    broadcast({ files: [file] });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowedHost = hostChecker(host, port);
  const unsubscribe = service.onEvent(pushEvent);
  const unsubscribeFiles = service.onFile(pushFile);
  const origin = `http://${isWildcardHost(host) ? '127.0.0.1' : urlHostname(host)}:${port}`;
  if (!isLoopbackHost(host)) {
    log(`warning: serving on ${host} port ${port}, which is not a loopback address: the UI and every run are reachable from the network (over plain HTTP), guarded only by the token`);
  }

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    unsubscribe();
    unsubscribeFiles();
    const open = [...wss.clients];
    for (const ws of open) ws.close(1001, 'server stopped');
    await Promise.race([
      Promise.all(open.map((ws) => (ws.readyState === WebSocket.CLOSED ? undefined : new Promise((resolve) => ws.once('close', resolve))))),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await stopped;
    if (ownsUploadsDir && uploadsDir) await rm(await uploadsDir, { recursive: true, force: true });
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () => (closing ??= close()),
  };
}

/** The path (still percent-encoded) and the query of a request target. */
function splitTarget(target: string): { rawPath: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  return q < 0 ? { rawPath: target, query: new URLSearchParams() } : { rawPath: target.slice(0, q), query: new URLSearchParams(target.slice(q + 1)) };
}

/**
 * Fetch Metadata: what another site's page makes the browser send (images, fetches, frames) is
 * refused before the token is even looked at; opening a link to the server (a top-level
 * navigation) is not. Requests without these headers (older browsers, non-browsers) pass on.
 */
function isCrossSiteSubrequest(req: http.IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === undefined || site === 'same-origin' || site === 'none') return false;
  const navigation = req.headers['sec-fetch-mode'] === 'navigate' && req.headers['sec-fetch-dest'] === 'document';
  return !(navigation && (req.method === 'GET' || req.method === 'HEAD'));
}

function sendText(req: http.IncomingMessage, res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Answers an upgrade request with a plain HTTP error and hangs up. */
function refuseUpgrade(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`, 'Connection: close', 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${body.length}`];
  for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...headers })) lines.push(`${name}: ${value}`);
  socket.end(Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]));
  setTimeout(() => socket.destroy(), 1000).unref();
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

