import { z } from 'zod';
import { baseName, checkNesting, FormatError, isJson, isObject, messagesOf, Misfit, num, parseJson, parseWith, recordedOf, str } from './import-common.js';
import { importHermesSession, importShareGpt } from './import-hermes.js';
import { importInspectEval, importInspectLog } from './import-inspect.js';
import { importClaudeCodeSession, isClaudeCodeRecord } from './import-claude-code.js';
import { importLangfuseTraces, isLangfuseTrace } from './import-langfuse.js';
import { importOpenHands } from './import-openhands.js';
import { importCodexSession, importNemoGymRollout, isCodexSessionRecord, isResponsesRollout, type TextImport } from './import-responses.js';
import { importTau2Bench, importTauBench, isTau2Results, isTauBenchResults } from './import-tau-bench.js';
import { importVerifiersResult, isVerifiersResult } from './import-verifiers.js';
import { importRunFile, isRunFileHead } from './import-run-file.js';
import { importMiniSweAgent, importSweAgent } from './import-swe-agent.js';
import { looksLikeZip } from './import-zip.js';
import type { FormatId, Trajectory } from './trajectory.js';

// Format detection and the entry points; each format's importer lives in its own import-*.ts.
export { FormatError, jsonErrorOffset, lineColumn, MAX_NESTING, parseJson } from './import-common.js';

/** What an import produced: the trajectories of the good parts and one problem per skipped line. */
export interface ImportResult {
  format: FormatId;
  trajectories: Trajectory[];
  /** `FILE:LINE: what is wrong`, one per skipped JSONL line. */
  problems: string[];
}

/** What each format is called in messages ("looked like ..."). */
export const FORMAT_DESCRIPTIONS: Record<FormatId, string> = {
  'agent-result': 'an AgentResult JSON',
  'chat-messages': 'a JSON list of chat messages',
  'messages-jsonl': 'JSONL of objects with messages',
  'hermes-session-jsonl': 'a hermes-agent session export JSONL',
  'hermes-sharegpt-jsonl': 'a hermes ShareGPT trajectory JSONL',
  'swe-agent-traj': 'a SWE-agent .traj',
  'mini-swe-agent': 'a mini-swe-agent trajectory',
  'inspect-log': 'an Inspect AI log',
  'inspect-eval': 'an Inspect AI .eval zip',
  'openhands-events': 'an OpenHands event list',
  'trajdbg-run': 'a trajdbg run file',
  'nemo-gym-rollouts': 'a NeMo Gym rollouts JSONL (Responses API items)',
  'codex-session': 'a Codex CLI session log (Responses API items)',
  'claude-code-session': 'an agent session transcript (Anthropic Messages blocks)',
  'tau-bench': 'a tau-bench results file',
  'tau2-bench': 'a tau2-bench results file',
  'verifiers-results': 'a verifiers results JSONL',
  'langfuse-trace': 'a Langfuse trace export (OpenTelemetry GenAI)',
};
const DESCRIPTIONS = FORMAT_DESCRIPTIONS;

/** Formats told from the structure of their first record (a JSONL line, else the whole document). */
const STRUCTURAL: ReadonlyArray<[FormatId, (record: unknown) => boolean]> = [
  ['nemo-gym-rollouts', isResponsesRollout],
  ['verifiers-results', isVerifiersResult],
  ['codex-session', isCodexSessionRecord],
  ['claude-code-session', isClaudeCodeRecord],
  ['tau-bench', isTauBenchResults],
  ['tau2-bench', isTau2Results],
  ['langfuse-trace', isLangfuseTrace],
];

/**
 * The first record of a text: its first line when that is JSON and more lines follow, else the
 * whole text (`whole`); null when neither parses.
 */
function firstRecord(text: string): { value: unknown; whole: boolean } | null {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const newline = start.indexOf('\n');
  if (newline >= 0 && start.slice(newline).trim() !== '') {
    const line = parseJson(start.slice(0, newline));
    if (line.ok) return { value: line.value, whole: false };
  }
  if (!/^[[{]/.test(start)) return null;
  const whole = parseJson(start);
  return whole.ok ? { value: whole.value, whole: true } : null;
}

/** The format a first record's structure tells, or null. */
function structuralFormat(record: { value: unknown } | null): FormatId | null {
  return record ? (STRUCTURAL.find(([, test]) => test(record.value))?.[0] ?? null) : null;
}

/** How many leading characters `detectFormat` looks at. */
export const DETECT_BYTES = 65536;

/** The format of a file judged from its first bytes (and name), or null when it looks like nothing known. */
export function detectFormat(firstBytes: string, fileName?: string): FormatId | null {
  if (firstBytes.startsWith('PK')) return 'inspect-eval';
  const text = firstBytes.replace(/^\uFEFF/, '').trimStart();
  const newline = text.indexOf('\n');
  const firstLine = newline < 0 ? text : text.slice(0, newline);
  const jsonl = /\.jsonl$/i.test(fileName ?? '') || (newline >= 0 && text.slice(newline).trim() !== '' && isJson(firstLine.trim()));
  const structural = structuralFormat(firstRecord(text));
  if (structural) return structural;
  if (text.startsWith('[')) {
    if (/"tool_call_metadata"|"observation"\s*:|"action"\s*:/.test(text) && !/^\[\s*\{\s*"role"/.test(text)) return 'openhands-events';
    return 'chat-messages';
  }
  if (!text.startsWith('{')) return null;
  // A run file's first event holds the initial `messages`: told apart before messages JSONL.
  if (isRunFileHead(firstLine)) return 'trajdbg-run';
  const head = jsonl ? firstLine : text;
  const has = (key: string): boolean => new RegExp(`"${key}"\\s*:`).test(head);
  if (jsonl) {
    if (has('conversations')) return 'hermes-sharegpt-jsonl';
    if (has('started_at') && has('end_reason') && has('messages')) return 'hermes-session-jsonl';
    if (has('messages')) return 'messages-jsonl';
    return null;
  }
  if (/^\{\s*"history"\s*:/.test(head) || (has('history') && (has('trajectory') || has('replay_config')))) return 'swe-agent-traj';
  if (has('eval') && (has('samples') || has('plan') || has('results'))) return 'inspect-log';
  // mini-swe-agent writes `info` (with `mini_version` and its class names) first and
  // `trajectory_format` last, after the messages, so the head may only show the former.
  if (/"trajectory_format"\s*:\s*"mini-swe-agent/.test(head) || (has('info') && (has('mini_version') || /"(?:agent|model)_type"\s*:\s*"minisweagent\./.test(head)))) return 'mini-swe-agent';
  if (has('messages')) return 'agent-result';
  if (has('conversations')) return 'hermes-sharegpt-jsonl';
  return null;
}


// --- one JSON document ------------------------------------------------------------------------

// Schemas are built once: building one costs more than checking a line with it.
const agentResultSchema = z.looseObject({ messages: z.unknown() });
const messagesLineSchema = z.looseObject({ messages: z.array(z.unknown()) });

function importAgentResult(data: unknown, id: string): Trajectory[] {
  const object = parseWith(agentResultSchema, data);
  return [{ id: str(object.id) ?? id, model: str(object.model), messages: messagesOf(object.messages), reward: num(object.reward), recorded: recordedOf(object), source: { format: 'agent-result', index: 0 } }];
}

function importChatMessages(data: unknown, id: string): Trajectory[] {
  return [{ id, model: null, messages: messagesOf(data, ''), reward: null, recorded: {}, source: { format: 'chat-messages', index: 0 } }];
}

const DOCUMENT_IMPORTERS: Partial<Record<FormatId, (data: unknown, id: string) => Trajectory[]>> = {
  'agent-result': importAgentResult,
  'chat-messages': importChatMessages,
  'swe-agent-traj': importSweAgent,
  'mini-swe-agent': importMiniSweAgent,
  'inspect-log': (data) => importInspectLog(data),
  'openhands-events': importOpenHands,
};

// --- JSONL --------------------------------------------------------------------------------------

function importMessagesLine(data: unknown, id: string, index: number): Trajectory[] {
  const object = parseWith(messagesLineSchema, data);
  const model = str(object.model);
  const groups = object.messages.length > 0 && object.messages.every(Array.isArray);
  if (!groups) {
    return [{ id: str(object.id) ?? id, model, messages: messagesOf(object.messages), reward: num(object.reward) ?? num(object.score), recorded: recordedOf(object), source: { format: 'messages-jsonl', index } }];
  }
  const scores = Array.isArray(object.scores) ? object.scores : [];
  return object.messages.map((rollout, k) => ({
    id: `${str(object.id) ?? id}.${k}`,
    model,
    messages: messagesOf(rollout, `messages[${k}]`),
    reward: num(scores[k]),
    recorded: {},
    source: { format: 'messages-jsonl' as const, index: index + k },
  }));
}

// Whole files that give problems as well as trajectories: a bad line or item is skipped, the rest opens.
const TEXT_IMPORTERS: Partial<Record<FormatId, (text: string, fileName: string) => TextImport>> = { 'codex-session': importCodexSession, 'claude-code-session': importClaudeCodeSession };
const RECORDS_IMPORTERS: Partial<Record<FormatId, (data: unknown, fileName: string) => TextImport>> = { 'tau-bench': importTauBench, 'tau2-bench': importTau2Bench, 'langfuse-trace': importLangfuseTraces };

const LINE_IMPORTERS: Partial<Record<FormatId, (data: unknown, id: string, index: number) => Trajectory[]>> = {
  'messages-jsonl': importMessagesLine,
  'nemo-gym-rollouts': importNemoGymRollout,
  'verifiers-results': importVerifiersResult,
  'hermes-session-jsonl': importHermesSession,
  'hermes-sharegpt-jsonl': importShareGpt,
};

/** True for the formats with one JSON value per line (imported, and indexed, line by line). */
export function isLineFormat(format: FormatId): boolean {
  return format in LINE_IMPORTERS;
}

/**
 * Imports one JSONL line (`lineNumber` from 1) of a line format: its trajectories, numbered from
 * `firstIndex`, or the problem `FILE:LINE: what is wrong`. A blank line gives no trajectories.
 */
export function importLine(format: FormatId, text: string, fileName: string, lineNumber: number, firstIndex: number): { trajectories: Trajectory[] } | { problem: string } {
  const importer = LINE_IMPORTERS[format];
  if (!importer) throw new FormatError(`${fileName}: ${DESCRIPTIONS[format]} is not a JSONL format`);
  if (text.trim() === '') return { trajectories: [] };
  const parsed = parseJson(text);
  if (!parsed.ok) return { problem: `${fileName}:${lineNumber}: ${parsed.error.replace(/ at line 1, column/, ' at column')}` };
  try {
    checkNesting(parsed.value, '', text);
    return { trajectories: importer(parsed.value, `${baseName(fileName)}:${lineNumber}`, firstIndex) };
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    return { problem: `${fileName}:${lineNumber}: ${error.message}` };
  }
}

/** Imports JSONL lines; a bad line becomes a problem `FILE:LINE: what` and is skipped. */
export function importJsonl(lines: readonly string[], format: FormatId, fileName: string): ImportResult {
  const trajectories: Trajectory[] = [];
  const problems: string[] = [];
  lines.forEach((text, i) => {
    const imported = importLine(format, text, fileName, i + 1, trajectories.length);
    if ('problem' in imported) problems.push(imported.problem);
    else trajectories.push(...imported.trajectories);
  });
  return { format, trajectories, problems };
}

/** Runs an importer, turning its `Misfit` into a `FormatError` that names the file and the format. */
function fitting<T>(fileName: string, format: FormatId, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof Misfit)) throw error;
    throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[format]}): ${error.message}`);
  }
}

/**
 * Imports a whole file's bytes: zip containers (Inspect `.eval`) by their entries, everything else
 * as UTF-8 text (see {@link importText}); invalid UTF-8 is reported with its byte offset.
 */
export function importBytes(bytes: Uint8Array, fileName: string): ImportResult {
  if (looksLikeZip(bytes)) return { format: 'inspect-eval', trajectories: fitting(fileName, 'inspect-eval', () => importInspectEval(bytes)), problems: [] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FormatError(`${fileName}: not UTF-8 text: invalid byte at offset ${invalidUtf8Offset(bytes)}`);
  }
  return importText(text, fileName);
}

/** The offset of the first byte that is not valid UTF-8. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function isMiniSweAgent(value: unknown): boolean {
  return isObject(value) && /^mini-swe-agent/.test(str(value.trajectory_format) ?? '');
}

/**
 * Imports a whole file's text. Throws `FormatError` naming the file, the format it looked like and
 * the first thing that did not fit; bad JSONL lines are skipped and listed in `problems`.
 */
export function importText(text: string, fileName: string): ImportResult {
  // The first record, parsed once: it tells the structural formats, and a whole document is reused.
  const record = firstRecord(text);
  const detected = structuralFormat(record) ?? detectFormat(text.slice(0, DETECT_BYTES), fileName);
  if (detected === null) {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    // mini-swe-agent writes `info` first and `trajectory_format` last: a long `info` hides every
    // key that tells, so an unrecognised object is read whole once to look for that last key.
    const whole = record?.whole && start.startsWith('{') ? { ok: true as const, value: record.value } : null;
    if (whole?.ok && isMiniSweAgent(whole.value)) return { format: 'mini-swe-agent', trajectories: fitting(fileName, 'mini-swe-agent', () => importDocument(importMiniSweAgent, whole.value, start, fileName)), problems: [] };
    const what = start === '' ? 'it is empty' : !/^[[{]/.test(start) ? 'it is not JSON or JSONL' : 'it has none of messages, conversations or a list of chat messages';
    throw new FormatError(`${fileName}: not a known trajectory format: ${what}`);
  }
  if (detected === 'inspect-eval') throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[detected]}): a zip is read from its bytes, not from text`);
  if (detected === 'trajdbg-run') return { format: detected, ...fitting(fileName, detected, () => importRunFile(text, fileName)) };
  const textImporter = TEXT_IMPORTERS[detected];
  if (textImporter) return { format: detected, ...fitting(fileName, detected, () => textImporter(text, fileName)) };
  if (detected in LINE_IMPORTERS) {
    const result = importJsonl(text.replace(/^\uFEFF/, '').split(/\r?\n/), detected, fileName);
    if (result.trajectories.length === 0) {
      throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[detected]}): no line could be imported${result.problems[0] ? `; first: ${result.problems[0]}` : ''}`);
    }
    return result;
  }
  const parsed = record?.whole ? { ok: true as const, value: record.value } : parseJson(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) throw new FormatError(`${fileName} (looked like ${DESCRIPTIONS[detected]}): ${parsed.error}`);
  const recordsImporter = RECORDS_IMPORTERS[detected];
  if (recordsImporter) {
    return { format: detected, ...fitting(fileName, detected, () => {
      checkNesting(parsed.value, '', text);
      return recordsImporter(parsed.value, fileName);
    }) };
  }
  // A mini-swe-agent file whose head did not show what it is still says so in its last key.
  const format: FormatId = detected === 'agent-result' && isMiniSweAgent(parsed.value) ? 'mini-swe-agent' : detected;
  const importer = DOCUMENT_IMPORTERS[format]!;
  return { format, trajectories: fitting(fileName, format, () => importDocument(importer, parsed.value, text, fileName)), problems: [] };
}

/** Runs a document importer on a file's parsed `text` once its nesting is known to be within bounds. */
function importDocument(importer: (data: unknown, id: string) => Trajectory[], data: unknown, text: string, fileName: string): Trajectory[] {
  checkNesting(data, '', text);
  return importer(data, baseName(fileName));
}
