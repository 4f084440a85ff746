import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({ protocol: { registerSchemesAsPrivileged: vi.fn() } }));
vi.mock('electron', () => electron);

import type { Session } from 'electron';
import { createAppProtocolHandler, registerAppScheme, resolveAppFile, serveAppProtocol } from './app-protocol.js';
import { CONTENT_SECURITY_POLICY } from '#shared/security/content-security-policy.js';

let base: string;
let root: string;
let serve: (request: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'trajdbg-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'font.woff2'), 'woff2');
  // Outside the served folder: must never be reachable.
  writeFileSync(join(base, 'secret.txt'), 'secret');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'x.js'), 'evil');
  serve = createAppProtocolHandler(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function get(url: string, method = 'GET'): Promise<Response> {
  return serve(new Request(url, { method }));
}

describe('the app:// protocol handler', () => {
  it('serves files of the renderer folder with the CSP and their content type', async () => {
    const page = await get('app://trajdbg/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>app</title>');

    const script = await get('app://trajdbg/assets/index.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://trajdbg/assets/font.woff2')).headers.get('content-type')).toBe('font/woff2');
  });

  it('serves index.html for the bare origin', async () => {
    const page = await get('app://trajdbg/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>app</title>');
  });

  it.each([
    'app://trajdbg/..%2fsecret.txt',
    'app://trajdbg/..%2Fsecret.txt',
    'app://trajdbg/%2e%2e%2fsecret.txt',
    'app://trajdbg/assets/..%2f..%2fsecret.txt',
    'app://trajdbg/..%5csecret.txt',
    'app://trajdbg/../secret.txt',
    'app://trajdbg/..%2frenderer-evil/x.js',
    'app://trajdbg/%2fetc%2fpasswd',
    'app://trajdbg/index.html%00.js',
    'app://trajdbg/%E0%A4%A',
  ])('refuses %s with 404 (path traversal)', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).not.toContain('secret');
    expect(body).not.toContain('evil');
  });

  it('answers 404, still with the CSP, for missing files, folders and other hosts', async () => {
    for (const url of ['app://trajdbg/missing.js', 'app://trajdbg/assets', 'app://trajdbg/assets/', 'app://other/index.html']) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers HEAD without a body and refuses writes', async () => {
    const head = await get('app://trajdbg/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('app://trajdbg/index.html', 'POST')).status).toBe(405);
  });

  it('maps only URLs that stay inside the folder', () => {
    expect(resolveAppFile(root, 'app://trajdbg/assets/index.js')).toBe(join(root, 'assets', 'index.js'));
    expect(resolveAppFile(root, 'app://trajdbg/..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://trajdbg/..%2frenderer-evil/x.js')).toBeNull();
  });
});

describe('the app:// scheme', () => {
  beforeEach(() => vi.clearAllMocks());

  it('is registered as standard, secure and fetch-capable', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('is served on the given session', async () => {
    const handle = vi.fn();
    serveAppProtocol({ protocol: { handle } } as unknown as Session, root);
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const handler = handle.mock.calls[0]![1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request('app://trajdbg/index.html'))).status).toBe(200);
  });
});
