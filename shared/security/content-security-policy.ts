/**
 * The Content-Security-Policy of every page of the app, sent as a header by the desktop app's
 * app:// protocol and by the serve host (the built index.html repeats it as a meta tag, which
 * browsers apply on top). Everything stays on the app's own origin; Monaco needs inline styles
 * and data: images. No eval, no remote scripts, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
