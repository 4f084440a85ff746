import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl, isWebUrl } from './app-origin.js';

describe('isAppUrl', () => {
  it('accepts pages of app://trajdbg/', () => {
    expect(APP_ORIGIN).toBe('app://trajdbg');
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://trajdbg/assets/index.js?x=1#y')).toBe(true);
  });

  it.each([
    'app://other/index.html',
    'app://trajdbg.evil.com/index.html',
    'app://trajdbg:8080/index.html',
    'app://user:pw@trajdbg/index.html',
    'https://trajdbg/index.html',
    'file:///index.html',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('refuses a missing URL', () => {
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});

describe('isWebUrl', () => {
  it('is true for http and https only', () => {
    expect(isWebUrl('https://example.com/a')).toBe(true);
    expect(isWebUrl('http://127.0.0.1:8000/v1')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'mailto:a@b.c', 'smb://host/share', 'app://trajdbg/', 'nope']) {
      expect(isWebUrl(url)).toBe(false);
    }
  });
});
