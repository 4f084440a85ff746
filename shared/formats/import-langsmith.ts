import type { TokenUsage } from '../model/chat.js';
import { callStats, isObject, lineValues, namedUsage, num, str, type TextImport } from './import-common.js';
import { traceTrajectories, type Observation, type TraceHead } from './import-langfuse.js';
import { fromLangChain, langChainUsage } from './langchain-messages.js';
import type { FormatId, Trajectory } from './trajectory.js';

// LangSmith runs, as its SDK and API give them (`client.list_runs(...)` dumped to JSON, a JSON list
// of runs, one run per line, or a root run with its `child_runs` nested): `{id, name, run_type,
// inputs, outputs, error, start_time, end_time, extra, parent_run_id, trace_id, dotted_order,
// prompt_tokens, completion_tokens, total_tokens, child_runs, ...}`. One trajectory per trace,
// built as Langfuse and OpenTelemetry traces are (see import-langfuse.ts):
//
// - A model call is an `llm` run. Its inputs are LangChain's (`messages`: one list of LangChain
//   messages per prompt of the batch, the first read; or `prompts`, texts) or the provider's
//   request (a traced OpenAI client: `messages` with roles). Its outputs are LangChain's
//   `generations` (each generation's `message`, or its `text`) or the provider's reply (`choices`).
// - Its usage is the run's token counts (else the reply's `usage_metadata` or `llm_output`'s
//   `token_usage`), its latency the time from start to end.
// - A `tool` run is the result of the call whose id it names (a `ToolMessage` output's
//   `tool_call_id`) when no model input already holds it; a tool run that names none is left to
//   the next model input, which holds its result. A tool run with an `error` is a tool that raised.
// - The root run's `error` (LangGraph's `GraphRecursionError`, an exception the graph did not
//   catch), else the last `llm` run's (the provider refused or failed the call), is how the run
//   ended: its first line (the exception's repr) is the stop reason, and the run did not finish.
// - Runs of other types (chains, retrievers, parsers, prompts) carry no message of their own.

const CALL_TYPES = new Set(['llm', 'chat_model']);

/** True for a LangSmith run: a `run_type` beside `inputs`. */
export function isLangSmithRun(value: unknown): boolean {
  return isObject(value) && typeof value.run_type === 'string' && isObject(value.inputs);
}

/** True for a LangSmith run, a list of runs, or (one per line) a run. */
export function isLangSmithRuns(first: unknown): boolean {
  return isLangSmithRun(first) || (Array.isArray(first) && first.length > 0 && isLangSmithRun(first[0]));
}

/** A run's calls and results in its children too (`child_runs`, nested as the SDK loads them). */
function flattened(runs: ReadonlyArray<{ value: unknown; at: string }>): Array<{ run: Record<string, unknown>; at: string }> {
  const out: Array<{ run: Record<string, unknown>; at: string }> = [];
  const seen = new Set<string>();
  const stack = [...runs].reverse();
  while (stack.length > 0) {
    const { value, at } = stack.pop()!;
    if (!isObject(value)) continue;
    const id = str(value.id);
    if (id !== null && seen.has(id)) continue;
    if (id !== null) seen.add(id);
    out.push({ run: value, at });
    const children = Array.isArray(value.child_runs) ? value.child_runs : [];
    for (let k = children.length - 1; k >= 0; k--) stack.push({ value: children[k], at: `${at}.child_runs[${k}]` });
  }
  return out;
}

/** The messages of a model call's inputs, as a request the trace builder reads. */
function callInput(inputs: Record<string, unknown>): unknown {
  const messages = inputs.messages;
  if (Array.isArray(messages)) {
    // LangChain traces a chat model's batch: a list of message lists, one per prompt.
    const list: unknown[] = messages.length > 0 && messages.every(Array.isArray) ? (messages[0] as unknown[]) : messages;
    return { ...inputs, messages: list.map(fromLangChain) };
  }
  if (Array.isArray(inputs.prompts) && typeof inputs.prompts[0] === 'string') return { messages: [{ role: 'user', content: inputs.prompts[0] }] };
  return inputs;
}

/** The first generation of each prompt of LangChain's `generations` (its first prompt's). */
function firstGenerations(outputs: Record<string, unknown>): unknown[] | null {
  const generations = outputs.generations;
  if (!Array.isArray(generations) || generations.length === 0) return null;
  return Array.isArray(generations[0]) ? generations[0] : generations;
}

/** The reply messages of a model call's outputs. */
function callOutput(outputs: unknown): unknown {
  if (!isObject(outputs)) return outputs;
  const generations = firstGenerations(outputs);
  if (generations) return generations.map((g) => (isObject(g) && g.message !== undefined ? fromLangChain(g.message) : { role: 'assistant', content: isObject(g) ? (str(g.text) ?? '') : '' }));
  return outputs;
}

/** A model call's tokens: the run's counts, else its reply's or its `llm_output`'s. */
function callUsage(run: Record<string, unknown>): TokenUsage | undefined {
  const counted = namedUsage(run);
  if (counted) return counted;
  const outputs = isObject(run.outputs) ? run.outputs : {};
  const first = firstGenerations(outputs)?.[0];
  const fromMessage = isObject(first) ? langChainUsage(first.message) : undefined;
  if (fromMessage) return fromMessage;
  const llmOutput = isObject(outputs.llm_output) ? outputs.llm_output : {};
  const tokens = isObject(llmOutput.token_usage) ? llmOutput.token_usage : isObject(outputs.usage) ? outputs.usage : null;
  return namedUsage(tokens);
}

/** The model a call names: LangSmith's `ls_model_name`, the invocation's model, or the reply's. */
function callModel(run: Record<string, unknown>): string | null {
  const extra = isObject(run.extra) ? run.extra : {};
  const metadata = isObject(extra.metadata) ? extra.metadata : {};
  const params = isObject(extra.invocation_params) ? extra.invocation_params : {};
  const outputs = isObject(run.outputs) ? run.outputs : {};
  const llmOutput = isObject(outputs.llm_output) ? outputs.llm_output : {};
  return str(metadata.ls_model_name) ?? str(params.model) ?? str(params.model_name) ?? str(llmOutput.model_name) ?? str(outputs.model);
}

/** The call id a tool run's output names (a `ToolMessage`), or null. */
function toolCallId(outputs: unknown): string | null {
  const output = isObject(outputs) ? outputs.output : undefined;
  const message = fromLangChain(output);
  return isObject(message) && message.role === 'tool' ? str(message.tool_call_id) : null;
}

/** The text of a tool run's output (a `ToolMessage`'s content, or the output as given). */
function toolOutput(outputs: unknown): unknown {
  const output = isObject(outputs) && 'output' in outputs ? outputs.output : outputs;
  const message = fromLangChain(output);
  return isObject(message) && message.role === 'tool' ? message.content : output;
}

function observationOf(run: Record<string, unknown>, at: string): Observation {
  const [start, end] = [Date.parse(str(run.start_time) ?? ''), Date.parse(str(run.end_time) ?? '')];
  const latencyMs = Number.isFinite(start) && Number.isFinite(end) && end >= start ? end - start : null;
  const error = str(run.error);
  const common = { id: str(run.id), name: str(run.name), start: str(run.start_time) ?? str(run.dotted_order) ?? '', level: error ? 'ERROR' : null, statusMessage: error, at, inputAt: `${at}.inputs`, outputAt: `${at}.outputs` };
  if (CALL_TYPES.has(String(run.run_type))) {
    return { ...common, type: 'GENERATION', input: callInput(run.inputs as Record<string, unknown>), output: callOutput(run.outputs), model: callModel(run), attributes: {}, stats: callStats(callUsage(run), latencyMs) };
  }
  if (run.run_type === 'tool') {
    const id = toolCallId(run.outputs);
    // A result no call id names is in the next model input already.
    return { ...common, type: id === null ? '' : 'TOOL', input: run.inputs, output: toolOutput(run.outputs), model: null, attributes: { 'gen_ai.tool.call.id': id, 'gen_ai.tool.name': str(run.name) } };
  }
  return { ...common, type: String(run.run_type).toUpperCase(), input: run.inputs, output: run.outputs, model: null, attributes: {} };
}

/** The trajectories of some runs (each with where it is in the file), one per trace. */
function langSmithTrajectories(records: ReadonlyArray<{ value: unknown; at: string }>, fileName: string, format: FormatId, problems: string[]): Trajectory[] {
  const runs = flattened(records);
  const byId = new Map(runs.map(({ run }) => [str(run.id), run]));
  /** The trace a run belongs to: its `trace_id`, else the root its parents lead to. */
  const traceOf = (run: Record<string, unknown>): string => {
    let at = run;
    for (let hops = 0; str(at.trace_id) === null && str(at.parent_run_id) !== null && hops < 10_000; hops++) {
      const parent = byId.get(str(at.parent_run_id));
      if (!parent) break;
      at = parent;
    }
    return str(at.trace_id) ?? str(at.id) ?? '';
  };
  const traces = new Map<string, { runs: Observation[]; root: Record<string, unknown> | null; at: string }>();
  for (const { run, at } of runs) {
    if (!isLangSmithRun(run)) {
      problems.push(`${at || fileName}: expected a run with run_type and inputs; it is left out`);
      continue;
    }
    const id = traceOf(run);
    const trace = traces.get(id) ?? { runs: [], root: null, at };
    traces.set(id, trace);
    if (str(run.parent_run_id) === null) trace.root ??= run;
    trace.runs.push(observationOf(run, at));
  }
  // A trace with no model call is read from its root's messages (a graph's state, whose output
  // holds its input's messages too).
  const listed = (value: unknown): unknown[] | null => (isObject(value) && Array.isArray(value.messages) ? value.messages.map(fromLangChain) : null);
  const read = [...traces].map(([id, { runs: spans, root }]) => {
    const [rootIn, rootOut] = [listed(root?.inputs), listed(root?.outputs)];
    const head: TraceHead = { id: id || null, attributes: {}, scores: feedbackScores(root), input: rootOut ? [] : (rootIn ?? []), output: rootOut ?? [], at: '', error: str(root?.error) ?? lastCall(spans)?.statusMessage };
    const unreadable = !spans.some((o) => o.type === 'GENERATION') && !rootIn && !rootOut ? 'it holds no model call (an llm run), and its root run no messages' : undefined;
    return { id, head, spans, unreadable };
  });
  return traceTrajectories(read, fileName, format, problems, 'it holds no runs');
}

/** The model call that started last (an `llm` run), if any. */
function lastCall(spans: readonly Observation[]): Observation | undefined {
  return spans.filter((o) => o.type === 'GENERATION').reduce<Observation | undefined>((last, o) => (last === undefined || o.start >= last.start ? o : last), undefined);
}

/** A root run's feedback averages (`feedback_stats`) as scores: `reward` is the trajectory's reward. */
function feedbackScores(root: Record<string, unknown> | null): Array<{ name: string; value: number }> {
  const stats = root && isObject(root.feedback_stats) ? root.feedback_stats : {};
  return Object.entries(stats).flatMap(([name, stat]) => {
    const value = isObject(stat) ? num(stat.avg) : null;
    return value === null ? [] : [{ name, value }];
  });
}

/** A JSON document of runs: one run (with its children) or a list of runs. */
export function importLangSmithDocument(data: unknown, fileName: string): TextImport {
  const problems: string[] = [];
  const records = Array.isArray(data) ? data.map((value, i) => ({ value, at: `[${i}]` })) : [{ value: data, at: 'the run' }];
  return { trajectories: langSmithTrajectories(records, fileName, 'langsmith-runs', problems), problems };
}

/** Runs one per line. */
export function importLangSmithLines(text: string, fileName: string): TextImport {
  const problems: string[] = [];
  return { trajectories: langSmithTrajectories(lineValues(text, fileName, problems), fileName, 'langsmith-runs-jsonl', problems), problems };
}
