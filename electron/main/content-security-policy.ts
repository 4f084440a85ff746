/**
 * The Content-Security-Policy every page of the app is served with (the app:// protocol sets it
 * as a header). Scripts, styles, workers and connections stay on the app's own origin; Monaco
 * needs inline styles, data: fonts and blob: workers. Nothing is fetched from the network: the
 * renderer reaches the engine through the preload bridge, not over HTTP.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
