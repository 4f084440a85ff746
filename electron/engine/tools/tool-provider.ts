import type { ToolSchema } from '#shared/model/chat.js';
import type { PyValue } from '#shared/python/value.js';

/** Per-call context: the task id passed to the tool handler and the run's abort signal. */
export interface ToolCallContext {
  taskId: string;
  signal: AbortSignal;
}

/**
 * A source of tools (a tool endpoint, MCP servers, the built-in tools): the reference's
 * `tool_handler(tool_name, args, task_id)`. `call` resolves with the tool result string exactly as
 * the model will see it; a rejection is a tool exception (`Tool execution failed: ...`).
 */
export interface ToolProvider {
  /** A short label for error messages (e.g. the MCP server command); optional. */
  readonly name?: string;
  readonly schemas: readonly ToolSchema[];
  call(name: string, args: PyValue, context: ToolCallContext): Promise<string>;
  close?(): Promise<void>;
}
