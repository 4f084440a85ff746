import type { ChatMessage, ToolCall } from '../model/chat.js';
import { contentAsText } from './content-parts.js';
import { argumentsText, callStats, isObject, Misfit, num, raisedToolContent, recordedUsage, str } from './import-common.js';
import { endsWithEndTool, type CallStats, type Trajectory } from './trajectory.js';

// smolagents' agent memory as its steps write themselves out (`agent.memory.get_full_steps()` or
// `get_succinct_steps()`, saved as JSON), and the run lines of its benchmark scripts, which keep
// those steps as `intermediate_steps` beside the `question` and the `prediction`.
//
// A step is a task (`task`), a planning step (`plan`), or an action step: the model's text
// (`model_output`), the calls it made (`tool_calls`, `{id, type, function: {name, arguments}}`,
// arguments parsed or a code string), what they returned (`observations`, one text for all of
// them), the error that ended the step (`error`, `{type, message}`), and `is_final_answer`. The
// messages are those smolagents builds from the steps for its next model call (`to_messages`):
// a planning step is the plan, then the user's "Now proceed and carry out this plan."
//
// A step whose model call failed (no `model_output`, no calls, an `AgentGenerationError`) has no
// reply: it is the error alone, not an empty assistant turn. A run stopped at its step limit ends
// with a step whose error is `AgentMaxStepsError` and whose `action_output` is the answer a last
// model call gave without tools (`provide_final_answer`): that answer is the last assistant
// message, and the run did not finish by itself. `agent.run(..., return_full_result=True)` gives
// a `RunResult`, `{output, state, steps, token_usage, timing}`, saved as JSON the same way: its
// `steps` are the memory steps, and a `state` other than "success" is how it stopped.
//
// `agent.run(..., stream=True)` yields the steps, then a `FinalAnswerStep`, `{output}` alone: a
// list saved from the stream ends with it. Its output is the run's final answer; it is the last
// assistant message unless the step before it already gave that answer (a `final_answer` call,
// the step limit's answer).

/** A memory step of an action: it has a step number and the model's output or calls. */
function isActionStep(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value.step_number === 'number' && ('model_output' in value || 'tool_calls' in value || 'observations' in value);
}

/** A streamed `FinalAnswerStep`: `{output}` and nothing else. */
function isFinalAnswerStep(value: unknown): value is { output: unknown } {
  return isObject(value) && 'output' in value && Object.keys(value).length === 1;
}

/** A list of smolagents memory steps: at least one action step, and only steps (the last may be a streamed final answer). */
export function isSmolagentsSteps(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.some(isActionStep) && value.every((s, i) => (isObject(s) && ('step_number' in s || 'task' in s || 'plan' in s || 'summary' in s)) || (i === value.length - 1 && isFinalAnswerStep(s)));
}

/** A smolagents `RunResult` (`{output, state, steps}`) or a list of memory steps. */
export function isSmolagentsMemory(value: unknown): boolean {
  return isSmolagentsSteps(value) || (isObject(value) && typeof value.state === 'string' && 'output' in value && isSmolagentsSteps(value.steps));
}

/** True for the last step of a run stopped at its step limit. */
function maxStepsStep(step: Record<string, unknown>): boolean {
  return isObject(step.error) && step.error.type === 'AgentMaxStepsError';
}

/** A run line of smolagents' benchmark scripts: its memory steps as `intermediate_steps`. */
export function isSmolagentsRun(record: unknown): boolean {
  return isObject(record) && isSmolagentsSteps(record.intermediate_steps) && !('messages' in record);
}

/** What a step's error says (smolagents writes `{type, message}`). */
function errorText(error: unknown): string {
  return isObject(error) ? (str(error.message) ?? JSON.stringify(error)) : String(error);
}

/** A step's recorded token usage and duration (`token_usage`, `timing.duration` in seconds), or null. */
function stepStats(step: Record<string, unknown>): CallStats | null {
  const usage = isObject(step.token_usage) ? recordedUsage(step.token_usage.input_tokens, step.token_usage.output_tokens, step.token_usage.total_tokens) : undefined;
  const seconds = isObject(step.timing) ? num(step.timing.duration) : null;
  return callStats(usage, seconds === null ? null : seconds * 1000);
}

/** The messages of a list of memory steps (`at` is where the list is in the file), and what each model call recorded. */
function stepMessages(steps: readonly unknown[], at: string): { messages: ChatMessage[]; stats: Array<CallStats | null> } {
  const messages: ChatMessage[] = [];
  const stats: Array<CallStats | null> = [];
  steps.forEach((step, i) => {
    if (!isObject(step)) throw new Misfit(`${at}[${i}]: expected a memory step`);
    if (isFinalAnswerStep(step)) {
      const before = steps[i - 1];
      const given = isObject(before) && before.action_output != null && (before.is_final_answer === true || maxStepsStep(before));
      if (!given && step.output != null) {
        messages.push({ role: 'assistant', content: typeof step.output === 'string' ? step.output : JSON.stringify(step.output) });
        stats.push(null);
      }
    } else if (typeof step.task === 'string') {
      messages.push({ role: 'user', content: `New task:\n${step.task}` });
    } else if (typeof step.plan === 'string') {
      messages.push({ role: 'assistant', content: step.plan.trim() }, { role: 'user', content: 'Now proceed and carry out this plan.' });
      stats.push(stepStats(step));
    } else if (typeof step.summary === 'string') {
      messages.push({ role: 'user', content: `[Consolidated summary of earlier steps]\n${step.summary}` });
    } else if (isActionStep(step)) {
      const calls = (Array.isArray(step.tool_calls) ? step.tool_calls : []).flatMap((call, k): ToolCall[] => {
        if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== 'string') return [];
        return [{ id: str(call.id) ?? `call_${i}_${k}`, type: 'function', function: { name: call.function.name, arguments: argumentsText(call.function.arguments) } }];
      });
      const output = step.model_output;
      const text = typeof output === 'string' ? output.trim() : output == null ? '' : contentAsText(output);
      // A step with neither output nor calls had no reply to show (its model call failed, or it is the step limit's).
      if (output != null || calls.length > 0) {
        messages.push(calls.length > 0 ? { role: 'assistant', content: text, tool_calls: calls } : { role: 'assistant', content: text });
        stats.push(stepStats(step));
      }
      // One observation answers the step's calls (smolagents writes them as one text): it is the
      // first call's result. An error with calls made is theirs, recorded as the reference records
      // a tool that raised, so it counts as a failed call; without calls (the reply could not be
      // parsed), the model is told it as the user's message, as smolagents tells it.
      const first = calls[0];
      if (typeof step.observations === 'string') {
        const content = `Observation:\n${step.observations}`;
        messages.push(first ? { role: 'tool', content, tool_call_id: first.id } : { role: 'user', content });
      }
      if (step.error != null) {
        const text = errorText(step.error);
        messages.push(first ? { role: 'tool', content: raisedToolContent(text), tool_call_id: first.id } : { role: 'user', content: `Error:\n${text}` });
      }
      if (maxStepsStep(step) && step.action_output != null) {
        messages.push({ role: 'assistant', content: typeof step.action_output === 'string' ? step.action_output : JSON.stringify(step.action_output) });
        stats.push(stepStats(step));
      }
    }
  });
  return { messages, stats };
}

/** A trajectory's messages and, when any step recorded them, its model calls' figures. */
function withStats(t: Trajectory, read: { messages: ChatMessage[]; stats: Array<CallStats | null> }): Trajectory {
  t.messages = read.messages;
  if (read.stats.some((s) => s !== null)) t.callStats = read.stats;
  return t;
}

/**
 * How a list of steps says the run ended: stopped at the step limit, or finished by the agent
 * itself when its last reply calls `final_answer` (smolagents' end tool, see END_TOOL_NAMES), which
 * the reference's rule alone would count as a run cut after a tool call.
 */
function recordEnd(steps: readonly unknown[], t: Trajectory): void {
  if (steps.some((s) => isObject(s) && maxStepsStep(s))) {
    t.recorded.finished_naturally = false;
    t.stopReason ??= 'max_steps_error';
  } else if (t.recorded.finished_naturally === undefined && t.stopReason === undefined && endsWithEndTool(t.messages)) {
    t.recorded.finished_naturally = true;
  }
}

/** A saved list of smolagents memory steps (`get_full_steps()`), or a saved `RunResult`: one trajectory. */
export function importSmolagentsSteps(data: unknown, id: string): Trajectory[] {
  if (!isSmolagentsMemory(data)) throw new Misfit('expected a list of smolagents memory steps, or a RunResult with its steps');
  const result = isObject(data) ? data : null;
  const steps = (result ? result.steps : data) as unknown[];
  const t = withStats({ id, model: null, messages: [], reward: null, recorded: {}, source: { format: 'smolagents-steps', index: 0 } }, stepMessages(steps, result ? 'steps' : ''));
  if (result && result.state !== 'success') {
    t.recorded.finished_naturally = false;
    t.stopReason = String(result.state);
  }
  recordEnd(steps, t);
  return [t];
}

/** One run line of smolagents' benchmark scripts: the question, then its steps; the expected answer as the evaluation's target. */
export function importSmolagentsRun(data: unknown, id: string, index: number): Trajectory[] {
  if (!isObject(data) || !isSmolagentsRun(data)) throw new Misfit('intermediate_steps: expected a list of smolagents memory steps');
  const steps = data.intermediate_steps as unknown[];
  const read = stepMessages(steps, 'intermediate_steps');
  const messages = read.messages;
  const question = str(data.augmented_question) ?? str(data.question);
  // The steps start with the task the agent was given; a line without one starts with its question.
  if (question !== null && !steps.some((s) => isObject(s) && typeof s.task === 'string')) messages.unshift({ role: 'user', content: question });
  const t: Trajectory = withStats(
    {
      id: str(data.task_id) ?? (typeof data.task_id === 'number' ? String(data.task_id) : id),
      model: str(data.model_id) ?? str(data.agent_name),
      messages: [],
      reward: null,
      recorded: {},
      source: { format: 'smolagents-run', index },
    },
    read,
  );
  const scores = [];
  if ('prediction' in data) scores.push({ scorer: 'prediction', value: data.prediction });
  if (data.agent_error != null) scores.push({ scorer: 'agent_error', value: data.agent_error });
  if (data.iteration_limit_exceeded === true) t.stopReason = 'iteration limit exceeded';
  recordEnd(steps, t);
  if ('true_answer' in data || scores.length > 0) t.evaluation = { ...('true_answer' in data ? { target: data.true_answer } : {}), scores };
  return [t];
}
