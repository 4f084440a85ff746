/**
 * import(export(t)) keeps a trajectory, for every export format that an importer reads back.
 *
 * What each format carries:
 * - `agent-result`: the messages exactly and every AgentResult field (recorded on the way back);
 *   not the id, model or reward (the reference AgentResult has no such fields).
 * - `openai-jsonl`: the messages' chat fields exactly (`openAiChatMessage`); nothing else.
 * - `sharegpt` (hermes-agent's layout) carries less, and the expected messages are normalised for
 *   exactly that, in {@link shareGptView}:
 *   - roles other than system, user, assistant and tool are not written; messages keep only role,
 *     content, reasoning, tool calls (name and arguments) and tool results (id and content);
 *   - assistant text is trimmed (hermes strips the turn; the importer trims it), and a text that
 *     is only whitespace is empty;
 *   - reasoning is kept when it has more than whitespace;
 *   - tool call ids are not in `gpt` turns: the importer gives the k-th call the id of the k-th
 *     tool response after it (none when there is no k-th response);
 *   - tool call arguments and tool results that are JSON objects or arrays are written parsed
 *     (as hermes does); arguments come back re-serialised by `JSON.stringify` (same value, compact
 *     text), tool results as Python's `json.dumps` writes them (same value, floats and big ints
 *     as written, Python's default layout: so a result the reference loop wrote comes back byte
 *     for byte);
 *   - the model is kept; the id is not (it becomes FILE:LINE);
 *   - recorded tools are written in a generated system turn (unless a system message already lists
 *     them) and come back with name, description (empty when none) and parameters (`{}` when
 *     none), first of each name; the generated turn stays a system message.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AssistantReply, ChatMessage } from '../model/chat.js';
import { extractReasoning } from '../loop/reasoning.js';
import { pyJsonDumps, pyJsonLoads } from '../python/json.js';
import { pyStrip } from '../python/str.js';
import type { PyValue } from '../python/value.js';
import { EXPORT_FORMATS, exportText, openAiChatMessage } from './export.js';
import { hermesToolsPrompt } from './export-sharegpt.js';
import { FormatError, importBytes, importText, type ImportResult } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { CORPUS_DIR, corpusPath } from '../../electron/testing/corpus.js';


// --- generated trajectories --------------------------------------------------------------------

const plainText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '  padded  ', 'a < b & "c" \'d\'', '```js\nx\n```', 'line 1\nline 2', 'ünïcödé ✓ 😀') },
);
// User and system text is carried verbatim by every format: any UTF-16, lone surrogates included.
const anyText = fc.oneof(plainText, fc.string({ unit: 'binary', maxLength: 20 }));
const toolName = fc.constantFrom('terminal', 'read_file', 'search');
const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const args = fc.tuple(jsonObject, fc.constantFrom(undefined, 1, 2)).map(([value, indent]) => JSON.stringify(value, null, indent));
const toolResult = fc.oneof(
  plainText,
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  fc.constantFrom('{"error": "boom"}', '{"exit_code": -1}', '{"exit_code": 0, "output": "ok"}', '{"error": "Tool execution failed: ValueError: bad"}', '  [1, 2.5, "x"]  ', '{not json', '[1, 2', '[1e400]', '{"a": NaN}'),
);
const turnArb = fc.record({
  content: plainText,
  reasoning: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
  calls: fc.array(fc.record({ name: toolName, args, result: toolResult }), { maxLength: 3 }),
  // Results recorded for the calls (a cut trajectory records fewer).
  missing: fc.nat({ max: 3 }).map((n) => (n === 3 ? 1 : 0)),
  followUp: fc.option(anyText, { nil: undefined, freq: 4 }),
});

/** Trajectories of system, user and assistant turns with 0-3 tool calls and their results. */
const trajectoryArb = fc
  .record({
    system: fc.option(anyText, { nil: undefined }),
    user: anyText,
    model: fc.option(fc.constantFrom('hermes-4', 'gpt-x', 'm/ü'), { nil: null }),
    tools: fc.option(fc.subarray(['terminal', 'read_file', 'search', 'terminal']), { nil: undefined }),
    turns: fc.array(turnArb, { maxLength: 4 }),
  })
  .map(({ system, user, model, tools, turns }): Trajectory => {
    const messages: ChatMessage[] = [];
    if (system !== undefined) messages.push({ role: 'system', content: system });
    messages.push({ role: 'user', content: user });
    turns.forEach((t, i) => {
      const message: ChatMessage = { role: 'assistant', content: t.content };
      if (t.reasoning !== undefined) message.reasoning_content = t.reasoning;
      if (t.calls.length) message.tool_calls = t.calls.map((c, k) => ({ id: `call_${i}_${k}`, type: 'function', function: { name: c.name, arguments: c.args } }));
      messages.push(message);
      t.calls.slice(0, t.calls.length - t.missing).forEach((c, k) => messages.push({ role: 'tool', tool_call_id: `call_${i}_${k}`, content: c.result }));
      if (t.followUp !== undefined) messages.push({ role: 'user', content: t.followUp });
    });
    const t: Trajectory = { id: 't', model, messages, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } };
    if (tools) {
      t.tools = tools.map((name, k) => ({ type: 'function', function: k % 2 ? { name, description: `Runs ${name}`, parameters: { type: 'object', properties: { x: { type: 'integer' } } } } : { name } }));
    }
    return t;
  });

// --- what ShareGPT carries ---------------------------------------------------------------------

function isStandardJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON objects and arrays as `JSON.stringify` writes them (how they come back from ShareGPT); not those with 1e400 and the like. */
function compactJson(text: string): string {
  if (!/^[{[]/.test(pyStrip(text)) || !isStandardJson(text)) return text;
  let finite = true;
  const value: unknown = JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) finite = false;
    return v;
  });
  return finite ? JSON.stringify(value) : text;
}

/**
 * Tool results that are JSON objects or arrays as Python's `json.dumps` writes them (how they come
 * back from ShareGPT); not those with NaN, 1e400 and the like, which the export keeps as text.
 */
function pythonJson(text: string): string {
  if (!/^[{[]/.test(pyStrip(text))) return text;
  let value: PyValue;
  try {
    value = pyJsonLoads(text);
  } catch {
    return text;
  }
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return text;
    if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof Map) stack.push(...v.values());
  }
  return pyJsonDumps(value);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (content == null) return '';
  if (Array.isArray(content) && content.every((p) => typeof (p as { text?: unknown } | null)?.text === 'string')) return content.map((p) => (p as { text: string }).text).join('');
  return JSON.stringify(content);
}

/** The messages a ShareGPT export brings back (see the file comment for each rule). */
function shareGptView(t: Trajectory): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (t.tools && !t.messages.some((m) => m.role === 'system' && textOf(m.content).includes('<tools>'))) out.push({ role: 'system', content: hermesToolsPrompt(t.tools) });
  let pendingCalls: NonNullable<ChatMessage['tool_calls']> = [];
  let k = 0;
  let previous = '';
  for (const m of t.messages) {
    if (m.role === 'system' || m.role === 'user') {
      out.push({ role: m.role, content: textOf(m.content) });
      // A human or system turn ends the previous turn's calls: the importer pairs no response with them.
      pendingCalls = [];
    } else if (m.role === 'assistant') {
      const text = textOf(m.content);
      const calls = m.tool_calls ?? [];
      // With calls hermes writes the text unstripped before them; without, it strips the turn's end.
      const content = pyStrip(text) === '' ? '' : (calls.length ? text : pyStrip(`x${text}`).slice(1)).trim();
      const message: ChatMessage = { role: 'assistant', content };
      const reasoning = extractReasoning(m as AssistantReply);
      if (typeof reasoning === 'string' && pyStrip(reasoning) !== '' && reasoning.trim() !== '') message.reasoning_content = reasoning;
      if (calls.length) {
        message.tool_calls = calls.map((c) => ({ id: null, type: 'function', function: { name: c.function.name, arguments: compactJson(c.function.arguments) } }));
      }
      pendingCalls = message.tool_calls ?? [];
      out.push(message);
    } else if (m.role === 'tool') {
      // Each run of tool messages is one tool turn; the importer numbers its responses from 0.
      if (previous !== 'tool') k = 0;
      const id = 'tool_call_id' in m ? (m.tool_call_id ?? null) : '';
      const call = pendingCalls[k++];
      if (call && call.id === null && id !== null) call.id = id;
      out.push({ role: 'tool', tool_call_id: id, content: pythonJson(textOf(m.content)) });
    }
    previous = m.role;
  }
  return out;
}

/** The tool schemas a ShareGPT export brings back (see the file comment). */
function shareGptTools(t: Trajectory): Trajectory['tools'] {
  const listed = t.messages.find((m) => m.role === 'system' && textOf(m.content).includes('<tools>'));
  if (listed) return undefined;
  const byName = new Map<string, NonNullable<Trajectory['tools']>[number]>();
  for (const tool of t.tools ?? []) {
    const { name, description, parameters } = tool.function;
    if (!byName.has(name)) byName.set(name, { type: 'function', function: { name, description: description ?? '', parameters: parameters ?? {} } });
  }
  return byName.size ? [...byName.values()] : undefined;
}

/** Tool call and result ids the importer made up (`call_T_K`) where the original had none. */
function dropMadeUpIds(back: ChatMessage[], expected: ChatMessage[]): ChatMessage[] {
  return back.map((m, i) => {
    const e = expected[i];
    if (m.role === 'tool' && e?.role === 'tool' && e.tool_call_id === null) return { ...m, tool_call_id: null };
    if (m.role === 'assistant' && e?.tool_calls && m.tool_calls) {
      return { ...m, tool_calls: m.tool_calls.map((c, k) => (e.tool_calls![k]?.id === null ? { ...c, id: null } : c)) };
    }
    return m;
  });
}

// --- properties ---------------------------------------------------------------------------------

const runs = { numRuns: Number(process.env.ROUNDTRIP_RUNS ?? 200) };

describe('import(export(t)) keeps a trajectory', () => {
  it('agent-result: the messages and every AgentResult field, now recorded', () => {
    fc.assert(
      fc.property(fc.array(trajectoryArb, { minLength: 1, maxLength: 3 }), (ts) => {
        const back = importText(exportText(ts, 'agent-result'), ts.length === 1 ? 'out.json' : 'out.jsonl');
        expect(back.format).toBe(ts.length === 1 ? 'agent-result' : 'messages-jsonl');
        expect(back.problems).toEqual([]);
        expect(back.trajectories.map((t) => t.messages)).toEqual(ts.map((t) => t.messages));
        expect(back.trajectories.map((t) => deriveAgentResult(t).result)).toEqual(ts.map((t) => deriveAgentResult(t).result));
        expect(back.trajectories.map((t) => deriveAgentResult(t).derived)).toEqual(ts.map(() => []));
      }),
      runs,
    );
  });

  it('openai-jsonl: the messages’ chat fields exactly', () => {
    fc.assert(
      fc.property(fc.array(trajectoryArb, { minLength: 1, maxLength: 3 }), (ts) => {
        const back = importText(exportText(ts, 'openai-jsonl'), 'out.jsonl');
        expect(back.format).toBe('messages-jsonl');
        expect(back.trajectories.map((t) => t.messages)).toEqual(ts.map((t) => t.messages.map(openAiChatMessage)));
      }),
      runs,
    );
  });

  it('sharegpt: the messages as ShareGPT carries them, the model, and finished_naturally as completed', () => {
    fc.assert(
      fc.property(fc.array(trajectoryArb, { minLength: 1, maxLength: 3 }), (ts) => {
        const back = importText(exportText(ts, 'sharegpt'), 'trajectory_samples.jsonl');
        expect(back.format).toBe('hermes-sharegpt-jsonl');
        expect(back.problems).toEqual([]);
        expect(back.trajectories).toHaveLength(ts.length);
        back.trajectories.forEach((t, i) => {
          const expected = shareGptView(ts[i]!);
          expect(t.messages).toEqual(expected);
          expect(t.model).toBe(ts[i]!.model);
          expect(t.recorded).toEqual({ finished_naturally: deriveAgentResult(ts[i]!).result.finished_naturally });
          // What the engine derives from the messages is what it derives from the normalised
          // original (with the tools that came back: they decide which names are unknown tools).
          expect(deriveAgentResult(t).result).toEqual(deriveAgentResult({ ...ts[i]!, messages: expected, tools: t.tools }).result);
        });
      }),
      runs,
    );
  });

  // hermes-agent's generated system prompt names "<tools> </tools> XML tags" in prose before the
  // list: the importer must read the <tools> block that holds the JSON list.
  it('sharegpt: recorded tools come back from the generated system turn', () => {
    fc.assert(
      fc.property(trajectoryArb.filter((t) => (t.tools?.length ?? 0) > 0), (t) => {
        const back = importText(exportText([t], 'sharegpt'), 'trajectory_samples.jsonl').trajectories[0]!;
        expect(back.tools).toEqual(shareGptTools(t));
      }),
      { numRuns: 20 },
    );
  });

  it('sharegpt keeps lone surrogates, escaped, where hermes could not encode them', () => {
    const t: Trajectory = { id: 'x', model: null, reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 }, messages: [{ role: 'user', content: 'a\uD800b\uDC00' }] };
    const text = exportText([t], 'sharegpt');
    expect(text).toContain('a\\ud800b\\udc00');
    expect(importText(text, 'x.jsonl').trajectories[0]!.messages).toEqual(t.messages);
  });
});

// --- the corpus ---------------------------------------------------------------------------------

/** Every corpus file that imports today (the list grows as importers are added). */
function importableCorpus(): Array<{ name: string; result: ImportResult }> {
  const files: Array<{ name: string; result: ImportResult }> = [];
  for (const name of readdirSync(CORPUS_DIR).sort()) {
    if (name === 'README.md') continue;
    try {
      files.push({ name, result: importBytes(readFileSync(corpusPath(name)), name) });
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
    }
  }
  return files;
}

describe('the corpus through every export format', () => {
  const files = importableCorpus();

  it('has every corpus file, each of a format the app opens', () => {
    expect(files.map((f) => f.name)).toEqual(readdirSync(CORPUS_DIR).filter((name) => name !== 'README.md').sort());
  });

  it.each(files.map((f) => [f.name, f.result] as const))('%s: agent-result, openai-jsonl and sharegpt import back; html and markdown report every turn', (name, { trajectories }) => {
    const one = trajectories.length === 1;
    const viaResult = importText(exportText(trajectories, 'agent-result'), one ? 'back.json' : 'back.jsonl');
    expect(viaResult.trajectories.map((t) => t.messages)).toEqual(trajectories.map((t) => t.messages));
    expect(viaResult.trajectories.map((t) => deriveAgentResult(t).result)).toEqual(trajectories.map((t) => deriveAgentResult(t).result));

    const viaOpenAi = importText(exportText(trajectories, 'openai-jsonl'), 'back.jsonl');
    expect(viaOpenAi.trajectories.map((t) => t.messages)).toEqual(trajectories.map((t) => t.messages.map(openAiChatMessage)));

    const viaShareGpt = importText(exportText(trajectories, 'sharegpt'), 'back.jsonl');
    expect(viaShareGpt.problems).toEqual([]);
    viaShareGpt.trajectories.forEach((t, i) => {
      const expected = shareGptView(trajectories[i]!);
      expect(dropMadeUpIds(t.messages, expected), `${name} trajectory ${i}`).toEqual(expected);
    });

    for (const t of trajectories) {
      const turns = t.messages.filter((m) => m.role === 'assistant').length;
      const calls = t.messages.reduce((n, m) => n + (m.role === 'assistant' ? (m.tool_calls?.length ?? 0) : 0), 0);
      const html = exportText([t], 'html');
      expect(html.match(/<article class="turn">/g) ?? []).toHaveLength(turns);
      expect(html.match(/<h4>Tool call \d+: /g) ?? []).toHaveLength(calls);
      const markdown = exportText([t], 'markdown');
      expect(markdown.match(/^### Turn \d+$/gm) ?? []).toHaveLength(turns);
      expect(markdown.match(/^#### Tool call \d+: /gm) ?? []).toHaveLength(calls);
    }
  });

  it('names every export format', () => {
    expect(EXPORT_FORMATS).toEqual(['agent-result', 'openai-jsonl', 'sharegpt', 'html', 'markdown']);
  });
});

describe('what the importer makes of hermes JSON', () => {
  // Arguments as JSON.stringify writes them: the importer re-serialises arguments that way.
  const withResult = (content: string): Trajectory => ({
    id: 'x', model: 'm', reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 },
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'a', content },
    ],
  });

  it('the line holds a tool result parsed, and the importer writes it back as json.dumps wrote it: a recorded exception stays one', () => {
    const t = withResult('{"error": "Tool execution failed: ValueError: bad"}');
    const line = exportText([t], 'sharegpt');
    expect(line).toContain('\\"content\\": {\\"error\\": \\"Tool execution failed: ValueError: bad\\"}');
    const back = importText(line, 'x.jsonl').trajectories[0]!;
    expect(back.messages[2]!.content).toBe('{"error": "Tool execution failed: ValueError: bad"}');
    expect(deriveAgentResult(t).result.tool_errors).toHaveLength(1);
    expect(deriveAgentResult(back).result.tool_errors).toEqual(deriveAgentResult(t).result.tool_errors);
    expect(deriveAgentResult(back).result.tool_calls_exec_error).toBe(1);
  });

  it('floats written as 1.0, ints past 2^53 and non-ASCII escapes come back as written', () => {
    const content = '{"score": 1.0, "id": 123456789012345678901234567890, "small": 1e-07, "name": "caf\\u00e9 \\ud83d\\ude00", "items": [0.5, -0.0, 2]}';
    const back = importText(exportText([withResult(content)], 'sharegpt'), 'x.jsonl').trajectories[0]!;
    expect(back.messages[2]!.content).toBe(content);
  });

  it('reads a line hermes-agent wrote: NaN in a tool result is Python JSON, kept as written', () => {
    const response = '<tool_response>\n{"tool_call_id": "a", "name": "terminal", "content": {"loss": NaN, "big": 1e+300}}\n</tool_response>';
    const line = JSON.stringify({ conversations: [{ from: 'human', value: 'go' }, { from: 'gpt', value: '<think>\n</think>\n<tool_call>\n{"name": "terminal", "arguments": {}}\n</tool_call>' }, { from: 'tool', value: response }] });
    const back = importText(line, 'x.jsonl');
    expect(back.problems).toEqual([]);
    expect(back.trajectories[0]!.messages[2]!.content).toBe('{"loss": NaN, "big": 1e+300}');
  });
});
