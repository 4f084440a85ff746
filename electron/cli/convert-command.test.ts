import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXPORT_FORMATS } from '#shared/formats/export.js';
import { CONVERT_USAGE } from './convert-usage.js';
import { main } from './main.js';
import { corpusPath } from '../testing/corpus.js';

const HERMES = corpusPath('hermes-agent_session_export.jsonl');
const MINI = corpusPath('mini-swe-agent_github_issue.traj.json');
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
    expect(lines[0]).toBe('0\t20260219_201205_876b30\tanthropic/claude-opus-4.6\tturns=0\ttool_calls=0\ttool_errors=0\tfinished=no\tstop=cli_close');
    expect(lines[1]).toBe('1\t20260219_200627_0bf46c\tanthropic/claude-opus-4.6\tturns=2\ttool_calls=1\ttool_errors=0\tfinished=yes\tstop=cli_close');
    const sum = (key: string): number => lines.reduce((n, l) => n + Number(new RegExp(`${key}=(\\d+)`).exec(l)![1]), 0);
    expect([sum('turns'), sum('tool_calls'), sum('tool_errors')]).toEqual([143, 125, 9]);
    expect(lines.filter((l) => l.includes('\tfinished=yes'))).toHaveLength(18);
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
    // 301 messages and the 17 system prompts the export keeps beside them.
    expect(lines.reduce((n, l) => n + l.messages!.length, 0)).toBe(318);
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
    expect(await cli(truncated, '--list')).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: ${truncated}: not valid JSON at line 3, column 18: Unterminated string` });
    const openhands = corpusPath('openhands_basic.json');
    expect(await cli(openhands, '--list')).toEqual({ code: 0, stdout: '0\topenhands_basic\tclaude-3-5-sonnet-20241022\tturns=2\ttool_calls=2\ttool_errors=0\tfinished=yes\n', stderr: '' });
    const cut = join(work, 'cut.eval');
    writeFileSync(cut, readFileSync(corpusPath('inspect-ai_log_streaming.eval')).subarray(0, 4000));
    expect(await cli(cut, '--list')).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: ${cut} (looked like an Inspect AI .eval zip): not a complete zip: the end of its central directory is missing (the file may be truncated)` });
    expect((await cli(join(work, 'missing.json'), '--list')).stderr).toMatch(/missing\.json: cannot read it \(no such file\)$/);
    // A device or a FIFO is refused at once (it used to be read for ever, or to block).
    expect(await cli('/dev/zero', '--list')).toEqual({ code: 2, stdout: '', stderr: 'trajdbg convert: /dev/zero: not a regular file: a character device' });
    const fifo = join(work, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(await cli(fifo, '--to', 'openai-jsonl', '--out', join(work, 'never.jsonl'))).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: ${fifo}: not a regular file: a FIFO` });
    expect(existsSync(join(work, 'never.jsonl'))).toBe(false);
    expect(await cli(HERMES, '--to', 'csv', '--out', 'x')).toMatchObject({ code: 2, stderr: "trajdbg convert: --to: expected one of agent-result, openai-jsonl, sharegpt, html, markdown, got 'csv'" });
    expect(await cli(HERMES, '--to', 'agent-result')).toMatchObject({ code: 2, stderr: 'trajdbg convert: --to needs --out OUT' });
    expect((await cli(HERMES)).code).toBe(2);
    expect((await cli('--list')).code).toBe(2);
  });
});

describe('trajdbg convert to the other formats', () => {
  it('names every export format and --index in its usage', () => {
    for (const format of EXPORT_FORMATS) expect(CONVERT_USAGE).toMatch(new RegExp(`^ +(--to FORMAT +)?${format} `, 'm'));
    expect(CONVERT_USAGE).toContain('[--index N]');
  });

  it('--to sharegpt writes one hermes line per trajectory that imports back', async () => {
    const out = join(work, 'hermes.sharegpt.jsonl');
    const { code, stderr } = await cli(HERMES, '--to', 'sharegpt', '--out', out);
    expect([code, stderr]).toEqual([0, `wrote 19 trajectories to ${out}`]);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(19);
    expect(lines.filter((l) => l.startsWith('{"conversations": [{"from": "system", "value": '))).toHaveLength(17);
    expect(lines.every((l) => /^\{"conversations": \[\{"from": "(?:system|human)", "value": /.test(l))).toBe(true);
    const listed = await cli(out, '--list');
    // ShareGPT records no stop reason: the rest of each row is the same.
    expect(listed.stdout.trimEnd().split('\n').map((l) => l.split('\t').slice(2).join('\t'))).toEqual(
      (await cli(HERMES, '--list')).stdout.trimEnd().split('\n').map((l) => l.split('\t').slice(2, 7).join('\t')),
    );
  });

  it('--to html and markdown report the trajectory --index picks', async () => {
    const html = join(work, 'session-13.html');
    expect(await cli(HERMES, '--to', 'html', '--index', '13', '--out', html)).toEqual({ code: 0, stdout: '', stderr: `wrote 1 trajectory to ${html}` });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h1>Trajectory <code>20260219_011410_8b7098a3</code></h1>');
    expect(page.match(/<article class="turn">/g)).toHaveLength(100);
    expect(page.match(/<div class="call failed">/g)).toHaveLength(7);

    const markdown = join(work, 'mini.md');
    expect((await cli(MINI, '--to', 'markdown', '--out', markdown)).code).toBe(0);
    expect(readFileSync(markdown, 'utf8').match(/^### Turn \d+$/gm)).toHaveLength(10);
  });

  it('--index picks one trajectory for any format and --list, and names the range when out of it', async () => {
    const out = join(work, 'one.openai.jsonl');
    expect((await cli(HERMES, '--to', 'openai-jsonl', '--index', '1', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(1);
    expect(await cli(HERMES, '--list', '--index', '18')).toEqual({ code: 0, stdout: '18\t20260219_005933_1b6228\tanthropic/claude-opus-4.6\tturns=1\ttool_calls=0\ttool_errors=0\tfinished=yes\tstop=cli_close\n', stderr: '' });
    expect(await cli(HERMES, '--list', '--index', '19')).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: --index 19: ${HERMES} holds 19 trajectories (indexes 0 to 18)` });
    expect(await cli(MINI, '--to', 'html', '--index', '1', '--out', join(work, 'never.html'))).toEqual({ code: 2, stdout: '', stderr: `trajdbg convert: --index 1: ${MINI} holds one trajectory (index 0)` });
    expect((await cli(HERMES, '--list', '--index=-1')).stderr).toBe("trajdbg convert: --index: expected a whole number, got '-1'");
    expect((await cli(HERMES, '--list', '--index', 'two')).stderr).toBe("trajdbg convert: --index: expected a whole number, got 'two'");
  });

  it('a report of a collection without --index fails, says how many there are, and leaves OUT untouched', async () => {
    const out = join(work, 'kept.html');
    writeFileSync(out, 'the old report');
    expect(await cli(HERMES, '--to', 'html', '--out', out)).toEqual({
      code: 2,
      stdout: '',
      stderr: `trajdbg convert: html exports one trajectory, and ${HERMES} holds 19: pick one with --index N (0 to 18; --list shows them)`,
    });
    expect(readFileSync(out, 'utf8')).toBe('the old report');
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports bad lines as they come and counts them in the summary', async () => {
    const lines = readFileSync(HERMES, 'utf8').split('\n');
    const path = join(work, 'two-bad.jsonl');
    writeFileSync(path, [lines[0], 'nope', ...lines.slice(1, 3), '{"id": 1', ...lines.slice(3)].join('\n'));
    const out = join(work, 'two-bad.out.jsonl');
    const { code, stderr } = await cli(path, '--to', 'agent-result', '--out', out);
    expect(code).toBe(0);
    expect(stderr.split('\n')).toEqual([
      `${path}:2: not valid JSON at column 1: Unexpected token 'o', "nope" is not valid JSON`,
      `${path}:5: not valid JSON at column 9: Expected ',' or '}' after property value`,
      `wrote 19 trajectories to ${out} (2 bad lines skipped)`,
    ]);

    const allBad = join(work, 'all-bad.jsonl');
    writeFileSync(allBad, '{"messages": 1}\n{"messages": 2}\n');
    const failed = await cli(allBad, '--to', 'openai-jsonl', '--out', join(work, 'all-bad.out.jsonl'));
    expect(failed.code).toBe(2);
    expect(failed.stderr.split('\n').at(-1)).toMatch(/^trajdbg convert: .*all-bad\.jsonl \(looked like JSONL of objects with messages\): no line could be imported; first: .*all-bad\.jsonl:1: messages: /);
    expect(readdirSync(work).filter((f) => f.startsWith('all-bad.out'))).toEqual([]);
  });

  it('streams: 20,000 trajectories convert line for line, and memory does not follow the count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-convert-many-'));
    const generate = (count: number): string => {
      const path = join(dir, `many-${count}.jsonl`);
      const lines: string[] = [];
      for (let i = 0; i < count; i++) {
        lines.push(JSON.stringify({
          id: `t${i}`,
          messages: [
            { role: 'user', content: `task ${i}` },
            { role: 'assistant', content: '', tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'terminal', arguments: `{"command": "echo ${i}"}` } }] },
            { role: 'tool', tool_call_id: `c${i}`, content: `{"output": "${i}", "exit_code": ${i % 10 === 0 ? -1 : 0}}` },
            { role: 'assistant', content: `done ${i}` },
          ],
        }));
      }
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    // Peak heap while converting over the heap before, and what stays after a collection (both
    // steadier with --expose-gc; without it the peak mostly says when the collector ran).
    const gc = (globalThis as { gc?: () => void }).gc;
    const heapGrowth = async (input: string, format: string): Promise<{ result: Awaited<ReturnType<typeof cli>>; peak: number; kept: number | null }> => {
      gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      // With a collector at hand each sample is the live heap; without, it includes garbage.
      const timer = setInterval(() => {
        gc?.();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, gc ? 25 : 10);
      try {
        const result = await cli(input, '--to', format, '--out', join(dir, `${format}.out`));
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        gc?.();
        return { result, peak: (peak - before) / 2 ** 20, kept: gc ? (process.memoryUsage().heapUsed - before) / 2 ** 20 : null };
      } finally {
        clearInterval(timer);
      }
    };
    const mb = (n: number | null): string => (n === null ? '?' : `${n.toFixed(1)} MB`);
    const small = generate(2000);
    const large = generate(20000);
    // agent-result is the writer that holds a trajectory back; set CONVERT_MEMORY_FORMATS to measure others.
    for (const format of (process.env.CONVERT_MEMORY_FORMATS ?? 'agent-result').split(',')) {
      const a = await heapGrowth(small, format);
      const b = await heapGrowth(large, format);
      expect(b.result).toEqual({ code: 0, stdout: '', stderr: `wrote 20000 trajectories to ${join(dir, `${format}.out`)}` });
      const text = readFileSync(join(dir, `${format}.out`), 'utf8');
      expect(text.split('\n')).toHaveLength(20001);
      expect(text.endsWith('\n')).toBe(true);
      console.info(`[convert --to ${format}] heap growth, peak / kept after GC: 2,000 trajectories ${mb(a.peak)} / ${mb(a.kept)}; 20,000 trajectories ${mb(b.peak)} / ${mb(b.kept)}${gc ? '' : ' (run with --expose-gc to collect first)'}`);
    }
    if (!existsSync(join(dir, 'agent-result.out'))) return;
    const firstAndLast = readFileSync(join(dir, 'agent-result.out'), 'utf8').trimEnd().split('\n').filter((_, i, all) => i === 0 || i === all.length - 1);
    expect(firstAndLast.map((l) => (JSON.parse(l) as { tool_calls_exec_error: number }).tool_calls_exec_error)).toEqual([1, 0]);
  }, 120_000);
});
