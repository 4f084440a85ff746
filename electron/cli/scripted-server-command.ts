import { parseArgs } from 'node:util';
import { DEMO_SCRIPT } from '../engine/demo/demo-script.js';
import { loadScript, startScriptedServer } from '../scripted-server/scripted-server.js';
import { readJsonFile } from './input-files.js';
import { intOption } from './options.js';
import { UsageError } from './usage-error.js';

export const SCRIPTED_SERVER_USAGE = `Usage: trajdbg scripted-server [--script FILE] [--port N]

Serves a scripted OpenAI-compatible model on 127.0.0.1 (chat completions, streaming and not) until
interrupted. FILE is a JSON list of replies ({"message": {...}}, {"http_error": 500}, {"empty": true})
or a conformance case; without it, the demo script. Prints the base URL on stdout.`;

/** `trajdbg scripted-server`: a model for tests and demos that replies from a script. */
export async function scriptedServerCommand(args: string[], stderr: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { script: { type: 'string' }, port: { type: 'string' } } });
  let script;
  try {
    script = loadScript(values.script ? readJsonFile(values.script, '--script') : DEMO_SCRIPT);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--script ${values.script}: ${(error as Error).message}`);
  }
  const server = await startScriptedServer({ script, port: intOption('port', values.port, { min: 0 }) ?? 0 });
  process.stdout.write(`${server.url}\n`);
  stderr(`scripted model server with ${script.length} replies at ${server.url} (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}
