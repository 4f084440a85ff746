import { pyJsonLoads } from '#shared/python/json.js';
import type { PyValue } from '#shared/python/value.js';

function scalarText(value: Exclude<PyValue, PyValue[] | Map<string, PyValue>>): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}

function isContainer(value: PyValue): value is PyValue[] | Map<string, PyValue> {
  return Array.isArray(value) || value instanceof Map;
}

function isEmpty(value: PyValue[] | Map<string, PyValue>): boolean {
  return Array.isArray(value) ? value.length === 0 : value.size === 0;
}

/** `head` followed by `value`: inline when it fits one line, else as an indented block below. */
function entry(head: string, value: PyValue, indent: string, out: string[]): void {
  if (isContainer(value) && !isEmpty(value)) {
    out.push(`${indent}${head}`);
    lines(value, `${indent}  `, out);
  } else if (typeof value === 'string' && value.includes('\n')) {
    out.push(`${indent}${head}`);
    for (const line of value.replace(/\n$/, '').split('\n')) out.push(`${indent}  ${line}`);
  } else {
    const text = isContainer(value) ? (Array.isArray(value) ? '[]' : '{}') : scalarText(value);
    out.push(`${indent}${head} ${text}`);
  }
}

function lines(value: PyValue[] | Map<string, PyValue>, indent: string, out: string[]): void {
  if (Array.isArray(value)) for (const item of value) entry('-', item, indent, out);
  else for (const [key, item] of value) entry(`${key}:`, item, indent, out);
}

/**
 * A JSON tool result as a person reads it: strings decoded (real line breaks, no escapes or
 * quotes), objects as `key: value` lines and lists as `- item` lines, nested ones indented.
 * Integers keep every digit. Null when the text is not a JSON object, list or string, where the
 * raw text already reads as well.
 */
export function readableJson(text: string): string | null {
  const trimmed = text.trim();
  if (!/^["[{]/.test(trimmed)) return null;
  let value: PyValue;
  try {
    value = pyJsonLoads(trimmed);
  } catch {
    return null;
  }
  if (typeof value === 'string') return value;
  if (!isContainer(value)) return null;
  if (isEmpty(value)) return trimmed;
  const out: string[] = [];
  try {
    lines(value, '', out);
  } catch (error) {
    // Nesting deeper than the stack allows: the raw text is all there is to show.
    if (error instanceof RangeError) return null;
    throw error;
  }
  return out.join('\n');
}
