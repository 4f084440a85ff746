import { contentAsText } from '#shared/formats/content-parts.js';

/**
 * A message's content as text: strings as they are, OpenAI content parts by their text (images and
 * other parts as placeholders such as `[image: image/png, 12 KB]`), anything else as indented JSON.
 */
export function contentText(content: unknown): string {
  if (Array.isArray(content) && content.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) return contentAsText(content);
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  return JSON.stringify(content, null, 2);
}

/** The error text a tool result carries (`{"error": ...}`), or null. */
export function resultError(result: string | null): string | null {
  if (!result || !result.startsWith('{')) return null;
  try {
    const data: unknown = JSON.parse(result);
    if (data && typeof data === 'object' && !Array.isArray(data) && 'error' in data) {
      const error = (data as { error: unknown }).error;
      if (error) return typeof error === 'string' ? error : JSON.stringify(error);
    }
  } catch {
    // Not JSON: the tool returned plain text.
  }
  return null;
}
