import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { protocol, type Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { CONTENT_SECURITY_POLICY } from '#shared/security/content-security-policy.js';
import { contentTypeOf } from '#shared/web/content-types.js';

/** Headers every app:// response carries, errors included. */
function baseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Maps an app:// URL to a file under `rootDir`, or null when it names nothing there: another
 * host, an undecodable or NUL-carrying path, or one that climbs out of the folder (`..%2f`, which
 * URL parsing leaves encoded, is decoded here and then caught by the containment check).
 */
export function resolveAppFile(rootDir: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = resolve(rootDir);
  const file = resolve(root, `.${pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

/**
 * The app:// handler: serves the files of `rootDir` (the built renderer) with the app's CSP,
 * 404 for anything else. Reads only, so only GET and HEAD are answered.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: { ...baseHeaders(), Allow: 'GET, HEAD' } });
    }
    const file = resolveAppFile(rootDir, request.url);
    if (!file) return notFound();
    try {
      if (!(await stat(file)).isFile()) return notFound();
      const body = await readFile(file);
      const headers = { ...baseHeaders(), 'Content-Type': contentTypeOf(file) };
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
    } catch {
      return notFound();
    }
  };
}

/**
 * Declares app:// a standard, secure scheme with fetch support, so pages served from it get a
 * real origin, a secure context and module scripts. Electron accepts this only before `ready`.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves `rootDir` on app:// in `session` (after `ready`). */
export function serveAppProtocol(session: Session, rootDir: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rootDir));
}
