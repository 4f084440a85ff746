import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importShareGpt, readToolResponse, readToolResponseExact } from './import-hermes.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';

function settle(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    return { raised: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

/** JSON text as tools write it, with what V8 and Python read differently: floats, big ints, index keys, escapes, spacing. */
const toolJson = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('0', '-0', '7', '-42', '123456789012345', '-123456789012345', '1234567890123456', '99999999999999999999', '1.0', '2.5', '1e5', '-2.5E-3', 'true', 'false', 'null'),
    fc.constantFrom('"plain"', '"caf\\u00e9"', '"café"', '"\\ud83d\\ude00 😀"', '"\\ud800"', '"a\\/b"', '"tab\\tnew\\nline"', '"\\u007f\\u0000"', '"quote \\" back \\\\"', '""'),
    fc.array(tie('value'), { maxLength: 4 }).chain((items) => fc.constantFrom(', ', ',', ' , ').map((sep) => `[${items.join(sep)}]`)),
    fc
      .array(fc.tuple(fc.constantFrom('"a"', '"b"', '"0"', '"1"', '"10"', '"01"', '"-1"', '"4294967295"', '"__proto__"', '"é"', '"😀"', '"exit_code"'), tie('value')), { maxLength: 4 })
      .chain((pairs) => fc.constantFrom(': ', ':', ' : ').map((sep) => `{${pairs.map(([k, v]) => `${k}${sep}${v}`).join(', ')}}`)),
  ),
})).value;

const content = fc.oneof(
  fc.string().map((s) => JSON.stringify(s)),
  fc.json(),
  toolJson,
  fc.constantFrom('1.0', '-1', '1e400', 'NaN', 'null', '"\\ud800"', `"${'5'.repeat(4400)}"`, `${'5'.repeat(4301)}`, '{"exit_code": -1, "error": "x"}'),
);
const id = fc.oneof(fc.string().map((s) => JSON.stringify(s)), fc.constantFrom('null', '7', 'true'));
const field = fc.oneof(
  content.map((c) => `"content": ${c}`),
  id.map((i) => `"tool_call_id": ${i}`),
  id.map((i) => `"name": ${i}`),
  fc.constantFrom('"__proto__": {"content": "x"}', '"extra": [1, 2.0]'),
);
/** `<tool_response>` block texts as hermes-agent writes them, and broken ones. */
const block = fc.oneof(
  fc.array(field, { maxLength: 4 }).map((fields) => `{${fields.join(', ')}}`),
  fc.tuple(fc.array(field, { maxLength: 3 }), fc.constantFrom('', '}', ']', ' x')).map(([fields, tail]) => `{${fields.join(', ')}${tail}`),
  fc.json(),
  fc.string(),
);

describe('readToolResponse', () => {
  it('reads every block as the Python-semantics reader does: same call id and result text, or the same Misfit', () => {
    fc.assert(
      fc.property(block, (inner) => {
        expect(settle(() => readToolResponse(inner, 3, 1))).toEqual(settle(() => readToolResponseExact(inner, 3, 1)));
      }),
      { numRuns: 5000 },
    );
  });
});

/** The one trajectory of a ShareGPT line. */
function importLine(line: Record<string, unknown>): Trajectory {
  return importShareGpt(line, 'x', 0)[0]!;
}

const weatherCall = '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>';
const timeCall = '<tool_call>\n{"name": "get_time", "arguments": {"city": "Oslo"}}\n</tool_call>';

describe('importShareGpt', () => {
  it('keeps a <tool_response> that is the result itself (no content key) as written, paired to its call', () => {
    const t = importLine({
      conversations: [
        { from: 'human', value: 'Weather in Oslo?' },
        { from: 'gpt', value: `<think>I need the weather.</think>\n${weatherCall}` },
        // hermes-function-calling and hermes_reasoning_tool_use write the result, not hermes-agent's wrapper.
        { from: 'tool', value: '<tool_response>\n{"temp": 25.0, "desc": "sunny"}\n</tool_response>' },
        { from: 'gpt', value: 'Sunny, 25 degrees.' },
      ],
    });
    expect(t.messages.slice(1, 3)).toEqual([
      { role: 'assistant', content: '', reasoning_content: 'I need the weather.', tool_calls: [{ id: 'call_2_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_2_0', content: '{"temp": 25.0, "desc": "sunny"}' },
    ]);
    // hermes-agent's own wrapper is still unwrapped and its content dumped as json.dumps would.
    expect(readToolResponse('{"tool_call_id": "a", "name": "t", "content": {"x": 1.0}}', 0, 0)).toEqual({ toolCallId: 'a', name: 't', content: '{"x": 1.0}' });
  });

  it('pairs results in consecutive tool turns with the open calls: by the name a result gives, else in order', () => {
    const line = (names: [string, string]): Record<string, unknown> => ({
      conversations: [
        { from: 'human', value: 'Weather and time in Oslo?' },
        { from: 'gpt', value: `${weatherCall}\n${timeCall}` },
        { from: 'tool', value: `<tool_response>\n{"name": "${names[0]}", "content": "first"}\n</tool_response>` },
        { from: 'tool', value: `<tool_response>\n{"name": "${names[1]}", "content": "second"}\n</tool_response>` },
      ],
    });
    const byOrder = importLine(line(['x', 'x']));
    expect(byOrder.messages[1]!.tool_calls!.map((c) => c.id)).toEqual(['call_2_0', 'call_3_0']);
    expect(byOrder.messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'call_2_0', content: 'first' },
      { role: 'tool', tool_call_id: 'call_3_0', content: 'second' },
    ]);
    const byName = importLine(line(['get_time', 'get_weather']));
    expect(byName.messages[1]!.tool_calls!.map((c) => c.id)).toEqual(['call_3_0', 'call_2_0']);
    expect(deriveAgentResult(byName).result).toMatchObject({ tool_calls_attempted: 2, tool_calls_executed_ok: 2 });
  });

  it('reads the role names other ShareGPT datasets use, a system prompt and tools beside the conversation, and chat messages', () => {
    const toolace = importLine({ system: 'You compose functions.', conversations: [{ from: 'user', value: 'Hi' }, { from: 'assistant', value: 'Hello.' }] });
    expect(toolace.messages).toEqual([{ role: 'system', content: 'You compose functions.' }, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello.' }]);

    // LLaMA-Factory: the call and its result are turns of their own; tools are JSON text.
    const tools = [{ name: 'area', description: 'Area of a shape', parameters: { type: 'object', properties: { side: { type: 'number' } } } }];
    const llamaFactory = importLine({
      conversations: [
        { from: 'system', value: 'Be exact.' },
        { from: 'human', value: 'Area of a square of side 7?' },
        { from: 'function_call', value: '{"name": "area", "arguments": {"side": 7}}' },
        { from: 'observation', value: '{"area": 49}' },
        { from: 'gpt', value: '49.' },
      ],
      system: 'ignored: the conversation has its own',
      tools: JSON.stringify(tools),
    });
    expect(llamaFactory.messages).toEqual([
      { role: 'system', content: 'Be exact.' },
      { role: 'user', content: 'Area of a square of side 7?' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'call_3_0', type: 'function', function: { name: 'area', arguments: '{"side":7}' } }] },
      { role: 'tool', tool_call_id: 'call_3_0', content: '{"area": 49}' },
      { role: 'assistant', content: '49.' },
    ]);
    expect(llamaFactory.tools).toEqual([{ type: 'function', function: tools[0] }]);

    const chat = importLine({
      conversations: [{ role: 'user', content: 'Time?' }, { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { name: 'now', arguments: {} } }] }, { role: 'tool', tool_call_id: 'c1', content: '12:00' }],
      tools: [{ type: 'function', function: { name: 'now' } }],
    });
    expect(chat.messages.map((m) => [m.role, m.tool_calls?.[0]?.function.arguments ?? m.content])).toEqual([['user', 'Time?'], ['assistant', '{}'], ['tool', '12:00']]);
    expect(chat.tools).toEqual([{ type: 'function', function: { name: 'now' } }]);

    expect(() => importLine({ conversations: [{ from: 'bard', value: 'Hi' }] })).toThrow("conversations[0].from: expected system, human, user, gpt, assistant, function_call, tool, observation or function, got 'bard'");
  });

  it('reads ToolBench\'s ReAct turns: Action and Action Input as the call, the function turn as its result', () => {
    const toolbench = importLine({
      id: 'Step 3: quotes',
      conversations: [
        { from: 'system', value: "You are AutoGPT, you can use many tools(functions) to do the following task.\nSpecifically, you have access to the following APIs: [{'name': 'love_quote_for_olato_quotes', 'description': 'It shows \"random\" quotes', 'parameters': {'type': 'object', 'properties': {}, 'required': [], 'optional': []}}, {'name': 'Finish', 'description': \"Give the answer; it's the ONLY part shown\", 'parameters': {'type': 'object', 'properties': {'return_type': {'type': 'string', 'enum': ['give_answer', 'give_up_and_restart']}}, 'required': ['return_type']}}]" },
        { from: 'user', value: '\nGive me a love quote.\nBegin!\n' },
        { from: 'assistant', value: '\nThought: Ask the quotes API.\nAction: love_quote_for_olato_quotes\nAction Input: {}' },
        { from: 'function', value: '{"error": "", "response": "{\'quote\': \'Hold onto each other.\'}"}' },
        { from: 'assistant', value: '\nThought: \nAction: Finish\nAction Input: {\n  "return_type": "give_answer",\n  "final_answer": "Hold onto each other."\n}' },
      ],
    });
    expect(toolbench.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(toolbench.messages[2]).toEqual({ role: 'assistant', content: 'Thought: Ask the quotes API.', tool_calls: [{ id: 'call_3_0', type: 'function', function: { name: 'love_quote_for_olato_quotes', arguments: '{}' } }] });
    expect(toolbench.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_3_0' });
    expect(JSON.parse(toolbench.messages[4]!.tool_calls![0]!.function.arguments)).toEqual({ return_type: 'give_answer', final_answer: 'Hold onto each other.' });
    // The prompt's APIs, a Python list of dicts, are the tools the calls are checked against.
    expect(toolbench.tools!.map((tool) => tool.function.name)).toEqual(['love_quote_for_olato_quotes', 'Finish']);
    expect(toolbench.tools![1]!.function.description).toBe("Give the answer; it's the ONLY part shown");
    expect(deriveAgentResult(toolbench).result).toMatchObject({ turns_used: 2, tool_calls_attempted: 2, tool_calls_schema_valid: 2, tool_calls_executed_ok: 1 });
    // A turn that only talks about actions is text.
    const talk = importLine({ conversations: [{ from: 'user', value: 'What next?' }, { from: 'gpt', value: 'Action: none needed.' }] });
    expect(talk.messages[1]).toEqual({ role: 'assistant', content: 'Action: none needed.' });
  });
});
