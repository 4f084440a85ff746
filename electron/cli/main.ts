import { UsageError } from './usage-error.js';

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

type Command = { usage: string; run: (args: string[], stderr: (line: string) => void) => Promise<number> };

// Each command's modules load only when that command runs: `trajdbg --help` starts like node itself.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => {
    const m = await import('./run-command.js');
    return { usage: m.RUN_USAGE, run: (args, stderr) => m.runCommand(args, process.env, stderr) };
  },
  replay: async () => {
    const m = await import('./replay-command.js');
    return { usage: m.REPLAY_USAGE, run: m.replayCommand };
  },
  demo: async () => {
    const m = await import('./demo-command.js');
    return { usage: m.DEMO_USAGE, run: m.demoCommand };
  },
  'scripted-server': async () => {
    const m = await import('./scripted-server-command.js');
    return { usage: m.SCRIPTED_SERVER_USAGE, run: m.scriptedServerCommand };
  },
  start: async () => {
    const m = await import('./start-command.js');
    return { usage: m.START_USAGE, run: m.startCommand };
  },
  open: async () => {
    const m = await import('./start-command.js');
    return { usage: m.OPEN_USAGE, run: m.openCommand };
  },
  serve: async () => {
    const m = await import('./serve-command.js');
    return { usage: m.SERVE_USAGE, run: (args, stderr) => m.serveCommand(args, stderr) };
  },
  convert: async () => {
    // The importers are most of its start-up: `convert --help` reads the usage without them.
    const m = await import('./convert-usage.js');
    return { usage: m.CONVERT_USAGE, run: async (args, stderr) => (await import('./convert-command.js')).convertCommand(args, stderr) };
  },
  query: async () => {
    // DuckDB is the heaviest module of all: `query --help` reads the usage without loading it.
    const m = await import('./query-usage.js');
    return { usage: m.QUERY_USAGE, run: async (args, stderr) => (await import('./query-command.js')).queryCommand(args, stderr) };
  },
};

/** The `trajdbg` command line; returns the exit code (0 done, 1 engine failure, 2 bad usage or input). */
export async function main(argv: string[], stderr: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    stderr(`trajdbg: unknown command '${name}'\n${USAGE}`);
    return 2;
  }
  const command = await load();
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
