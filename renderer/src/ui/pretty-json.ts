import { indentJson } from '#shared/diff/json-layout.js';

export { indentJson };

/**
 * Indents JSON text by two spaces without parsing its values, so numbers, escapes and key order
 * stay exactly as the model wrote them (a parse and re-stringify would round 12345678901234567890
 * and drop duplicate keys). Returns the text unchanged when it is not valid JSON.
 */
export function prettyJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  return indentJson(text);
}

/** Whether two JSON texts hold the same value (falls back to comparing the texts). */
export function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return indentJson(a) === indentJson(b);
  }
}
