/** Keeps the API key and any credentials out of what a failed model call reports. */

/** `text` on one line, runs of whitespace made one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The URL as shown in messages: a user name or password in it becomes `***`, no trailing slash. */
export function redactURL(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username) copy.username = '***';
  if (copy.password) copy.password = '***';
  return copy.href.replace(/\/+$/, '');
}

/** Removes the API key (and any Bearer token) from a message and keeps it on one line. */
export function scrub(message: string, apiKey: string | undefined): string {
  let out = oneLine(message);
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('***');
  return out.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1***');
}
