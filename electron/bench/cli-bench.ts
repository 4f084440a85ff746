import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateTrajectory } from './generate.js';
import { scratchDir } from './scratch.js';

/**
 * CLI start-up benchmark: `trajdbg --help` and `trajdbg convert FILE --list` on small files of
 * several formats (a generated run file and real files from the corpus), against `node -e 0`, in
 * the same run (the median of several alternating runs each), printed as ratios beside the goal
 * (within 2x of `node -e 0`).
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const trajdbg = join(root, 'electron/cli/trajdbg.js');
const corpus = join(root, '../shared/corpus');
const RUNS = 11;

/** Small corpus files (9 to 42 KB), one per format, read where they are (never copied). */
const CORPUS_FILES: Array<[string, string]> = [
  ['chat messages JSON', 'mini-swe-agent_github_issue.traj.json'],
  ['verifiers JSONL', 'verifiers_math-python_gpt-4.1-mini_578769a7_results.jsonl'],
  ['agent session JSONL', 'spotter_tool_heavy.jsonl'],
  ['Inspect .eval', 'inspect-ai_log_streaming.eval'],
];

function timeMs(args: string[]): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const small = join(scratchDir('trajdbg-cli-bench-'), 'small.json');
  writeFileSync(small, JSON.stringify(generateTrajectory(5)));
  const commands: Array<[string, string[]]> = [
    ['node -e 0', ['-e', '0']],
    ['trajdbg --help', [trajdbg, '--help']],
    ['trajdbg convert --help', [trajdbg, 'convert', '--help']],
    ['trajdbg convert FILE --list', [trajdbg, 'convert', small, '--list']],
    ...CORPUS_FILES.map(([format, name]): [string, string[]] => [`convert --list (${format})`, [trajdbg, 'convert', join(corpus, name), '--list']]),
  ];
  const times = new Map<string, number[]>(commands.map(([name]) => [name, []]));
  for (let i = 0; i < RUNS; i++) for (const [name, args] of commands) times.get(name)!.push(timeMs(args));
  const base = median(times.get('node -e 0')!);
  console.log(`CLI start-up, median of ${RUNS} runs each, ${process.version} (goal: within 2x of node -e 0)`);
  for (const [name] of commands) {
    const ms = median(times.get(name)!);
    const ratio = ms / base;
    console.log(`${name.padEnd(36)} ${ms.toFixed(0).padStart(6)} ms   ${ratio.toFixed(2)}x node -e 0${name === 'node -e 0' ? '' : `   ${ratio <= 2 ? 'meets' : 'MISSES'}`}`);
  }
}

main();
