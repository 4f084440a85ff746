import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseJson } from '#shared/formats/import.js';
import { parseJsonExact } from '#shared/model/exact-json.js';
import { chatMessageSchema, toolSchemaSchema, type ChatMessage, type ToolSchema } from '#shared/model/chat.js';
import { UsageError } from './usage-error.js';

/**
 * Reads and parses a JSON file; errors name the file and, for syntax errors, the line and column.
 * With `exactInts`, integers beyond 2^53 are kept exact (see shared/model/exact-json.ts).
 */
export function readJsonFile(path: string, what: string, { exactInts = false }: { exactInts?: boolean } = {}): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const parsed = parseJson(text);
  if (!parsed.ok) throw new UsageError(`${what} ${path}: ${parsed.error}`);
  return exactInts ? parseJsonExact(text) : parsed.value;
}

/** A zod issue as "field X: what is wrong", naming array items by index. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'the top level' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${field}: ${issue.message}`;
}

/**
 * Checks `data` against `schema` and returns it as written: zod's copy would put the schema's
 * keys first, and the reference sends every message with its keys in the file's order. Only for
 * schemas that check without transforming or filling in defaults.
 */
function parseWith<T>(schema: z.ZodType<T>, data: unknown, path: string, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${what} ${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  return data as T;
}


/**
 * Reads `--messages FILE`: a JSON array of chat messages, or an object with `messages`. Integers
 * beyond 2^53 stay exact, as the reference keeps them, through to the requests and the outputs.
 */
export function readMessagesFile(path: string): ChatMessage[] {
  const data = readJsonFile(path, '--messages', { exactInts: true });
  const messages = Array.isArray(data)
    ? parseWith(z.array(chatMessageSchema), data, path, '--messages')
    : parseWith(z.object({ messages: z.array(chatMessageSchema) }), data, path, '--messages').messages;
  if (messages.length === 0) throw new UsageError(`--messages ${path}: the list of messages is empty`);
  return messages;
}

/**
 * Reads `--tools FILE`: a JSON array of OpenAI function tool schemas, or an object with `tools`.
 * A name declared twice is kept twice, as the reference sends its list as given (integers beyond
 * 2^53 exact).
 */
export function readToolsFile(path: string): ToolSchema[] {
  const data = readJsonFile(path, '--tools', { exactInts: true });
  return Array.isArray(data)
    ? parseWith(z.array(toolSchemaSchema), data, path, '--tools')
    : parseWith(z.object({ tools: z.array(toolSchemaSchema) }), data, path, '--tools').tools;
}
