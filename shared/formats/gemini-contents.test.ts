import { describe, expect, it } from 'vitest';
import { importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Gemini API `Content` lists as a chat's history is dumped (google-genai's `chat.get_history()`
// with `model_dump(exclude_none=True, by_alias=True)`, or a request's `contents`): text, thought,
// function call and response, and inline image parts; and the same without `by_alias`, in the
// Python SDK's snake case.

const history = [
  { role: 'user', parts: [{ text: 'What is in this picture, and the weather in Oslo?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
  { role: 'model', parts: [{ text: 'A cat; now the weather.', thought: true }, { functionCall: { id: 'fc-1', name: 'get_weather', args: { city: 'Oslo' } } }, { functionCall: { name: 'get_time', args: { city: 'Oslo' } } }] },
  { role: 'user', parts: [{ functionResponse: { id: 'fc-1', name: 'get_weather', response: { output: '3 C' } } }, { functionResponse: { name: 'get_time', response: { error: 'time service down' } } }] },
  { role: 'model', parts: [{ text: 'A cat. It is 3 C in Oslo.' }] },
];

describe('Gemini contents', () => {
  it('reads a chat history: calls and their responses (a failed one as a tool that raised), thoughts, an image', () => {
    const { trajectories, problems } = importText(JSON.stringify(history), 'history.json');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is in this picture, and the weather in Oslo?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'A cat; now the weather.',
        tool_calls: [
          { id: 'fc-1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          { id: null, type: 'function', function: { name: 'get_time', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'fc-1', content: '3 C', name: 'get_weather' },
      { role: 'tool', tool_call_id: null, content: '{"error": "Tool execution failed: time service down"}', is_error: true, name: 'get_time' },
      { role: 'assistant', content: 'A cat. It is 3 C in Oslo.' },
    ]);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, finished_naturally: true });
  });

  it('reads the Python SDK\'s snake case (model_dump without by_alias) as the API\'s camel case', () => {
    const snake = (part: Record<string, unknown>): Record<string, unknown> => {
      const names: Record<string, string> = { functionCall: 'function_call', functionResponse: 'function_response', inlineData: 'inline_data' };
      return Object.fromEntries(Object.entries(part).map(([key, value]) => [names[key] ?? key, key === 'inlineData' ? { mime_type: (value as { mimeType: string }).mimeType, data: (value as { data: string }).data } : value]));
    };
    const dumped = history.map((content) => ({ role: content.role, parts: content.parts.map(snake) }));
    expect(JSON.stringify(dumped)).toContain('"function_call"');
    expect(importText(JSON.stringify(dumped), 'history.json').trajectories[0]!.messages).toEqual(importText(JSON.stringify(history), 'history.json').trajectories[0]!.messages);
  });

  it('reads a request\'s contents in a JSONL line, and leaves messages with content as they are', () => {
    const line = { messages: history.slice(0, 2) };
    expect(importText(`${JSON.stringify(line)}\n`, 'requests.jsonl').trajectories[0]!.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const chat = [{ role: 'user', content: 'hi', parts: [{ text: 'hi' }] }, { role: 'assistant', content: 'hello' }];
    expect(importText(JSON.stringify(chat), 'chat.json').trajectories[0]!.messages.map((m) => m.content)).toEqual(['hi', 'hello']);
  });

  it('reads code the model ran as a code_execution call and its result (a failed run as a tool that raised)', () => {
    const ran = [
      { role: 'user', parts: [{ text: 'Sum the first 10 primes, then divide by zero.' }] },
      {
        role: 'model',
        parts: [
          { text: 'Running it.' },
          { executableCode: { language: 'PYTHON', code: 'print(sum([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]))' } },
          { codeExecutionResult: { outcome: 'OUTCOME_OK', output: '129\n' } },
          { executable_code: { language: 'PYTHON', code: '1/0' } },
          { code_execution_result: { outcome: 'OUTCOME_FAILED', output: 'ZeroDivisionError: division by zero' } },
          { text: 'The sum is 129; dividing by zero fails.' },
        ],
      },
    ];
    const t = importText(JSON.stringify(ran), 'ran.json').trajectories[0]!;
    expect(t.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Running it.The sum is 129; dividing by zero fails.',
        tool_calls: [
          { id: null, type: 'function', function: { name: 'code_execution', arguments: '{"language":"PYTHON","code":"print(sum([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]))"}' } },
          { id: null, type: 'function', function: { name: 'code_execution', arguments: '{"language":"PYTHON","code":"1/0"}' } },
        ],
      },
      { role: 'tool', tool_call_id: null, content: '129\n', name: 'code_execution' },
      { role: 'tool', tool_call_id: null, content: '{"error": "Tool execution failed: ZeroDivisionError: division by zero"}', is_error: true, name: 'code_execution' },
    ]);
    expect(deriveAgentResult(t, ['code_execution']).result).toMatchObject({ tool_calls_executed_ok: 1, tool_calls_exec_error: 1 });
  });

  it('names the images a function response carries in its parts in the result\'s text', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const shot = [
      { role: 'model', parts: [{ functionCall: { id: 'fc-1', name: 'screenshot', args: {} } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'fc-1', name: 'screenshot', response: { output: 'taken' }, parts: [{ inlineData: { mimeType: 'image/png', data: png } }] } }] },
    ];
    expect(importText(JSON.stringify(shot), 'shot.json').trajectories[0]!.messages[1]).toEqual({ role: 'tool', tool_call_id: 'fc-1', content: 'taken\n[image: image/png, 70 B]', name: 'screenshot' });
  });
});
