import type { ToolSchema } from '#shared/model/chat.js';

/** What reading a tool schemas file gave: the schemas, or what is wrong with it. */
export type ToolSchemasResult = { schemas: ToolSchema[] } | { error: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function problemOf(item: unknown, seen: Set<string>): string | null {
  if (!isObject(item)) return 'is not an object';
  if (item.type !== 'function') return 'needs "type": "function"';
  const fn = item.function;
  if (!isObject(fn)) return 'has no "function" object';
  if (typeof fn.name !== 'string' || fn.name === '') return 'has no "function.name"';
  if (seen.has(fn.name)) return `repeats the tool name "${fn.name}"`;
  seen.add(fn.name);
  if (fn.parameters !== undefined && !isObject(fn.parameters)) return `("${fn.name}") has "function.parameters" that is not an object`;
  return null;
}

/**
 * Reads a tool schemas file: a JSON array of OpenAI function tools, or an object with such a
 * `tools` array. The error names the file and the first thing wrong in it.
 */
export function parseToolSchemas(text: string, fileName: string): ToolSchemasResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: `${fileName} is not valid JSON: ${(error as Error).message}` };
  }
  const list = isObject(data) && Array.isArray(data.tools) ? data.tools : data;
  if (!Array.isArray(list)) return { error: `${fileName} must hold a JSON array of tool schemas (or an object with a "tools" array)` };
  if (list.length === 0) return { error: `${fileName} holds no tool schemas` };
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    const problem = problemOf(item, seen);
    if (problem) return { error: `${fileName}: tool ${i + 1} ${problem}` };
  }
  return { schemas: list as ToolSchema[] };
}
