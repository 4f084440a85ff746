import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// Memory steps as smolagents' `get_full_steps()` writes them (a ToolCallingAgent's run), and a run
// line of its benchmark scripts that keeps them as `intermediate_steps`.

const timing = { start_time: 1.0, end_time: 2.0, duration: 1.0 };
const action = (n: number, output: string, calls: Array<[string, string, unknown]>, extra: Record<string, unknown> = {}) => ({
  step_number: n,
  timing,
  model_input_messages: null,
  tool_calls: calls.map(([id, name, args]) => ({ id, type: 'function', function: { name, arguments: args } })),
  error: null,
  model_output_message: { role: 'assistant', content: output, tool_calls: null },
  model_output: output,
  code_action: null,
  observations: null,
  observations_images: null,
  action_output: null,
  token_usage: { input_tokens: 900, output_tokens: 40, total_tokens: 940 },
  is_final_answer: false,
  ...extra,
});
const steps = [
  { task: 'How many moons does Mars have?', task_images: null },
  { model_input_messages: [], model_output_message: { role: 'assistant', content: 'Plan' }, plan: '1. Search.\n2. Answer.\n', timing, token_usage: null },
  action(1, 'I will search.', [['call_1', 'web_search', { query: 'Mars moons' }]], { observations: 'Mars has two moons, Phobos and Deimos.' }),
  action(2, '', [['call_2', 'visit_webpage', { url: 'https://x' }]], { error: { type: 'AgentToolExecutionError', message: 'Error when executing tool visit_webpage: 404' } }),
  action(3, '', [['call_3', 'final_answer', { answer: '2' }]], { observations: '2', action_output: '2', is_final_answer: true }),
];

describe('smolagents memory steps', () => {
  it('reads the steps as the messages smolagents builds from them: task, plan, calls, observations, errors', () => {
    const text = JSON.stringify(steps);
    expect(detectFormat(text, 'memory.json')).toBe('smolagents-steps');
    const { format, trajectories, problems } = importText(text, 'memory.json');
    expect(format).toBe('smolagents-steps');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.content, m.tool_call_id ?? null])).toEqual([
      ['user', 'New task:\nHow many moons does Mars have?', null],
      ['assistant', '1. Search.\n2. Answer.', null],
      ['user', 'Now proceed and carry out this plan.', null],
      ['assistant', 'I will search.', null],
      ['tool', 'Observation:\nMars has two moons, Phobos and Deimos.', 'call_1'],
      ['assistant', '', null],
      ['tool', '{"error": "Tool execution failed: Error when executing tool visit_webpage: 404"}', 'call_2'],
      ['assistant', '', null],
      ['tool', 'Observation:\n2', 'call_3'],
    ]);
    expect(t.messages[3]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'web_search', arguments: '{"query":"Mars moons"}' } }]);
    // The failed call counts as one, as the reference counts a tool that raised.
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 4, toolCalls: 3, toolErrors: 1 });
    // Each step's token usage and duration are its model call's (the plan recorded no usage).
    expect(t.callStats).toEqual([{ latencyMs: 1000 }, ...Array(3).fill({ usage: { prompt_tokens: 900, completion_tokens: 40, total_tokens: 940 }, latencyMs: 1000 })]);
  });

  it('reads a code agent\'s step: its code as the call, its logs as the observation', () => {
    const code = action(1, 'Thought: count.\nCode:\n```py\nprint(len(["Phobos", "Deimos"]))\n```<end_code>', [['call_1', 'python_interpreter', 'print(len(["Phobos", "Deimos"]))']], { observations: 'Execution logs:\n2\nLast output from code snippet:\nNone' });
    const [t] = importText(JSON.stringify([{ task: 'Count the moons.', task_images: null }, code]), 'code.json').trajectories;
    expect(t!.messages[1]!.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'python_interpreter', arguments: 'print(len(["Phobos", "Deimos"]))' } }]);
    expect(t!.messages[2]).toEqual({ role: 'tool', content: 'Observation:\nExecution logs:\n2\nLast output from code snippet:\nNone', tool_call_id: 'call_1' });
  });

  it('reads a benchmark run line: the question, the steps, the expected answer and the prediction', () => {
    const run = { agent_name: 'code_agent', question: 'How many moons does Mars have?', augmented_question: null, prediction: '2', intermediate_steps: steps.slice(2), parsing_error: false, iteration_limit_exceeded: false, agent_error: null, task_id: 'gaia-17', true_answer: '2' };
    const text = `${JSON.stringify(run)}\n${JSON.stringify({ ...run, task_id: 'gaia-18', iteration_limit_exceeded: true, prediction: null })}\n`;
    expect(detectFormat(text, 'answers.jsonl')).toBe('smolagents-run');
    const { trajectories } = importText(text, 'answers.jsonl');
    expect(trajectories.map((t) => t.id)).toEqual(['gaia-17', 'gaia-18']);
    expect(trajectories[0]!.messages[0]).toEqual({ role: 'user', content: 'How many moons does Mars have?' });
    expect(trajectories[0]!.evaluation).toEqual({ target: '2', scores: [{ scorer: 'prediction', value: '2' }] });
    expect(trajectories[1]!.stopReason).toBe('iteration limit exceeded');
  });

  it('reads the steps streamed by agent.run(stream=True), ending with the final answer step', () => {
    const streamed = JSON.stringify([...steps, { output: '2' }]);
    expect(detectFormat(streamed, 'stream.json')).toBe('smolagents-steps');
    const [t] = importText(streamed, 'stream.json').trajectories;
    // The last step's final_answer call already gave the answer.
    expect(t!.messages).toEqual(importText(JSON.stringify(steps), 'memory.json').trajectories[0]!.messages);
    // final_answer is smolagents' end tool: the agent ended the run itself.
    expect(summarizeTrajectory(t!, 0).finishedNaturally).toBe(true);
    // A final answer no step gave before it is the last assistant message.
    const [u] = importText(JSON.stringify([...steps.slice(0, 3), { output: { moons: 2 } }]), 'stream.json').trajectories;
    expect(u!.messages.at(-1)).toEqual({ role: 'assistant', content: '{"moons":2}' });
    expect(summarizeTrajectory(u!, 0)).toMatchObject({ turns: 3, finishedNaturally: true });
  });

  it('is not taken for a list of other things that have a step number', () => {
    expect(detectFormat(JSON.stringify([{ step_number: 1, name: 'x' }]), 'x.json')).not.toBe('smolagents-steps');
  });

  it('shows no empty turn for a step whose model call failed, and ends a run stopped at its step limit with the answer it gave then', () => {
    const failed = action(2, '', [], { model_output: null, model_output_message: null, error: { type: 'AgentGenerationError', message: 'Error in generating model output:\nRate limit' } });
    const limit = action(3, '', [], { model_output: null, model_output_message: null, error: { type: 'AgentMaxStepsError', message: 'Reached max steps.' }, action_output: 'Probably 2.' });
    const memory = [steps[0], steps[2], failed, limit];
    const [t] = importText(JSON.stringify(memory), 'memory.json').trajectories;
    expect(t!.messages.slice(2).map((m) => [m.role, m.content])).toEqual([
      ['tool', 'Observation:\nMars has two moons, Phobos and Deimos.'],
      ['user', 'Error:\nError in generating model output:\nRate limit'],
      ['user', 'Error:\nReached max steps.'],
      ['assistant', 'Probably 2.'],
    ]);
    expect(t!.stopReason).toBe('max_steps_error');
    expect(summarizeTrajectory(t!, 0)).toMatchObject({ turns: 2, finishedNaturally: false });

    // The same run saved as the RunResult `return_full_result=True` gives.
    const saved = JSON.stringify({ output: 'Probably 2.', state: 'max_steps_error', steps: memory, token_usage: { input_tokens: 2700, output_tokens: 120, total_tokens: 2820 }, timing });
    expect(detectFormat(saved, 'result.json')).toBe('smolagents-steps');
    const [u] = importText(saved, 'result.json').trajectories;
    expect(u!.messages).toEqual(t!.messages);
    expect(u!.stopReason).toBe('max_steps_error');
  });
});
