import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '#shared/run/events.js';
import { readRunFile } from './run-file.js';
import type { ScriptedReply } from '../../scripted-server/scripted-server.js';
import { useScriptedServers } from '../../testing/scripted-servers.js';

/**
 * `trajdbg run` killed with SIGKILL in the middle of a loop: the run file it leaves must read back
 * with every turn it finished writing, and a last line cut short must be reported, not thrown.
 */

const serve = useScriptedServers();
const built = existsSync(resolve('out/cli/trajdbg.js'));
const CLI = resolve('electron/cli/trajdbg.js');

/** Turns the script offers; the run is killed long before the last. */
const TURNS = 20;
/** Turns written whole before the kill. */
const KILL_AFTER = 3;
/** Each model reply waits this long, so the run is always somewhere in the middle. */
const REPLY_DELAY_MS = 200;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function toolTurn(turn: number): ScriptedReply {
  const args = JSON.stringify({ path: `notes/turn-${turn}.txt`, content: `turn ${turn}\n`.repeat(50) });
  return {
    message: { content: `Writing note ${turn}.`, reasoning_content: `note ${turn} next`, tool_calls: [{ id: `call_${turn}`, type: 'function', function: { name: 'write_file', arguments: args } }] },
    delay_ms: REPLY_DELAY_MS,
  };
}

/** The events of the complete lines of a run file's text (those ended by a newline). */
function completeLineEvents(text: string): RunEvent[] {
  return text.split('\n').slice(0, -1).filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as RunEvent);
}

const finishedTurns = (events: readonly RunEvent[]) => events.filter((e) => e.type === 'turn_finished').length;

/** Polls the run file until `turns` turn_finished lines are written whole; rejects if the child exits first. */
async function waitForTurns(path: string, turns: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (existsSync(path) && finishedTurns(completeLineEvents(readFileSync(path, 'utf8'))) >= turns) return;
    if (child.exitCode !== null) throw new Error(`trajdbg run exited (${child.exitCode}) before ${turns} turns were written:\n${stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${turns} finished turns in ${path} after 20 s:\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a run killed mid-way', () => {
  it.skipIf(!built)(`keeps every turn written before SIGKILL and reports a cut last line (needs out/: npm run build)`, async () => {
    const script: ScriptedReply[] = [...Array.from({ length: TURNS - 1 }, (_, i) => toolTurn(i + 1)), { message: { content: 'All notes written.' } }];
    const server = await serve(script);
    const dir = mkdtempSync(join(tmpdir(), 'trajdbg-crash-'));
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    const runFile = join(dir, 'run.jsonl');

    const child = spawn(
      process.execPath,
      [CLI, 'run', '--base-url', server.url, '--model', 'scripted', '--user', 'Write the notes.', '--builtin-tools', 'write_file', '--workspace', workspace, '--max-turns', String(TURNS), '--run-file', runFile],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));

    await waitForTurns(runFile, KILL_AFTER, child, () => stderr);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // What the process managed to write, judged line by line without the reader under test.
    const text = readFileSync(runFile, 'utf8');
    const whole = completeLineEvents(text);
    const written = finishedTurns(whole);
    expect(written).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(written).toBeLessThan(TURNS);
    expect(whole.some((e) => e.type === 'run_finished')).toBe(false);

    const file = readRunFile(runFile);
    const cut = !text.endsWith('\n');
    expect(file.problems).toHaveLength(cut ? 1 : 0);
    expect(file.events).toEqual(whole);
    expect(finishedTurns(file.events)).toBe(written);
    const state = file.state.current;
    expect(state.end).toBeFalsy();
    expect(state.turns.length).toBeGreaterThanOrEqual(written);
    for (const turn of state.turns.slice(0, written)) {
      expect(turn.finished).toBe(true);
      expect(turn.toolCalls).toHaveLength(1);
      expect(turn.toolCalls[0]!.status).toBe('ok');
      expect(existsSync(join(workspace, 'notes', `turn-${turn.turn}.txt`))).toBe(true);
    }

    // The same file cut in the middle of its last line, as a kill during a write leaves it.
    const lines = text.split('\n').filter((line) => line !== '');
    const last = lines.at(-1)!;
    const cutPath = join(dir, 'cut.jsonl');
    writeFileSync(cutPath, `${lines.slice(0, -1).join('\n')}\n${last.slice(0, Math.floor(last.length / 2))}`);
    let cutFile: ReturnType<typeof readRunFile> | undefined;
    expect(() => (cutFile = readRunFile(cutPath))).not.toThrow();
    expect(cutFile!.problems).toEqual([{ line: lines.length, message: `${cutPath}:${lines.length}: the last line is incomplete (the run was interrupted while writing it)` }]);
    expect(cutFile!.events).toEqual(completeLineEvents(text).slice(0, lines.length - 1));
    expect(finishedTurns(cutFile!.events)).toBe(finishedTurns(completeLineEvents(text).slice(0, lines.length - 1)));
  }, 30_000);
});
