import { z } from 'zod';
import { pyJsonDumps, pyJsonLoads, PyJsonDecodeError } from '../python/json.js';
import { pyRepr, pyStr } from '../python/repr.js';
import { codePointSlice } from '../python/str.js';
import { hasTooManyDigits, isPyDict, pyTruthy } from '../python/value.js';
import { jsonTruthy } from './json-semantics.js';
import { comparePyStrings } from '../python/str.js';

/** A tool error as the reference records it in `AgentResult.tool_errors` (run files keep it). */
export const toolErrorSchema = z.lazy(() => z.object({ turn: z.number().int(), tool_name: z.string().nullable(), arguments: z.string(), error: z.string(), tool_result: z.string() }));
/** A tool error as the reference records it. */
export type ToolError = z.infer<typeof toolErrorSchema>;

/**
 * How one tool call ended, in the reference's terms:
 * - `unknown_tool`: the name is not a valid tool (counted in `exec_error`, not `attempted`);
 * - `exception`: the tool raised (counted in `exec_error`);
 * - `error_result`: the tool returned JSON with a truthy `error` or a negative int `exit_code`;
 * - `ok`: anything else, including non-JSON output.
 */
export const toolCallStatusSchema = z.enum(['ok', 'error_result', 'exception', 'unknown_tool']);
/** How one tool call ended (see {@link toolCallStatusSchema}). */
export type ToolCallStatus = z.infer<typeof toolCallStatusSchema>;

/** The tool message content and bookkeeping for one finished tool call. */
export interface ToolOutcome {
  status: ToolCallStatus;
  /** The tool message content the model sees. */
  result: string;
  /** The entry the reference appends to `tool_errors`, or null when it appends none. */
  toolError: ToolError | null;
}

/** The reference's `arguments=tool_args_raw[:200]` of a tool error. */
function argumentsExcerpt(raw: string): string {
  return codePointSlice(raw, 0, 200);
}

/**
 * True when the model's call names a tool of the run. The reference's `tool_name not in
 * valid_tool_names`; a call without a name (null) names none.
 */
export function isKnownTool(validNames: ReadonlySet<string>, toolName: string | null): toolName is string {
  return toolName !== null && validNames.has(toolName);
}

/**
 * The outcome of calling a tool the model named but the run does not have. The result text is
 * the reference's `json.dumps({"error": f"Unknown tool '{name}'. Available tools: {sorted(names)}"})`.
 */
export function unknownToolOutcome(turn: number, toolName: string | null, rawArgs: string, validNames: Iterable<string>): ToolOutcome {
  const names = [...validNames].sort(comparePyStrings);
  // An f-string prints a missing name (None) as Python's str() does.
  const shown = pyStr(toolName);
  const result = pyJsonDumps(new Map([['error', `Unknown tool '${shown}'. Available tools: ${pyRepr(names)}`]]));
  return {
    status: 'unknown_tool',
    result,
    toolError: { turn, tool_name: toolName, arguments: argumentsExcerpt(rawArgs), error: `Unknown tool '${shown}'`, tool_result: result },
  };
}

/**
 * The outcome of a tool that raised. `errorText` is Python's `f"{type(e).__name__}: {e}"`; for a
 * JavaScript error it is `"<error.name>: <error.message>"`.
 */
export function exceptionOutcome(turn: number, toolName: string, rawArgs: string, errorText: string): ToolOutcome {
  const result = pyJsonDumps(new Map([['error', `${TOOL_FAILED}${errorText}`]]));
  return {
    status: 'exception',
    result,
    toolError: { turn, tool_name: toolName, arguments: argumentsExcerpt(rawArgs), error: errorText, tool_result: result },
  };
}

const TOOL_FAILED = 'Tool execution failed: ';

/**
 * The exception text of a recorded tool result that is exactly what {@link exceptionOutcome}
 * (the reference's `json.dumps({"error": f"Tool execution failed: ..."})`) produces, else null:
 * how replay and import tell a tool that raised from one that returned an error.
 */
export function recordedExceptionText(result: string): string | null {
  if (!result.startsWith(`{"error": "${TOOL_FAILED}`)) return null;
  let data;
  try {
    data = pyJsonLoads(result);
  } catch {
    return null;
  }
  if (!isPyDict(data) || data.size !== 1 || pyJsonDumps(data) !== result) return null;
  return (data.get('error') as string).slice(TOOL_FAILED.length);
}

/** Whether the first character past JSON whitespace is `{`: the only way json.loads can give a dict. */
function opensJsonObject(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b;
  }
  return false;
}

/**
 * The status {@link returnedOutcome} gives a text that opens a JSON object, read with V8's
 * `JSON.parse` (several times quicker than the Python-semantics parser), when that is sure to
 * agree with json.loads: null when the parse fails (NaN, Infinity and broken text go the exact
 * way), when `exit_code` is a negative number (int or float only the literal tells, and the
 * tool error needs Python's str of `error`), or when a digit run is too long for Python's int.
 * Whatever JSON.parse reads, json.loads reads to the same value, ints and floats aside. A text
 * that spells neither key is `ok` without being parsed.
 */
function quickReturnedStatus(result: string): ToolCallStatus | null {
  const tooManyDigits = hasTooManyDigits(result);
  // Neither key can be in a text that does not spell it in quotes: a key is a JSON string, whose
  // letters can only be escaped as \uXXXX (and the text is parsed whenever it holds one).
  if (!tooManyDigits && !result.includes('"error"') && !result.includes('"exit_code"') && !result.includes('\\u')) return 'ok';
  let data: unknown;
  try {
    data = JSON.parse(result);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const exitCode = Object.hasOwn(record, 'exit_code') ? record.exit_code : null;
  if (typeof exitCode === 'number' && exitCode < 0) return null;
  if (tooManyDigits) return null;
  return jsonTruthy(Object.hasOwn(record, 'error') ? record.error : null) ? 'error_result' : 'ok';
}

/** `type(e).__name__: str(e)` for whatever a JavaScript tool threw. */
export function describeException(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Error: ${String(error)}`;
}

/**
 * Classifies a tool's returned string as the reference does. Reference oddity kept: a JSON
 * `error` alone counts as an exec error but adds no `tool_errors` entry; only a negative int
 * `exit_code` adds one (with `error` set to `str(err)` or "nonzero exit_code", result cut to 500).
 * Booleans are ints in Python but `True < 0` is false, and `-1.0` is a float, so neither counts.
 */
export function returnedOutcome(turn: number, toolName: string, rawArgs: string, result: string): ToolOutcome {
  // Only a JSON object can carry `error` or `exit_code`; text that does not open one is returned
  // as is whether or not json.loads would decode it (most tool output), without parsing it.
  if (!opensJsonObject(result)) return { status: 'ok', result, toolError: null };
  const quick = quickReturnedStatus(result);
  if (quick !== null) return { status: quick, result, toolError: null };
  return returnedOutcomeExact(turn, toolName, rawArgs, result);
}

/**
 * {@link returnedOutcome} with every object-opening text read by the Python-semantics parser:
 * the exact rule the quick path must agree with (tests compare the two).
 */
export function returnedOutcomeExact(turn: number, toolName: string, rawArgs: string, result: string): ToolOutcome {
  if (!opensJsonObject(result)) return { status: 'ok', result, toolError: null };
  let data;
  try {
    data = pyJsonLoads(result);
  } catch (error) {
    if (error instanceof PyJsonDecodeError) return { status: 'ok', result, toolError: null };
    throw error;
  }
  if (!isPyDict(data)) return { status: 'ok', result, toolError: null };
  const err = data.get('error') ?? null;
  const exitCode = data.get('exit_code') ?? null;
  let isError = pyTruthy(err);
  let toolError: ToolError | null = null;
  if (typeof exitCode === 'bigint' && exitCode < 0n) {
    isError = true;
    toolError = {
      turn,
      tool_name: toolName,
      arguments: argumentsExcerpt(rawArgs),
      error: pyTruthy(err) ? pyStr(err) : 'nonzero exit_code',
      tool_result: codePointSlice(result, 0, 500),
    };
  }
  return { status: isError ? 'error_result' : 'ok', result, toolError };
}
