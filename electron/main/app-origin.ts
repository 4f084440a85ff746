/** The custom scheme the app's pages are served from (registered as standard and secure). */
export const APP_SCHEME = 'app';
/** The one host of the scheme: every page and asset lives under app://trajdbg/. */
export const APP_HOST = 'trajdbg';
/** The app's origin as Chromium reports it for a standard scheme. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` belongs to the app origin. Compared by parts rather than `URL.origin`: Node's
 * URL gives a non-special scheme an opaque origin ('null'), which would match nothing or, worse,
 * anything else that is opaque.
 */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** True for the URLs the app hands to the system browser: http and https only. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
