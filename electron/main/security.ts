import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl, isWebUrl } from './app-origin.js';

/**
 * Hands an http(s) URL to the system browser; anything else (file:, javascript:, custom schemes
 * that could launch local programs) is dropped.
 */
export function openExternalLink(url: string): void {
  if (!isWebUrl(url)) return;
  shell.openExternal(url).catch((error: unknown) => {
    console.error(`could not open ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
}

/**
 * Keeps a web contents on the app origin: navigations and redirects elsewhere are cancelled, new
 * windows are refused (web links go to the system browser instead) and no <webview> can attach.
 * Applied to every web contents the app creates (see main.ts, `web-contents-created`).
 */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/**
 * The app asks for no browser permission (camera, notifications, clipboard read, HID, ...):
 * every request and check is answered no.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
