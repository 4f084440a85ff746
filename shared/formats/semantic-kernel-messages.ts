import type { ChatMessage, TokenUsage, ToolCall } from '../model/chat.js';
import { imageUrlPart, partsContent } from './content-parts.js';
import { argumentsText, assistantReply, convertMessages, isObject, namedUsage, str } from './values.js';

// Semantic Kernel's chat history, as its Python `ChatHistory.serialize()` writes it (`{"messages":
// [...]}`, each message `{role, items}` with each item told by `content_type`) and as .NET's
// System.Text.Json writes a `ChatHistory` (`{Role: {Label}, Items}` with each item told by
// `$type`). Messages are read as Semantic Kernel sends them to an OpenAI model:
//
// - `text` items (`TextContent`) are the content, `image` items image parts;
// - `function_call` items (`FunctionCallContent`) are tool calls, named `PLUGIN-FUNCTION` as the
//   kernel names them to the model; `function_result` items (`FunctionResultContent`) are tool
//   messages answering their call's id, the result as text;
// - an assistant message's `metadata.usage` is its model call's tokens.

/** A message's role, and its items, in either serialization; null for no Semantic Kernel message. */
function fieldsOf(value: unknown): { role: string; items: Array<Record<string, unknown>>; metadata: unknown } | null {
  if (!isObject(value)) return null;
  const role = str(value.role) ?? (isObject(value.Role) ? str(value.Role.Label) : null);
  const items = Array.isArray(value.items) ? value.items : Array.isArray(value.Items) ? value.Items : null;
  if (role === null || items === null || !items.some(isKernelItem)) return null;
  return { role: role.toLowerCase(), items: items.filter(isObject), metadata: value.metadata ?? value.Metadata };
}

/** An item's kind, from Python's `content_type` or .NET's `$type` (`FunctionCallContent` is `function_call`). */
function kindOf(item: Record<string, unknown>): string | null {
  const python = str(item.content_type);
  if (python !== null) return python;
  const dotnet = str(item.$type);
  return dotnet === null ? null : dotnet.replace(/Content$/, '').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

function isKernelItem(item: unknown): boolean {
  return isObject(item) && (typeof item.content_type === 'string' || typeof item.$type === 'string');
}

/** True for a Semantic Kernel chat message in either serialization. */
export function isSemanticKernelMessage(value: unknown): boolean {
  return fieldsOf(value) !== null;
}

/** A field in Python's snake case or .NET's Pascal case. */
function field(item: Record<string, unknown>, snake: string, pascal: string): unknown {
  return item[snake] ?? item[pascal];
}

/** The name the kernel gives a function to the model: `PLUGIN-FUNCTION`, or the function alone. */
function functionName(item: Record<string, unknown>): string {
  const name = str(item.name);
  if (name !== null) return name;
  const [plugin, fn] = [str(field(item, 'plugin_name', 'PluginName')), str(field(item, 'function_name', 'FunctionName')) ?? ''];
  return plugin ? `${plugin}-${fn}` : fn;
}

/** A list holding Semantic Kernel messages, each as the chat messages it stands for; `usage` gets each reply's tokens by its place in the list returned. */
export function fromSemanticKernel(list: readonly unknown[], usage?: Map<number, TokenUsage>): unknown[] {
  return convertMessages(list, fieldsOf, (fields) => {
    const texts: string[] = [];
    const parts: unknown[] = [];
    const calls: ToolCall[] = [];
    const results: ChatMessage[] = [];
    for (const item of fields.items) {
      const kind = kindOf(item);
      if (kind === 'text') {
        const text = str(field(item, 'text', 'Text')) ?? '';
        texts.push(text);
        parts.push({ type: 'text', text });
      } else if (kind === 'image') {
        const url = str(field(item, 'uri', 'Uri')) ?? str(field(item, 'data_uri', 'DataUri'));
        if (url) parts.push(imageUrlPart(url));
      } else if (kind === 'function_call') {
        calls.push({ id: str(field(item, 'id', 'Id')) ?? str(field(item, 'call_id', 'CallId')), type: 'function', function: { name: functionName(item), arguments: argumentsText(field(item, 'arguments', 'Arguments') ?? {}) } });
      } else if (kind === 'function_result') {
        const result = field(item, 'result', 'Result');
        const tool: ChatMessage = { role: 'tool', tool_call_id: str(field(item, 'id', 'Id')) ?? str(field(item, 'call_id', 'CallId')), content: typeof result === 'string' ? result : JSON.stringify(result ?? null) };
        const name = functionName(item);
        if (name) tool.name = name;
        results.push(tool);
      }
    }
    if (fields.role === 'assistant') return { messages: [assistantReply(texts, [], calls), ...results], usage: isObject(fields.metadata) ? namedUsage(fields.metadata.usage) : undefined };
    return { messages: results.length === 0 || parts.length > 0 ? [{ role: fields.role, content: partsContent(parts) }, ...results] : results };
  }, usage);
}
