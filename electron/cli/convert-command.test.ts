import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';

const corpus = (name: string): string => fileURLToPath(new URL(`../../../shared/corpus/${name}`, import.meta.url));
const HERMES = corpus('hermes-agent_session_export.jsonl');
const MINI = corpus('mini-swe-agent_github_issue.traj.json');
const work = mkdtempSync(join(tmpdir(), 'trajdbg-convert-'));

/** Runs the CLI in process; returns the exit code, stdout and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const errors: string[] = [];
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(['convert', ...args], (line) => errors.push(line));
    return { code, stdout, stderr: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('trajdbg convert', () => {
  it('--list prints one line per hermes session', async () => {
    const { code, stdout, stderr } = await cli(HERMES, '--list');
    expect(code, stderr).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(19);
    expect(lines[0]).toBe('0\t20260219_201205_876b30\tanthropic/claude-opus-4.6\tturns=0\ttool_calls=0\ttool_errors=0\tfinished=no');
    expect(lines[1]).toBe('1\t20260219_200627_0bf46c\tanthropic/claude-opus-4.6\tturns=2\ttool_calls=1\ttool_errors=0\tfinished=yes');
    const sum = (key: string): number => lines.reduce((n, l) => n + Number(new RegExp(`${key}=(\\d+)`).exec(l)![1]), 0);
    expect([sum('turns'), sum('tool_calls'), sum('tool_errors')]).toEqual([143, 125, 9]);
    expect(lines.filter((l) => l.endsWith('finished=yes'))).toHaveLength(18);
  });

  it('--to agent-result writes JSONL for many trajectories and one JSON for one, through a temp file', async () => {
    const out = join(work, 'hermes.agent-result.jsonl');
    expect((await cli(HERMES, '--to', 'agent-result', '--out', out)).code).toBe(0);
    const results = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(results).toHaveLength(19);
    expect(results.reduce((n, r) => n + r.tool_calls_attempted!, 0)).toBe(125);
    expect(results.reduce((n, r) => n + r.tool_calls_exec_error!, 0)).toBe(9);
    expect(Object.keys(results[0]!)).toEqual(['messages', 'managed_state', 'turns_used', 'finished_naturally', 'reasoning_per_turn', 'tool_errors', 'tool_calls_attempted', 'tool_calls_schema_valid', 'tool_calls_executed_ok', 'tool_calls_exec_error']);

    const one = join(work, 'mini.json');
    expect((await cli(MINI, '--to', 'agent-result', '--out', one)).code).toBe(0);
    const result = JSON.parse(readFileSync(one, 'utf8')) as { messages: unknown[]; turns_used: number; finished_naturally: boolean };
    expect([result.messages.length, result.turns_used, result.finished_naturally]).toEqual([22, 10, true]);
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // The written AgentResult converts again, keeping its recorded values.
    const again = join(work, 'mini-again.json');
    expect((await cli(one, '--to', 'agent-result', '--out', again)).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(one, 'utf8'));
  });

  it('--to openai-jsonl writes one {"messages"} per line', async () => {
    const out = join(work, 'hermes.openai.jsonl');
    expect((await cli(HERMES, '--to', 'openai-jsonl', '--out', out)).code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown[]>);
    expect(lines).toHaveLength(19);
    expect(lines.every((l) => Object.keys(l).join() === 'messages')).toBe(true);
    expect(lines.reduce((n, l) => n + l.messages!.length, 0)).toBe(301);
    const listed = await cli(out, '--list');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(19);
  });

  it('reports bad lines as FILE:LINE on stderr and converts the good ones', async () => {
    const lines = readFileSync(HERMES, 'utf8').split('\n');
    const path = join(work, 'broken.jsonl');
    writeFileSync(path, [lines[0], '{"id": "x"', ...lines.slice(1)].join('\n'));
    const { code, stdout, stderr } = await cli(path, '--list');
    expect(code).toBe(0);
    expect(stderr).toBe(`${path}:2: not valid JSON at column 11: Expected ',' or '}' after property value`);
    expect(stdout.trimEnd().split('\n')).toHaveLength(19);
  });

  it('exits with 2 and one line naming the file for bad input and usage', async () => {
    const truncated = join(work, 'truncated.json');
    writeFileSync(truncated, '[\n  {"role": "user", "content": "hi"},\n  {"role": "assis');
    expect(await cli(truncated, '--list')).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: ${truncated} (looked like a JSON list of chat messages): not valid JSON at line 3, column 18: Unterminated string` });
    const openhands = corpus('openhands_basic.json');
    expect(await cli(openhands, '--list')).toEqual({ code: 0, stdout: '0\topenhands_basic\tclaude-3-5-sonnet-20241022\tturns=2\ttool_calls=2\ttool_errors=0\tfinished=yes\n', stderr: '' });
    const cut = join(work, 'cut.eval');
    writeFileSync(cut, readFileSync(corpus('inspect-ai_log_streaming.eval')).subarray(0, 4000));
    expect(await cli(cut, '--list')).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: ${cut} (looked like an Inspect AI .eval zip): not a complete zip: the end of its central directory is missing (the file may be truncated)` });
    expect((await cli(join(work, 'missing.json'), '--list')).stderr).toMatch(/missing\.json: cannot read it \(ENOENT\)$/);
    expect(await cli(HERMES, '--to', 'csv', '--out', 'x')).toMatchObject({ code: 2, stderr: "trajdbg convert: --to: expected one of agent-result, openai-jsonl, got 'csv'" });
    expect(await cli(HERMES, '--to', 'agent-result')).toMatchObject({ code: 2, stderr: 'trajdbg convert: --to needs --out OUT' });
    expect((await cli(HERMES)).code).toBe(2);
    expect((await cli('--list')).code).toBe(2);
  });
});
