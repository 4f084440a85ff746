#!/usr/bin/env node
// Recomputes the expectations of this project's extra conformance cases by running each through
// the reference loop (../shared/conformance/seed/run_case.py, plain Python 3).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'electron/testing/cases';
const runCase = '../shared/conformance/seed/run_case.py';
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const path = join(dir, file);
  const data = JSON.parse(readFileSync(path, 'utf8'));
  delete data.expected;
  writeFileSync(path, JSON.stringify(data));
  const out = JSON.parse(execFileSync('python3', [runCase, path], { encoding: 'utf8' }));
  data.expected = { result: out.result, requests: out.requests };
  writeFileSync(path, `${JSON.stringify(data, null, 1)}\n`);
  console.log(`${file}: turns_used ${out.result.turns_used}, ${out.requests.length} requests`);
}
