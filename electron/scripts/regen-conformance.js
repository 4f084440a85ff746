#!/usr/bin/env node
// Recomputes the expectations of this project's extra conformance cases by running each through
// the reference loop (../shared/conformance/seed/run_case.py, plain Python 3). The case is read
// and written by Python too, so that integers beyond 2^53 keep every digit.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'electron/testing/cases';
const runCase = '../shared/conformance/seed/run_case.py';
const REGEN = String.raw`
import json, re, subprocess, sys, tempfile
run_case, path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as f:
    case = json.load(f)
case.pop("expected", None)
with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as tmp:
    json.dump(case, tmp)
    tmp.flush()
    out = json.loads(subprocess.check_output([sys.executable, run_case, tmp.name]))
case["expected"] = {"result": out["result"], "requests": out["requests"]}
text = json.dumps(case, indent=1, ensure_ascii=False)
# A lone surrogate cannot be written as UTF-8: escape it as JSON does.
text = re.sub("[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group()), text)
with open(path, "w", encoding="utf-8") as f:
    f.write(text + "\n")
print(f"{path.rsplit('/', 1)[-1]}: turns_used {out['result']['turns_used']}, {len(out['requests'])} requests")
`;
const only = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && (only.length === 0 || only.includes(f)))) {
  process.stdout.write(execFileSync('python3', ['-c', REGEN, runCase, join(dir, file)], { encoding: 'utf8' }));
}
