import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY as SERVE_HOST_POLICY } from '../host/host-security.js';
import { CONTENT_SECURITY_POLICY } from './content-security-policy.js';

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the agreed strict policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('allows no inline or evaluated script and nothing from the network', () => {
    const scriptSrc = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('is the same policy the serve host sends, so the renderer behaves alike in both', () => {
    expect(SERVE_HOST_POLICY).toBe(CONTENT_SECURITY_POLICY);
  });
});
