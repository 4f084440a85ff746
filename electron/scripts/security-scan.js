#!/usr/bin/env node
// `npm run security`: Electronegativity (Doyensec's scanner for Electron misconfigurations) over
// what the desktop app runs: the main process (electron/main), the preload, the renderer's
// sources and its index.html (the CSP), and package.json. Fails on any HIGH or MEDIUM finding
// that is not a reviewed exception below. Usage: node electron/scripts/security-scan.js [--root DIR]
//
// Electronegativity 1.10.3 needs three guards to be trusted as a gate:
// - it exits 0 whatever it finds, so the gate reads its CSV;
// - with an output file it drops a file it cannot parse without a word, so every staged file is
//   first parsed here with its own parser, and one that fails stops the scan;
// - it writes the CSV header and the rows with two unsynchronised writes, which now and then
//   overwrite or truncate the rows; package.json always yields ELECTRON_VERSION_JSON_CHECK, so a
//   CSV without that row, or with a row that does not parse, is damaged and the scan is rerun.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Findings reviewed against the code, by check and file (any line of that file). A new finding of
 * the same check in another file fails the scan until it is reviewed too.
 */
const REVIEWED = [
  {
    check: 'PRELOAD_JS_CHECK',
    file: 'electron/main/window.ts',
    reason:
      'raised by any preload at all. Ours runs sandboxed with contextIsolation and exposes only window.trajdbg through ' +
      'contextBridge: send and onFrame, strings only, over a MessagePort the preload keeps to itself, and ' +
      'webUtils.getPathForFile. No ipcRenderer, port, Node or Electron object reaches the page; the main process checks ' +
      'the sender frame before taking the port and validates every frame and request with shared/rpc and the ' +
      'contract\'s zod schemas (electron/main/ipc.ts).',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/main/security.ts',
    reason:
      'openExternalLink hands a URL to shell.openExternal only when it parses as http: or https: (isWebUrl); ' +
      'file:, javascript:, smb: and other schemes that could start local programs are dropped ' +
      '(electron/main/security.test.ts).',
  },
];

const GATED = new Set(['HIGH', 'MEDIUM']);
const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url';
/** Always raised for the staged package.json: its absence means the CSV lost its rows. */
const SENTINEL = 'ELECTRON_VERSION_JSON_CHECK';
const ATTEMPTS = 3;

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = resolve(values.root ?? fileURLToPath(new URL('../..', import.meta.url)));
const require = createRequire(import.meta.url);

/** The scan itself could not be done (exit 2), as opposed to findings (exit 1). */
class ScanError extends Error {}

function fail(message) {
  throw new ScanError(message);
}

// ---------------------------------------------------------------------------------------------
// What is scanned

/** Folders walked for sources (tests excluded: their fakes are not what the app runs). */
const SOURCE_DIRS = ['electron/main', 'electron/preload', 'renderer/src'];
/** Single files: the page that carries the CSP, and the manifest (Electron version, flags). */
const SOURCE_FILES = ['renderer/index.html', 'package.json'];
const SOURCE_FILE = /\.(ts|tsx|js|jsx|html)$/;
const TEST_FILE = /\.(test|spec)\.(ts|tsx|js|jsx)$/;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name) ? [path] : [];
  });
}

function sourcesToScan() {
  const files = [];
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) fail(`${dir} is missing under ${root}`);
    files.push(...walk(join(root, dir)).map((path) => relative(root, path)));
  }
  for (const file of SOURCE_FILES) {
    if (!existsSync(join(root, file))) fail(`${file} is missing under ${root}`);
    files.push(file);
  }
  return files;
}

/** The Electron version the app is built on, as package.json pins it. */
function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const spec = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  const version = /^[~^=v]*(\d+\.\d+\.\d+)$/.exec(spec ?? '')?.[1];
  if (!version) fail(`package.json: expected an exact electron version, got ${JSON.stringify(spec)}`);
  return version;
}

// ---------------------------------------------------------------------------------------------
// Running the scanner

const scannerDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const scannerPackage = JSON.parse(readFileSync(join(scannerDir, 'package.json'), 'utf8'));
const scannerBin = join(scannerDir, scannerPackage.bin.electronegativity);

/** Files the scanner's own parser (the one its runner uses) cannot read: it would skip them. */
function unparsable(stage, files) {
  const { Parser } = require(join(scannerDir, 'dist/parser/parser.js'));
  const parser = new Parser(false, true);
  const problems = [];
  for (const file of files) {
    try {
      const [, data] = parser.parse(join(stage, file), readFileSync(join(stage, file)));
      if (data === null) problems.push(`${file}: not a source the scanner reads`);
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }
  return problems;
}

/** RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The findings of a CSV the scanner wrote, or null when the CSV is damaged. */
function findingsOf(csv) {
  if (!csv.startsWith(`${CSV_HEADER}\n`) && !csv.startsWith(`${CSV_HEADER}\r\n`)) return null;
  const rows = parseCsv(csv).slice(1);
  const findings = [];
  for (const row of rows) {
    const [check, severity, confidence, file, location, sample] = row;
    const line = /^(\d+):\d+$/.exec(location ?? '')?.[1];
    if (row.length !== 8 || !/^[A-Z0-9_]+_CHECK$/.test(check) || !SEVERITIES.includes(severity) || line === undefined) return null;
    findings.push({ check, severity, confidence, file, line: Number(line), sample });
  }
  return findings.some((f) => f.check === SENTINEL) ? findings : null;
}

function scan(stage, version) {
  const out = mkdtempSync(join(tmpdir(), 'trajdbg-security-out-'));
  try {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      const csvPath = join(out, `findings-${attempt}.csv`);
      const args = [scannerBin, '-i', stage, '-x', 'AvailableSecurityFixesGlobalCheck', '-e', version, '-r', '-v', 'false', '-o', csvPath];
      const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
      if (result.status !== 0 || !existsSync(csvPath)) {
        fail(`electronegativity failed (exit ${result.status ?? result.signal}):\n${result.stderr || result.stdout}`);
      }
      const findings = findingsOf(readFileSync(csvPath, 'utf8'));
      if (findings) return findings;
      process.stderr.write(`security scan: the scanner's CSV came out damaged (attempt ${attempt} of ${ATTEMPTS}), scanning again\n`);
    }
    throw new ScanError(`the scanner's CSV was damaged ${ATTEMPTS} times in a row`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The gate

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/** Copies the sources to a folder of their own (same relative paths) and scans that. */
function scanSources() {
  const version = electronVersion();
  const files = sourcesToScan();
  const stage = mkdtempSync(join(tmpdir(), 'trajdbg-security-src-'));
  try {
    for (const file of files) {
      mkdirSync(dirname(join(stage, file)), { recursive: true });
      copyFileSync(join(root, file), join(stage, file));
    }
    const problems = unparsable(stage, files);
    if (problems.length > 0) fail(`the scanner cannot parse these files, so it would skip them:\n  ${problems.join('\n  ')}`);
    process.stdout.write(`electronegativity ${scannerPackage.version}, Electron ${version}: ${files.length} files (${SOURCE_DIRS.join(', ')}, ${SOURCE_FILES.join(', ')})\n\n`);
    return scan(stage, version);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

let findings;
try {
  findings = scanSources();
} catch (error) {
  if (!(error instanceof ScanError)) throw error;
  process.stderr.write(`security scan: ${error.message}\n`);
  process.exit(2);
}
const reviewedOf = (f) => REVIEWED.find((r) => r.check === f.check && r.file === f.file);
const verdictOf = (f) => (!GATED.has(f.severity) ? 'not gated' : reviewedOf(f) ? 'reviewed exception' : 'FAIL');
findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.check.localeCompare(b.check));
const rows = [['check', 'severity', 'file:line', 'verdict'], ...findings.map((f) => [f.check, f.severity, f.file === 'N/A' ? '(whole app)' : `${f.file}:${f.line}`, verdictOf(f)])];
process.stdout.write(`${table(rows)}\n`);

const used = REVIEWED.filter((r) => findings.some((f) => reviewedOf(f) === r));
if (used.length > 0) {
  process.stdout.write('\nReviewed exceptions:\n');
  for (const r of used) process.stdout.write(`  ${r.check} (${r.file}): ${r.reason}\n`);
}
for (const r of REVIEWED.filter((x) => !used.includes(x))) {
  process.stdout.write(`\nnote: the exception for ${r.check} in ${r.file} matched nothing; remove it if the finding is gone for good\n`);
}

const count = (severity, verdict) => findings.filter((f) => f.severity === severity && (!verdict || verdictOf(f) === verdict)).length;
const failing = findings.filter((f) => verdictOf(f) === 'FAIL').length;
const excepted = findings.filter((f) => verdictOf(f) === 'reviewed exception');
process.stdout.write(
  `\n${count('HIGH', 'FAIL')} HIGH, ${count('MEDIUM', 'FAIL')} MEDIUM` +
    ` (${excepted.length} reviewed exception${excepted.length === 1 ? '' : 's'}${excepted.length ? `: ${excepted.map((f) => f.check).join(', ')}` : ''}),` +
    ` ${count('LOW')} LOW, ${count('INFORMATIONAL')} INFORMATIONAL not gated\n`,
);
process.exit(failing > 0 ? 1 : 0);
