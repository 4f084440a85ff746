import { describe, expect, it } from 'vitest';
import type { ChatMessage, ToolCall } from '../model/chat.js';
import { EXPORT_FORMATS, ExportError, createExportWriter, exportText } from './export.js';
import { REPORT_CONTENT_SECURITY_POLICY, escapeHtml } from './export-html.js';
import { codeSpan, fencedBlock } from './export-markdown.js';
import { FOLD_CHARS, prettyJson, trajectoryReport } from './export-report.js';
import { pythonIsoformat } from './export-sharegpt.js';
import { importText } from './import.js';
import type { Trajectory } from './trajectory.js';

const call = (id: string, name: string, args: string): ToolCall => ({ id, type: 'function', function: { name, arguments: args } });

function trajectory(messages: ChatMessage[], extra: Partial<Trajectory> = {}): Trajectory {
  return { id: 'run-1', model: 'hermes-4-70b', messages, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 }, ...extra };
}

const TOOLS = [{ type: 'function' as const, function: { name: 'terminal', description: 'Run a command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } }];
const SAMPLE = trajectory(
  [
    { role: 'user', content: 'List files, then read a.txt' },
    { role: 'assistant', content: 'Looking.', reasoning_content: 'Start with ls.', tool_calls: [call('call_1', 'terminal', '{"command":"ls -la"}'), call('call_2', 'read_file', '{"path": "a.txt", "limit": 1.0}')] },
    { role: 'tool', tool_call_id: 'call_1', content: '{"output": "a.txt\\nb.txt", "exit_code": 0}' },
    { role: 'tool', tool_call_id: 'call_2', content: 'Error: no such file' },
    { role: 'assistant', content: 'Done: a.txt and b.txt — two files.' },
  ],
  { tools: TOOLS },
);
const NOW = new Date(2025, 0, 2, 3, 4, 5, 678);

describe('sharegpt', () => {
  // The expected values were printed by hermes-agent's convert_to_trajectory_format and
  // save_trajectory (Python 3.11, json.dumps(entry, ensure_ascii=False)) for the same messages.
  it('writes the line hermes-agent writes', () => {
    const line = exportText([SAMPLE], 'sharegpt', { now: () => NOW });
    expect(line.endsWith('}\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    expect(line.startsWith('{"conversations": [{"from": "system", "value": "You are a function calling AI model. You are provided with function signatures within <tools> </tools> XML tags.')).toBe(true);
    expect(line.endsWith('}], "timestamp": "2025-01-02T03:04:05.678000", "model": "hermes-4-70b", "completed": true}\n')).toBe(true);
    const { conversations } = JSON.parse(line) as { conversations: Array<{ from: string; value: string }> };
    expect(conversations.map((c) => c.from)).toEqual(['system', 'human', 'gpt', 'tool', 'gpt']);
    expect(conversations[0]!.value).toContain(
      'Here are the available tools:\n<tools>\n[{"name": "terminal", "description": "Run a command", "parameters": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}, "required": null}]\n</tools>\nFor each function call',
    );
    expect(conversations[0]!.value.endsWith("Example:\n<tool_call>\n{'name': <function-name>,'arguments': <args-dict>}\n</tool_call>")).toBe(true);
    expect(conversations[1]!.value).toBe('List files, then read a.txt');
    expect(conversations[2]!.value).toBe(
      '<think>\nStart with ls.\n</think>\nLooking.\n<tool_call>\n{"name": "terminal", "arguments": {"command": "ls -la"}}\n</tool_call>\n<tool_call>\n{"name": "read_file", "arguments": {"path": "a.txt", "limit": 1.0}}\n</tool_call>',
    );
    expect(conversations[3]!.value).toBe(
      '<tool_response>\n{"tool_call_id": "call_1", "name": "terminal", "content": {"output": "a.txt\\nb.txt", "exit_code": 0}}\n</tool_response>\n<tool_response>\n{"tool_call_id": "call_2", "name": "read_file", "content": "Error: no such file"}\n</tool_response>',
    );
    expect(conversations[4]!.value).toBe('<think>\n</think>\nDone: a.txt and b.txt — two files.');
  });

  it('keeps what hermes would drop: the system prompt, malformed arguments, results no call asked for', () => {
    const t = trajectory([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [call('a', 'terminal', '{"command": "ls"'), call('b', 'terminal', '{"x": NaN}')] },
      { role: 'tool', tool_call_id: 'a', content: '[1e400]' },
      { role: 'assistant', content: 'ok' },
      { role: 'tool', content: 'stray' },
      { role: 'session_meta', content: 'not a hermes role' },
    ]);
    const { conversations, completed } = JSON.parse(exportText([t], 'sharegpt')) as { conversations: Array<{ from: string; value: string }>; completed: boolean };
    expect(conversations.map((c) => c.from)).toEqual(['system', 'human', 'gpt', 'tool', 'gpt', 'tool']);
    expect(conversations[0]!.value).toBe('You are terse.');
    expect(conversations[2]!.value).toBe('<think>\n</think>\n<tool_call>\n{"name": "terminal", "arguments": "{\\"command\\": \\"ls\\""}\n</tool_call>\n<tool_call>\n{"name": "terminal", "arguments": "{\\"x\\": NaN}"}\n</tool_call>');
    // Python reads 1e400 as inf and would write Infinity, which no JSON reader accepts: kept as text.
    expect(conversations[3]!.value).toBe('<tool_response>\n{"tool_call_id": "a", "name": "terminal", "content": "[1e400]"}\n</tool_response>');
    expect(conversations[5]!.value).toBe('<tool_response>\n{"tool_call_id": "", "name": "unknown", "content": "stray"}\n</tool_response>');
    expect(completed).toBe(true);
    const back = importText(exportText([t], 'sharegpt'), 'back.jsonl').trajectories[0]!;
    expect(back.messages[2]!.tool_calls!.map((c) => c.function.arguments)).toEqual(['{"command": "ls"', '{"x": NaN}']);
  });

  it('re-exports a hermes line without a second tool prompt', () => {
    const first = exportText([SAMPLE], 'sharegpt', { now: () => NOW });
    const imported = importText(first, 'trajectory_samples.jsonl').trajectories[0]!;
    expect(imported.messages[0]!.content).toContain('<tools>\n[{"name": "terminal"');
    const again = exportText([{ ...imported, tools: TOOLS }], 'sharegpt', { now: () => NOW });
    // Byte for byte but one number: the importer re-serialises arguments, and 1.0 reads back as 1.
    expect(again).toBe(first.replace('\\"limit\\": 1.0}', '\\"limit\\": 1}'));
    expect(again).not.toBe(first);
  });

  it('writes datetime.now().isoformat(): local time, microseconds only when there are some', () => {
    expect(pythonIsoformat(new Date(2025, 11, 31, 23, 59, 58, 7))).toBe('2025-12-31T23:59:58.007000');
    expect(pythonIsoformat(new Date(2025, 0, 1, 0, 0, 0, 0))).toBe('2025-01-01T00:00:00');
  });
});

describe('OpenAI JSONL export', () => {
  it('keeps each message’s chat fields only, so a fine-tuning check finds no unrecognized key', () => {
    const t = trajectory(
      [
        { role: 'user', content: 'q', timestamp: '2025-01-01T00:00:00Z', id: 7 },
        {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          reasoning_content: 'think',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}', parsed: {} }, index: 0 }],
        },
        { role: 'tool', tool_call_id: 'c1', name: 'ls', content: 'a.txt', termination_reason: null },
        { role: 'assistant', content: 'done', weight: 1 },
      ],
      { id: 't' },
    );
    const { messages } = JSON.parse(exportText([t], 'openai-jsonl')) as { messages: unknown[] };
    expect(messages).toEqual([
      { role: 'user', content: 'q' },
      { role: 'assistant', content: null, reasoning_content: 'think', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'ls', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'ls', content: 'a.txt' },
      { role: 'assistant', content: 'done', weight: 1 },
    ]);
    // The trajectory itself is untouched.
    expect(t.messages[0]).toHaveProperty('timestamp');
  });
});

describe('the export writer', () => {
  const ts = [1, 2, 3].map((n) => trajectory([{ role: 'user', content: `q${n}` }, { role: 'assistant', content: `a${n}` }], { id: `t${n}` }));

  it('writes each JSONL line as its trajectory arrives', () => {
    for (const format of ['openai-jsonl', 'sharegpt'] as const) {
      const writer = createExportWriter(format, { now: () => NOW });
      const pieces = ts.map((t) => writer.write(t));
      expect(pieces.map((p) => p.split('\n').length)).toEqual([2, 2, 2]);
      expect(writer.end()).toBe('');
      expect(pieces.join('')).toBe(exportText(ts, format, { now: () => NOW }));
    }
  });

  it('agent-result holds the first trajectory back until it knows whether a second comes', () => {
    const writer = createExportWriter('agent-result');
    expect(writer.write(ts[0]!)).toBe('');
    const both = writer.write(ts[1]!);
    expect(both.split('\n').map((l) => (l ? (JSON.parse(l) as { messages: ChatMessage[] }).messages[0]!.content : ''))).toEqual(['q1', 'q2', '']);
    expect(writer.write(ts[2]!).split('\n')).toHaveLength(2);
    expect(writer.end()).toBe('');

    const single = createExportWriter('agent-result');
    expect(single.write(ts[0]!)).toBe('');
    const pretty = single.end();
    expect(pretty.startsWith('{\n  "messages": [\n')).toBe(true);
    expect(createExportWriter('agent-result').end()).toBe('');
  });

  it('a report takes one trajectory and says how to pick one from several', () => {
    expect(() => exportText(ts, 'html')).toThrow(new ExportError('html exports one trajectory, and the input holds 3: pick one with --index N (from 0; --list shows them)'));
    const writer = createExportWriter('markdown');
    expect(writer.write(ts[0]!)).toBe('');
    expect(() => writer.write(ts[1]!)).toThrow('markdown exports one trajectory, and the input holds more than one: pick one with --index N');
    expect(() => exportText([], 'markdown')).toThrow('markdown exports one trajectory, and the input holds none');
    expect(exportText([], 'openai-jsonl')).toBe('');
  });

  it('refuses, as an ExportError, a trajectory nested too deep for JSON.stringify', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    const t = trajectory([{ role: 'user', content: deep }, { role: 'assistant', content: 'ok' }], { id: 'deep' });
    for (const format of EXPORT_FORMATS) {
      expect(() => exportText([t], format), format).toThrow(new ExportError(`${format} cannot write trajectory deep: Maximum call stack size exceeded (nested too deep, or too long, for JSON)`));
    }
  });

  it('knows every format', () => {
    expect(EXPORT_FORMATS).toEqual(['agent-result', 'openai-jsonl', 'sharegpt', 'html', 'markdown']);
  });
});

// --- reports -------------------------------------------------------------------------------------

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const LONG = `${'x'.repeat(FOLD_CHARS)}\nend`;
const REPORTED = trajectory(
  [
    { role: 'system', content: `system ${HOSTILE}` },
    { role: 'user', content: 'Fix it. ```` four backticks' },
    { role: 'assistant', content: `Trying ${HOSTILE}`, reasoning_content: 'Think first; `code` and ``` fences.', tool_calls: [call('c1', 'terminal', '{"command": "make", "n": 12345678901234567890}'), call('c2', `evil${HOSTILE}`, 'not json')] },
    { role: 'tool', tool_call_id: 'c1', content: '{"exit_code": -1, "error": "make: *** No rule to make target"}' },
    { role: 'tool', tool_call_id: 'c2', content: LONG },
    { role: 'assistant', content: 'Gave up.' },
  ],
  { id: `id${HOSTILE}`, model: `model${HOSTILE}`, recorded: { turns_used: 7 } },
);

describe('the report', () => {
  it('pairs calls with results and classifies them with the engine rules', () => {
    const r = trajectoryReport(REPORTED);
    const turns = r.entries.filter((e) => e.kind === 'turn');
    expect(turns.map((t) => t.turn)).toEqual([1, 2]);
    expect(turns[0]!.calls.map((c) => [c.name?.slice(0, 8), c.status, c.error])).toEqual([
      ['terminal', 'error_result', 'make: *** No rule to make target'],
      ['evil<scr', 'ok', null],
    ]);
    expect(turns[0]!.reasoning).toBe('Think first; `code` and ``` fences.');
    expect(r.fields.find((f) => f.field === 'turns_used')).toEqual({ field: 'turns_used', value: 7, origin: 'recorded', derivedValue: 2 });
    expect(r.fields.find((f) => f.field === 'tool_calls_exec_error')).toEqual({ field: 'tool_calls_exec_error', value: 1, origin: 'derived' });
    expect(r.toolErrors.map((e) => e.error)).toEqual(['make: *** No rule to make target']);
  });

  it('re-indents JSON without touching numbers or escapes, and leaves other text alone', () => {
    expect(prettyJson('{"n":12345678901234567890,"s":"a\\u0041 \\"q\\"","e":[],"o":{},"l":[1,{"x":true}]}')).toBe(
      '{\n  "n": 12345678901234567890,\n  "s": "a\\u0041 \\"q\\"",\n  "e": [],\n  "o": {},\n  "l": [\n    1,\n    {\n      "x": true\n    }\n  ]\n}',
    );
    expect(prettyJson('  [ 1 , 2 ] ')).toBe('[\n  1,\n  2\n]');
    expect(prettyJson('"just a string"')).toBeNull();
    expect(prettyJson('{"a": ')).toBeNull();
    expect(prettyJson('12')).toBeNull();
    expect(prettyJson(`${'['.repeat(100)}${']'.repeat(100)}`)).toBeNull();
  });
});

describe('html', () => {
  const html = exportText([REPORTED], 'html');

  it('is one page with no script, nothing to load, and the policy that forbids both', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}">`);
    expect(REPORT_CONTENT_SECURITY_POLICY).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'article', 'body', 'code', 'details', 'div', 'h1', 'h2', 'h3', 'h4', 'head', 'header', 'html', 'li', 'meta', 'ol', 'p', 'pre', 'section', 'span', 'style', 'summary', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr']);
    expect(html).not.toMatch(/<[^>]*\s(?:on\w+|src|href)=/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain(`<title>Trajectory id${escapeHtml(HOSTILE)}</title>`);
    expect(html).toContain('@media (prefers-color-scheme: dark)');
  });

  it('marks each AgentResult field recorded or derived', () => {
    expect(html).toContain(`<tr><th><code>turns_used</code></th><td>7 (the engine's rules derive 2)</td><td><span class="origin recorded">recorded</span></td></tr>`);
    expect(html).toContain('<tr><th><code>tool_calls_attempted</code></th><td>2</td><td><span class="origin derived">derived</span></td></tr>');
  });

  it('shows reasoning apart, pretty arguments, and a failed call with its error', () => {
    expect(html).toContain('<div class="reasoning"><h4>Reasoning</h4><pre>Think first; `code` and ``` fences.</pre></div>');
    expect(html).toContain('<pre>{\n  &quot;command&quot;: &quot;make&quot;,\n  &quot;n&quot;: 12345678901234567890\n}</pre>');
    expect(html).toMatch(/<div class="call failed"><h4>Tool call 1: <code>terminal<\/code> <code>c1<\/code> <span class="status failed">error<\/span><\/h4>\n<p class="error-text">Error: make: \*\*\* No rule to make target<\/p>/);
    expect(html.match(/class="call failed"/g)).toHaveLength(1);
  });

  it('marks hidden characters as the app does, escaped, each run isolated', () => {
    const t: Trajectory = { ...REPORTED, messages: [{ role: 'user', content: 'open invoice\u202eFDP.exe' }, { role: 'assistant', content: `Done.${[...'run <rm>'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')}` }] };
    const page = exportText([t], 'html');
    expect(page).toContain('<pre>open invoice<span class="hidden-chars" title="U+202E RIGHT-TO-LEFT OVERRIDE (reorders the text after it)" data-label="RLO">\u202e</span>FDP.exe</pre>');
    expect(page).toContain('title="8 Unicode tag characters (U+E0072…), which show as nothing and spell &quot;run &lt;rm&gt;&quot;" data-label="tags: run &lt;rm&gt;"');
    expect(page).toContain('.hidden-chars { unicode-bidi: isolate; }');
  });

  it('folds a long result in <details> whose summary gives its size', () => {
    expect(html).toContain(`<details><summary>Result: 4,004 characters, 2 lines</summary><pre>${'x'.repeat(FOLD_CHARS)}\nend</pre></details>`);
    expect(html).not.toMatch(/<details><summary>Arguments/);
  });
});

describe('markdown', () => {
  const markdown = exportText([REPORTED], 'markdown');

  it('fences every text with more backticks than it holds', () => {
    expect(fencedBlock('a ```` b')).toBe('`````text\na ```` b\n`````');
    expect(fencedBlock('plain\n', 'json')).toBe('```json\nplain\n```');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('two\nlines')).toBe('`two lines`');
    expect(markdown).toContain('`````text\nFix it. ```` four backticks\n`````');
    expect(markdown).toContain('**Reasoning**\n\n````text\nThink first; `code` and ``` fences.\n````');
  });

  it('puts the title, the fields with their source, and the failed call with its error', () => {
    expect(markdown.startsWith(`# Trajectory \`id${HOSTILE}\`\n\n- Model: \`model${HOSTILE}\`\n- Format: a JSON list of chat messages (\`chat-messages\`), trajectory 0 of its file\n`)).toBe(true);
    expect(markdown).toContain("| `turns_used` | 7 (the engine's rules derive 2) | recorded |");
    expect(markdown).toContain('| `tool_calls_exec_error` | 1 | derived |');
    expect(markdown).toContain('#### Tool call 1: `terminal` (`c1`), **error**\n\n> **Error:**\n> \n> ```text\n> make: *** No rule to make target\n> ```');
    expect(markdown).toContain('**Result** (4,004 characters, 2 lines)\n\n```text\n');
    // No text from the file outside code: the hostile HTML only ever appears in spans and fences.
    const outsideCode = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)[^`]*?\1/g, '');
    expect(outsideCode).not.toContain('<script>');
  });
});
