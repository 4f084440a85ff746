import type { Trajectory } from './trajectory.js';
import { interventionText } from '../run/intervention.js';
import { FOLD_CHARS, STATUS_LABELS, fieldSummary, sizeLabel, trajectoryReport, type ReportMessage, type ReportToolCall, type ReportTurn } from './export-report.js';
import { splitHidden } from './hidden-characters.js';

/*
 * A report of one trajectory as a single HTML file a colleague opens without the app. It must be
 * safe to open from anyone's trajectory: every string from the file is escaped, and the page
 * carries no script and a policy that forbids loading anything at all (inline styles only).
 */

/** The report page's Content-Security-Policy: nothing may load or run; only its inline styles apply. */
export const REPORT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1f23; --bg: #ffffff; --muted: #5f6670; --box: #f4f5f7; --line: #d8dbe0;
  --accent: #2f5fb3; --think: #f3f0fa; --think-line: #8a6fd1; --err: #b42318; --err-bg: #fdecea; --ok: #1f7a3d; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e5e8; --bg: #16181c; --muted: #9aa1ab; --box: #1f2228; --line: #343943;
    --accent: #7fa6ee; --think: #221e2e; --think-line: #9d86e0; --err: #ff8a7a; --err-bg: #3a1d1b; --ok: #6fcf8f; }
}
body { font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
h4 { font-size: .9rem; margin: .8rem 0 .3rem; color: var(--muted); font-weight: 600; }
.meta { color: var(--muted); margin: 0; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { background: var(--box); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: 0;
  white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .25rem .8rem .25rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
.origin { font-size: .8rem; padding: 0 .4rem; border-radius: 4px; border: 1px solid var(--line); }
.origin.recorded { color: var(--ok); }
.origin.derived { color: var(--muted); }
article { border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin: 1rem 0; }
article.turn { border-left: 4px solid var(--accent); }
.reasoning pre { background: var(--think); border-color: var(--think-line); border-style: dashed; font-style: italic; }
.call { margin-top: .8rem; padding-top: .4rem; border-top: 1px dotted var(--line); }
.call.failed { background: var(--err-bg); border: 1px solid var(--err); border-radius: 6px; padding: .5rem .8rem; }
.status { font-size: .8rem; padding: 0 .4rem; border-radius: 4px; border: 1px solid currentColor; }
.status.ok { color: var(--ok); }
.status.failed, .error-text { color: var(--err); }
.status.edited { color: var(--accent); }
.error-text { font-weight: 600; margin: .3rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
details > summary { cursor: pointer; color: var(--muted); margin: .2rem 0; }
.hidden-chars { unicode-bidi: isolate; }
.hidden-chars::before { content: attr(data-label); margin: 0 1px; padding: 0 3px; border: 1px solid var(--err); border-radius: 3px; color: var(--err); font: 600 .7rem monospace; white-space: nowrap; }
.empty { color: var(--muted); font-style: italic; margin: 0; }
`;

/** Text escaped for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Text escaped as {@link escapeHtml} does, each run of hidden characters (bidi controls, zero-width
 * and tag characters) in a labelled span, isolated from the text around it, as the app marks them:
 * a report read in a browser shows what the model read, not text reordered or hidden.
 */
export function markedHtml(text: string): string {
  const pieces = splitHidden(text);
  if (typeof pieces === 'string') return escapeHtml(pieces);
  return pieces
    .map((p) => (typeof p === 'string' ? escapeHtml(p) : `<span class="hidden-chars" title="${escapeHtml(p.description)}" data-label="${escapeHtml(p.label)}">${escapeHtml(p.text)}</span>`))
    .join('');
}

/** A preformatted block; a long one is folded in `<details>` whose summary gives its size. */
function block(label: string, text: string, heading: 'h3' | 'h4' = 'h4'): string {
  const title = `<${heading}>${escapeHtml(label)}</${heading}>`;
  if (text === '') return `${title}<p class="empty">(empty)</p>`;
  const pre = `<pre>${markedHtml(text)}</pre>`;
  if (text.length <= FOLD_CHARS) return `${title}${pre}`;
  return `<details><summary>${escapeHtml(label)}: ${sizeLabel(text)}</summary>${pre}</details>`;
}

function callHtml(call: ReportToolCall, k: number): string {
  const failed = call.error !== null;
  const parts = [
    `<h4>Tool call ${k + 1}: <code>${markedHtml(call.name ?? 'None')}</code>${call.id ? ` <code>${escapeHtml(String(call.id))}</code>` : ''} <span class="status ${failed ? 'failed' : 'ok'}">${STATUS_LABELS[call.status]}</span></h4>`,
  ];
  if (call.intervention) parts[0] = parts[0]!.replace('</h4>', ` <span class="status edited">${interventionText(call.intervention)}</span></h4>`);
  if (failed) parts.push(`<p class="error-text">Error: ${markedHtml(call.error!)}</p>`);
  parts.push(block('Arguments', call.prettyArguments ?? call.arguments));
  if (call.intervention?.action === 'edit') parts.push(block('Arguments the model sent', call.intervention.model_arguments));
  if (call.result !== null) parts.push(block('Result', call.prettyResult ?? call.result));
  return `<div class="call${failed ? ' failed' : ''}">${parts.join('\n')}</div>`;
}

function turnHtml(entry: ReportTurn): string {
  const parts = [`<h3>Turn ${entry.turn}</h3>`];
  if (entry.reasoning !== null) parts.push(`<div class="reasoning">${block('Reasoning', entry.reasoning)}</div>`);
  parts.push(block('Assistant', entry.text));
  entry.calls.forEach((call, k) => parts.push(callHtml(call, k)));
  entry.unmatchedResults.forEach((result, k) => parts.push(block(`Tool result ${k + 1} that no call matches`, result)));
  return `<article class="turn">${parts.join('\n')}</article>`;
}

function messageHtml(entry: ReportMessage): string {
  const title = entry.role === 'system' ? 'System' : entry.role === 'user' ? 'User' : entry.role === 'tool' ? 'Tool result that no call matches' : `Message with role "${entry.role}"`;
  return `<article class="message">${block(title, entry.pretty ?? entry.text, 'h3')}</article>`;
}

/** One trajectory as a self-contained HTML report (see the file comment). */
export function trajectoryHtml(t: Trajectory): string {
  const r = trajectoryReport(t);
  const rows = r.fields.map((f) => {
    const also = f.derivedValue === undefined ? '' : ` (the engine's rules derive ${escapeHtml(fieldSummary(f.field, f.derivedValue))})`;
    return `<tr><th><code>${f.field}</code></th><td>${escapeHtml(fieldSummary(f.field, f.value))}${also}</td><td><span class="origin ${f.origin}">${f.origin}</span></td></tr>`;
  });
  const errors = r.toolErrors.map((e) => `<li>Turn ${e.turn}, <code>${escapeHtml(e.tool_name ?? 'None')}</code>: <span class="error-text">${escapeHtml(e.error)}</span></li>`);
  const meta = [`model ${r.model === null ? 'unknown' : `<code>${escapeHtml(r.model)}</code>`}`, `${escapeHtml(r.formatDescription)} (<code>${r.format}</code>), trajectory ${r.index} of its file`];
  if (r.reward !== null) meta.push(`reward ${r.reward}`);
  const body = [
    `<header><h1>Trajectory <code>${escapeHtml(r.id)}</code></h1><p class="meta">${meta.join(' · ')}</p></header>`,
    '<section><h2>AgentResult</h2>',
    '<p class="meta">Recorded: the file holds the value. Derived: computed from the messages with the engine\'s rules.</p>',
    `<table><thead><tr><th>Field</th><th>Value</th><th>Source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    errors.length ? `<h3>tool_errors</h3><ol>${errors.join('')}</ol>` : '',
    r.managedState !== null && r.managedState !== undefined ? block('managed_state', JSON.stringify(r.managedState, null, 2)) : '',
    r.tools !== null ? block('Tool schemas', r.tools) : '',
    '</section>',
    `<section><h2>Messages</h2>${r.entries.map((e) => (e.kind === 'turn' ? turnHtml(e) : messageHtml(e))).join('\n')}</section>`,
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Trajectory ${escapeHtml(r.id)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`;
}
