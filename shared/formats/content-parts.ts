// Message content in the trajectory model is a string or a list of OpenAI-style content parts
// (`{type: 'text', text}`, `{type: 'image_url', image_url: {url}}`, others by their type), kept as
// the file has them. Formats and views that hold text only show a non-text part as a placeholder.

type Part = Record<string, unknown>;

const isPart = (value: unknown): value is Part & { type: string } => typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Part).type === 'string';

/** An image part of the URL given (a web address or a `data:` URL). */
export function imageUrlPart(url: string): { type: 'image_url'; image_url: { url: string } } {
  return { type: 'image_url', image_url: { url } };
}

/** An image part of base64 data: its `data:` URL with the media type given. */
export function base64ImagePart(mediaType: string, data: string): { type: 'image_url'; image_url: { url: string } } {
  return imageUrlPart(`data:${mediaType};base64,${data}`);
}

/** The media type and decoded size of a `data:` URL, or null for any other URL. */
export function dataUrlInfo(url: string): { mediaType: string; bytes: number } | null {
  const match = /^data:([^;,]*)((?:;[^;,]*)*?)(;base64)?,/.exec(url);
  if (!match) return null;
  const payload = url.length - match[0].length;
  const padding = match[3] ? (url.endsWith('==') ? 2 : url.endsWith('=') ? 1 : 0) : 0;
  return { mediaType: match[1] || 'text/plain', bytes: match[3] ? Math.max(0, Math.floor((payload * 3) / 4) - padding) : payload };
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The image URL of an image part (`image_url.url`, or Inspect's `image`), or null. */
export function imageUrlOf(part: unknown): string | null {
  if (!isPart(part)) return null;
  const nested = part.image_url;
  if (part.type === 'image_url' && typeof nested === 'object' && nested !== null && typeof (nested as Part).url === 'string') return (nested as Part).url as string;
  if (part.type === 'image_url' && typeof nested === 'string') return nested;
  if (part.type === 'image' && typeof part.image === 'string') return part.image;
  return null;
}

/** What a non-text part is, for text-only formats: `[image: image/png, 12 KB]`, `[image: https://…]`, `[audio]`. */
export function partPlaceholder(part: unknown): string {
  if (!isPart(part)) return `[${JSON.stringify(part)}]`;
  const url = imageUrlOf(part);
  if (url !== null) {
    const info = dataUrlInfo(url);
    return info ? `[image: ${info.mediaType}, ${sizeText(info.bytes)}]` : `[image: ${url.length > 200 ? `${url.slice(0, 200)}…` : url}]`;
  }
  const kind = part.type === 'input_audio' ? 'audio' : String(part.type);
  return `[${kind}]`;
}

/** True when content is a list of content parts with at least one that is not text. */
export function hasNonTextParts(content: unknown): boolean {
  return Array.isArray(content) && content.some((p) => !(isPart(p) && p.type === 'text'));
}

/** Content parts as a message's content: their texts joined with newlines when all are text, else the parts. */
export function partsContent(parts: readonly unknown[]): string | unknown[] {
  return hasNonTextParts(parts) ? [...parts] : contentAsText(parts);
}

/**
 * Content as text for formats and views that hold text only: a string as it is, content parts by
 * their text joined with `separator` and other parts as placeholders ({@link partPlaceholder});
 * null and undefined as ''; any other value as JSON.
 */
export function contentAsText(content: unknown, separator = '\n'): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content) && content.every((p) => typeof p === 'object' && p !== null && !Array.isArray(p))) {
    return (content as Part[]).map((p) => (typeof p.text === 'string' && imageUrlOf(p) === null ? p.text : isPart(p) ? partPlaceholder(p) : JSON.stringify(p))).join(separator);
  }
  return JSON.stringify(content);
}
