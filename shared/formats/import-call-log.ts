import { contentAsText } from './content-parts.js';
import { baseName, callStats, isObject, lineValues, Misfit, namedUsage, num, str, type TextImport } from './import-common.js';
import { traceTrajectory, type Observation } from './import-langfuse.js';
import type { FormatId, Trajectory } from './trajectory.js';

// Logs of model calls, one record per call: what was sent and what came back. Agent loops that log
// their calls write them so (`{"request": {...}, "response": {...}}` or `input`/`output`), and
// LiteLLM's loggers write its StandardLoggingPayload (`messages`, `response`, `call_type`, token
// counts, start and end times, `status` and `error_str` for a failed call).
//
// - A request is a chat completions or Anthropic Messages request (`messages`, `system`, `tools`);
//   a response a chat completion (`choices`) or an Anthropic message. They are read as the trace
//   readers read a model call (see import-langfuse.ts): each call's request is its turn's recorded
//   prompt, the conversation grows by what each request adds and then its reply, the tools are
//   the requests'.
// - The calls of one conversation follow one another: a call whose first message after the system
//   prompt is not the conversation's starts the next one. Each conversation is a trajectory.
// - A call's usage (the response's, or LiteLLM's token counts) and duration (LiteLLM's start and
//   end times, in seconds) are its turn's. A conversation whose last call failed ended there: its
//   error is the stop reason; what the call was sent stays in the conversation.

/** The request and response of a call record in either layout, or null for no such record. */
function callParts(record: unknown): { request: Record<string, unknown>; response: unknown } | null {
  if (!isObject(record)) return null;
  for (const [input, output] of [['request', 'response'], ['input', 'output']] as const) {
    const request = record[input];
    if (isObject(request) && Array.isArray(request.messages) && output in record) return { request, response: record[output] };
  }
  // LiteLLM's StandardLoggingPayload: the request's messages at the top, with its model and tools in `model_parameters`.
  if (Array.isArray(record.messages) && typeof record.call_type === 'string' && 'response' in record) {
    const parameters = isObject(record.model_parameters) ? record.model_parameters : {};
    return { request: { ...parameters, model: record.model, messages: record.messages }, response: record.response };
  }
  return null;
}

/** True for a record of a model call log (see the notes above). */
export function isModelCallRecord(record: unknown): boolean {
  const parts = callParts(record);
  if (!parts) return false;
  const { response } = parts;
  return response == null || typeof response === 'string' || (isObject(response) && (Array.isArray(response.choices) || Array.isArray(response.content)));
}

/** The tokens a call's response (or LiteLLM's record) counts, in the OpenAI names. */
function callUsage(record: Record<string, unknown>, response: unknown): ReturnType<typeof namedUsage> {
  return (isObject(response) ? namedUsage(response.usage) : undefined) ?? namedUsage(record);
}

/** A request's first message after its system prompt, as role and text: calls of one conversation share it. */
function firstQuestion(request: Record<string, unknown>): { role: unknown; text: string } {
  const first = (request.messages as unknown[]).find((m) => !isObject(m) || (m.role !== 'system' && m.role !== 'developer'));
  // The text itself, not a copy: a long first message is compared, never rebuilt, once per call.
  return isObject(first) ? { role: first.role, text: contentAsText(first.content) } : { role: null, text: JSON.stringify(first ?? null) };
}

/** The calls of `records`, a trajectory per conversation; a record that is no call is named in `problems` and left out. */
function callTrajectories(records: ReadonlyArray<{ value: unknown; at: string }>, fileName: string, format: FormatId, problems: string[]): TextImport {
  const conversations: Array<{ first: { role: unknown; text: string }; calls: Observation[]; failure: string | null }> = [];
  for (const { value, at } of records) {
    const parts = callParts(value);
    if (!parts || !isObject(value)) {
      problems.push(`${at}: not a model call (a request with its messages, and a response): left out`);
      continue;
    }
    const { request, response } = parts;
    const failed = value.status === 'failure' || value.error_str != null;
    const [start, end] = [num(value.startTime), num(value.endTime)];
    const latencyMs = start !== null && end !== null && end >= start ? (end - start) * 1000 : null;
    const model = (isObject(response) ? str(response.model) : null) ?? str(request.model) ?? str(value.model);
    const call: Observation = { id: str(value.id), name: null, type: 'GENERATION', start: '', input: request, output: failed ? null : response, model, attributes: {}, level: null, statusMessage: null, at, inputAt: `${at}.request`, outputAt: `${at}.response`, stats: callStats(callUsage(value, response), latencyMs) };
    const first = firstQuestion(request);
    let conversation = conversations.at(-1);
    if (!conversation || conversation.first.role !== first.role || conversation.first.text !== first.text) conversations.push((conversation = { first, calls: [], failure: null }));
    conversation.calls.push(call);
    // A call after a failed one went on: the failure is the conversation's end only when it is the last call.
    conversation.failure = failed ? `the model call failed${typeof value.error_str === 'string' ? `: ${value.error_str}` : ''} (${at})` : null;
  }
  const trajectories: Trajectory[] = [];
  conversations.forEach(({ calls, failure }, n) => {
    try {
      const t = traceTrajectory({ id: null, attributes: {}, scores: [], input: null, output: null, at: '' }, calls, [], `${baseName(fileName)}#${n}`, trajectories.length, format);
      if (failure) {
        t.stopReason = failure;
        t.recorded.finished_naturally = false;
      }
      trajectories.push(t);
    } catch (error) {
      if (!(error instanceof Misfit)) throw error;
      problems.push(`${calls[0]!.at}: the conversation is left out: ${error.message}`);
    }
  });
  if (trajectories.length === 0) throw new Misfit(conversations.length === 0 ? 'no model call in the file' : `no conversation could be read; first: ${problems[0]}`);
  return { trajectories, problems };
}

/** A model call log, one call per line. */
export function importCallLogLines(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  return callTrajectories(lineValues(text, fileName, problems), fileName, 'model-call-log', problems);
}

/** True for a model call log saved as one JSON list. */
export function isModelCallList(data: unknown): boolean {
  return Array.isArray(data) && data.length > 0 && isModelCallRecord(data[0]);
}

/** A model call log saved as one JSON list of calls. */
export function importCallLogDocument(data: unknown, fileName: string): TextImport {
  const problems: string[] = [];
  const records = Array.isArray(data) ? data.map((value, i) => ({ value, at: `[${i}]` })) : [{ value: data, at: 'the call' }];
  return callTrajectories(records, fileName, 'model-call-list', problems);
}
