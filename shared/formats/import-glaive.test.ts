import { describe, expect, it } from 'vitest';
import { detectRecord, importText } from './import.js';
import { deriveAgentResult } from './trajectory.js';

// Rows in the layout of glaive-function-calling-v2: the prompt with the function schemas after it,
// and the conversation as one text of speaker-opened turns.

const system = `SYSTEM: You are a helpful assistant with access to the following functions. Use them if required -
{
    "name": "calculate_factorial",
    "description": "Calculate the factorial of a number",
    "parameters": {"type": "object", "properties": {"number": {"type": "integer"}}, "required": ["number"]}
}

{
    "name": "get_news_headlines",
    "description": "Headlines {for} a country",
    "parameters": {"type": "object", "properties": {"country": {"type": "string"}}}
}
`;

const chat = `USER: Hi, I need the factorial of 5.


ASSISTANT: <functioncall> {"name": "calculate_factorial", "arguments": '{"number": 5}'} <|endoftext|>


FUNCTION RESPONSE: {"result": 120}


ASSISTANT: The factorial of 5 is 120. <|endoftext|>


USER: And the news for the US?


ASSISTANT: <functioncall> {"name": "get_news_headlines", "arguments": '{
  "country": "United States"
}'} <|endoftext|>


FUNCTION RESPONSE: {"headlines": ["A", "B"]}


ASSISTANT: Here they are: A, B. <|endoftext|>


`;

const jsonl = (...rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('glaive function-calling rows', () => {
  it('reads the turns, each call with its quoted arguments, each response as its result, and the schemas in the prompt', () => {
    const { format, trajectories, problems } = importText(jsonl({ system, chat }), 'glaive.jsonl');
    expect(format).toBe('glaive-function-calling');
    expect(problems).toEqual([]);
    const t = trajectories[0]!;
    expect(t.id).toBe('glaive:1');
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[0]!.content).toMatch(/^You are a helpful assistant/);
    expect(t.messages[2]).toEqual({ role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculate_factorial', arguments: '{"number": 5}' } }] });
    expect(t.messages[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '{"result": 120}' });
    expect(t.messages[4]!.content).toBe('The factorial of 5 is 120.');
    expect(JSON.parse(t.messages[6]!.tool_calls![0]!.function.arguments)).toEqual({ country: 'United States' });
    expect(t.tools!.map((tool) => tool.function.name)).toEqual(['calculate_factorial', 'get_news_headlines']);
    expect(deriveAgentResult(t).result).toMatchObject({ turns_used: 4, tool_calls_attempted: 2, tool_calls_schema_valid: 2, tool_calls_executed_ok: 2, finished_naturally: true });
  });

  it('reads copies whose whitespace was collapsed, turns one space apart', () => {
    const collapsed = 'USER: What\'s the price of Apple stock? ASSISTANT: <functioncall> {"name": "get_stock_price", "arguments": \'{"symbol": "AAPL"}\'} <|endoftext|> FUNCTION RESPONSE: {"price": 150.25} ASSISTANT: Apple is at $150.25. <|endoftext|>';
    const t = importText(jsonl({ system: 'You are a helpful assistant with access to the following functions. Use them if required -\n{"name": "get_stock_price", "parameters": {}}', chat: collapsed }), 'g.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([
      ['system', 'You are a helpful assistant with access to the following functions. Use them if required -\n{"name": "get_stock_price", "parameters": {}}'],
      ['user', "What's the price of Apple stock?"],
      ['assistant', ''],
      ['tool', '{"price": 150.25}'],
      ['assistant', 'Apple is at $150.25.'],
    ]);
    expect(t.problems).toBeUndefined();
    expect(importText(jsonl({ chat: 'USER: Only a question.' }), 'g.jsonl').trajectories[0]!.problems).toEqual(['g.jsonl:1: chat: no ASSISTANT: turn, so no reply of the model is shown']);
  });

  it('reads a call whose arguments are an object, and text before the call', () => {
    const t = importText(jsonl({ system: '', chat: 'USER: Look it up.\nASSISTANT: Sure. <functioncall> {"name":"lookup","arguments":{"q":"x"}} <|endoftext|>' }), 'g.jsonl').trajectories[0]!;
    expect(t.messages[1]).toMatchObject({ content: 'Sure.', tool_calls: [{ function: { name: 'lookup', arguments: '{"q":"x"}' } }] });
  });

  it('keeps a call it cannot read as text, and a response without a call as the user\'s, and says so', () => {
    const t = importText(jsonl({ chat: 'USER: Go.\n\n\nASSISTANT: <functioncall> not a call <|endoftext|>\n\n\nFUNCTION RESPONSE: {"ok": true}' }), 'g.jsonl').trajectories[0]!;
    expect(t.messages.map((m) => [m.role, m.content])).toEqual([['user', 'Go.'], ['assistant', '<functioncall> not a call'], ['user', '{"ok": true}']]);
    expect(t.problems).toEqual(['g.jsonl:1: chat: turn 2: the function call is neither JSON nor JSON with quoted arguments; kept as text', "g.jsonl:1: chat: turn 3: a function response that answers no call; shown as the user's"]);
  });

  it('reads a prompt of nested braces that are not JSON in linear time, without schemas', () => {
    const t = importText(jsonl({ system: `SYSTEM: ${'{x'.repeat(50_000)}${'}'.repeat(50_000)}`, chat: 'USER: hi\n\n\nASSISTANT: hello' }), 'g.jsonl').trajectories[0]!;
    expect(t.tools).toBeUndefined();
    expect(t.messages).toHaveLength(3);
  });

  it('leaves out a schema nested too deep, whether JSON reads it or not', () => {
    for (const depth of [5_000, 200_000]) {
      const schema = `{"name": "deep", "parameters": {"a": ${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      const t = importText(jsonl({ system: `SYSTEM: functions -\n${schema}\n{"name": "flat", "parameters": {}}`, chat: 'USER: hi\n\n\nASSISTANT: hello' }), 'g.jsonl').trajectories[0]!;
      expect(t.tools!.map((tool) => tool.function.name)).toEqual(['flat']);
    }
  });

  it('is told by a chat text opened by a speaker', () => {
    expect(detectRecord({ system, chat }, 'line')).toBe('glaive-function-calling');
    expect(detectRecord({ chat: 'hello' }, 'line')).toBeNull();
    expect(detectRecord({ chat: 'USER: hi', messages: [] }, 'line')).toBe('messages-jsonl');
  });
});
