import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ChatMessage, ToolSchema } from '../../shared/model/chat.js';
import { UsageError } from './usage-error.js';

/** Line and column (1-based) of a UTF-16 offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Reads and parses a JSON file; errors name the file and, for syntax errors, the line and column. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? (({ line, column }) => ` at line ${line}, column ${column}`)(lineColumn(text, Number(at[1]))) : '';
    throw new UsageError(`${what} ${path}: not valid JSON${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

/** A zod issue as "field X: what is wrong", naming array items by index. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'the top level' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return `${field}: ${issue.message}`;
}

function parseWith<T>(schema: z.ZodType<T>, data: unknown, path: string, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new UsageError(`${what} ${path}: ${describeIssue(parsed.error.issues[0]!)}`);
  return parsed.data;
}

const toolCallSchema = z.looseObject({
  id: z.string().nullable(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
const messageSchema = z.looseObject({ role: z.string(), tool_calls: z.array(toolCallSchema).optional(), tool_call_id: z.string().nullable().optional() });

/** Reads `--messages FILE`: a JSON array of chat messages, or an object with `messages`. */
export function readMessagesFile(path: string): ChatMessage[] {
  const data = readJsonFile(path, '--messages');
  const messages = (Array.isArray(data)
    ? parseWith(z.array(messageSchema), data, path, '--messages')
    : parseWith(z.object({ messages: z.array(messageSchema) }), data, path, '--messages').messages) as ChatMessage[];
  if (messages.length === 0) throw new UsageError(`--messages ${path}: the list of messages is empty`);
  return messages;
}

const toolSchemaSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({ name: z.string().min(1), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional() }),
});

/** Reads `--tools FILE`: a JSON array of OpenAI function tool schemas, or an object with `tools`. */
export function readToolsFile(path: string): ToolSchema[] {
  const data = readJsonFile(path, '--tools');
  const tools = (Array.isArray(data)
    ? parseWith(z.array(toolSchemaSchema), data, path, '--tools')
    : parseWith(z.object({ tools: z.array(toolSchemaSchema) }), data, path, '--tools').tools) as ToolSchema[];
  const seen = new Set<string>();
  tools.forEach((tool, i) => {
    if (seen.has(tool.function.name)) throw new UsageError(`--tools ${path}: [${i}].function.name: '${tool.function.name}' is declared twice`);
    seen.add(tool.function.name);
  });
  return tools;
}
