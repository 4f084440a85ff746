import { describe, expect, it } from 'vitest';
import { stampEvent, type RunEventBody } from '../run/events.js';
import { INTERVENTION_MARK_KEY } from '../run/intervention.js';
import { exportText } from './export.js';
import { importRunFile } from './import-run-file.js';

const SKIPPED = '{"error": "Tool execution failed: PermissionError: the user skipped the call"}';

/** A run file whose turn 1 had its first call edited and its second skipped at the "before tools" breakpoint. */
function runFileText(): string {
  const bodies: RunEventBody[] = [
    {
      type: 'run_started',
      format: 'trajdbg-run/1',
      config: { maxTurns: 5, temperature: 1, maxTokens: null, maxContextTokens: null, taskId: 't' },
      source: { model: 'm' },
      tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
      validToolNames: ['read_file'],
      messages: [{ role: 'user', content: 'go' }],
    },
    { type: 'turn_started', turn: 1 },
    {
      type: 'model_reply',
      turn: 1,
      latencyMs: 1,
      message: {
        content: 'Reading.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.txt"}' } },
          { id: 'c2', type: 'function', function: { name: 'read_file', arguments: '{"path":"secret.txt"}' } },
        ],
      },
    },
    { type: 'paused', turn: 1, at: 'before_tools' },
    { type: 'tool_call_intervened', turn: 1, index: 0, intervention: { action: 'edit', modelArguments: '{"path":"a.txt"}', arguments: '{"path": "b.txt"}' } },
    { type: 'tool_call_intervened', turn: 1, index: 1, intervention: { action: 'skip', modelArguments: '{"path":"secret.txt"}' } },
    { type: 'resumed', turn: 1 },
    { type: 'tool_started', turn: 1, index: 0, id: 'c1', name: 'read_file', arguments: '{"path": "b.txt"}', known: true, normalizedArguments: '{"path": "b.txt"}', schemaValid: true },
    { type: 'tool_finished', turn: 1, index: 0, status: 'ok', result: 'B', toolError: null, durationMs: 1 },
    { type: 'tool_started', turn: 1, index: 1, id: 'c2', name: 'read_file', arguments: '{"path":"secret.txt"}', known: true, normalizedArguments: '{"path": "secret.txt"}', schemaValid: true },
    {
      type: 'tool_finished',
      turn: 1,
      index: 1,
      status: 'exception',
      result: SKIPPED,
      toolError: { turn: 1, tool_name: 'read_file', arguments: '{"path":"secret.txt"}', error: 'PermissionError: the user skipped the call', tool_result: SKIPPED },
      durationMs: 0,
    },
    { type: 'turn_finished', turn: 1 },
    { type: 'turn_started', turn: 2 },
    { type: 'model_reply', turn: 2, latencyMs: 1, message: { content: 'Done.' } },
    { type: 'turn_finished', turn: 2 },
    { type: 'run_finished', reason: 'finished_naturally', turnsUsed: 2 },
  ];
  return bodies.map((body, seq) => JSON.stringify(stampEvent(body, 'run-1', seq, seq))).join('\n') + '\n';
}

const trajectories = () => importRunFile(runFileText(), 'run.jsonl').trajectories;
const EDIT_MARK = { action: 'edit', model_arguments: '{"path":"a.txt"}' };
const SKIP_MARK = { action: 'skip', model_arguments: '{"path":"secret.txt"}' };

describe('exports of a run whose tool calls were changed at a breakpoint', () => {
  it('AgentResult JSON and OpenAI messages keep the arguments that ran, each call marked with the model’s', () => {
    const result = JSON.parse(exportText(trajectories(), 'agent-result')) as { messages: Array<{ tool_calls?: unknown[] }>; tool_calls_executed_ok: number; tool_calls_exec_error: number };
    const calls = result.messages[1]!.tool_calls!;
    expect(calls[0]).toMatchObject({ function: { arguments: '{"path": "b.txt"}' }, [INTERVENTION_MARK_KEY]: EDIT_MARK });
    expect(calls[1]).toMatchObject({ function: { arguments: '{"path":"secret.txt"}' }, [INTERVENTION_MARK_KEY]: SKIP_MARK });
    expect(result).toMatchObject({ tool_calls_executed_ok: 1, tool_calls_exec_error: 1 });

    const line = JSON.parse(exportText(trajectories(), 'openai-jsonl')) as { messages: Array<{ tool_calls?: unknown[] }> };
    expect(line.messages[1]!.tool_calls).toEqual(calls);
  });

  it('ShareGPT writes the edited arguments in the conversation and lists the changed calls beside it', () => {
    const line = JSON.parse(exportText(trajectories(), 'sharegpt', { now: () => new Date(0) })) as { conversations: Array<{ from: string; value: string }>; [key: string]: unknown };
    const gpt = line.conversations.find((c) => c.from === 'gpt')!.value;
    expect(gpt).toContain('"path": "b.txt"');
    expect(gpt).not.toContain('a.txt');
    expect(line[INTERVENTION_MARK_KEY]).toEqual([
      { turn: 1, call: 0, ...EDIT_MARK },
      { turn: 1, call: 1, ...SKIP_MARK },
    ]);
  });

  it('Markdown and HTML reports mark the calls and show the model’s arguments beside the ones that ran', () => {
    const markdown = exportText(trajectories(), 'markdown');
    expect(markdown).toContain('#### Tool call 1: `read_file` (`c1`), ok, **edited at breakpoint**');
    expect(markdown).toContain('**Arguments the model sent**');
    expect(markdown).toContain('**skipped at breakpoint**');
    const html = exportText(trajectories(), 'html');
    expect(html).toContain('<span class="status edited">edited at breakpoint</span>');
    expect(html).toContain('<span class="status edited">skipped at breakpoint</span>');
    expect(html).toContain('<h4>Arguments the model sent</h4><pre>{&quot;path&quot;:&quot;a.txt&quot;}</pre>');
  });

  it('the run itself never sends the mark to the model', () => {
    const [t] = trajectories();
    expect(t!.messages[1]!.tool_calls![0]).toHaveProperty(INTERVENTION_MARK_KEY);
    // The state the loop reads keeps its messages plain.
    expect(runFileText()).not.toContain(INTERVENTION_MARK_KEY);
  });
});
