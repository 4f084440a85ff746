import { REPLAY_USAGE, replayCommand } from './replay-command.js';
import { RUN_USAGE, runCommand } from './run-command.js';
import { UsageError } from './usage-error.js';
import { CONVERT_USAGE, convertCommand } from './convert-command.js';
import { DEMO_USAGE, demoCommand } from './demo-command.js';
import { SCRIPTED_SERVER_USAGE, scriptedServerCommand } from './scripted-server-command.js';
import { SERVE_USAGE, serveCommand } from './serve-command.js';
import { OPEN_USAGE, START_USAGE, openCommand, startCommand } from './start-command.js';
import { QUERY_USAGE } from './query-usage.js';

const USAGE = `Usage: trajdbg <command> [options]

Commands:
  run              run the agent loop against a model server
  replay FILE      recompute a saved trajectory's AgentResult under a context budget
  demo             run the built-in demo loop (no model server or key needed)
  scripted-server  serve a scripted OpenAI-compatible model for tests and demos
  start            open the desktop app (or, where it cannot run, serve the UI)
  open FILE[#N]    open a trajectory file in the app, at trajectory N
  serve            serve the debugger UI to a browser on 127.0.0.1
  convert IN       list or convert the trajectories of a file to another format
  query SET...     filter and sort the rollouts of a set of shards (folders, globs, files) with SQL

Run 'trajdbg <command> --help' for a command's options.`;

const COMMANDS: Record<string, { usage: string; run: (args: string[], stderr: (line: string) => void) => Promise<number> }> = {
  run: { usage: RUN_USAGE, run: (args, stderr) => runCommand(args, process.env, stderr) },
  replay: { usage: REPLAY_USAGE, run: replayCommand },
  demo: { usage: DEMO_USAGE, run: demoCommand },
  'scripted-server': { usage: SCRIPTED_SERVER_USAGE, run: scriptedServerCommand },
  start: { usage: START_USAGE, run: startCommand },
  open: { usage: OPEN_USAGE, run: openCommand },
  serve: { usage: SERVE_USAGE, run: (args, stderr) => serveCommand(args, stderr) },
  convert: { usage: CONVERT_USAGE, run: (args, stderr) => convertCommand(args, stderr) },
  // Loaded when used: it brings in DuckDB.
  query: { usage: QUERY_USAGE, run: async (args, stderr) => (await import('./query-command.js')).queryCommand(args, stderr) },
};

/** The `trajdbg` command line; returns the exit code (0 done, 1 engine failure, 2 bad usage or input). */
export async function main(argv: string[], stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    stderr(`trajdbg: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, stderr);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      stderr(`trajdbg ${name}: ${(error as Error).message}`);
      return 2;
    }
    stderr(`trajdbg ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
