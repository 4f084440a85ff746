import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The serve host's guards: the access token, the Host and Origin checks (DNS rebinding,
 * cross-site WebSocket hijacking) and the rate limit on wrong tokens.
 */

/** The Content-Security-Policy of every HTML page the host serves (one policy for desktop and serve mode). */
export { CONTENT_SECURITY_POLICY } from '#shared/security/content-security-policy.js';

/** The cookie that carries the token once the browser has opened the printed URL. */
export const TOKEN_COOKIE = 'trajdbg_token';

/** Tokens go into a URL and a cookie unescaped, so only URL- and cookie-safe characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,}$/;

/** A fresh token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Checks a token given in the options; throws when it cannot be used safely. */
export function checkTokenShape(token: string): string {
  if (!TOKEN_SHAPE.test(token)) throw new Error('token: expected at least 16 characters of A-Z a-z 0-9 _ -');
  return token;
}

/** Compares a presented token with the real one in constant time (for equal lengths; the length is public). */
export function tokenMatches(presented: string | undefined, token: Buffer): boolean {
  if (presented === undefined) return false;
  const candidate = Buffer.from(presented, 'utf8');
  return candidate.length === token.length && timingSafeEqual(candidate, token);
}

/** Every value of the token cookie in a Cookie header (a browser may send more than one). */
export function tokenCookies(header: string | undefined): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === TOKEN_COOKIE) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/** The Set-Cookie value that hands the token to the browser (never readable by scripts). */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** A host as a URL writes it: lower case, IPv6 compressed and in brackets (`[::1]`). */
export function urlHostname(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) !== 6) return bare.toLowerCase();
  try {
    return new URL(`http://[${bare}]/`).hostname;
  } catch {
    return `[${bare.toLowerCase()}]`; // a zone id (fe80::1%eth0), which URLs do not carry
  }
}

/** True for an address that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = urlHostname(host);
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(h);
}

/** True for an address that listens on every interface. */
export function isWildcardHost(host: string): boolean {
  const h = urlHostname(host);
  return h === '' || h === '0.0.0.0' || h === '[::]';
}

/**
 * Decides which `Host` headers (and so which page origins) the host answers. A browser sends the
 * name it resolved: answering only loopback names and the configured address means a page whose
 * DNS name was rebound to 127.0.0.1 is refused. When bound to every interface, any IP literal is
 * accepted too (the address the user typed); an IP literal cannot be rebound.
 */
export function hostChecker(configuredHost: string, port: number): (hostHeader: string | undefined) => boolean {
  const names = new Set(['127.0.0.1', 'localhost', urlHostname(configuredHost)]);
  const anyAddress = isWildcardHost(configuredHost);
  return (hostHeader) => {
    if (!hostHeader) return false;
    const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostHeader.trim());
    if (!match) return false;
    if (Number(match[2] ?? '80') !== port) return false;
    const bare = match[1]!.replace(/^\[(.*)\]$/, '$1');
    if (match[1]!.startsWith('[') && isIP(bare) !== 6) return false;
    const name = urlHostname(bare);
    if (names.has(name)) return true;
    return anyAddress && isIP(bare) !== 0;
  };
}

/** True when `origin` is the page origin of the (already checked) Host header: `http://<host>`. */
export function isSameOrigin(origin: string | undefined, hostHeader: string): boolean {
  return origin !== undefined && origin.toLowerCase() === `http://${hostHeader.trim().toLowerCase()}`;
}

/**
 * Counts wrong tokens per remote address: after `limit` failures within `windowMs`, the address is
 * refused (429) for `windowMs`. The token is 256 bits, so this is defence in depth, not the defence.
 */
export function createFailureLimiter({ limit = 10, windowMs = 60_000, now = Date.now }: { limit?: number; windowMs?: number; now?: () => number } = {}) {
  const byAddress = new Map<string, { failures: number[]; blockedUntil: number }>();
  return {
    /** Milliseconds the address is still refused for (0 when it is not). */
    blockedFor(address: string): number {
      const entry = byAddress.get(address);
      return entry ? Math.max(0, entry.blockedUntil - now()) : 0;
    },
    fail(address: string): void {
      const t = now();
      if (byAddress.size > 10_000) {
        for (const [key, entry] of byAddress) {
          if (entry.blockedUntil <= t && entry.failures.every((f) => f <= t - windowMs)) byAddress.delete(key);
        }
      }
      const entry = byAddress.get(address) ?? { failures: [], blockedUntil: 0 };
      entry.failures = entry.failures.filter((f) => f > t - windowMs);
      entry.failures.push(t);
      if (entry.failures.length >= limit) {
        entry.blockedUntil = t + windowMs;
        entry.failures = [];
      }
      byAddress.set(address, entry);
    },
  };
}

/** What the serve host does with a request that has no right cookie. */
export type TokenVerdict = { ok: true } | { ok: false; status: 401 } | { ok: false; status: 429; retryAfter: number };

/**
 * Judges the `?token=` of a request without a right cookie. The right token always passes, even
 * from a locked-out address: any web page can navigate the browser to `/?token=wrong` ten times,
 * and that must not lock the owner out of the URL they were given. Only a wrong token counts as a
 * guess; while locked out, every other request is refused with 429.
 */
export function judgeQueryToken(
  limiter: ReturnType<typeof createFailureLimiter>,
  address: string,
  queryToken: string | undefined,
  token: Buffer,
): TokenVerdict {
  if (tokenMatches(queryToken, token)) return { ok: true };
  const blockedFor = limiter.blockedFor(address);
  if (blockedFor > 0) return { ok: false, status: 429, retryAfter: Math.ceil(blockedFor / 1000) };
  if (queryToken !== undefined) limiter.fail(address);
  return { ok: false, status: 401 };
}
