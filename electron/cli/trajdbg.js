#!/usr/bin/env node
// The `trajdbg` command: runs the bundled CLI in out/cli/ (built by `npm run build`, which `npm ci`
// runs through the `prepare` script): a few files for Node to load instead of the ~150 modules
// of the compiled tree, which made start-up three times as slow as Node's own.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../out/cli/trajdbg.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('trajdbg: not built yet: run `npm ci` (or `npm run build`) in the project folder first\n');
  process.exit(2);
}
// A reader that stops early (`trajdbg convert F --list | head -1`) closes the pipe: that ends the
// command quietly, as it ends `cat` or `grep`, instead of with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
