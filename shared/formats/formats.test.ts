import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { exportText } from './export.js';
import { detectFormat, FormatError, importText, jsonErrorOffset, lineColumn } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { corpusPath } from '../../electron/testing/corpus.js';

const readCorpus = (name: string): string => readFileSync(corpusPath(name), 'utf8');

const HERMES = 'hermes-agent_session_export.jsonl';
const MINI = 'mini-swe-agent_github_issue.traj.json';

function totals(trajectories: Trajectory[]) {
  const sum = { turns: 0, toolCalls: 0, attempted: 0, schemaValid: 0, ok: 0, execError: 0, toolErrors: 0, finished: 0, messages: 0 };
  for (const t of trajectories) {
    const r = deriveAgentResult(t).result;
    sum.turns += r.turns_used;
    sum.toolCalls += t.messages.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0);
    sum.attempted += r.tool_calls_attempted;
    sum.schemaValid += r.tool_calls_schema_valid;
    sum.ok += r.tool_calls_executed_ok;
    sum.execError += r.tool_calls_exec_error;
    sum.toolErrors += r.tool_errors.length;
    sum.finished += r.finished_naturally ? 1 : 0;
    sum.messages += t.messages.length;
  }
  return sum;
}

describe('the corpus', () => {
  it('imports the hermes-agent session export: 19 sessions, 125 tool calls, 9 failed', () => {
    const { format, trajectories, problems } = importText(readCorpus(HERMES), HERMES);
    expect(format).toBe('hermes-session-jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(19);
    // 303 exported messages, 2 of them session_meta (skipped); 143 assistant, 125 tool, 33 user;
    // and 17 system prompts, which the export keeps beside the messages.
    expect(totals(trajectories)).toEqual({ turns: 143, toolCalls: 125, attempted: 125, schemaValid: 125, ok: 116, execError: 9, toolErrors: 0, finished: 18, messages: 318 });
    const first = trajectories[0]!;
    expect(first).toMatchObject({ id: '20260219_201205_876b30', model: 'anthropic/claude-opus-4.6', reward: null, recorded: {}, source: { format: 'hermes-session-jsonl', index: 0 } });
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const lines = readCorpus(HERMES).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { system_prompt: string | null; end_reason: string | null });
    expect(first.messages[0]!.content).toBe(lines[0]!.system_prompt);
    expect(trajectories.filter((t) => t.messages[0]!.role === 'system')).toHaveLength(17);
    expect(trajectories.map((t) => t.stopReason)).toEqual(lines.map((l) => l.end_reason));
    expect(trajectories.flatMap((t) => t.messages).some((m) => m.role === 'session_meta')).toBe(false);
    const second = trajectories[1]!;
    expect(second.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'user']);
    expect(second.messages[2]!.tool_calls![0]).toMatchObject({ id: 'toolu_bdrk_01TX67rXMKuA7ZSeuohykvxn', type: 'function', function: { name: 'clarify' } });
    expect(second.messages[3]).toEqual({ role: 'tool', tool_call_id: 'toolu_bdrk_01TX67rXMKuA7ZSeuohykvxn', content: expect.stringContaining('"user_response": "It works!"') });
    const derived = deriveAgentResult(second);
    expect(derived.recorded).toEqual([]);
    expect(derived.derived).toContain('tool_calls_attempted');
    expect(derived.result).toMatchObject({ turns_used: 2, finished_naturally: true, tool_calls_attempted: 1, tool_calls_executed_ok: 1, reasoning_per_turn: [null, null] });
    // The biggest session: 199 exported messages (one of them session_meta), 95 tool calls.
    expect(trajectories[13]!.messages).toHaveLength(198);
    expect(totals([trajectories[13]!]).toolCalls).toBe(95);
  });

  it('imports the mini-swe-agent bare list of chat messages: 22 messages, 10 turns, no tool calls', () => {
    const { format, trajectories } = importText(readCorpus(MINI), MINI);
    expect(format).toBe('chat-messages');
    expect(trajectories).toHaveLength(1);
    expect(trajectories[0]).toMatchObject({ id: 'mini-swe-agent_github_issue', model: null, reward: null });
    expect(totals(trajectories)).toMatchObject({ turns: 10, toolCalls: 0, attempted: 0, finished: 1, messages: 22 });
  });

  it.each([
    ['openhands_basic.json', 'openhands-events'],
    ['swe-agent_function_calling_simple.traj', 'swe-agent-traj'],
    ['swe-agent_marshmallow-1867_function_calling_replace.traj', 'swe-agent-traj'],
    ['inspect-ai_security-guide.json', 'inspect-log'],
    ['inspect-ai_log_tool_call_error.json', 'inspect-log'],
  ])('recognises %s as %s from its first record', (name, format) => {
    expect(detectFormat(readCorpus(name), name)).toBe(format);
  });

  it('recognises the .eval zip from its first bytes', () => {
    expect(detectFormat(readFileSync(corpusPath('inspect-ai_log_streaming.eval'), 'latin1').slice(0, 100))).toBe('inspect-eval');
  });
});

describe('jsonErrorOffset', () => {
  it('finds where V8 does not say', () => {
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('[1,]')).toBe(3);
    expect(jsonErrorOffset('{"a": "x\\q"}')).toBe(9);
    expect(jsonErrorOffset('{"a": [1, {"b": null}]}')).toBeNull();
  });
});

describe('detectFormat', () => {
  it('tells the formats apart from content', () => {
    expect(detectFormat('[{"role": "user"}]')).toBe('chat-messages');
    expect(detectFormat('{"messages": [], "turns_used": 0}')).toBe('agent-result');
    expect(detectFormat('{"messages": []}\n{"messages": []}\n')).toBe('messages-jsonl');
    expect(detectFormat('{"messages": []}\n', 'a.jsonl')).toBe('messages-jsonl');
    expect(detectFormat('{"conversations": [], "model": "m"}\n', 'a.jsonl')).toBe('hermes-sharegpt-jsonl');
    expect(detectFormat('{"id": "s", "started_at": 1, "end_reason": null, "messages": []}\n{"id"', 'x.jsonl')).toBe('hermes-session-jsonl');
    expect(detectFormat('hello')).toBeNull();
    expect(detectFormat('{"foo": 1}')).toBeNull();
  });
});

describe('bad input', () => {
  it('reports bad JSONL lines as FILE:LINE and imports the good ones', () => {
    const lines = readCorpus(HERMES).split('\n');
    const session = JSON.parse(lines[4]!) as Record<string, unknown>;
    const mixed = [lines[0], lines[1], 'not json at all', lines[2], lines[3]!.slice(0, 200), JSON.stringify({ ...session, messages: 5 }), '', ...lines.slice(5)].join('\n');
    const { trajectories, problems } = importText(mixed, 'mixed.jsonl');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('mixed.jsonl:3: not valid JSON at column 1: Unexpected token \'o\', "not json at all" is not valid JSON');
    expect(problems[1]).toMatch(/^mixed\.jsonl:5: not valid JSON at column \d+: /);
    expect(problems[2]).toBe('mixed.jsonl:6: messages: Invalid input: expected array, received number');
    // 19 sessions, minus the truncated line 3 and the broken session 4.
    expect(trajectories.map((t) => t.id)).toEqual(
      lines.filter((l) => l.trim()).map((l) => (JSON.parse(l) as { id: string }).id).filter((_, i) => i !== 3 && i !== 4),
    );
  });

  it('reports a bad message inside a messages JSONL line with its field', () => {
    const text = ['{"messages": [{"role": "user", "content": "hi"}]}', '{"messages": [{"content": "no role"}]}', '{"messages": [[{"role": "user"}], [{"role": "user"}]], "scores": [1, 0.5]}'].join('\n');
    const { trajectories, problems } = importText(text, 'rl.jsonl');
    expect(problems).toEqual(['rl.jsonl:2: messages[0].role: Invalid input: expected string, received undefined']);
    expect(trajectories.map((t) => [t.id, t.reward])).toEqual([['rl:1', null], ['rl:3.0', 1], ['rl:3.1', 0.5]]);
  });

  it('names the line and column where truncated JSON ends', () => {
    const text = readCorpus(MINI);
    const cut = text.slice(0, text.indexOf('\n  {', 4000) + 1);
    const { line, column } = lineColumn(cut, cut.length);
    expect(line).toBeGreaterThan(1);
    expect(() => importText(cut, 'cut.json')).toThrow(new RegExp(`^cut\\.json: not valid JSON at line ${line}, column ${column}: `));
  });

  it('names the first thing that does not fit', () => {
    expect(() => importText('[{"role": "user"}, {"role": 3}]', 'x.json')).toThrow('x.json (looked like a JSON list of chat messages): [1].role: Invalid input: expected string, received number');
    expect(() => importText('{"foo": 1}', 'y.json')).toThrow(FormatError);
    expect(() => importText('', 'empty.json')).toThrow('empty.json: not a known trajectory format: it is empty');
    expect(() => importText('not json\n', 'z.jsonl')).toThrow('z.jsonl: not a known trajectory format: it is not JSON or JSONL');
    // Valid JSON that is not an object or a list is told for what it is, not as "not JSON".
    expect(() => importText('"a saved transcript"', 's.json')).toThrow('s.json: not a known trajectory format: it (a string) has none of messages, conversations or a list of chat messages');
    expect(() => importText('42\n', 'n.json')).toThrow('n.json: not a known trajectory format: it (a number) has none of messages, conversations or a list of chat messages');
    expect(() => importText('{"messages": 1}\n{"messages": 2}\n', 'all-bad.jsonl')).toThrow(/^all-bad\.jsonl \(looked like JSONL of objects with messages\): no line could be imported; first: all-bad\.jsonl:1: messages: /);
  });
});

// --- hermes ShareGPT ------------------------------------------------------------------------------

/** A hermes ShareGPT line as hermes-agent's `_convert_to_trajectory_format` writes it. */
function shareGptLine(messages: ChatMessage[], tools: string[], extra: Record<string, unknown> = {}): string {
  const conversations: Array<{ from: string; value: string }> = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'system') {
      const schemas = tools.map((name) => ({ type: 'function', function: { name, description: name, parameters: { type: 'object' } } }));
      conversations.push({ from: 'system', value: `${String(m.content)}\n<tools>\n${JSON.stringify(schemas)}\n</tools>` });
    } else if (m.role === 'user') {
      conversations.push({ from: 'human', value: String(m.content) });
    } else if (m.role === 'assistant') {
      let value = `<think>\n${m.reasoning_content ?? ''}\n</think>\n${String(m.content)}`;
      for (const call of m.tool_calls ?? []) value += `\n<tool_call>\n${JSON.stringify({ name: call.function.name, arguments: JSON.parse(call.function.arguments) })}\n</tool_call>`;
      conversations.push({ from: 'gpt', value });
      const responses: string[] = [];
      for (const call of m.tool_calls ?? []) {
        const result = messages[++i]!;
        let content: unknown = result.content;
        try {
          content = JSON.parse(String(result.content));
        } catch {
          // kept as text
        }
        responses.push(`<tool_response>\n${JSON.stringify({ tool_call_id: result.tool_call_id, name: call.function.name, content })}\n</tool_response>`);
      }
      if (responses.length) conversations.push({ from: 'tool', value: responses.join('\n') });
    }
  }
  return JSON.stringify({ conversations, timestamp: '2025-01-01T00:00:00', model: 'hermes-test', completed: true, ...extra });
}

describe('hermes ShareGPT JSONL', () => {
  const call = (id: string, name: string, args: unknown): ToolCall => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a function calling AI model.' },
    { role: 'user', content: 'List the files, then read one.' },
    { role: 'assistant', content: 'Listing.', reasoning_content: 'I should look first.', tool_calls: [call('call_1', 'terminal', { command: 'ls' }), call('call_2', 'read_file', { path: 'a' })] },
    // Tool results as hermes-agent's tools write them (json.dumps), the layout the importer restores.
    { role: 'tool', tool_call_id: 'call_1', content: '{"output": "a b", "exit_code": 0}' },
    { role: 'tool', tool_call_id: 'call_2', content: '{"error": "no such file"}' },
    { role: 'assistant', content: 'Done: a and b.' },
  ];

  it('maps think blocks, tool calls and merged tool responses back onto chat messages', () => {
    const text = [shareGptLine(messages, ['terminal', 'read_file']), shareGptLine(messages.slice(0, 2).concat({ role: 'assistant', content: 'ok' }), [], { completed: false, api_calls: 1 })].join('\n');
    const { format, trajectories, problems } = importText(text, 'trajectory_samples.jsonl');
    expect(format).toBe('hermes-sharegpt-jsonl');
    expect(problems).toEqual([]);
    const system = trajectories[0]!.messages[0]!;
    expect(trajectories[0]!.messages.slice(1)).toEqual(messages.slice(1));
    expect(String(system.content)).toContain('<tools>');
    expect(trajectories[0]).toMatchObject({ model: 'hermes-test', recorded: { finished_naturally: true } });
    expect(deriveAgentResult(trajectories[0]!).result).toMatchObject({
      turns_used: 2, finished_naturally: true, tool_calls_attempted: 2, tool_calls_executed_ok: 1, tool_calls_exec_error: 1, reasoning_per_turn: ['I should look first.', null],
    });
    expect(trajectories[1]!.recorded).toEqual({ finished_naturally: false, turns_used: 1 });
    expect(deriveAgentResult(trajectories[1]!).recorded).toEqual(['turns_used', 'finished_naturally']);
  });

  it('imports a batch-runner line: extra fields ignored, model from metadata, id from prompt_index', () => {
    const batch = JSON.parse(shareGptLine(messages, ['terminal', 'read_file'])) as Record<string, unknown>;
    delete batch.model;
    delete batch.timestamp;
    const line = JSON.stringify({
      prompt_index: 42, ...batch, metadata: { batch_num: 2, timestamp: '2026-01-15T10:30:00', model: 'anthropic/claude-sonnet-4.6' },
      completed: true, partial: false, api_calls: 3, toolsets_used: ['terminal', 'file'],
      tool_stats: { terminal: { count: 1, success: 1, failure: 0 }, read_file: { count: 1, success: 0, failure: 1 } }, tool_error_counts: { terminal: 0, read_file: 1 },
    });
    const { trajectories, problems } = importText(line + '\n', 'trajectories.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories).toHaveLength(1);
    expect(trajectories[0]).toMatchObject({ id: 'trajectories:1#42', model: 'anthropic/claude-sonnet-4.6', recorded: { finished_naturally: true, turns_used: 3 } });
    expect(trajectories[0]!.messages.slice(1)).toEqual(messages.slice(1));
  });

  it('imports a compressed line: the [CONTEXT SUMMARY]: human turn is a user message', () => {
    const summary = '[CONTEXT SUMMARY]: The user asked for the files; a and b were listed, reading a failed.';
    const line = JSON.parse(shareGptLine(messages, ['terminal', 'read_file'])) as { conversations: Array<{ from: string; value: string }> };
    // hermes' compressor keeps the head (system, first human turn) and the tail and summarises the middle.
    line.conversations.splice(2, 2, { from: 'human', value: summary });
    const { trajectories, problems } = importText(JSON.stringify(line), 'compressed.jsonl');
    expect(problems).toEqual([]);
    expect(trajectories[0]!.messages.map((m) => m.role)).toEqual(['system', 'user', 'user', 'assistant']);
    expect(trajectories[0]!.messages[2]).toEqual({ role: 'user', content: summary });
    expect(deriveAgentResult(trajectories[0]!).result).toMatchObject({ turns_used: 1, tool_calls_attempted: 0, finished_naturally: true });
  });

  it("takes the system turn's <tools> list as the trajectory's tools, as hermes writes it", () => {
    const hermesTools = [
      { name: 'terminal', description: 'Run a shell command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] }, required: null },
      { name: 'read_file', description: '', parameters: {}, required: null },
    ];
    const line = (tools: string): string => JSON.stringify({ conversations: [{ from: 'system', value: `You are a function calling AI model.\n<tools>\n${tools}\n</tools>` }, { from: 'human', value: 'hi' }, { from: 'gpt', value: '<think>\n</think>\nhello' }], model: 'm', completed: true });
    const { trajectories } = importText([line(JSON.stringify(hermesTools)), line('[{"name": broken')].join('\n'), 'samples.jsonl');
    expect(trajectories[0]!.tools).toEqual([
      { type: 'function', function: { name: 'terminal', description: 'Run a shell command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } },
      { type: 'function', function: { name: 'read_file', description: '', parameters: {} } },
    ]);
    // A list that does not parse leaves the tools unrecorded; the line still imports.
    expect(trajectories[1]!.tools).toBeUndefined();
    expect(trajectories[1]!.messages).toHaveLength(3);
  });

  it("finds the tool list in hermes-agent's own prompt, which names <tools> </tools> in prose first", () => {
    const tools = [{ name: 'terminal', description: 'Run a command', parameters: { type: 'object' }, required: null }];
    const system = `You are a function calling AI model. You are provided with function signatures within <tools> </tools> XML tags. Here are the available tools:\n<tools>\n{"not": "a list"}\n</tools>\n<tools>\n${JSON.stringify(tools)}\n</tools>\nEach function call should be enclosed within <tool_call> </tool_call> XML tags.`;
    const line = JSON.stringify({ conversations: [{ from: 'system', value: system }, { from: 'human', value: 'hi' }] });
    expect(importText(line, 'samples.jsonl').trajectories[0]!.tools).toEqual([{ type: 'function', function: { name: 'terminal', description: 'Run a command', parameters: { type: 'object' } } }]);
  });

  it('cuts each <tool_call> block from its opening tag to the first closing tag, leaving unclosed tags in the text', () => {
    const value = '<think>\n</think>\nbefore\n<tool_call>\n{"name": "a", "arguments": {"x": 1}}\n</tool_call>\nmiddle <tool_call>{"name": "b", "arguments": "raw"}</tool_call> after </tool_call> <tool_call> unclosed';
    const line = JSON.stringify({ conversations: [{ from: 'human', value: 'go' }, { from: 'gpt', value }] });
    const message = importText(line, 'samples.jsonl').trajectories[0]!.messages[1]!;
    expect(message.content).toBe('before\n\nmiddle  after </tool_call> <tool_call> unclosed');
    expect(message.tool_calls!.map((c) => [c.function.name, c.function.arguments])).toEqual([['a', '{"x":1}'], ['b', 'raw']]);
  });

  it('reports a broken tool call with its line and turn', () => {
    const bad = JSON.stringify({ conversations: [{ from: 'human', value: 'x' }, { from: 'gpt', value: '<think>\n</think>\nhi\n<tool_call>\n{"name": oops}\n</tool_call>' }] });
    const { problems, trajectories } = importText([shareGptLine(messages, ['terminal', 'read_file']), bad].join('\n'), 'failed_trajectories.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual(['failed_trajectories.jsonl:2: conversations[1]: tool call 1 is not valid JSON']);
  });
});

// --- round trips ------------------------------------------------------------------------------------

const text = fc.string({ maxLength: 20 });
const toolName = fc.constantFrom('terminal', 'read_file', 'search');
const args = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 10 }), fc.integer())).map((d) => JSON.stringify(d)),
  fc.string({ maxLength: 10 }),
);
const toolResult = fc.oneof(text, fc.constantFrom('{"error": "boom"}', '{"exit_code": -1}', '{"exit_code": 0, "output": "ok"}', '{"error": "Tool execution failed: ValueError: bad"}'));
const turn = fc.record({
  content: text,
  reasoning: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
  calls: fc.array(fc.record({ name: toolName, args, result: toolResult }), { maxLength: 3 }),
});
const trajectoryArb = fc.record({ user: text, turns: fc.array(turn, { maxLength: 4 }) }).map(({ user, turns }): Trajectory => {
  const messages: ChatMessage[] = [{ role: 'system', content: 'sys' }, { role: 'user', content: user }];
  turns.forEach((t, i) => {
    const message: ChatMessage = { role: 'assistant', content: t.content };
    if (t.reasoning !== undefined) message.reasoning_content = t.reasoning;
    if (t.calls.length) message.tool_calls = t.calls.map((c, k) => ({ id: `call_${i}_${k}`, type: 'function', function: { name: c.name, arguments: c.args } }));
    messages.push(message);
    t.calls.forEach((c, k) => messages.push({ role: 'tool', tool_call_id: `call_${i}_${k}`, content: c.result }));
  });
  return { id: 't', model: null, messages, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } };
});

describe('round trips', () => {
  it('import(export(t)) keeps messages and the AgentResult, for agent-result', () => {
    fc.assert(
      fc.property(fc.array(trajectoryArb, { minLength: 1, maxLength: 3 }), (ts) => {
        const name = ts.length === 1 ? 'out.json' : 'out.jsonl';
        const back = importText(exportText(ts, 'agent-result'), name).trajectories;
        expect(back.map((t) => t.messages)).toEqual(ts.map((t) => t.messages));
        expect(back.map((t) => deriveAgentResult(t).result)).toEqual(ts.map((t) => deriveAgentResult(t).result));
        expect(back.every((t) => deriveAgentResult(t).derived.length === 0)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('import(export(t)) keeps messages and the derived AgentResult, for openai-jsonl', () => {
    fc.assert(
      fc.property(fc.array(trajectoryArb, { minLength: 1, maxLength: 3 }), (ts) => {
        const back = importText(exportText(ts, 'openai-jsonl'), 'out.jsonl');
        expect(back.format).toBe('messages-jsonl');
        expect(back.trajectories.map((t) => t.messages)).toEqual(ts.map((t) => t.messages));
        expect(back.trajectories.map((t) => deriveAgentResult(t).result)).toEqual(ts.map((t) => deriveAgentResult(t).result));
      }),
      { numRuns: 150 },
    );
  });

  it('writes the tools a trajectory was offered beside its messages in openai-jsonl, and reads them back', () => {
    const terminal = { type: 'function' as const, function: { name: 'terminal', description: 'Run a command.', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } };
    const t: Trajectory = { id: 't', model: null, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 }, tools: [terminal], messages: [{ role: 'user', content: 'ls' }, { role: 'assistant', content: 'done' }] };
    const text = exportText([t], 'openai-jsonl');
    expect(JSON.parse(text)).toEqual({ messages: t.messages, tools: [terminal] });
    expect(importText(text, 'sft.jsonl').trajectories[0]!.tools).toEqual([terminal]);
    expect(JSON.parse(exportText([{ ...t, tools: undefined }], 'openai-jsonl'))).toEqual({ messages: t.messages });
  });

  it('round-trips the hermes corpus through both export formats', () => {
    const { trajectories } = importText(readCorpus(HERMES), HERMES);
    const viaResult = importText(exportText(trajectories, 'agent-result'), 'r.jsonl').trajectories;
    const viaOpenAi = importText(exportText(trajectories, 'openai-jsonl'), 'o.jsonl').trajectories;
    expect(viaResult.map((t) => t.messages)).toEqual(trajectories.map((t) => t.messages));
    expect(viaOpenAi.map((t) => t.messages)).toEqual(trajectories.map((t) => t.messages));
    expect(totals(viaResult)).toEqual(totals(trajectories));
  });
});

describe('deriveAgentResult', () => {
  it('classifies unknown tools, exceptions and schema validity with the engine rules', () => {
    const t: Trajectory = {
      id: 'x', model: null, reward: null, recorded: { turns_used: 7 }, source: { format: 'chat-messages', index: 0 },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: '', reasoning_details: [{ text: 'hmm' }], tool_calls: [{ id: 'a', type: 'function', function: { name: 'terminal', arguments: '{"command": " "}' } }, { id: 'b', type: 'function', function: { name: 'nope', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: '{"error": "Tool execution failed: ValueError: bad"}' },
        { role: 'tool', tool_call_id: 'b', content: 'x' },
      ],
    };
    const d = deriveAgentResult(t, ['terminal']);
    expect(d.recorded).toEqual(['turns_used']);
    expect(d.result).toMatchObject({ turns_used: 7, finished_naturally: false, tool_calls_attempted: 1, tool_calls_schema_valid: 0, tool_calls_executed_ok: 0, tool_calls_exec_error: 2, reasoning_per_turn: ['hmm'] });
    expect(d.result.tool_errors.map((e) => [e.tool_name, e.error])).toEqual([['terminal', 'ValueError: bad'], ['nope', "Unknown tool 'nope'"]]);
  });
});
