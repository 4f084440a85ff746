import { describe, expect, it } from 'vitest';
import { detectFormat, importText } from './import.js';
import { summarizeTrajectory } from './summary.js';

// AutoGen's messages as model_dump() writes them: a team run's messages and events
// (TaskResult.messages), and the model context a saved state keeps.

const call = { id: 'call_1', arguments: '{"city": "Paris"}', name: 'get_weather' };
const run = {
  messages: [
    { id: 'm1', source: 'user', models_usage: null, metadata: {}, content: 'What is the weather in Paris?', type: 'TextMessage' },
    { id: 'm2', source: 'weather_agent', models_usage: null, metadata: {}, content: 'I should call the tool.', type: 'ThoughtEvent' },
    { id: 'm3', source: 'weather_agent', models_usage: { prompt_tokens: 70, completion_tokens: 15 }, metadata: {}, content: [call], type: 'ToolCallRequestEvent' },
    { id: 'm4', source: 'weather_agent', models_usage: null, metadata: {}, content: [{ content: 'Paris: 18 C', name: 'get_weather', call_id: 'call_1', is_error: false }], type: 'ToolCallExecutionEvent' },
    { id: 'm5', source: 'weather_agent', models_usage: { prompt_tokens: 90, completion_tokens: 9 }, metadata: {}, content: 'It is 18 C in Paris.', type: 'TextMessage' },
  ],
  stop_reason: 'Maximum number of turns 1 reached.',
};

describe('AutoGen messages', () => {
  it('reads a team run\'s messages and events: the calls, their results, the thought as reasoning', () => {
    const { format, trajectories, problems } = importText(JSON.stringify(run), 'result.json');
    expect(format).toBe('agent-result');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: 'What is the weather in Paris?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }], reasoning_content: 'I should call the tool.', name: 'weather_agent' },
      { role: 'tool', tool_call_id: 'call_1', content: 'Paris: 18 C', name: 'get_weather' },
      { role: 'assistant', content: 'It is 18 C in Paris.', name: 'weather_agent' },
    ]);
    // The team's turn limit stopped the run after the agent's answer: its stop_reason is the stop
    // reason, and with no termination notice naming a limit the answer still ends the run.
    expect(t.stopReason).toBe('Maximum number of turns 1 reached.');
    expect(summarizeTrajectory(t, 0)).toMatchObject({ turns: 2, toolCalls: 1, toolErrors: 0, finishedNaturally: true });
    // Each agent reply's models_usage is its turn's.
    expect(t.callStats).toEqual([{ usage: { prompt_tokens: 70, completion_tokens: 15, total_tokens: 85 } }, { usage: { prompt_tokens: 90, completion_tokens: 9, total_tokens: 99 } }]);
  });

  it('counts a result marked is_error as a failed call', () => {
    const failed = { ...run, messages: run.messages.map((m) => (m.type === 'ToolCallExecutionEvent' ? { ...m, content: [{ content: 'Error: city not found', name: 'get_weather', call_id: 'call_1', is_error: true }] } : m)) };
    const [t] = importText(JSON.stringify(failed), 'failed.json').trajectories;
    expect(t!.messages[2]!.content).toBe('{"error": "Tool execution failed: Error: city not found"}');
    expect(summarizeTrajectory(t!, 0)).toMatchObject({ toolErrors: 1 });
  });

  it('leaves a termination condition\'s StopMessage out of the turns and takes it as the stop reason', () => {
    const stop = (content: string, source: string) => ({ id: 'm6', source, models_usage: null, metadata: {}, content, type: 'StopMessage' });
    const ended = { messages: [...run.messages.slice(0, 4), { ...run.messages[4]!, content: 'It is 18 C in Paris. TERMINATE' }, stop("Text 'TERMINATE' mentioned", 'TextMentionTermination')] };
    const [t] = importText(JSON.stringify(ended), 'ended.json').trajectories;
    expect(t!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(t!.stopReason).toBe("Text 'TERMINATE' mentioned");
    expect(summarizeTrajectory(t!, 0)).toMatchObject({ turns: 2, finishedNaturally: true });
    // A message limit ended the run, not the agent.
    const limited = { messages: [...run.messages, stop('Maximum number of messages 5 reached, current message count: 5', 'MaxMessageTermination')] };
    const [u] = importText(JSON.stringify(limited), 'limited.json').trajectories;
    expect(u!.stopReason).toBe('Maximum number of messages 5 reached, current message count: 5');
    expect(summarizeTrajectory(u!, 0)).toMatchObject({ turns: 2, finishedNaturally: false });
  });

  it('reads a saved team state: each agent\'s model context, named by the agent', () => {
    const context = [
      { content: 'You are a helpful assistant.', type: 'SystemMessage' },
      { content: 'What is the weather in Paris?', source: 'user', type: 'UserMessage' },
      { content: [call], thought: 'Use the tool.', source: 'weather_agent', type: 'AssistantMessage' },
      { content: [{ content: 'Paris: 18 C', name: 'get_weather', call_id: 'call_1', is_error: false }], type: 'FunctionExecutionResultMessage' },
      { content: 'It is 18 C in Paris.', thought: null, source: 'weather_agent', type: 'AssistantMessage' },
    ];
    const state = {
      type: 'TeamState',
      version: '1.0.0',
      agent_states: {
        weather_agent: { type: 'ChatAgentContainerState', version: '1.0.0', agent_state: { type: 'AssistantAgentState', version: '1.0.0', llm_context: { messages: context } }, message_buffer: [] },
        RoundRobinGroupChatManager: { type: 'RoundRobinManagerState', version: '1.0.0', message_thread: run.messages, current_turn: 1, next_speaker_index: 0 },
      },
    };
    const text = JSON.stringify(state, null, 2);
    expect(detectFormat(text, 'team_state.json')).toBe('autogen-state');
    const { trajectories, problems } = importText(text, 'team_state.json');
    expect(problems).toEqual([]);
    expect(trajectories.map((t) => [t.id, t.messages.length])).toEqual([['weather_agent', 5], ['RoundRobinGroupChatManager', 4]]);
    expect(trajectories[0]!.messages[2]).toEqual({ role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }], reasoning_content: 'Use the tool.' });
    expect(() => importText(JSON.stringify({ type: 'TeamState', agent_states: {} }), 'empty.json')).toThrow(/holds no conversation/);
  });

  it('reads multimodal content as text and images (an image dumped as {data} with no media type)', () => {
    const context = [
      { content: ['Describe this:', { data: 'iVBORw0KGgo=' }, { data: '/9j/4AAQ' }], source: 'user', type: 'UserMessage' },
      { content: 'A cat.', thought: null, source: 'assistant', type: 'AssistantMessage' },
    ];
    const state = { type: 'AssistantAgentState', version: '1.0.0', llm_context: { messages: context } };
    expect(importText(JSON.stringify(state), 'state.json').trajectories[0]!.messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Describe this:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }],
    });
    const thread = [{ id: 'm1', source: 'user', models_usage: null, metadata: {}, content: ['Look:', { data: 'iVBORw0KGgo=' }], type: 'MultiModalMessage' }];
    expect(importText(JSON.stringify({ messages: thread }), 'run.json').trajectories[0]!.messages[0]!.content).toEqual([{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }]);
  });
});
