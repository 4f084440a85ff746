/**
 * JSON text indented by two spaces token by token, without parsing its values, so numbers,
 * escapes, duplicate keys and key order stay as the model wrote them (a parse and re-stringify
 * would round 12345678901234567890 and drop a repeated key, and a diff would then show changes
 * that were never made). The layout is the trajectory view's, so both views read the same.
 * Returns null when the text is not valid JSON.
 */
export function layoutJson(text: string): string | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  return indentJson(text);
}

/**
 * Re-indents JSON-like text token by token, two spaces per level, without parsing it (so it also
 * lays out Python's `json.dumps` with NaN/Infinity). Linear in the text's length; any text, JSON
 * or not, is laid out without throwing.
 */
export function indentJson(text: string): string {
  // Pieces joined once at the end: a multi-megabyte argument is laid out in linear time.
  const out: string[] = [];
  let depth = 0;
  const newline = (): string => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
    if (c === '"') {
      // Copy the whole string literal, escapes included, in one slice.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === close) {
        out.push(c + close);
        i = j;
      } else {
        depth++;
        out.push(c + newline());
      }
    } else if (c === '}' || c === ']') {
      // Text that only looks like JSON (arguments a model wrote, "`\\ ]") may close more than it opened.
      depth = Math.max(0, depth - 1);
      out.push(newline() + c);
    } else if (c === ',') {
      out.push(',' + newline());
    } else if (c === ':') {
      out.push(': ');
    } else {
      out.push(c);
    }
  }
  return out.join('');
}
