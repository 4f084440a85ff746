import { describe, expect, it } from 'vitest';
import { createFailureLimiter, hostChecker, judgeQueryToken, isLoopbackHost, isSameOrigin, tokenCookies, tokenMatches } from './host-security.js';

describe('host security helpers', () => {
  it('locks an address out after 10 failures within a minute, for a minute', () => {
    let t = 0;
    const limiter = createFailureLimiter({ now: () => t });
    for (let i = 0; i < 9; i++) limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(0);
    t = 61_000; // the first nine have aged out
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(0);
    for (let i = 0; i < 9; i++) limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(60_000);
    expect(limiter.blockedFor('b')).toBe(0);
    t += 59_999;
    expect(limiter.blockedFor('a')).toBe(1);
    t += 1;
    expect(limiter.blockedFor('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(0); // a fresh count after the lockout
  });

  it('lets the right token through even after another site spent the guesses, and counts only wrong ones', () => {
    const token = Buffer.from('right-token-0123456789');
    const limiter = createFailureLimiter({ now: () => 0 });
    for (let i = 0; i < 10; i++) expect(judgeQueryToken(limiter, 'a', 'wrong', token)).toEqual({ ok: false, status: 401 });
    expect(judgeQueryToken(limiter, 'a', 'wrong', token)).toEqual({ ok: false, status: 429, retryAfter: 60 });
    expect(judgeQueryToken(limiter, 'a', undefined, token)).toEqual({ ok: false, status: 429, retryAfter: 60 });
    expect(judgeQueryToken(limiter, 'a', 'right-token-0123456789', token)).toEqual({ ok: true });
    const fresh = createFailureLimiter({ now: () => 0 });
    for (let i = 0; i < 20; i++) judgeQueryToken(fresh, 'b', undefined, token);
    for (let i = 0; i < 20; i++) judgeQueryToken(fresh, 'b', 'right-token-0123456789', token);
    expect(fresh.blockedFor('b')).toBe(0);
  });

  it('compares tokens exactly', () => {
    const token = Buffer.from('abcdefghijklmnop');
    expect(tokenMatches('abcdefghijklmnop', token)).toBe(true);
    expect(tokenMatches('abcdefghijklmnoq', token)).toBe(false);
    expect(tokenMatches('abcdefghijklmno', token)).toBe(false);
    expect(tokenMatches('abcdefghijklmnopq', token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(undefined, token)).toBe(false);
  });

  it('reads every token cookie of a Cookie header', () => {
    expect(tokenCookies('a=1; trajdbg_token=x; trajdbg_token_other=y; trajdbg_token=z')).toEqual(['x', 'z']);
    expect(tokenCookies(undefined)).toEqual([]);
  });

  it('accepts loopback names and the configured address as Host, and any IP literal only when bound to every interface', () => {
    const loopback = hostChecker('127.0.0.1', 8123);
    expect(loopback('127.0.0.1:8123')).toBe(true);
    expect(loopback('localhost:8123')).toBe(true);
    expect(loopback('192.168.1.5:8123')).toBe(false);
    expect(loopback('rebound.example:8123')).toBe(false);
    expect(loopback('127.0.0.1:8124')).toBe(false);
    expect(loopback(undefined)).toBe(false);
    const v6 = hostChecker('::1', 8123);
    expect(v6('[::1]:8123')).toBe(true);
    expect(v6('[0:0::1]:8123')).toBe(true);
    const lan = hostChecker('192.168.1.5', 8123);
    expect(lan('192.168.1.5:8123')).toBe(true);
    expect(lan('192.168.1.6:8123')).toBe(false);
    const any = hostChecker('0.0.0.0', 8123);
    expect(any('192.168.1.5:8123')).toBe(true);
    expect(any('[fe80::1]:8123')).toBe(true);
    expect(any('rebound.example:8123')).toBe(false);
    expect(any('[rebound.example]:8123')).toBe(false);
  });

  it('tells loopback addresses from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '::ffff:10.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('matches an Origin to the Host it connects to', () => {
    expect(isSameOrigin('http://127.0.0.1:8123', '127.0.0.1:8123')).toBe(true);
    expect(isSameOrigin('http://LOCALHOST:8123', 'localhost:8123')).toBe(true);
    expect(isSameOrigin('https://127.0.0.1:8123', '127.0.0.1:8123')).toBe(false);
    expect(isSameOrigin('http://127.0.0.1:8123', 'localhost:8123')).toBe(false);
    expect(isSameOrigin(undefined, '127.0.0.1:8123')).toBe(false);
  });
});
