/**
 * The two counts of tool errors, each defined once and named the same in every panel:
 *
 * - `tool_errors`: the reference's list of tool errors (an exception, an unknown tool, or a JSON
 *   error result whose exit_code is negative). Its length is what "tool_errors" means.
 * - failed tool calls: the reference's `tool_calls_exec_error`, every call that did not return ok,
 *   including error results the reference leaves out of `tool_errors`.
 */
export const TOOL_ERRORS_NAME = 'tool_errors';

/** The name of `tool_calls_exec_error` wherever it is shown. */
export const FAILED_CALLS_NAME = 'Failed calls';

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `tool_calls_exec_error` in words: "3 failed tool calls". */
export function failedCallsText(n: number): string {
  return plural(n, 'failed tool call', 'failed tool calls');
}

/** The length of `tool_errors` in words: "1 in tool_errors". */
export function toolErrorsText(n: number): string {
  return `${n.toLocaleString('en-US')} in ${TOOL_ERRORS_NAME}`;
}
