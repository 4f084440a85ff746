/**
 * A message's content as text: strings as they are, OpenAI content parts by their text, anything
 * else as indented JSON.
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content) && content.every((p) => p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string')) {
    return content.map((p) => (p as { text: string }).text).join('\n');
  }
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
