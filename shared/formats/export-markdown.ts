import type { Trajectory } from './trajectory.js';
import { interventionText } from '../run/intervention.js';
import { FOLD_CHARS, STATUS_LABELS, fieldSummary, sizeLabel, trajectoryReport, type ReportMessage, type ReportToolCall, type ReportTurn } from './export-report.js';

/*
 * A report of one trajectory as Markdown (for an issue, a pull request or a notes file). Text from
 * the trajectory only ever appears inside code: fenced blocks whose fence is longer than any run
 * of backticks in the text, or code spans built the same way, so no message can close its block
 * or inject headings, links or HTML.
 */

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  return longest;
}

/** A fenced code block that no content can close: the fence is longer than any backtick run in it. */
export function fencedBlock(text: string, info = 'text'): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}${info}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** An inline code span on one line: backtick delimiters longer than any run inside, padded when needed. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return flat === '' ? '(empty)' : `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A table cell: pipes escaped (GFM splits cells on them even inside code). */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function section(label: string, text: string, info = 'text'): string {
  const size = text.length > FOLD_CHARS ? ` (${sizeLabel(text)})` : '';
  if (text === '') return `**${label}:** _(empty)_`;
  return `**${label}**${size}\n\n${fencedBlock(text, info)}`;
}

function callMarkdown(call: ReportToolCall, k: number): string {
  const failed = call.error !== null;
  const parts = [`#### Tool call ${k + 1}: ${codeSpan(call.name ?? 'None')}${call.id ? ` (${codeSpan(String(call.id))})` : ''}, ${failed ? `**${STATUS_LABELS[call.status]}**` : STATUS_LABELS[call.status]}`];
  if (call.intervention) parts[0] += `, **${interventionText(call.intervention)}**`;
  if (failed) parts.push(`> **Error:**\n\n${fencedBlock(call.error!)}`.replace(/\n/g, '\n> '));
  parts.push(section('Arguments', call.prettyArguments ?? call.arguments, call.prettyArguments ? 'json' : 'text'));
  if (call.intervention?.action === 'edit') parts.push(section('Arguments the model sent', call.intervention.model_arguments));
  if (call.result !== null) parts.push(section('Result', call.prettyResult ?? call.result, call.prettyResult ? 'json' : 'text'));
  return parts.join('\n\n');
}

function turnMarkdown(entry: ReportTurn): string {
  const parts = [`### Turn ${entry.turn}`];
  if (entry.reasoning !== null) parts.push(section('Reasoning', entry.reasoning));
  parts.push(section('Assistant', entry.text));
  entry.calls.forEach((call, k) => parts.push(callMarkdown(call, k)));
  entry.unmatchedResults.forEach((result, k) => parts.push(section(`Tool result ${k + 1} that no call matches`, result)));
  return parts.join('\n\n');
}

function messageMarkdown(entry: ReportMessage): string {
  const text = entry.pretty ?? entry.text;
  const size = text.length > FOLD_CHARS ? ` (${sizeLabel(text)})` : '';
  return `### ${roleTitle(entry.role)}${size}\n\n${text === '' ? '_(empty)_' : fencedBlock(text, entry.pretty ? 'json' : 'text')}`;
}

/** The heading of a message outside a turn; a role from the file is only ever shown as code. */
function roleTitle(role: string): string {
  if (role === 'system' || role === 'user') return role === 'system' ? 'System' : 'User';
  if (role === 'tool') return 'Tool result that no call matches';
  return `Message with role ${codeSpan(role)}`;
}

/** One trajectory as a Markdown report (see the file comment). */
export function trajectoryMarkdown(t: Trajectory): string {
  const r = trajectoryReport(t);
  const lines = [
    `# Trajectory ${codeSpan(r.id)}`,
    '',
    `- Model: ${r.model === null ? 'unknown' : codeSpan(r.model)}`,
    `- Format: ${r.formatDescription} (${codeSpan(r.format)}), trajectory ${r.index} of its file`,
  ];
  if (r.reward !== null) lines.push(`- Reward: ${r.reward}`);
  lines.push(
    '',
    '## AgentResult',
    '',
    "Recorded: the file holds the value. Derived: computed from the messages with the engine's rules.",
    '',
    '| Field | Value | Source |',
    '| --- | --- | --- |',
    ...r.fields.map((f) => {
      const also = f.derivedValue === undefined ? '' : ` (the engine's rules derive ${fieldSummary(f.field, f.derivedValue)})`;
      return `| \`${f.field}\` | ${cell(fieldSummary(f.field, f.value) + also)} | ${f.origin} |`;
    }),
  );
  if (r.toolErrors.length > 0) {
    lines.push('', '### tool_errors', '');
    r.toolErrors.forEach((e, k) => lines.push(`${k + 1}. Turn ${e.turn}, ${codeSpan(e.tool_name ?? 'None')}: ${codeSpan(e.error)}`));
  }
  if (r.managedState !== null && r.managedState !== undefined) lines.push('', section('managed_state', JSON.stringify(r.managedState, null, 2), 'json'));
  if (r.tools !== null) lines.push('', section('Tool schemas', r.tools, 'json'));
  lines.push('', '## Messages');
  for (const entry of r.entries) lines.push('', entry.kind === 'turn' ? turnMarkdown(entry) : messageMarkdown(entry));
  return `${lines.join('\n')}\n`;
}
