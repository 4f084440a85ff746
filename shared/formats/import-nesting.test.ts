/**
 * How deep an imported file may nest: up to MAX_NESTING levels it imports and everything downstream
 * (summaries, derived AgentResults, every export, structured clones for IPC) handles it; one level
 * deeper it is refused with a message that names the file and the field.
 */
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, exportText } from './export.js';
import { FormatError, importText, MAX_NESTING } from './import.js';
import { summarizeTrajectory } from './summary.js';
import { deriveAgentResult } from './trajectory.js';

const deepArray = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepObject = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * An AgentResult whose user content and tool call arguments nest `extra` levels past the limit
 * (0: exactly at it). The content sits 3 levels down (file, messages, message), the arguments 6.
 */
function agentResult(extra: number): string {
  const content = deepArray(MAX_NESTING - 3 + extra);
  const args = deepObject(MAX_NESTING - 6);
  return `{"messages": [{"role": "user", "content": ${content}}, {"role": "assistant", "content": "", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "terminal", "arguments": ${args}}}]}, {"role": "tool", "tool_call_id": "c", "content": ${content}}]}`;
}

describe('nesting', () => {
  it('imports a file nested exactly MAX_NESTING deep, and everything downstream handles it', () => {
    const { trajectories } = importText(agentResult(0), 'deep.json');
    const t = trajectories[0]!;
    expect(t.messages[1]!.tool_calls![0]!.function.arguments).toBe(JSON.stringify(JSON.parse(deepObject(MAX_NESTING - 6))));
    expect(summarizeTrajectory(t, 0).preview).toBe(`${'['.repeat(160)}`);
    expect(deriveAgentResult(t).result.tool_calls_executed_ok).toBe(1);
    for (const format of EXPORT_FORMATS) expect(exportText([t], format).length).toBeGreaterThan(0);
    expect(structuredClone(t)).toEqual(t);
  });

  it('refuses one level more, naming the file, the format and where the value is', () => {
    expect(() => importText(agentResult(1), 'deep.json')).toThrow(
      new FormatError(`deep.json (looked like an AgentResult JSON): messages[0].content[0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`),
    );
    const args = `{"messages": [{"role": "assistant", "content": "", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "t", "arguments": ${deepObject(MAX_NESTING)}}}]}]}`;
    expect(() => importText(args, 'args.json')).toThrow(
      new FormatError(`args.json (looked like an AgentResult JSON): messages[0].tool_calls[0].function.arguments.a.a…: nested deeper than ${MAX_NESTING} levels`),
    );
    expect(() => importText(deepArray(MAX_NESTING + 1), 'list.json')).toThrow(new FormatError(`list.json (looked like a JSON list of chat messages): [0][0][0][0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`));
  });

  it('skips a JSONL line nested too deep and keeps the others', () => {
    const text = `{"messages": [{"role": "user", "content": ${deepArray(MAX_NESTING)}}]}\n{"messages": [{"role": "user", "content": "ok"}]}\n`;
    const { trajectories, problems } = importText(text, 'deep.jsonl');
    expect(trajectories.map((t) => t.messages[0]!.content)).toEqual(['ok']);
    expect(problems).toEqual([`deep.jsonl:1: messages[0].content[0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`]);
  });

  it('stops reading a run file at an event nested too deep', () => {
    const started = (runId: string, content: string): string =>
      `{"runId": "${runId}", "seq": 0, "time": 0, "type": "run_started", "format": "trajdbg-run/1", "config": {"maxTurns": 30, "temperature": 1, "maxTokens": null, "maxContextTokens": null, "taskId": "task"}, "source": {}, "tools": [], "validToolNames": [], "messages": [{"role": "user", "content": ${content}}]}`;
    const { trajectories, problems } = importText(`${started('a', '"ok"')}\n${started('b', deepArray(MAX_NESTING))}\n`, 'run.jsonl');
    expect(trajectories.map((t) => t.id)).toEqual(['a']);
    expect(problems).toEqual([`run.jsonl:2: messages[0].content[0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`]);
    expect(() => importText(`${started('b', deepArray(100_000))}\n`, 'run.jsonl')).toThrow(
      new FormatError(`run.jsonl: at line 1, column 100283: nested deeper than ${MAX_NESTING} levels`),
    );
  });

  it('checks the JSON that a hermes ShareGPT turn holds as text', () => {
    const gpt = `<think>\n</think>\n<tool_call>\n{"name": "terminal", "arguments": ${deepObject(MAX_NESTING)}}\n</tool_call>`;
    const tools = `You are a function calling AI model.\n<tools>\n[${deepArray(MAX_NESTING)}]\n</tools>`;
    const lines = [
      JSON.stringify({ conversations: [{ from: 'human', value: 'go' }, { from: 'gpt', value: gpt }] }),
      JSON.stringify({ conversations: [{ from: 'system', value: tools }, { from: 'human', value: 'go' }] }),
      JSON.stringify({ conversations: [{ from: 'human', value: 'ok' }] }),
    ];
    const { trajectories, problems } = importText(lines.join('\n'), 'deep.jsonl');
    expect(trajectories).toHaveLength(1);
    expect(problems).toEqual([
      `deep.jsonl:1: conversations[1].tool_call[0].arguments.a.a.a.a.a.a.a…: nested deeper than ${MAX_NESTING} levels`,
      `deep.jsonl:2: conversations[0].tools[0][0][0][0][0][0][0][0]…: nested deeper than ${MAX_NESTING} levels`,
    ]);
  });
});
