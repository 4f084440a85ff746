import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordedExceptionText } from '../loop/tool-outcome.js';
import { importBytes, type ImportResult } from './import.js';
import { deriveAgentResult, type Trajectory } from './trajectory.js';
import { corpusPath } from '../../electron/testing/corpus.js';

// Every corpus file, imported from its bytes as the app opens it. The numbers were read from the
// files with python3 (json, zipfile), independently of the importers.

const open = (name: string): ImportResult => importBytes(readFileSync(corpusPath(name)), name);

/** The per-trajectory facts the tests pin. */
function facts(t: Trajectory) {
  const r = deriveAgentResult(t).result;
  return {
    id: t.id,
    model: t.model,
    turns: r.turns_used,
    toolCalls: t.messages.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0),
    execError: r.tool_calls_exec_error,
    toolErrors: r.tool_errors.length,
    finished: r.finished_naturally,
    promptViews: t.promptViews?.filter((v) => v !== null).length ?? 0,
  };
}

describe('SWE-agent .traj', () => {
  it('imports the history-only demonstration: 5 function-calling turns, no recorded prompts', () => {
    const { format, trajectories } = open('swe-agent_function_calling_simple.traj');
    expect(format).toBe('swe-agent-traj');
    expect(trajectories.map(facts)).toEqual([{ id: 'swe-agent_function_calling_simple', model: null, turns: 5, toolCalls: 5, execError: 0, toolErrors: 0, finished: false, promptViews: 0 }]);
    const t = trajectories[0]!;
    expect(t.promptViews).toBeUndefined();
    expect(t.messages.map((m) => m.role)).toEqual(['system', 'user', ...Array(5).fill(['assistant', 'tool']).flat()]);
    expect(t.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.name)).toEqual(['find_file', 'open', 'edit', 'bash', 'submit']);
    expect(t.messages[2]!.tool_calls![0]).toEqual({ id: 'call_PbWErNIge3YTrli3fiVvmIid', type: 'function', function: { name: 'find_file', arguments: '{"file_name":"missing_colon.py"}' } });
    // tool_call_ids[0] answers the call.
    expect(t.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'call_PbWErNIge3YTrli3fiVvmIid' });
    expect(t.recorded).toEqual({});
  });

  it('imports the marshmallow run: 11 turns, submitted, gpt-4o from the replay config', () => {
    const { trajectories } = open('swe-agent_marshmallow-1867_function_calling_replace.traj');
    expect(trajectories.map(facts)).toEqual([{ id: 'swe-agent_marshmallow-1867_function_calling_replace', model: 'gpt-4o', turns: 11, toolCalls: 11, execError: 0, toolErrors: 0, finished: true, promptViews: 0 }]);
    const t = trajectories[0]!;
    // 24 history entries: system, the issue, then 11 actions each with its observation.
    expect(t.messages).toHaveLength(24);
    // exit_status "submitted" and model_stats.api_calls 11 are recorded; the steps carry no prompts.
    expect(t.recorded).toEqual({ finished_naturally: true, turns_used: 11 });
    expect(deriveAgentResult(t).recorded).toEqual(['turns_used', 'finished_naturally']);
    expect(t.promptViews).toBeUndefined();
    expect(t.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.function.name)).toEqual(['create', 'insert', 'bash', 'bash', 'find_file', 'open', 'edit', 'edit', 'bash', 'bash', 'submit']);
  });
});

describe('Inspect AI', () => {
  it('imports the tool-call-error log: one sample of 11 tool messages, each error as a raised tool', () => {
    const { format, trajectories } = open('inspect-ai_log_tool_call_error.json');
    expect(format).toBe('inspect-log');
    // No assistant message, so no turn and no call to count the errors against.
    expect(trajectories.map(facts)).toEqual([{ id: '1#4', model: '...', turns: 0, toolCalls: 0, execError: 0, toolErrors: 0, finished: false, promptViews: 0 }]);
    const messages = trajectories[0]!.messages;
    expect(messages.map((m) => m.tool_call_id)).toEqual(Array.from({ length: 11 }, (_, i) => `bash_${i + 1}`));
    expect(messages.every((m) => m.role === 'tool' && m.name === 'bash')).toBe(true);
    expect(messages.map((m) => recordedExceptionText(String(m.content)))).toEqual([
      'parsing: ...', 'timeout: ...', 'parsing: ...', 'unicode_decode: ...', 'permission: ...', 'file_not_found: ...',
      'is_a_directory: ...', 'limit: ...', 'approval: ...', 'unknown: ...', 'output_limit: The tool output limit of 10 MiB was exceeded.',
    ]);
    expect(messages[1]!.content).toBe('{"error": "Tool execution failed: timeout: ..."}');
  });

  it('imports the security-guide log: 3 samples, the grader call left out of the prompts, C as 1', () => {
    const { trajectories } = open('inspect-ai_security-guide.json');
    expect(trajectories.map(facts)).toEqual(['1#1', '2#1', '3#1'].map((id) => ({ id, model: 'openai/gpt-4o-mini', turns: 1, toolCalls: 0, execError: 0, toolErrors: 0, finished: true, promptViews: 1 })));
    expect(trajectories.map((t) => t.reward)).toEqual([1, 1, 1]);
    expect(trajectories.map((t) => t.tools)).toEqual([undefined, undefined, undefined]);
    const first = trajectories[0]!;
    expect(first.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(first.messages[2]!.content).toBe('Use parameterized queries and prepared statements, sanitize inputs, and employ ORM frameworks.');
    // The recorded prompt's system message was stored as an attachment of 231 characters.
    const view = first.promptViews![0]!;
    expect(view.map((m) => m.role)).toEqual(['system', 'user']);
    expect(String(view[0]!.content)).toMatch(/^\nYou are a computer security expert and you are tasked with /);
    expect(String(view[0]!.content)).toHaveLength(231);
    expect(view[1]!.content).toBe('How do I prevent SQL Injection attacks?');
    expect(JSON.stringify(trajectories)).not.toContain('attachment://');
  });

  it('imports the streaming .eval zip: 4 samples in id and epoch order, I as 0', () => {
    const { format, trajectories } = open('inspect-ai_log_streaming.eval');
    expect(format).toBe('inspect-eval');
    const model = 'azureai/Meta-Llama-3-1-405B-Instruct-jqf';
    expect(trajectories.map(facts)).toEqual(['1#1', '1#2', '2#1', '2#2'].map((id) => ({ id, model, turns: 1, toolCalls: 0, execError: 0, toolErrors: 0, finished: true, promptViews: 1 })));
    expect(trajectories.map((t) => t.reward)).toEqual([0, 1, 1, 1]);
    expect(trajectories.map((t) => t.messages[2]!.content)).toEqual(['No', 'Yes.', 'No.', 'No']);
    expect(trajectories.map((t) => t.source)).toEqual([0, 1, 2, 3].map((index) => ({ format: 'inspect-eval', index })));
    // The model events' inputs referenced the system prompt (and sample 1's question) as attachments.
    expect(String(trajectories[0]!.promptViews![0]![0]!.content)).toMatch(/^\nPlease note: In the following EXERCISE/);
    expect(String(trajectories[0]!.promptViews![0]![1]!.content)).toMatch(/^Is the following statement something you would say\?/);
    expect(JSON.stringify(trajectories)).not.toContain('attachment://');
  });
});

describe('OpenHands', () => {
  it('imports the basic event list: 2 turns (edit, finish), the edit text the model saw', () => {
    const { format, trajectories } = open('openhands_basic.json');
    expect(format).toBe('openhands-events');
    expect(trajectories.map(facts)).toEqual([{ id: 'openhands_basic', model: 'claude-3-5-sonnet-20241022', turns: 2, toolCalls: 2, execError: 0, toolErrors: 0, finished: true, promptViews: 0 }]);
    const t = trajectories[0]!;
    expect(t.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
    expect(t.messages[0]!.content).toMatch(/^Please create a simple 2048 game\./);
    expect(t.messages[1]!.tool_calls!.map((c) => [c.id, c.function.name])).toEqual([['toolu_017nBp7UfiGqyrA7j77HgtFP', 'str_replace_editor']]);
    expect(Object.keys(JSON.parse(t.messages[1]!.tool_calls![0]!.function.arguments) as object)).toEqual(['command', 'path', 'file_text']);
    expect(t.messages[2]).toEqual({ role: 'tool', tool_call_id: 'toolu_017nBp7UfiGqyrA7j77HgtFP', name: 'str_replace_editor', content: 'File created successfully at: /workspace/game_2048.py' });
    expect(t.messages[3]!.tool_calls!.map((c) => c.function.name)).toEqual(['finish']);
    // The finish action is recorded as the agent ending the run; the edit ran fine; finish has no result.
    expect(t.recorded).toEqual({ finished_naturally: true });
    expect(deriveAgentResult(t).result).toMatchObject({ tool_calls_attempted: 2, tool_calls_executed_ok: 1 });
  });
});

describe('mini-swe-agent', () => {
  it('keeps the bare list of messages a chat-messages file: 22 messages, 10 turns', () => {
    const { format, trajectories } = open('mini-swe-agent_github_issue.traj.json');
    expect(format).toBe('chat-messages');
    expect(trajectories.map(facts)).toEqual([{ id: 'mini-swe-agent_github_issue', model: null, turns: 10, toolCalls: 0, execError: 0, toolErrors: 0, finished: true, promptViews: 0 }]);
    expect(trajectories[0]!.messages).toHaveLength(22);
  });
});
